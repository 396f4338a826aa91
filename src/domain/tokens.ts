/**
 * The Authorizer with eMSP tokens (OCPI mod_tokens; reference/ocpi-2.2.1.md §3.5, §5.5): what OCPP Authorize,
 * 1.6 StartTransaction and 2.0.1 TransactionEvent ask. In order:
 *  1. a start the bridge asked for (START_SESSION, or the token of an active RESERVE_NOW): Accepted, COMMAND;
 *  2. an event of a transaction already running with this token: that transaction's own decision;
 *  3. a stored valid token with whitelist ALWAYS or ALLOWED: Accepted at once (WHITELIST);
 *  4. ALLOWED_OFFLINE, NEVER (and ALLOWED but invalid): real-time at the owning eMSP within the budget;
 *     no usable answer -> ALLOWED_OFFLINE falls back to the stored validity, NEVER refuses;
 *  5. a token nobody pushed: real-time at every eMSP with a tokens endpoint (AuthorizationInfo carries the
 *     whole token), else `accept_unknown_tokens`.
 * The eMSP's authorization_reference travels in the result into the transaction (then Session and CDR).
 * An Authorize and the StartTransaction right after it share one answer (a short cache), so the eMSP is asked
 * once per start and both carry the same authorization_reference.
 */
import type { Log } from '../log.js';
import type { AuthorizationContext, Authorizer } from './authorization.js';
import type { RemoteStartRegistry } from './commands.js';
import type { AuthorizationResult, IdTokenRef } from './model.js';
import type { Clock, Store } from './ports.js';
import { looksLikeAlias, normalizeUid, ocpiTokenType, STATUS_OF_ALLOWED, type OcpiTokenType } from './token-mapping.js';
import type { EmspTokenStore, LocationReference, RealtimeAnswer, RealtimeAuthorization, TokenRow } from './token-ports.js';

export interface EmspAuthorizerDeps {
  store: Store;
  tokens: EmspTokenStore;
  realtime: RealtimeAuthorization;
  remoteStarts: RemoteStartRegistry;
  clock: Clock;
  log: Log;
  /** Config `ocpi.authorize_budget_s` in ms: how long a driver may wait for the eMSP. */
  budgetMs: number;
  acceptUnknownTokens: boolean;
}

/** An eMSP's answer is reused by the StartTransaction that follows the Authorize; a fallback only briefly. */
const ANSWER_TTL_MS = 120_000;
const FALLBACK_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

type Decision = AuthorizationResult & { ttlMs?: number };

