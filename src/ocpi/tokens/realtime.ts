/**
 * Real-time authorization at an eMSP (OCPI 2.2.1 mod_tokens §Sender POST `{tokens}/{uid}/authorize?type=`
 * with LocationReferences; 2.1.1 tokens.md the same without a token in the answer). Implements the domain's
 * RealtimeAuthorization port and never throws: an eMSP that is down, slow beyond the budget, or answers
 * something that is not an AuthorizationInfo gives `no-answer` (the domain then applies the whitelist rule's
 * fallback); HTTP 404 or OCPI 2004 is `unknown-token` (ocpi/ocpi#528); a known token, even BLOCKED, is an answer.
 */
import type { z } from 'zod';
import type { OcpiTokenType } from '../../domain/token-mapping.js';
import type { RealtimeAnswer, RealtimeAuthorization } from '../../domain/token-ports.js';
import { firstIssue } from '../credentials/wire.js';
import type { OcpiDeps } from '../context.js';
import { PeerError } from '../peer.js';
import { callPlatform, partyOf, senderUrl } from './platform-call.js';
import { authorizationInfo211, authorizationInfo221, fromToken221 } from './wire.js';

export function createRealtimeAuthorization(deps: Pick<OcpiDeps, 'store' | 'config' | 'log' | 'fetch'>): RealtimeAuthorization {
  return {
    platformsWithTokens: () => deps.store.listPlatforms('registered').filter((p) => senderUrl(p, 'tokens')).map((p) => p.id),

    async authorize(platformId, uid, type, location, timeoutMs): Promise<RealtimeAnswer> {
      const platform = deps.store.getPlatform(platformId);
      const party = platform ? partyOf(platform) : `platform-${platformId}`;
      const base = senderUrl(platform, 'tokens');
      if (!platform || !base) return { kind: 'no-answer', platformId, party, reason: 'no tokens endpoint at this eMSP' };
      const v221 = platform.version === '2.2.1';
      const wireType: OcpiTokenType | 'OTHER' = v221 || type === 'RFID' ? type : 'OTHER';
      const url = `${base}/${encodeURIComponent(uid)}/authorize?type=${wireType}`;
      const body = location && { location_id: location.locationId, ...(location.evseUids.length ? { evse_uids: location.evseUids } : {}) };
      const started = Date.now();
      try {
        const res = await callPlatform(deps, platform, { method: 'POST', url, body, timeoutMs });
        const parsed = (v221 ? authorizationInfo221 : authorizationInfo211).safeParse(res.data);
        if (!parsed.success) return noAnswer(`the answer is not an AuthorizationInfo (${firstIssue(parsed.error)})`);
        const info: z.infer<typeof authorizationInfo221> = parsed.data;
        const token = info.token ? fromToken221(info.token) : undefined;
        return {
          kind: 'answer', platformId, party, allowed: info.allowed, ...(token ? { token } : {}),
          ...(info.authorization_reference ? { authorizationReference: info.authorization_reference } : {}),
          ...(info.location ? { location: { locationId: info.location.location_id, evseUids: info.location.evse_uids ?? [] } } : {}),
        };
      } catch (err) {
        const e = err as PeerError;
        if (e instanceof PeerError && (e.httpStatus === 404 || e.ocpiStatus === 2004)) return { kind: 'unknown-token', platformId, party };
        return noAnswer(e.message);
      }

      function noAnswer(reason: string): RealtimeAnswer {
        deps.log.warn({ party, ms: Date.now() - started, reason }, 'real-time authorization: no usable answer from the eMSP');
        return { kind: 'no-answer', platformId, party, reason };
      }
    },
  };
}
