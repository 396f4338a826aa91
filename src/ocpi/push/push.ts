/**
 * Push to eMSPs that have a Receiver interface (OCPI §Pull and Push; reference §1.8): domain events become
 * queue rows in ocpi_push_queue (one per platform and object: a newer change refreshes the row, keeping
 * only the latest state), written after the OCPP path has returned (setImmediate), and a worker sends them.
 * A failed push is retried with exponential backoff for at most `ocpi.push_retry_max_s`; while a platform
 * fails, its other rows wait behind it, and when it answers again every changed object goes out once with
 * its current state. A start-up re-queues what changed while the bridge was down (watermark per platform).
 */
import type { OcpiPlatformRecord, PushQueueItem } from '../../domain/ocpi-ports.js';
import { reconnectChangesStatus, statusChangedByConnectionAtMs } from '../../domain/ocpi-status.js';
import type { OcpiDeps } from '../context.js';
import { createLocationReader } from '../locations/read.js';
import { stampUpdatedMs } from '../locations/map.js';
import { callPeer, PeerError } from '../peer.js';
import { buildRequest, keys, objectPath, partyLabel, receiverUrl, type PushModule } from './targets.js';

export interface OcpiPush {
  /** Sends what is due now and waits for it (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

interface Change { module: PushModule; key: string; method: 'PUT' | 'PATCH' }

const BATCH = 100;
const RETRY_BASE_MS = 1000;
const RETRY_CAP_MS = 60_000;
const POLL_MS = 1000;

export function startOcpiPush(deps: OcpiDeps): OcpiPush {
  const { store, clock, log, metrics, config } = deps;
  const reader = createLocationReader(deps);
  const graceMs = config.ocpp.offline_grace_s * 1000;
  const fetchImpl = deps.fetch ?? fetch;
  let buffered: Change[] = [];
  let flushScheduled = false;
  let stopped = false;
  let draining: Promise<void> | undefined;
  let again = false;
  /** Platform id -> time before which nothing is sent to it (it failed). */
  const gate = new Map<number, number>();
  /** `${platform}|${module}|${key}` sent right now -> whether it changed meanwhile. */
  const inFlight = new Map<string, boolean>();
  const offlineTimers = new Map<string, NodeJS.Timeout>();

  function now(): number {
    return clock.now().getTime();
  }

  // ---- changes -> queue ----

  function change(...changes: Change[]): void {
    if (stopped) return;
    buffered.push(...changes);
    if (flushScheduled) return;
    flushScheduled = true;
    // Never on the OCPP path: the event's caller returns first, the queue write happens on the next turn.
    setImmediate(flush);
  }

  function flush(): void {
    flushScheduled = false;
    const changes = buffered;
    buffered = [];
    if (changes.length === 0) return;
    const platforms = store.listPlatforms('registered');
    const rows = [];
    for (const p of platforms) {
      for (const c of changes) {
        if (!receiverUrl(p, c.module)) continue;
        const flightKey = `${p.id}|${c.module}|${c.key}`;
        if (inFlight.has(flightKey)) inFlight.set(flightKey, true);
        rows.push({ platformId: p.id, module: c.module, objectKey: c.key, method: c.method, path: objectPath(deps, c.key) });
      }
    }
    if (rows.length === 0) return;
    try {
      store.enqueuePushes(rows, now());
    } catch (err) {
      log.error({ err: (err as Error).message }, 'OCPI push queue write failed');
      return;
    }
    updateQueueGauge();
    kick();
  }

  function evseChanges(evseRowIds: number[]): Change[] {
    return store.evseLocations(evseRowIds)
      .filter((e): e is { evseRowId: number; locationId: string; uid: string } => e.locationId !== null)
      .map((e) => ({ module: 'locations' as const, key: keys.evse(e.locationId, e.uid), method: 'PATCH' as const }));
  }

  const unsubscribe = [
    deps.events.on('evseStatusChanged', (e) => change(...evseChanges([e.evseRowId]))),
    deps.events.on('chargerConnected', (e) => {
      clearTimeout(offlineTimers.get(e.identity));
      offlineTimers.delete(e.identity);
      // Back after an outage longer than the grace period (or the first time ever): UNKNOWN/PLANNED ends.
      const link = chargerLink(e.identity);
      if (link && reconnectChangesStatus(link, graceMs)) change(...evseChanges(store.evseRowIdsOfCharger(e.identity)));
    }),
    deps.events.on('chargerDisconnected', (e) => scheduleOfflineCheck(e.identity, e.at.getTime())),
  ];

  function chargerLink(identity: string) {
    for (const s of store.locationStamps()) {
      const c = s.chargers.find((x) => x.identity === identity);
      if (c) return c.charger;
    }
    return undefined;
  }

