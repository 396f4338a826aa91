/**
 * The composition root: builds every part from the validated config and wires them — store, domain
 * services, OCPP server with its adapters, HTTP app (operations, OCPI, status page) — and returns the
 * URLs, the ports actually bound and `stop()`. The only file that knows all folders.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import type { Log } from './log.js';
import { createMetrics } from './metrics.js';
import { systemClock, type ChargerCommands, type Clock, type Store } from './domain/ports.js';
import { createDomainEvents } from './domain/events.js';
import { createChargerService } from './domain/chargers.js';
import { createTransactionService } from './domain/transactions.js';
import { createEichrechtService } from './domain/eichrecht-service.js';
import { createEmspAuthorizer } from './domain/tokens.js';
import { createRemoteStartRegistry } from './domain/commands.js';
import { createReservationService, observeReservationWrites } from './domain/reservations.js';
import { createLocalListSync } from './domain/local-lists.js';
import { openTokenStore } from './store/token-store.js';
import { createRealtimeAuthorization } from './ocpi/tokens/realtime.js';
import { startTokenPull } from './ocpi/tokens/pull.js';
import { reportCanceledReservation } from './ocpi/commands/reservation-canceled.js';
import { openStore } from './store/sqlite-store.js';
import { siteFromConfig } from './site-from-config.js';
import { createConnections } from './ocpp/connections.js';
import { createMessageRecorder } from './ocpp/message-recorder.js';
import { startOcppServer, type OcppServer } from './ocpp/server.js';
import { v16Adapter } from './ocpp/v16/index.js';
import { createV201Adapter } from './ocpp/v201/index.js';
import type { AdapterContext, ProtocolAdapter } from './ocpp/adapter.js';
import { createOpsApp } from './ops/app.js';
import { openOcpiStore } from './store/ocpi-store.js';
import { createOcpiApp } from './ocpi/app.js';
import type { OcpiDeps } from './ocpi/context.js';
import { registerAtPeer } from './ocpi/credentials/register.js';
import { startOcpiPush } from './ocpi/push/push.js';
import { openSessionCdrStore } from './store/session-cdr-store.js';
import { startSessionMaterializer } from './ocpi/sessions/materialize.js';
import { startCdrCreator } from './ocpi/cdrs/create.js';
import { startCdrDelivery } from './ocpi/cdrs/deliver.js';
import { createStatusPage } from './status-page/app.js';

export interface Bridge {
  ports: { ocpp: number; ocppTls?: number; http: number };
  urls: { ocpp: string; ocppTls?: string; ocpiVersions: string; statusPage: string; health: string; metrics: string };
  store: Store;
  /** The version-neutral command port (OCPI commands and the status page use it; tests too). */
  commands: ChargerCommands;
  /** Registers the bridge at an eMSP (the code `npm run ocpi -- register` runs). */
  ocpi: { registerAt(versionsUrl: string, tokenA: string): Promise<{ platformId: number; version: string | null }> };
  /** The status page login generated on this start (first start without `status_page.users`): print it once. */
  statusPagePassword?: { user: string; password: string };
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
}

