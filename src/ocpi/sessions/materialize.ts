/**
 * Keeps the OCPI Session of every transaction current and tells its eMSP (mod_sessions §Receiver): after each
 * committed change the session is described (domain/session-facts.ts), priced, stored as 2.2.1 JSON and pushed
 * to the platform that owns the token — never to another. PUT when the eMSP does not have it yet and at the end,
 * PATCH (kwh, cost, status, and only the charging periods it has not got: PATCH appends them) in between; before
 * the end only closed periods are sent, in the PUT too, since the open one could not be corrected by a PATCH; at most
 * every `session_push_interval_s` unless the status changed (an update held back by the interval is sent when
 * it ends). A failed push is retried with backoff; the next success sends the current state. (What was pushed
 * lives in memory: after a restart the next push is a full PUT.)
 * A 2.1.1 eMSP gets the 2.1.1 Session (map211.ts: a Location object, total_cost excl. VAT); its PATCH carries
 * the whole charging_periods list, since 2.1.1 PATCH replaces the fields it names (2.1.1 sessions.md §PATCH:
 * "other fields/objects that are not specified are considered unchanged"; appending is 2.2's rule).
 * A reservation's session (domain/reservations.ts) is materialized the same way from its own facts until a
 * transaction uses it; from then on the transaction's refreshes carry its id. The step from RESERVATION to ACTIVE is
 * a full PUT: start_date_time moves to the transaction's start (mod_sessions), the EVSE may be known only now.
 * Pushes of one session id are sent one after another, whichever path described them.
 */
import type { OcpiPlatformRecord } from '../../domain/ocpi-ports.js';
import type { Store } from '../../domain/ports.js';
import type { SessionCdrStore } from '../../domain/session-cdr-ports.js';
import { describeReservation } from '../../domain/reservation-facts.js';
import { describeSession, type SessionFacts } from '../../domain/session-facts.js';
import type { OcpiDeps } from '../context.js';
import { createLocationReader } from '../locations/read.js';
import { callPeer } from '../peer.js';
import { createPushOutcomes } from '../push/outcomes.js';
import { partyLabel } from '../push/targets.js';
import { session221 } from './map.js';
import { session211 } from './map211.js';

export interface SessionMaterializer {
  /** Refreshes the session of a transaction now (tests, shutdown). */
  refresh(transactionRowId: number): Promise<void>;
  stop(): void;
}

interface PushState { sentAtMs: number; status: string; periods: number; failures: number; retryAtMs: number; timer?: NodeJS.Timeout; held?: NodeJS.Timeout }

export function receiverUrlOf(platform: OcpiPlatformRecord | undefined, module: string): string | undefined {
  if (!platform || platform.status !== 'registered') return undefined;
  const e = platform.endpoints.find((x) => x.identifier === module && (platform.version === '2.1.1' || x.role === 'RECEIVER'));
  return e?.url.replace(/\/+$/, '');
}