  /** OCPI UNKNOWN "also used when offline", after the grace period: push it when the period runs out. */
  function scheduleOfflineCheck(identity: string, disconnectedAtMs: number): void {
    clearTimeout(offlineTimers.get(identity));
    const delay = Math.max(0, disconnectedAtMs + graceMs - now()) + 50;
    const timer = setTimeout(() => {
      offlineTimers.delete(identity);
      const link = chargerLink(identity);
      if (link && !link.connected && statusChangedByConnectionAtMs(link, now(), graceMs) !== null) {
        change(...evseChanges(store.evseRowIdsOfCharger(identity)));
      }
    }, delay);
    timer.unref();
    offlineTimers.set(identity, timer);
  }

  /** What changed since each platform's watermark (config edits, outages while the bridge was down). */
  function reconcile(): void {
    const atMs = now();
    const ctx = reader.context();
    const stamps = store.locationStamps();
    for (const p of store.listPlatforms('registered')) {
      const since = p.pushWatermarkMs ?? p.registeredAtMs ?? atMs;
      const rows = [];
      if (receiverUrl(p, 'locations')) {
        for (const s of stamps) {
          if (stampUpdatedMs(s, ctx) > since) rows.push({ platformId: p.id, module: 'locations', objectKey: keys.location(s.id), method: 'PUT', path: objectPath(deps, keys.location(s.id)) });
        }
      }
      if (receiverUrl(p, 'tariffs')) {
        for (const t of store.listTariffsChangedSince(since)) {
          rows.push({ platformId: p.id, module: 'tariffs', objectKey: keys.tariff(t.id), method: 'PUT', path: objectPath(deps, keys.tariff(t.id)) });
        }
      }
      if (rows.length) {
        store.enqueuePushes(rows, atMs);
        log.info({ party: partyLabel(p), objects: rows.length }, 'OCPI push: re-queued what changed since the last run');
      }
      store.setPushWatermark(p.id, atMs);
    }
    for (const s of stamps) {
      for (const c of s.chargers) {
        if (!c.charger.connected && c.charger.disconnectedAtMs !== null && c.charger.disconnectedAtMs + graceMs > atMs) scheduleOfflineCheck(c.identity, c.charger.disconnectedAtMs);
      }
    }
  }

  // ---- queue -> eMSPs ----

  function kick(): void {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drainLoop().finally(() => {
      draining = undefined;
      if (again) {
        again = false;
        kick();
      }
    });
  }

  async function drainLoop(): Promise<void> {
    for (;;) {
      // Only committed state leaves the bridge: wait for the group commit holding the change (and the queue row).
      await store.durable().catch(() => undefined);
      const gated = [...gate.entries()].filter(([, until]) => until > now()).map(([id]) => id);
      const due = store.duePushes(now(), BATCH, gated);
      if (due.length === 0 || stopped) return;
      const byPlatform = new Map<number, PushQueueItem[]>();
      for (const item of due) byPlatform.set(item.platformId, [...(byPlatform.get(item.platformId) ?? []), item]);
      // Platforms in parallel, one request at a time per platform (keeps its order, spares a struggling eMSP).
      await Promise.all([...byPlatform.entries()].map(async ([platformId, items]) => {
        for (const item of items) {
          if (stopped || (gate.get(platformId) ?? 0) > now()) return;
          await sendOne(item);
        }
      }));
      updateQueueGauge();
    }
  }

