/**
 * Authorize (OCPP 2.0.1 C01): the domain decides per IdTokenType (idTokens are case-insensitive); a
 * refusal is an answer, not an error. No certificate status: the bridge does no ISO 15118 contract checks.
 */
import type { ActionHandler } from '../adapter.js';
import { isNoAuthorization, NO_AUTHORIZATION_INFO, toIdTokenInfo, toIdTokenRef } from './map.js';

export const authorize: ActionHandler = async (identity, p, ctx) => {
  if (isNoAuthorization(p.idToken)) return { idTokenInfo: NO_AUTHORIZATION_INFO };
  const auth = await ctx.transactions.authorize(identity, toIdTokenRef(p.idToken));
  return { idTokenInfo: toIdTokenInfo(auth) };
};