export function startSessionMaterializer(deps: OcpiDeps & { domain: Store; sessions: SessionCdrStore }): SessionMaterializer {
  const { domain, sessions, events, log, config, clock } = deps;
  const cpo = { countryCode: config.cpo.country_code, partyId: config.cpo.party_id };
  const intervalMs = config.ocpi.session_push_interval_s * 1000;
  const pushed = new Map<string, PushState>();
  const pending = new Set<number>();
  const pendingReservations = new Set<string>();
  const reader = createLocationReader(deps);
  const outcomes = createPushOutcomes(deps.store, 'sessions');
  let scheduled = false;
  let stopped = false;

  const lastRefreshMs = new Map<number, number>();
  const trailing = new Map<number, NodeJS.Timeout>();
  const offs = [
    events.on('reservationSessionChanged', (e) => scheduleReservation(e.sessionId)),
    events.on('transactionStarted', (e) => schedule(e.transactionRowId)),
    events.on('transactionEnded', (e) => {
      clearTimeout(trailing.get(e.transactionRowId));
      trailing.delete(e.transactionRowId);
      lastRefreshMs.delete(e.transactionRowId);
      schedule(e.transactionRowId);
    }),
    // Meter updates are many: a session is described again at most once per interval (describing reads all its
    // readings, so doing it per MeterValues would cost O(readings²) over a session); one trailing refresh catches up.
    events.on('transactionUpdated', (e) => {
      const id = e.transactionRowId;
      const dueInMs = (lastRefreshMs.get(id) ?? -Infinity) + intervalMs - clock.now().getTime();
      if (dueInMs <= 0) return schedule(id);
      if (trailing.has(id) || stopped) return;
      const timer = setTimeout(() => {
        trailing.delete(id);
        schedule(id);
      }, dueInMs);
      timer.unref();
      trailing.set(id, timer);
    }),
  ];

  function schedule(txRowId: number): void {
    pending.add(txRowId);
    wake();
  }

  function scheduleReservation(sessionId: string): void {
    pendingReservations.add(sessionId);
    wake();
  }

  const reschedule = (facts: SessionFacts) => (facts.transaction ? schedule(facts.transaction.id) : scheduleReservation(facts.sessionId));

  function wake(): void {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const ids = [...pending];
      pending.clear();
      for (const id of ids) void refresh(id).catch((err) => log.error({ transaction: id, err: (err as Error).message }, 'session refresh failed'));
      const reserved = [...pendingReservations];
      pendingReservations.clear();
      for (const id of reserved) void refreshReservation(id).catch((err) => log.error({ session: id, err: (err as Error).message }, 'session refresh failed'));
    });
  }

  /** A reservation's session: its own facts until a transaction uses it, the transaction's after. */
  async function refreshReservation(sessionId: string): Promise<void> {
    await domain.durable();
    const rs = sessions.getReservationSession(sessionId);
    if (!rs) return;
    if (rs.transactionRowId !== null) return refresh(rs.transactionRowId);
    const facts = describeReservation(domain, rs, cpo, clock.now().getTime());
    const json = session221(facts, cpo);
    domain.transaction(() => sessions.upsertSession({ id: facts.sessionId, transactionRowId: null, platformId: facts.platformId, status: facts.status, json: JSON.stringify(json), lastUpdatedMs: facts.lastUpdatedMs }));
    await inOrder(facts.sessionId, () => push(facts, json));
  }

  /** Pushes of one session id, one after another in the order they were described. */
  const chains = new Map<string, Promise<void>>();
  function inOrder(sessionId: string, job: () => Promise<void>): Promise<void> {
    const next = (chains.get(sessionId) ?? Promise.resolve()).then(job, job);
    chains.set(sessionId, next);
    void next.finally(() => {
      if (chains.get(sessionId) === next) chains.delete(sessionId);
    }).catch(() => undefined);
    return next;
  }

  /**
   * One refresh per session at a time: a push still in flight when the next change comes (a PATCH, then the final
   * PUT) could otherwise arrive after it and leave the eMSP with an older state, or PUT the same start twice.
   * A change during a refresh runs one more refresh after it.
   */
  const inFlight = new Map<number, Promise<void>>();
  const again = new Set<number>();
  function refresh(txRowId: number): Promise<void> {
    const running = inFlight.get(txRowId);
    if (running) {
      again.add(txRowId);
      return running;
    }
    const run = (async () => {
      try {
        do {
          again.delete(txRowId);
          await refreshOnce(txRowId);
        } while (again.has(txRowId) && !stopped);
      } finally {
        inFlight.delete(txRowId);
      }
    })();
    inFlight.set(txRowId, run);
    return run;
  }

  async function refreshOnce(txRowId: number): Promise<void> {
    await domain.durable(); // describe only committed state
    const tx = domain.getTransaction(txRowId);
    if (!tx || tx.startedAtMs === null && tx.orphan) return;
    if (tx.status !== 'ended') lastRefreshMs.set(txRowId, clock.now().getTime());
    const facts = describeSession(domain, tx, cpo, clock.now().getTime(), sessions.reservationSessionOfTransaction(tx.id));
    const json = session221(facts, cpo);
    domain.transaction(() => sessions.upsertSession({ id: facts.sessionId, transactionRowId: tx.id, platformId: facts.platformId, status: facts.status, json: JSON.stringify(json), lastUpdatedMs: facts.lastUpdatedMs }));
    await inOrder(facts.sessionId, () => push(facts, json));
  }

  async function push(facts: SessionFacts, json: Record<string, any>): Promise<void> {
    if (facts.platformId === null || stopped) return;
    const platform = deps.store.getPlatform(facts.platformId);
    const base = receiverUrlOf(platform, 'sessions');
    const token = platform && deps.store.outboundToken(platform.id);
    if (!platform || !base || !token) return;
    const v211 = platform.version === '2.1.1';
    const now = clock.now().getTime();
    const state = pushed.get(facts.sessionId);
    const final = facts.status === 'COMPLETED' || facts.status === 'INVALID';
    if (state && !final && state.status === facts.status && now - state.sentAtMs < intervalMs) {
      // The interval batches meter updates; what it holds back goes out when it ends.
      if (!state.held && !stopped) {
        state.held = setTimeout(() => {
          state.held = undefined;
          reschedule(facts);
        }, state.sentAtMs + intervalMs - now);
        state.held.unref();
      }
      return;
    }
    if (state && now < state.retryAtMs) return;
    const periods = (json.charging_periods as unknown[] | undefined) ?? [];
    // Only closed periods go in a PATCH: the receiver appends them, and the open one is still growing.
    const usePatch = state !== undefined && state.failures === 0 && !final && state.status !== 'RESERVATION';
    const url = `${base}/${cpo.countryCode}/${cpo.partyId}/${encodeURIComponent(facts.sessionId)}`;
    const closed = Math.max(state?.periods ?? 0, periods.length - 1);
    // 2.2.1: a PATCH can only append periods, so the open one must not reach the eMSP before it is closed, not even
    // in a PUT (the PATCH closing it would then add it a second time); the final PUT carries them all.
    const wire = v211 ? session211(json, reader) : final ? json : { ...json, charging_periods: periods.slice(0, Math.max(0, periods.length - 1)) };
    const body = !usePatch ? wire
      : v211 ? { kwh: wire.kwh, status: wire.status, total_cost: wire.total_cost, charging_periods: wire.charging_periods, last_updated: wire.last_updated }
      : { kwh: json.kwh, status: json.status, total_cost: json.total_cost, charging_periods: periods.slice(state!.periods, closed), last_updated: json.last_updated };
    try {
      // 2.1.1 has no routing headers (reference §4).
      await callPeer(deps.fetch ?? fetch, { method: usePatch ? 'PATCH' : 'PUT', url, token, encoding: platform.tokenEncoding, body, timeoutMs: config.ocpi.request_timeout_s * 1000, headers: v211 ? {} : routing(platform) });
      clearTimeout(state?.held); // this push carried what the interval held back
      pushed.set(facts.sessionId, { sentAtMs: now, status: facts.status, periods: usePatch ? closed : periods.length - (final ? 0 : 1), failures: 0, retryAtMs: 0 });
      outcomes.ok(platform.id, now);
      deps.metrics.ocpiPushes.inc({ party: partyLabel(platform), module: 'sessions', outcome: 'ok' });
      deps.metrics.ocpiPushReachable.set({ party: partyLabel(platform) }, 1);
      if (final) pushed.delete(facts.sessionId);
    } catch (err) {
      const failures = (state?.failures ?? 0) + 1;
      const retryInMs = Math.min(60_000, 1000 * 2 ** Math.min(failures, 6));
      const next: PushState = { sentAtMs: state?.sentAtMs ?? 0, status: state?.status ?? '', periods: state?.periods ?? 0, failures, retryAtMs: now + retryInMs };
      next.timer = setTimeout(() => reschedule(facts), retryInMs);
      next.timer.unref();
      clearTimeout(state?.timer);
      clearTimeout(state?.held);
      pushed.set(facts.sessionId, next);
      outcomes.failed(platform.id, (err as Error).message, now);
      // Logs and metrics name the eMSP party (NL*EMS), as the Locations/Tariffs push and CDR delivery do.
      deps.metrics.ocpiPushes.inc({ party: partyLabel(platform), module: 'sessions', outcome: 'retry' });
      deps.metrics.ocpiPushReachable.set({ party: partyLabel(platform) }, 0);
      log.warn({ party: partyLabel(platform), session: facts.sessionId, err: (err as Error).message }, 'session push failed; will retry');
    }
  }

  function routing(platform: OcpiPlatformRecord): Record<string, string> {
    const to = platform.parties.find((p) => p.role === 'EMSP') ?? platform.parties[0];
    return to ? { 'OCPI-from-country-code': cpo.countryCode, 'OCPI-from-party-id': cpo.partyId, 'OCPI-to-country-code': to.countryCode, 'OCPI-to-party-id': to.partyId } : {};
  }

  return {
    refresh,
    stop() {
      stopped = true;
      offs.forEach((off) => off());
      for (const s of pushed.values()) {
        clearTimeout(s.timer);
        clearTimeout(s.held);
      }
      for (const t of trailing.values()) clearTimeout(t);
    },
  };
}
