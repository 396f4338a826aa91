/**
 * Delivers CDRs to their eMSP (mod_cdrs §Receiver: POST, the answer's `Location` header stored) until the
 * eMSP acknowledges each one, with exponential backoff and across restarts (the state is in ocpi_cdrs), never
 * dropping one. One CDR id is POSTed until acknowledged, so an eMSP that was down receives each CDR once; a few
 * POSTs per eMSP are in flight at once, but never two CDRs of the same transaction.
 */
import type { Store } from '../../domain/ports.js';
import type { SessionCdrStore, StoredCdr } from '../../domain/session-cdr-ports.js';
import type { OcpiDeps } from '../context.js';
import { createLocationReader } from '../locations/read.js';
import { callPeer } from '../peer.js';
import { createPushOutcomes } from '../push/outcomes.js';
import { partyLabel } from '../push/targets.js';
import { receiverUrlOf } from '../sessions/materialize.js';
import { cdr211 } from '../sessions/map211.js';

export interface CdrDelivery {
  kick(): void;
  /** Delivers what is due now and waits for it (tests, shutdown). */
  drain(): Promise<void>;
  stop(): void;
}

const POLL_MS = 1000;
const BATCH = 200;
const PER_PLATFORM = 8;
const MAX_BACKOFF_MS = 3_600_000;

export function startCdrDelivery(deps: OcpiDeps & { domain: Store; sessions: SessionCdrStore }): CdrDelivery {
  const { domain, sessions, store, clock, log, config, metrics } = deps;
  const reader = createLocationReader(deps);
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const timer = setInterval(() => kick(), POLL_MS);
  timer.unref();
  const outcomes = createPushOutcomes(store, 'cdrs');
  // Outcomes join the Store's group commit (store/group-commit.ts): one commit, one fsync with synchronous=FULL, for
  // all the POSTs answered in a turn instead of one per CDR. Written at once on this connection, a delivered CDR is
  // never picked again by the next look for due CDRs. A crash before the commit re-sends those CDRs (at-least-once).
  const record = (write: () => void) => {
    try {
      domain.transaction(write);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'CDR delivery outcome not stored; that CDR will be sent again');
    }
  };

  async function deliver(cdr: StoredCdr): Promise<void> {
    const platform = cdr.platformId !== null ? store.getPlatform(cdr.platformId) : undefined;
    const url = receiverUrlOf(platform, 'cdrs');
    const token = platform && store.outboundToken(platform.id);
    const now = clock.now().getTime();
    if (!platform || !url || !token) {
      record(() => sessions.cdrRetry(cdr.id, cdr.attempts + 1, now + MAX_BACKOFF_MS, 'the eMSP has no CDR Receiver endpoint (or is not registered)'));
      return;
    }
    // Logs and metrics name the eMSP party (NL*EMS), as the Locations/Tariffs push does.
    const party = partyLabel(platform);
    const stored = JSON.parse(cdr.json);
    const body = platform.version === '2.1.1' ? cdr211(stored, reader) : stored;
    try {
      const res = await callPeer(deps.fetch ?? fetch, { method: 'POST', url, token, encoding: platform.tokenEncoding, body, timeoutMs: config.ocpi.request_timeout_s * 1000 });
      const location = res.headers.get('location');
      const deliveredAt = clock.now().getTime();
      record(() => {
        sessions.cdrDelivered(cdr.id, location, deliveredAt);
        outcomes.ok(platform.id, now);
      });
      metrics.ocpiPushes.inc({ party, module: 'cdrs', outcome: 'ok' });
      metrics.ocpiPushReachable.set({ party }, 1);
      log.info({ party, cdr: cdr.id, location: res.headers.get('location') }, 'CDR delivered');
    } catch (err) {
      const attempts = cdr.attempts + 1;
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 22));
      record(() => {
        sessions.cdrRetry(cdr.id, attempts, now + backoff, (err as Error).message);
        outcomes.failed(platform.id, (err as Error).message, now);
      });
      metrics.ocpiPushes.inc({ party, module: 'cdrs', outcome: 'retry' });
      metrics.ocpiPushReachable.set({ party }, 0);
      log.warn({ party, cdr: cdr.id, attempts, retryInS: backoff / 1000, err: (err as Error).message }, 'CDR delivery failed; will retry');
    }
  }

  /** One platform's due CDRs, PER_PLATFORM at a time, never two of the same transaction at once. */
  async function deliverAll(list: StoredCdr[]): Promise<void> {
    const queues = new Map<number | string, StoredCdr[]>();
    for (const c of list) {
      const key = c.transactionRowId ?? c.id;
      queues.set(key, [...(queues.get(key) ?? []), c]);
    }
    const lanes = [...queues.values()];
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(PER_PLATFORM, lanes.length) }, async () => {
      while (next < lanes.length && !stopped) {
        for (const c of lanes[next++]!) await deliver(c);
      }
    }));
  }

  async function round(): Promise<void> {
    do {
      again = false;
      const due = sessions.dueCdrs(clock.now().getTime(), BATCH);
      // Up to PER_PLATFORM POSTs in flight per eMSP (OCPI orders no CDRs, and one at a time made a burst of
      // ended sessions wait a round trip per CDR); the CDRs of one transaction (original, credit, reissue) go one
      // after the other, oldest first. Platforms do not wait for each other.
      const byPlatform = new Map<number | null, StoredCdr[]>();
      for (const c of due) byPlatform.set(c.platformId, [...(byPlatform.get(c.platformId) ?? []), c]);
      await Promise.all([...byPlatform.values()].map((list) => deliverAll(list)));
      if (due.length === BATCH) again = true;
    } while (again && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = round().catch((err) => log.error({ err: (err as Error).message }, 'CDR delivery round failed')).finally(() => (running = undefined));
  }

  return {
    kick,
    async drain() {
      kick();
      while (running) await running;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
