/**
 * Pulling each eMSP's token list (OCPI mod_tokens §Sender GET, paginated; reference §1.5 client checklist):
 * the whole list after a platform registers (or re-registers) and after a bridge start, then every
 * `intervalMs` only what changed since the last pull began (date_from). Follows `Link` until it is absent;
 * a token is stored only when it is newer than the one kept (a push may have overtaken the pull). Invalid
 * tokens and tokens of parties that are not the eMSP's are skipped with a warning, never stored.
 */
import type { OcpiPlatformRecord } from '../../domain/ocpi-ports.js';
import type { EmspTokenStore } from '../../domain/token-ports.js';
import { firstIssue } from '../credentials/wire.js';
import type { OcpiDeps } from '../context.js';
import { callPlatform, ownsParty, partyOf, senderUrl } from './platform-call.js';
import { fromToken211, fromToken221, token211, token221 } from './wire.js';

export interface TokenPull {
  /** Pulls one platform now (tests; `full` ignores the last pull time). */
  pull(platformId: number, full?: boolean): Promise<{ stored: number; skipped: number; pages: number }>;
  stop(): void;
}

const PAGE_LIMIT = 1000;
const MAX_PAGES = 100_000;
/** date_from is moved back by this much: a token changed while the last pull ran is fetched again. */
const OVERLAP_MS = 60_000;
const RETRY_MS = 60_000;

export function startTokenPull(deps: OcpiDeps & { tokens: EmspTokenStore; tokensChanged(): void; intervalMs: number; checkMs?: number }): TokenPull {
  const { store, tokens, log, clock } = deps;
  const state = new Map<number, { registeredAtMs: number | null; lastStartMs: number }>();
  const running = new Set<number>();
  const retryAtMs = new Map<number, number>();
  let stopped = false;

  async function pull(platformId: number, full = false): Promise<{ stored: number; skipped: number; pages: number }> {
    const platform = store.getPlatform(platformId);
    const base = senderUrl(platform, 'tokens');
    if (!platform || !base) return { stored: 0, skipped: 0, pages: 0 };
    const previous = state.get(platformId);
    const startMs = clock.now().getTime();
    const fromMs = !full && previous && previous.registeredAtMs === platform.registeredAtMs ? previous.lastStartMs - OVERLAP_MS : undefined;
    const first = new URL(base);
    if (fromMs !== undefined) first.searchParams.set('date_from', `${new Date(fromMs).toISOString().slice(0, 19)}Z`);
    first.searchParams.set('limit', String(PAGE_LIMIT));
    let next: string | undefined = first.toString();
    let stored = 0;
    let skipped = 0;
    let pages = 0;
    const party = partyOf(platform);
    while (next && !stopped && pages < MAX_PAGES) {
      const res = await callPlatform(deps, platform, { method: 'GET', url: next, timeoutMs: deps.config.ocpi.request_timeout_s * 1000 });
      pages++;
      const items = Array.isArray(res.data) ? res.data : [];
      const outcome = store.transaction(() => storePage(platform, items));
      stored += outcome.stored;
      skipped += outcome.skipped;
      next = res.headers.get('Link')?.match(/<([^>]+)>\s*;\s*rel="?next"?/i)?.[1];
    }
    await store.durable();
    state.set(platformId, { registeredAtMs: platform.registeredAtMs, lastStartMs: startMs });
    log.info({ party, stored, skipped, pages, since: fromMs === undefined ? 'all' : new Date(fromMs).toISOString() }, 'eMSP tokens pulled');
    if (stored) deps.tokensChanged();
    return { stored, skipped, pages };
  }

  function storePage(platform: OcpiPlatformRecord, items: unknown[]): { stored: number; skipped: number } {
    let stored = 0;
    let skipped = 0;
    const own = platform.parties.find((p) => p.role === 'EMSP') ?? platform.parties[0];
    for (const item of items) {
      const parsed = platform.version === '2.1.1' ? token211.safeParse(item) : token221.safeParse(item);
      if (!parsed.success || (platform.version === '2.1.1' && !own)) {
        skipped++;
        log.warn({ party: partyOf(platform), uid: (item as { uid?: unknown })?.uid, issue: parsed.success ? 'no party' : firstIssue(parsed.error) }, 'pulled token skipped: invalid');
        continue;
      }
      const token = platform.version === '2.1.1' ? fromToken211(parsed.data as never, own!) : fromToken221(parsed.data as never);
      if (!ownsParty(platform, token.country_code, token.party_id)) {
        skipped++;
        log.warn({ party: partyOf(platform), tokenParty: `${token.country_code}*${token.party_id}` }, 'pulled token skipped: not a party of this eMSP');
        continue;
      }
      const kept = tokens.getToken(token.country_code, token.party_id, token.uid, token.type);
      if (kept && kept.source === 'emsp' && kept.platformId === platform.id && kept.lastUpdatedMs >= Date.parse(token.last_updated.endsWith('Z') ? token.last_updated : `${token.last_updated}Z`)) continue;
      tokens.putEmspToken(platform.id, token, clock.now().getTime());
      stored++;
    }
    return { stored, skipped };
  }

  function tick(): void {
    if (stopped) return;
    const nowMs = clock.now().getTime();
    for (const p of store.listPlatforms('registered')) {
      if (!senderUrl(p, 'tokens') || running.has(p.id) || (retryAtMs.get(p.id) ?? 0) > nowMs) continue;
      const s = state.get(p.id);
      const fresh = !s || s.registeredAtMs !== p.registeredAtMs;
      if (!fresh && nowMs - s.lastStartMs < deps.intervalMs) continue;
      running.add(p.id);
      pull(p.id)
        .then(() => retryAtMs.delete(p.id), (err) => {
          // Again after a minute, not at once (the eMSP may be down); what was pulled before stays.
          retryAtMs.set(p.id, clock.now().getTime() + RETRY_MS);
          log.warn({ party: partyOf(p), err: (err as Error).message }, 'eMSP tokens pull failed; retried later');
        })
        .finally(() => running.delete(p.id));
    }
  }

  const timer = setInterval(tick, deps.checkMs ?? 1000);
  timer.unref();
  setImmediate(tick);

  return {
    pull,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