export function createEmspAuthorizer(deps: EmspAuthorizerDeps): Authorizer {
  const { store, tokens, realtime, remoteStarts, clock, log } = deps;
  const cache = new Map<string, { result: AuthorizationResult; untilMs: number }>();
  const inFlight = new Map<string, Promise<Decision>>();

  return {
    async authorize(identity, token, ctx = {}) {
      const command = fromCommand(identity, token, ctx);
      if (command) return command;
      if (ctx.purpose === 'event') {
        const running = fromRunningTransaction(identity, token);
        if (running) return running;
      }
      const key = `${identity}\u0000${token.idTag.toUpperCase()}`;
      const nowMs = clock.now().getTime();
      const cached = cache.get(key);
      // The start that follows an Authorize uses its answer up: the next Authorize asks again.
      if (ctx.purpose === 'start' || ctx.purpose === 'event') cache.delete(key);
      if (cached && cached.untilMs > nowMs) return cached.result;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = decide(identity, token, ctx).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const { ttlMs, ...result } = await pending;
      if (ttlMs && ctx.purpose !== 'start' && ctx.purpose !== 'event') {
        if (cache.size >= CACHE_MAX) cache.clear();
        cache.set(key, { result, untilMs: clock.now().getTime() + ttlMs });
      }
      return result;
    },
  };

  function fromCommand(identity: string, token: IdTokenRef, ctx: AuthorizationContext): AuthorizationResult | undefined {
    const match = { evseOcppId: ctx.evseOcppId, remoteStartId: ctx.remoteStartId };
    const starting = ctx.purpose === 'start' || ctx.remoteStartId !== undefined;
    const pending = starting ? remoteStarts.take(identity, token.idTag, match) : remoteStarts.peek(identity, token.idTag, match);
    if (pending) {
      log.info({ charger: identity, remoteStartId: pending.remoteStartId, platform: pending.platformId, purpose: ctx.purpose }, 'idTag of a remote start the bridge sent: accepted (COMMAND)');
      return { status: 'Accepted', method: 'COMMAND', authorizationReference: pending.authorizationReference, tokenRowId: pending.tokenRowId ?? undefined, platformId: pending.platformId };
    }
    // The driver of an active reservation (OCPI AuthMethod COMMAND covers ReserveNow).
    const tag = token.idTag.toUpperCase();
    const reservation = tokens.listReservations(['active']).find((r) => r.chargerIdentity === identity && r.idTag.toUpperCase() === tag
      && (ctx.reservationId === undefined || ctx.reservationId === r.id) && r.expiresAtMs > clock.now().getTime());
    if (reservation) {
      return { status: 'Accepted', method: 'COMMAND', authorizationReference: reservation.authorizationReference ?? undefined, tokenRowId: reservation.tokenRowId ?? undefined, platformId: reservation.platformId ?? undefined };
    }
    return undefined;
  }

  /** 2.0.1 sends the token again in later events (Updated, Ended): they get the transaction's own decision. */
  function fromRunningTransaction(identity: string, token: IdTokenRef): AuthorizationResult | undefined {
    const tag = token.idTag.toUpperCase();
    const tx = store.listActiveTransactions(identity).find((t) => t.idTag?.toUpperCase() === tag && t.authStatus !== null);
    if (!tx) return undefined;
    return {
      status: tx.authStatus as AuthorizationResult['status'], method: (tx.authMethod ?? 'WHITELIST') as AuthorizationResult['method'],
      authorizationReference: tx.authorizationReference ?? undefined, tokenRowId: tx.tokenRowId ?? undefined, platformId: tx.platformId ?? undefined,
    };
  }

  async function decide(identity: string, token: IdTokenRef, ctx: AuthorizationContext): Promise<Decision> {
    const wantedType = ocpiTokenType(token.type);
    const rows = tokens.findByIdTag(token.idTag).sort((a, b) => Number(b.type === wantedType) - Number(a.type === wantedType));
    const local = rows.find((r) => r.valid && (r.whitelist === 'ALWAYS' || r.whitelist === 'ALLOWED'));
    if (local) return { ...fromRow(local, 'Accepted'), method: 'WHITELIST' };

    const where = locationOf(identity, ctx.evseOcppId);
    const realtimeRows = rows.filter((r) => r.platformId !== null && (r.whitelist === 'ALLOWED_OFFLINE' || r.whitelist === 'NEVER' || r.whitelist === 'ALLOWED'));
    if (realtimeRows.length) {
      const answers = await ask(realtimeRows.map((r) => ({ platformId: r.platformId!, uid: r.uid, type: r.type as OcpiTokenType })), where);
      const decided = fromAnswers(identity, answers, where);
      if (decided) return decided;
      // OCPI WhitelistType: ALLOWED_OFFLINE may be decided locally when the eMSP cannot be reached; NEVER may not.
      const row = realtimeRows[0]!;
      const reasons = answers.map((a) => (a.kind === 'no-answer' ? `${a.party}: ${a.reason}` : `${a.party}: ${a.kind}`)).join('; ');
      if (row.whitelist === 'NEVER') {
        log.warn({ charger: identity, idTag: masked(token.idTag), whitelist: row.whitelist, reasons }, 'real-time authorization failed and the token may not be authorized locally: refused');
        return { status: 'Invalid', method: 'AUTH_REQUEST', tokenRowId: row.id, platformId: row.platformId ?? undefined, ttlMs: FALLBACK_TTL_MS };
      }
      const fallback = row.valid && row.whitelist === 'ALLOWED_OFFLINE' ? 'Accepted' : 'Blocked';
      log.warn({ charger: identity, idTag: masked(token.idTag), whitelist: row.whitelist, valid: row.valid, status: fallback, reasons }, 'eMSP did not answer the real-time authorization: decided from the stored token');
      return { ...fromRow(row, fallback), method: 'WHITELIST', ttlMs: FALLBACK_TTL_MS };
    }
    if (rows.length) return { ...fromRow(rows[0]!, 'Blocked'), method: 'WHITELIST' };

    // A token nobody pushed: the eMSPs may still know it (AuthorizationInfo carries the whole token).
    const platforms = looksLikeAlias(token.idTag) ? [] : realtime.platformsWithTokens();
    if (platforms.length) {
      const uid = normalizeUid(token.idTag, wantedType);
      const answers = await ask(platforms.map((platformId) => ({ platformId, uid, type: wantedType })), where);
      const decided = fromAnswers(identity, answers, where);
      if (decided) return decided;
    }
    return deps.acceptUnknownTokens ? { status: 'Accepted', method: 'WHITELIST' } : { status: 'Invalid', method: 'WHITELIST' };
  }

  /** Every asked eMSP in parallel, all within one budget (each call has its own timeout of the same length). */
  function ask(targets: Array<{ platformId: number; uid: string; type: OcpiTokenType }>, where: LocationReference | undefined): Promise<RealtimeAnswer[]> {
    const seen = new Set<number>();
    const unique = targets.filter((t) => !seen.has(t.platformId) && seen.add(t.platformId));
    return Promise.all(unique.map((t) => realtime.authorize(t.platformId, t.uid, t.type, where, deps.budgetMs)));
  }

  /** An ALLOWED answer wins; otherwise the first refusal; unknown-token and no-answer decide nothing. */
  function fromAnswers(identity: string, answers: RealtimeAnswer[], where: LocationReference | undefined): Decision | undefined {
    const usable = answers.filter((a): a is Extract<RealtimeAnswer, { kind: 'answer' }> => a.kind === 'answer');
    const chosen = usable.find((a) => a.allowed === 'ALLOWED') ?? usable[0];
    if (!chosen) {
      if (answers.length && answers.every((a) => a.kind === 'unknown-token')) {
        log.info({ charger: identity, parties: answers.map((a) => a.party) }, 'real-time authorization: token unknown to the eMSPs');
        return { status: 'Invalid', method: 'AUTH_REQUEST', ttlMs: FALLBACK_TTL_MS };
      }
      return undefined;
    }
    let status = STATUS_OF_ALLOWED[chosen.allowed];
    // AuthorizationInfo.location: only the EVSEs listed are allowed.
    if (status === 'Accepted' && chosen.location && where && (chosen.location.locationId !== where.locationId
      || (chosen.location.evseUids.length > 0 && where.evseUids.length > 0 && !where.evseUids.some((u) => chosen.location!.evseUids.includes(u))))) {
      status = 'NotAtThisLocation';
    }
    let row: TokenRow | undefined;
    if (chosen.token) {
      const t = chosen.token;
      row = store.transaction(() => tokens.rememberToken(chosen.platformId, t, clock.now().getTime()));
    }
    log.info({ charger: identity, party: chosen.party, allowed: chosen.allowed, status, authorizationReference: chosen.authorizationReference }, 'real-time authorization answered');
    return {
      status, method: 'AUTH_REQUEST', authorizationReference: chosen.authorizationReference, tokenRowId: row?.id, platformId: chosen.platformId,
      groupIdTag: row?.groupId ?? undefined, ttlMs: ANSWER_TTL_MS,
    };
  }

  function locationOf(identity: string, evseOcppId: number | undefined): LocationReference | undefined {
    const evse = evseOcppId !== undefined && evseOcppId > 0 ? store.getEvse(identity, evseOcppId) : undefined;
    const locationId = evse?.locationId ?? store.getCharger(identity)?.locationId;
    return locationId ? { locationId, evseUids: evse ? [evse.uid] : [] } : undefined;
  }
}

function fromRow(row: TokenRow, status: AuthorizationResult['status']): AuthorizationResult {
  return { status, method: 'WHITELIST', tokenRowId: row.id, platformId: row.platformId ?? undefined, groupIdTag: row.groupId ?? undefined };
}

/** Logs name a token by its last characters only. */
export function masked(idTag: string): string {
  return idTag.length <= 4 ? '****' : `…${idTag.slice(-4)}`;
}