export async function startBridge(config: Config, log: Log, options: StartOptions = {}): Promise<Bridge> {
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const store = openStore({
    path: config.database.path, synchronous: config.database.synchronous,
    onCommit: (seconds) => metrics.dbWriteSeconds.observe(seconds),
    onCommitError: (err) => log.error({ err: err.message }, 'database commit failed: the messages of this batch were not acknowledged'),
  });
  const cleanups: Array<() => Promise<void> | void> = [() => store.close()];
  try {
    return await wire();
  } catch (err) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw err;
  }

  async function wire(): Promise<Bridge> {
    const ocpiStore = openOcpiStore(store.sqlite, config.database.path, { durable: () => store.durable() });
    store.syncSite(siteFromConfig(config), clock.now().getTime());
    const events = createDomainEvents((name, err) => log.error({ event: name, err: (err as Error).message }, 'domain event listener failed'));
    events.on('faultRaised', (f) => metrics.faultsRaised.inc({ source: f.source, code: f.code }));
    const chargerConfig = new Map(config.ocpp.chargers.map((c) => [c.identity, c]));
    const chargers = createChargerService({
      store, clock, events, log, heartbeatIntervalS: config.ocpp.heartbeat_interval, acceptUnknownChargers: config.ocpp.accept_unknown_chargers,
      bootStatusFor: (identity) => chargerConfig.get(identity)?.boot_status ?? 'Accepted',
      configuredMeterKey: (identity) => chargerConfig.get(identity)?.meter_public_key,
    });
    // Tokens: the site config's and those eMSPs push; real-time authorization at the owning eMSP within the budget.
    // Reservation writes the OCPI commands make reach the reservation service (a reservation's OCPI Session).
    let reservationWritten: (reservationRowId: number) => void = () => undefined;
    const tokens = observeReservationWrites(openTokenStore(store.sqlite), (id) => reservationWritten(id));
    const sessions = openSessionCdrStore(store.sqlite);
    const remoteStarts = createRemoteStartRegistry({ clock });
    const authorizer = createEmspAuthorizer({
      store, tokens, remoteStarts, clock, log, realtime: createRealtimeAuthorization({ store: ocpiStore, config, log }),
      budgetMs: config.ocpi.authorize_budget_s * 1000, acceptUnknownTokens: config.ocpp.accept_unknown_tokens,
    });
    const eichrecht = createEichrechtService({ store, clock, events, log, onResult: (result) => metrics.eichrechtVerifications.inc({ result }) });
    // Verification runs after the commit and after the charger got its answer; its writes are one unit.
    const verifySigned = (_identity: string, _tx: number | null, ids: number[]) => setImmediate(() => store.transaction(() => eichrecht.verifyReadings(ids)));
    events.on('transactionEnded', ({ transactionRowId }) => setImmediate(() => store.transaction(() => eichrecht.checkTransaction(transactionRowId))));
    const transactions = createTransactionService({ store, clock, events, log, authorizer, onSignedReadings: verifySigned });
    const adapters = { 'ocpp1.6': v16Adapter, 'ocpp2.0.1': createV201Adapter() } satisfies Record<string, ProtocolAdapter>;
    const callTimeoutMs = config.ocpp.call_timeout_s * 1000;
    const connections = createConnections({ adapters, log, callTimeoutMs });
    const recorder = createMessageRecorder({ store, events, metrics, log, keep: config.ocpp.message_log_max });
    cleanups.push(() => recorder.stop());
    const reservations = createReservationService({
      store, tokens, chargers: connections, events, clock, log, sessions, onCancelledByCharger: (r) => reportCanceledReservation({ store: ocpiStore, config, log }, r),
    });
    reservationWritten = (id) => reservations.changed(id);
    const localLists = createLocalListSync({ tokens, chargers: connections, identities: () => store.listChargers().map((c) => c.identity), events, clock, log });
    cleanups.push(() => reservations.stop(), () => localLists.stop());
    const adapterContext: AdapterContext = {
      chargers, transactions, commands: connections, log, durable: () => store.durable(),
      recordSchemaViolation(identity, action, violation, params) {
        log.warn({ charger: identity, action, violation }, 'off-schema message salvaged');
        chargers.raiseFault(identity, 'SchemaViolation', `${action} did not match the OCPP schema and was salvaged: ${violation}`.slice(0, 500), { action, params });
      },
    };

    const ocpp: OcppServer = await startOcppServer({
      host: config.http.host, // BRIDGE_HOST binds both listeners (CONTRACT.md)
      port: config.ocpp.port, tls: config.ocpp.tls, callTimeoutMs, pingIntervalS: config.ocpp.ping_interval_s,
      maxFrameBytes: config.ocpp.max_frame_bytes,
      limits: {
        callsPerSecond: config.ocpp.max_calls_per_second, burst: config.ocpp.call_burst, maxQueued: config.ocpp.max_queued_calls,
        authFailuresPerMinute: config.ocpp.auth_failures_per_minute,
      },
      securityFor: (identity) => {
        const c = chargerConfig.get(identity);
        return { profile: (c?.security_profile ?? (c?.password ? 1 : 0)) as 0 | 1 | 2 | 3, password: c?.password };
      },
      chargers, connections, adapters, adapterContext, recorder, metrics, log,
    });
    cleanups.push(() => ocpp.close());

    const app = new Hono();
    app.route('/', createOpsApp({
      metrics,
      probe: {
        db: () => {
          try {
            store.checkWritable(clock.now().getTime());
            return 'ok';
          } catch (err) {
            return `error: ${(err as Error).message}`;
          }
        },
        ocpp: () => (ocpp.listening() ? 'listening' : 'down'),
      },
    }));
    let advertisedUrl = '';
    const tokensChanged = () => localLists.tokensChanged();
    const ocpiDeps: OcpiDeps = {
      publicUrl: () => advertisedUrl, config, store: ocpiStore, events, log, metrics, clock, sessions,
      tokensAndCommands: { domain: store, chargers: connections, tokens, sessions, remoteStarts, reservations, tokensChanged },
    };
    app.route('/ocpi', createOcpiApp(ocpiDeps));
    let statusPagePassword: Bridge['statusPagePassword'];
    if (config.status_page.enabled) {
      // After the ops routes (/healthz and /metrics stay open); it routes exact paths only, never /ocpi/*.
      const page = await createStatusPage({
        store, commands: connections, events, clock, log, users: config.status_page.users,
        offlineGraceMs: config.ocpp.offline_grace_s * 1000, ocpi: ocpiStore, sessions,
      });
      cleanups.push(() => page.close());
      app.route('/', page.app);
      if (page.generatedPassword) statusPagePassword = { user: page.generatedUser!, password: page.generatedPassword };
    }
    const http = await listenHttp(app, config.http.host, config.http.port);
    cleanups.push(() => new Promise<void>((resolve) => {
      http.close(() => resolve());
      (http as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }));
    const httpPort = (http.address() as AddressInfo).port;
    const publicUrl = (config.http.public_url ?? `http://localhost:${httpPort}`).replace(/\/+$/, '');
    advertisedUrl = publicUrl;
    const ocpiPush = startOcpiPush(ocpiDeps);
    cleanups.push(() => ocpiPush.stop());
    const sessionViews = startSessionMaterializer({ ...ocpiDeps, domain: store, sessions });
    const cdrDelivery = startCdrDelivery({ ...ocpiDeps, domain: store, sessions });
    const cdrCreator = startCdrCreator({ ...ocpiDeps, domain: store, sessions, eichrecht, settleMs: config.ocpi.cdr_settle_s * 1000, onCreated: () => cdrDelivery.kick() });
    cleanups.push(() => sessionViews.stop(), () => cdrCreator.stop(), () => cdrDelivery.stop());
    const tokenPull = startTokenPull({ ...ocpiDeps, tokens, tokensChanged, intervalMs: config.ocpi.token_pull_interval_s * 1000 });
    cleanups.push(() => tokenPull.stop());
    metrics.undeliveredCdrs.collect = () => {
      const { count, oldestMs } = sessions.undeliveredCdrs();
      metrics.undeliveredCdrs.set(count);
      metrics.oldestUndeliveredCdrAgeSeconds.set(oldestMs === null ? 0 : (clock.now().getTime() - oldestMs) / 1000);
    };
    const ocppHost = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
    const ports = { ocpp: ocpp.ports.ws ?? ocpp.ports.wss!, ...(ocpp.ports.wss !== undefined ? { ocppTls: ocpp.ports.wss } : {}), http: httpPort };
    const urls = {
      ocpp: ocpp.ports.ws !== undefined ? `ws://${ocppHost}:${ocpp.ports.ws}/ocpp/{identity}` : `wss://${ocppHost}:${ocpp.ports.wss}/ocpp/{identity}`,
      ...(ocpp.ports.wss !== undefined && ocpp.ports.ws !== undefined ? { ocppTls: `wss://${ocppHost}:${ocpp.ports.wss}/ocpp/{identity}` } : {}),
      ocpiVersions: `${publicUrl}/ocpi/versions`,
      statusPage: `${publicUrl}/`,
      health: `${publicUrl}/healthz`,
      metrics: `${publicUrl}/metrics`,
    };
    let stopped = false;
    return {
      ports, urls, store, commands: connections, ...(statusPagePassword ? { statusPagePassword } : {}),
      ocpi: {
        async registerAt(versionsUrl, tokenA) {
          const platform = await registerAtPeer(ocpiDeps, versionsUrl, tokenA);
          return { platformId: platform.id, version: platform.version };
        },
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        for (const cleanup of cleanups.reverse()) {
          try {
            await cleanup();
          } catch (err) {
            log.warn({ err: (err as Error).message }, 'error while stopping');
          }
        }
      },
    };
  }
}

function listenHttp(app: Hono, host: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => {
      server.off('error', reject);
      resolve(server);
    });
    server.once('error', reject);
  });
}
