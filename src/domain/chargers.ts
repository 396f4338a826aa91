/**
 * Charger lifecycle in the version-neutral model: admission of a connecting charger, connection state,
 * boot, heartbeat, status reports (per EVSE and for the whole charger) and the faults they carry.
 * Called by both OCPP adapters; each call is one SQLite transaction, events are emitted after it commits.
 */
import type { Log } from '../log.js';
import { putChargerReport, type ChargerReportMessage } from './charger-reports.js';
import { chargingStateOf, recordChargingState } from './charging-states.js';
import type { DomainEvents } from './events.js';
import type { BootStatus, ChargerIdentityInfo, OcppProtocol, StatusReport } from './model.js';
import type { Clock, Store } from './ports.js';
import type { ChargerRecord, EvseRecord } from './records.js';

export interface ChargerServiceOptions {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  log: Log;
  heartbeatIntervalS: number;
  acceptUnknownChargers: boolean;
  /** BootNotification answer per charger (config `boot_status`); Accepted when absent. */
  bootStatusFor: (identity: string) => BootStatus;
  /** Retry interval given with Pending / Rejected (OCPP 1.6 §4.2: the charger waits this long before retrying). */
  bootRetryIntervalS?: number;
  /** The meter key the site config gives for a charger (`meter_public_key`): it wins over what the charger reports. */
  configuredMeterKey?: (identity: string) => string | undefined;
}

export type ChargerService = ReturnType<typeof createChargerService>;

/** The EVSE a charger reported; one the config does not list is created, kept and (for a configured charger) flagged. */
export function ensureEvse(store: Store, identity: string, evseOcppId: number, atMs: number): EvseRecord {
  const existing = store.getEvse(identity, evseOcppId);
  if (existing) return existing;
  const charger = store.getCharger(identity);
  const evse = store.createUnconfiguredEvse(identity, evseOcppId, charger?.locationId ?? null, atMs);
  if (charger?.configured) {
    // A configured charger reporting an EVSE the config does not list: keep it, tell the operator.
    store.raiseFault({ chargerIdentity: identity, evseOcppId, source: 'ocpp', code: 'UnknownEvse', message: `charger reported EVSE/connector ${evseOcppId} that the config does not list`, raisedAtMs: atMs });
  }
  return evse;
}

/**
 * One status for an EVSE whose connectors report separately (OCPP 2.0.1 StatusNotification per connector):
 * any in use wins, then reserved, then available; all faulted is faulted (reference/ocpp.md §4).
 */
