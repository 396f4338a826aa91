/**
 * The token a START_SESSION or RESERVE_NOW carries, in the stored shape, if the calling eMSP may use it:
 * OCPI mod_commands "an eMSP may only use its own tokens" (2.2.1: the token's party must be one of the
 * caller's roles; 2.1.1 tokens have no party and are taken as the caller's).
 */
import type { OcpiTokenData } from '../../domain/token-ports.js';
import { ownsParty } from '../tokens/platform-call.js';
import { fromToken211, fromToken221 } from '../tokens/wire.js';
import type { CommandCall } from './handler.js';

export function tokenOfCommand(call: CommandCall, token: any): OcpiTokenData | undefined {
  if (call.version === '2.1.1') {
    const own = call.platform.parties.find((p) => p.role === 'EMSP') ?? call.platform.parties[0];
    return own ? fromToken211(token, own) : undefined;
  }
  const t = fromToken221(token);
  return ownsParty(call.platform, t.country_code, t.party_id) ? t : undefined;
}
