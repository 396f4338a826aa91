/**
 * OCPP local authorization lists kept in sync with the tokens eMSPs publish (OCPP 1.6 §3.5 / SendLocalList,
 * 2.0.1 D01-D03; reference/ocpi-2.2.1.md §5.5), so chargers authorize offline: eMSP tokens with whitelist
 * ALWAYS or ALLOWED are in the list (valid: Accepted, invalid: Blocked); ALLOWED_OFFLINE and NEVER tokens are
 * not, because a charger would start them from its list without asking (LocalPreAuthorize).
 * Per charger the bridge keeps the list version it sent and the token change number it covered: on connect
 * or boot it compares the charger's version (GetLocalListVersion) and sends a Differential of what changed, or
 * a Full list when the versions disagree; when tokens change it sends Differentials (debounced), falling back
 * to Full on VersionMismatch/Failed. A charger that does not support local lists is left alone until it reboots.
 * Nothing is sent while no eMSP token was ever eligible (a charger never gets an empty list for nothing).
 */
import type { Log } from '../log.js';
import type { DomainEvents } from './events.js';
import type { ChargerCommands, Clock } from './ports.js';
import { ocppIdTokenType } from './token-mapping.js';
import type { EmspTokenStore, LocalListEntry } from './token-ports.js';

export interface LocalListSyncDeps {
  tokens: EmspTokenStore;
  chargers: ChargerCommands;
  /** Charger identities to consider when tokens change (those connected are sent to). */
  identities: () => string[];
  events: DomainEvents;
  clock: Clock;
  log: Log;
  debounceMs?: number;
  /** Delay after a connect/boot, so the charger's own start-up exchange goes first. */
  afterBootMs?: number;
}

export type LocalListSync = ReturnType<typeof createLocalListSync>;

export function createLocalListSync(deps: LocalListSyncDeps) {
  const { tokens, chargers, events, clock, log } = deps;
  const debounceMs = deps.debounceMs ?? 2000;
  const unsupported = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const again = new Map<string, boolean>();
  const timers = new Set<NodeJS.Timeout>();
  let changeTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  function later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    t.unref();
    timers.add(t);
  }

  const offs = [
    events.on('chargerBooted', (e) => {
      unsupported.delete(e.identity);
      if (e.status === 'Accepted') later(deps.afterBootMs ?? 500, () => void sync(e.identity, true));
    }),
    // 2.0.1 stations may reconnect without a boot; 1.6 ones boot right after connecting (dedup: one run at a time).
    events.on('chargerConnected', (e) => later((deps.afterBootMs ?? 500) * 2, () => void sync(e.identity, true))),
  ];

  /** One run at a time per charger; a request while one runs makes it run once more afterwards. */
  function sync(identity: string, checkVersion: boolean): Promise<void> {
    if (running.has(identity)) {
      again.set(identity, (again.get(identity) ?? false) || checkVersion);
      return running.get(identity)!;
    }
    const run = syncOnce(identity, checkVersion)
      .catch((err) => log.error({ charger: identity, err: (err as Error).message }, 'local list sync failed'))
      .finally(() => {
        running.delete(identity);
        if (again.has(identity)) {
          const check = again.get(identity)!;
          again.delete(identity);
          void sync(identity, check);
        }
      });
    running.set(identity, run);
    return run;
  }

  async function syncOnce(identity: string, checkVersion: boolean): Promise<void> {
    if (stopped || unsupported.has(identity) || !chargers.isConnected(identity)) return;
    const state = tokens.localListState(identity);
    const seq = tokens.maxChangeSeq();
    if (!state && seq === 0) return; // no eMSP token ever: nothing to keep in sync
    if (state && state.seq >= seq && !checkVersion) return;
    let chargerVersion: number | undefined;
    if (checkVersion) {
      const v = await chargers.send(identity, 'getLocalListVersion', {});
      if (!v.ok) {
        if (v.reason === 'not-supported') return markUnsupported(identity, v.message);
        log.info({ charger: identity, reason: v.reason }, 'local list version unknown; sending the full list');
      } else if (v.value.version < 0) {
        return markUnsupported(identity, 'GetLocalListVersion answered -1');
      } else chargerVersion = v.value.version;
    }
    if (state && (!checkVersion || chargerVersion === state.version)) {
      if (state.seq >= seq) return;
      const outcome = await send(identity, state.version + 1, false, tokens.localListEntries(state.seq), seq);
      if (outcome !== 'retry-full') return;
    }
    const base = Math.max(state?.version ?? 0, chargerVersion ?? 0);
    await send(identity, base + 1, true, tokens.localListEntries(), seq);
  }

  async function send(identity: string, version: number, full: boolean, entries: LocalListEntry[], seq: number): Promise<'done' | 'retry-full'> {
    const v16 = chargers.protocolOf(identity) === 'ocpp1.6';
    const wire = dedupe(entries).map((e) => ({ idTag: v16 ? e.idTag : e.uid, idTokenType: ocppIdTokenType(e.type, e.uid), ...(e.status ? { status: e.status } : {}) }));
    const outcome = await chargers.send(identity, 'sendLocalList', { version, full, entries: wire });
    if (!outcome.ok) {
      if (outcome.reason === 'not-supported') markUnsupported(identity, outcome.message);
      else log.warn({ charger: identity, version, full, reason: outcome.reason }, 'SendLocalList not delivered; retried on the next change or boot');
      return 'done';
    }
    const status = outcome.value.status;
    if (status === 'Accepted') {
      tokens.setLocalListState(identity, { version, seq }, clock.now().getTime());
      log.info({ charger: identity, version, full, entries: wire.length }, 'local list sent');
      return 'done';
    }
    if (status === 'NotSupported') {
      markUnsupported(identity, 'SendLocalList NotSupported');
      return 'done';
    }
    log.warn({ charger: identity, version, full, status }, 'charger refused the local list');
    return full ? 'done' : 'retry-full';
  }

  function markUnsupported(identity: string, why: string): void {
    unsupported.add(identity);
    log.info({ charger: identity, why }, 'charger does not support local lists: not synced until it reboots');
  }

  return {
    /** eMSP tokens changed: every connected charger gets the change, debounced. */
    tokensChanged(): void {
      if (stopped) return;
      clearTimeout(changeTimer);
      changeTimer = setTimeout(() => {
        changeTimer = undefined;
        for (const identity of deps.identities()) if (chargers.isConnected(identity)) void sync(identity, false);
      }, debounceMs);
      changeTimer.unref();
    },
    /** Syncs one charger now and waits (tests). */
    sync: (identity: string, checkVersion = false) => sync(identity, checkVersion),
    stop(): void {
      stopped = true;
      clearTimeout(changeTimer);
      for (const t of timers) clearTimeout(t);
      offs.forEach((off) => off());
    },
  };
}

/** One entry per idTag (several eMSPs may publish the same uid): Accepted wins over Blocked over removal. */
function dedupe(entries: LocalListEntry[]): LocalListEntry[] {
  const rank = (e: LocalListEntry) => (e.status === 'Accepted' ? 2 : e.status === 'Blocked' ? 1 : 0);
  const byTag = new Map<string, LocalListEntry>();
  for (const e of entries) {
    const key = e.uid.toUpperCase();
    const prev = byTag.get(key);
    if (!prev || rank(e) > rank(prev)) byTag.set(key, e);
  }
  return [...byTag.values()];
}