  async function sendOne(item: PushQueueItem): Promise<void> {
    const platform = store.getPlatform(item.platformId);
    const module = item.module as PushModule;
    if (!platform || platform.status !== 'registered') return store.dropPush(item.id);
    const label = { party: partyLabel(platform), module };
    if (now() - item.firstQueuedAtMs > config.ocpi.push_retry_max_s * 1000) {
      store.dropPush(item.id);
      store.recordPushOutcome(platform.id, module, 'expired', false, now());
      metrics.ocpiPushes.inc({ ...label, outcome: 'expired' });
      log.warn({ ...label, object: item.objectKey, attempts: item.attempts, lastError: item.lastError }, 'OCPI push given up after ocpi.push_retry_max_s; the eMSP must resync by GET');
      return;
    }
    const request = buildRequest(store, reader, platform, module, item.objectKey, item.path);
    const token = store.outboundToken(platform.id);
    if (!request || !token) {
      if (!token) log.error({ ...label }, 'OCPI push: no usable token for this eMSP (key file lost?); re-register it');
      metrics.ocpiPushes.inc({ ...label, outcome: 'dropped' });
      return store.dropPush(item.id);
    }
    const flightKey = `${platform.id}|${module}|${item.objectKey}`;
    inFlight.set(flightKey, false);
    const routing = platform.version === '2.2.1' ? routingHeaders(deps, platform) : {};
    try {
      await callPeer(fetchImpl, { method: request.method, url: request.url, token, encoding: platform.tokenEncoding, body: request.body, timeoutMs: config.ocpi.request_timeout_s * 1000, headers: routing });
      const changedMeanwhile = inFlight.get(flightKey);
      inFlight.delete(flightKey);
      // Changed while in flight: the row stays due and goes out again with the newer state.
      if (!changedMeanwhile) store.pushDone(item.id);
      gate.delete(platform.id);
      store.recordPushOutcome(platform.id, module, 'ok', true, now());
      metrics.ocpiPushes.inc({ ...label, outcome: 'ok' });
      metrics.ocpiPushReachable.set({ party: label.party }, 1);
      metrics.ocpiPushLastSuccess.set({ party: label.party }, Math.floor(now() / 1000));
    } catch (err) {
      inFlight.delete(flightKey);
      const e = err as PeerError;
      if (isRejection(e)) {
        // The eMSP answered but refuses the object. mod_locations: "If a PATCH fails, GET the object, PUT it if absent":
        // send the whole Location instead of the EVSE PATCH; a refused PUT/DELETE is not retried.
        store.dropPush(item.id);
        if (request.method === 'PATCH' && item.objectKey.startsWith('evse:')) {
          const locationId = item.objectKey.slice('evse:'.length, item.objectKey.indexOf('/'));
          store.enqueuePushes([{ platformId: platform.id, module, objectKey: keys.location(locationId), method: 'PUT', path: objectPath(deps, keys.location(locationId)) }], now());
        }
        store.recordPushOutcome(platform.id, module, `rejected: ${e.message}`.slice(0, 300), false, now());
        metrics.ocpiPushes.inc({ ...label, outcome: 'rejected' });
        log.warn({ ...label, object: item.objectKey, err: e.message }, 'OCPI push refused by the eMSP');
        return;
      }
      const attempts = item.attempts + 1;
      const nextAt = now() + Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
      store.pushRetry(item.id, attempts, nextAt, e.message);
      gate.set(platform.id, nextAt);
      store.recordPushOutcome(platform.id, module, `failed: ${e.message}`.slice(0, 300), false, now());
      metrics.ocpiPushes.inc({ ...label, outcome: 'retry' });
      metrics.ocpiPushReachable.set({ party: label.party }, 0);
      log.warn({ ...label, object: item.objectKey, attempts, retryInMs: nextAt - now(), err: e.message }, 'OCPI push failed, will retry');
    }
  }

  function updateQueueGauge(): void {
    const depths = store.pushQueueDepths();
    for (const p of store.listPlatforms('registered')) metrics.ocpiPushQueued.set({ party: partyLabel(p) }, depths.get(p.id) ?? 0);
  }

  reconcile();
  updateQueueGauge();
  const poll = setInterval(kick, POLL_MS);
  poll.unref();
  kick();

  return {
    async drain() {
      flush();
      kick();
      while (draining) await draining;
    },
    async stop() {
      if (stopped) return;
      flush();
      stopped = true;
      clearInterval(poll);
      for (const t of offlineTimers.values()) clearTimeout(t);
      for (const off of unsubscribe) off();
      // Everything changed up to now is queued (and persisted): the next start continues from here.
      for (const p of store.listPlatforms('registered')) store.setPushWatermark(p.id, now());
      await Promise.race([draining, new Promise((r) => setTimeout(r, 2000).unref())]);
    },
  };
}

/** OCPI 2.2.1 §Message Routing: FROM = us, TO = the receiving party. */
function routingHeaders(deps: OcpiDeps, platform: OcpiPlatformRecord): Record<string, string> {
  const to = platform.parties.find((p) => p.role === 'EMSP') ?? platform.parties[0];
  return {
    'OCPI-from-country-code': deps.config.cpo.country_code, 'OCPI-from-party-id': deps.config.cpo.party_id,
    ...(to ? { 'OCPI-to-country-code': to.countryCode, 'OCPI-to-party-id': to.partyId } : {}),
  };
}

/** An answer that retrying will not change: an OCPI client error (2xxx) or HTTP 4xx other than 401/408/429. */
function isRejection(e: PeerError): boolean {
  if (!(e instanceof PeerError)) return false;
  if (e.kind === 'ocpi-status') return (e.ocpiStatus ?? 0) >= 2000 && (e.ocpiStatus ?? 0) < 3000;
  if (e.kind === 'http') return (e.httpStatus ?? 0) >= 400 && (e.httpStatus ?? 0) < 500 && ![401, 408, 429].includes(e.httpStatus ?? 0);
  return false;
}
