/**
 * Prometheus metrics (prom-client), one registry per bridge instance so that several bridges in one test
 * process do not share counters. Like log.ts, a cross-cutting module every feature folder may import.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    connectedChargers: new Gauge({ name: 'bridge_ocpp_connected_chargers', help: 'Chargers connected, by OCPP protocol', labelNames: ['protocol'], registers: [registry] }),
    ocppMessages: new Counter({ name: 'bridge_ocpp_messages_total', help: 'OCPP messages by action, direction and outcome', labelNames: ['action', 'direction', 'outcome'], registers: [registry] }),
    ocpiRequests: new Counter({ name: 'bridge_ocpi_requests_total', help: 'OCPI requests served, by module and HTTP status', labelNames: ['module', 'status'], registers: [registry] }),
    dbWriteSeconds: new Histogram({
      name: 'bridge_db_write_seconds', help: 'Duration of SQLite commits (one per group of writes)',
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5], registers: [registry],
    }),
    ocpiPushes: new Counter({ name: 'bridge_ocpi_pushes_total', help: 'OCPI pushes to eMSPs, by party, module and outcome (ok, retry, rejected, expired, dropped)', labelNames: ['party', 'module', 'outcome'], registers: [registry] }),
    ocpiPushQueued: new Gauge({ name: 'bridge_ocpi_push_queued', help: 'Objects waiting to be pushed (latest state only), by party', labelNames: ['party'], registers: [registry] }),
    ocpiPushReachable: new Gauge({ name: 'bridge_ocpi_push_reachable', help: '1 when the last push to the party got an answer, 0 while it fails', labelNames: ['party'], registers: [registry] }),
    ocpiPushLastSuccess: new Gauge({ name: 'bridge_ocpi_push_last_success_seconds', help: 'Unix time of the last successful push, by party', labelNames: ['party'], registers: [registry] }),
    eichrechtVerifications: new Counter({ name: 'bridge_eichrecht_verifications_total', help: 'Signed meter values checked, by result (verified, invalid-signature, no-public-key, ...)', labelNames: ['result'], registers: [registry] }),
    undeliveredCdrs: Object.assign(new Gauge({ name: 'bridge_ocpi_undelivered_cdrs', help: 'CDRs waiting to be acknowledged by their eMSP', registers: [registry] }), { collect: (() => undefined) as () => void }),
    oldestUndeliveredCdrAgeSeconds: new Gauge({ name: 'bridge_ocpi_oldest_undelivered_cdr_age_seconds', help: 'Age of the oldest CDR not yet acknowledged by its eMSP', registers: [registry] }),
    faultsRaised: new Counter({ name: 'bridge_faults_raised_total', help: 'Faults raised, by source and code', labelNames: ['source', 'code'], registers: [registry] }),
  };
}