export function aggregateConnectorStatus(statuses: string[]): string {
  const inUse = ['Occupied', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Preparing', 'Finishing'];
  const found = inUse.find((s) => statuses.includes(s));
  if (found) return found;
  if (statuses.includes('Reserved')) return 'Reserved';
  if (statuses.includes('Available')) return 'Available';
  if (statuses.length > 0 && statuses.every((s) => s === 'Faulted')) return 'Faulted';
  return statuses.includes('Unavailable') ? 'Unavailable' : (statuses[0] ?? 'Unknown');
}

/** How often at most `last_seen` is written for a busy charger; heartbeats and boots always write. */
const LAST_SEEN_WRITE_INTERVAL_MS = 5_000;

export function createChargerService(o: ChargerServiceOptions) {
  const { store, clock, events, log } = o;
  const lastSeenWritten = new Map<string, number>();

  function firstLocationId(): string | null {
    return store.listLocations()[0]?.id ?? null;
  }

  function evseFor(identity: string, evseOcppId: number, atMs: number): EvseRecord {
    return ensureEvse(store, identity, evseOcppId, atMs);
  }

  return {
    /** Whether a charger may connect: configured, or accepted as unknown (created on the first location). */
    admit(identity: string): ChargerRecord | undefined {
      const known = store.getCharger(identity);
      if (known && (known.configured || o.acceptUnknownChargers)) return known;
      if (!o.acceptUnknownChargers) return undefined;
      return store.createUnconfiguredCharger(identity, firstLocationId(), clock.now().getTime());
    },

    connected(identity: string, protocol: OcppProtocol, securityProfile: number, remoteAddress: string | undefined): void {
      const at = clock.now();
      store.updateCharger(identity, { connected: true, protocol, securityProfile, remoteAddress: remoteAddress ?? null, connectedAtMs: at.getTime(), lastSeenAtMs: at.getTime(), updatedAtMs: at.getTime() });
      lastSeenWritten.set(identity, at.getTime());
      events.emit('chargerConnected', { identity, protocol, at });
    },

    disconnected(identity: string): void {
      const at = clock.now();
      store.updateCharger(identity, { connected: false, disconnectedAtMs: at.getTime(), updatedAtMs: at.getTime() });
      lastSeenWritten.delete(identity);
      events.emit('chargerDisconnected', { identity, at });
    },

    /** Any message from the charger: liveness is "last message received", not heartbeats (OCPP 1.6 §4.6). */
    seen(identity: string): void {
      const now = clock.now().getTime();
      if (now - (lastSeenWritten.get(identity) ?? 0) < LAST_SEEN_WRITE_INTERVAL_MS) return;
      lastSeenWritten.set(identity, now);
      // Its own savepoint in the current group commit (never an autocommit with an fsync of its own).
      store.transaction(() => store.updateCharger(identity, { lastSeenAtMs: now }));
    },

    boot(identity: string, info: ChargerIdentityInfo): { status: BootStatus; intervalS: number; at: Date } {
      const at = clock.now();
      const status = o.bootStatusFor(identity);
      store.updateCharger(identity, {
        vendor: info.vendor, model: info.model, serialNumber: info.serialNumber ?? null, firmwareVersion: info.firmwareVersion ?? null,
        bootStatus: status, bootReason: info.reason ?? null, lastBootAtMs: at.getTime(), lastSeenAtMs: at.getTime(), updatedAtMs: at.getTime(),
      });
      events.emit('chargerBooted', { identity, status, at });
      log.info({ charger: identity, status, vendor: info.vendor, model: info.model, firmware: info.firmwareVersion }, 'charger booted');
      // After Accepted the interval is the heartbeat interval; after Pending/Rejected it is the retry delay.
      return { status, intervalS: status === 'Accepted' ? o.heartbeatIntervalS : (o.bootRetryIntervalS ?? 60), at };
    },

    heartbeat(identity: string): Date {
      const at = clock.now();
      store.updateCharger(identity, { lastHeartbeatAtMs: at.getTime(), lastSeenAtMs: at.getTime() });
      lastSeenWritten.set(identity, at.getTime());
      return at;
    },

    /** A status report for an EVSE (or the whole charger when evseOcppId is 0). Older reports than the stored one are kept out. */
    reportStatus(identity: string, report: StatusReport): void {
      const at = clock.now();
      const atMs = at.getTime();
      let txChanged: number | undefined;
      const changed = store.transaction(() => {
        const faulty = report.errorCode !== undefined && report.errorCode !== 'NoError';
        const evseOcppId = report.evseOcppId === 0 ? null : report.evseOcppId;
        if (faulty) {
          store.raiseFault({
            chargerIdentity: identity, evseOcppId: evseOcppId ?? undefined, source: 'ocpp', code: report.errorCode!,
            message: [report.status, report.info, report.vendorErrorCode].filter(Boolean).join(': '),
            details: { info: report.info, vendorId: report.vendorId, vendorErrorCode: report.vendorErrorCode, at: report.at.toISOString() }, raisedAtMs: atMs,
          });
        } else if (report.errorCode !== undefined && report.status !== 'Faulted') {
          // A 1.6 NoError report clears that EVSE's status faults; 2.0.1 reports carry no errorCode (its
          // problems come and go through NotifyEvent, see reportProblem), so they clear nothing.
          for (const f of store.listFaults({ identity, open: true, limit: 100 })) {
            if (f.source === 'ocpp' && (f.evseOcppId ?? null) === evseOcppId && f.code !== 'UnknownEvse') store.clearFaults(identity, f.code, evseOcppId, atMs);
          }
        }
        if (report.evseOcppId === 0) {
          store.updateCharger(identity, { stationStatus: report.status, updatedAtMs: atMs, lastSeenAtMs: atMs });
          return store.listEvses(identity).map((e) => e);
        }
        const evse = evseFor(identity, report.evseOcppId, atMs);
        // The EV's charging state bills (TIME vs PARKING_TIME): kept for a running transaction even when the
        // report is older than the EVSE's last one, since it is placed by its own timestamp.
        const tx = chargingStateOf(report.status) ? store.findActiveTransactionOnEvse(evse.id) : undefined;
        if (tx && recordChargingState(store, tx, report.at, report.status, atMs)) txChanged = tx.id;
        const connectors = report.connectorOcppId !== undefined ? store.listConnectors(evse.id) : [];
        const connector = connectors.find((c) => c.ocppConnectorId === report.connectorOcppId);
        // Per-connector reports are ordered per connector; an EVSE-wide report against the EVSE's last one.
        const lastAtMs = connector ? connector.statusAtMs : evse.statusAtMs;
        if (lastAtMs !== null && report.at.getTime() < lastAtMs) return [];
        if (connector) store.updateConnector(connector.id, { status: report.status, statusAtMs: report.at.getTime() });
        const others = connectors.filter((c) => c !== connector && c.status !== null).map((c) => c.status!);
        const status = others.length ? aggregateConnectorStatus([report.status, ...others]) : report.status;
        const statusChanged = evse.status !== status;
        store.updateEvse(evse.id, {
          status, statusAtMs: Math.max(report.at.getTime(), evse.statusAtMs ?? 0), errorCode: report.errorCode ?? null, vendorErrorCode: report.vendorErrorCode ?? null,
          statusInfo: report.info ?? null, ...(statusChanged ? { lastUpdatedMs: atMs } : {}),
        });
        return statusChanged ? [{ ...evse, status }] : [];
      });
      for (const evse of changed) {
        if (report.evseOcppId === 0) store.updateEvse(evse.id, { lastUpdatedMs: atMs });
        events.emit('evseStatusChanged', { identity, evseRowId: evse.id, evseOcppId: evse.ocppId, status: report.evseOcppId === 0 ? `station:${report.status}` : String(evse.status), at });
      }
      if (txChanged !== undefined) events.emit('transactionUpdated', { identity, transactionRowId: txChanged, at });
    },

    /** The charger's configuration (1.6 GetConfiguration) or device model (2.0.1 NotifyReport), as JSON. */
    storeConfiguration(identity: string, configuration: unknown, meterPublicKey?: string): void {
      const atMs = clock.now().getTime();
      // Eichrecht keys are trusted out of band (reference/eichrecht-ocmf.md): a key the operator configured is never
      // replaced by one the charger reports about itself; a different one is a fault to look into.
      const configured = o.configuredMeterKey?.(identity);
      const reported = meterPublicKey?.trim();
      const keep = configured !== undefined || !reported;
      const faultId = store.transaction(() => {
        store.updateCharger(identity, { configurationJson: JSON.stringify(configuration), configurationAtMs: atMs, ...(keep ? {} : { meterPublicKey: reported }) });
        if (configured !== undefined && reported && normalizeKey(reported) !== normalizeKey(configured)) {
          return store.raiseFault({
            chargerIdentity: identity, source: 'eichrecht', code: 'MeterKeyMismatch', raisedAtMs: atMs, details: { reported, configured },
            message: 'the charger reports a meter public key that differs from the configured meter_public_key; the configured key is used',
          });
        }
        return undefined;
      });
      if (faultId !== undefined) {
        log.warn({ charger: identity }, 'charger reports a meter key different from the configured one: the configured key is used');
        events.emit('faultRaised', { identity, faultId, code: 'MeterKeyMismatch', source: 'eichrecht', at: clock.now() });
      }
    },

    /**
     * A report the charger sent about itself (monitors, charging profiles, customer information, display
     * messages, ...; see charger-reports.ts): each page is stored in one transaction with the pruning that
     * keeps the table bounded, before the charger gets its answer.
     */
    storeReport(identity: string, message: ChargerReportMessage): number {
      const atMs = clock.now().getTime();
      return store.transaction(() => putChargerReport(store, identity, message, atMs));
    },

    /** The charger ended a reservation itself (2.0.1 ReservationStatusUpdate); the reservation service acts on it. */
    reservationEnded(identity: string, reservationId: number, status: 'Expired' | 'Removed'): void {
      log.info({ charger: identity, reservationId, status }, 'reservation ended by the charger');
      events.emit('reservationEnded', { identity, reservationId, status, at: clock.now() });
    },

    raiseFault(identity: string, code: string, message: string, details?: unknown, evseOcppId?: number, transactionRowId?: number): void {
      const at = clock.now();
      const faultId = store.raiseFault({ chargerIdentity: identity, evseOcppId, transactionRowId, source: 'ocpp', code, message, details, raisedAtMs: at.getTime() });
      events.emit('faultRaised', { identity, faultId, code, source: 'ocpp', at });
    },

    /**
     * A problem the charger reports as present or gone (OCPP 2.0.1 NotifyEvent, e.g. Problem=true and later
     * `cleared`): raised once while it lasts, cleared when it goes.
     */
    reportProblem(identity: string, problem: { code: string; active: boolean; message: string; details?: unknown; evseOcppId?: number }): void {
      const at = clock.now();
      const atMs = at.getTime();
      const evseOcppId = problem.evseOcppId ?? null;
      const raised = store.transaction(() => {
        const open = store.listFaults({ identity, open: true, limit: 200 }).some((f) => f.code === problem.code && (f.evseOcppId ?? null) === evseOcppId);
        if (!problem.active) {
          if (open) store.clearFaults(identity, problem.code, evseOcppId, atMs);
          return undefined;
        }
        if (open) return undefined;
        return store.raiseFault({ chargerIdentity: identity, evseOcppId: problem.evseOcppId, source: 'ocpp', code: problem.code, message: problem.message, details: problem.details, raisedAtMs: atMs });
      });
      if (raised !== undefined) events.emit('faultRaised', { identity, faultId: raised, code: problem.code, source: 'ocpp', at });
    },

    evseFor,
  };
}

/** Keys compare without case and whitespace (hex from different tools). */
function normalizeKey(key: string): string {
  return key.replace(/\s+/g, '').toUpperCase();
}
