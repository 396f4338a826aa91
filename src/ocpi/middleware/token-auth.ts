/**
 * Token authentication (OCPI 2.2.1 transport_and_format §Authorization header; reference §1.2, §1.3):
 * a missing header or an unknown token is HTTP 401; a registration token A opens only `versions` and
 * `credentials`, so token A on a functional module is 401 too. A pending platform (bridge-initiated
 * registration in progress) may read versions and credentials. The store keeps platform records only until the
 * database changes, including a commit of another process (the `npm run ocpi -- register` CLI may just have
 * created the token), so a new or revoked token counts from the next request.
 */
import { createMiddleware } from 'hono/factory';
import type { OcpiStore } from '../../domain/ocpi-ports.js';
import type { Clock } from '../../domain/ports.js';
import type { OcpiCaller, OcpiEnv } from '../context.js';
import { OcpiError, OcpiStatus } from '../envelope.js';
import { hashToken, tokenCandidates } from '../tokens.js';

/** 'setup': versions and credentials (token A, pending and registered platforms); 'registered': functional modules. */
export type AuthPolicy = 'setup' | 'registered';

const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

export function tokenAuth(deps: { store: OcpiStore; clock: Clock }, policy: AuthPolicy) {
  const lastSeenWritten = new Map<number, number>();
  return createMiddleware<OcpiEnv>(async (c, next) => {
    const candidates = tokenCandidates(c.req.header('Authorization'));
    if (!candidates) throw new OcpiError(OcpiStatus.CLIENT_ERROR, 401, 'Authorization header missing or not of the form "Token <token>"');
    const caller = identify(deps.store, candidates);
    if (!caller) throw new OcpiError(OcpiStatus.CLIENT_ERROR, 401, 'Unknown token');
    if (policy === 'registered' && (caller.kind !== 'platform' || caller.platform.status !== 'registered')) {
      throw new OcpiError(OcpiStatus.CLIENT_ERROR, 401, 'This token is not valid for this module; complete the credentials registration first');
    }
    if (caller.kind === 'platform') {
      const now = deps.clock.now().getTime();
      if (now - (lastSeenWritten.get(caller.platform.id) ?? 0) >= LAST_SEEN_WRITE_INTERVAL_MS) {
        lastSeenWritten.set(caller.platform.id, now);
        deps.store.touchPlatform(caller.platform.id, now);
      }
    }
    c.set('caller', caller);
    await next();
  });
}

function identify(store: OcpiStore, candidates: string[]): OcpiCaller | undefined {
  for (const token of candidates) {
    const platform = store.findPlatformByTokenHash(hashToken(token));
    if (platform) return { kind: 'platform', platform, token };
  }
  for (const token of candidates) {
    const tokenHash = hashToken(token);
    if (store.registrationTokenUsable(tokenHash)) return { kind: 'registration', tokenHash, token };
  }
  return undefined;
}
