/**
 * Deciding whether an id token may charge. The domain asks an `Authorizer`; this file holds the local one:
 * tokens in the database (the site config's and, later, those eMSPs push) and the `accept_unknown_tokens`
 * rule for open sites. OCPP idTokens are case-insensitive (2.0.1 IdTokenType), so is the lookup.
 */
import type { AuthorizationResult, IdTokenRef } from './model.js';
import type { TokenStore } from './ports.js';

/** What the charger's message says besides the token (each field only when that message carries it). */
export interface AuthorizationContext {
  /** 'authorize': an Authorize; 'start': a 1.6 StartTransaction; 'event': a 2.0.1 TransactionEvent. */
  purpose?: 'authorize' | 'start' | 'event';
  evseOcppId?: number;
  /** 2.0.1 transactionInfo.remoteStartId: the correlation of a RequestStartTransaction. */
  remoteStartId?: number;
  reservationId?: number;
}

export interface Authorizer {
  authorize(identity: string, token: IdTokenRef, context?: AuthorizationContext): Promise<AuthorizationResult>;
}

export function createLocalAuthorizer(deps: { store: TokenStore; acceptUnknownTokens: boolean }): Authorizer {
  return {
    async authorize(_identity, token) {
      return decideLocally(deps.store, token, deps.acceptUnknownTokens);
    },
  };
}

export function decideLocally(store: TokenStore, token: IdTokenRef, acceptUnknownTokens: boolean): AuthorizationResult {
  const candidates = store.findTokensByUid(token.idTag);
  const valid = candidates.find((t) => t.valid);
  if (valid) return { status: 'Accepted', method: 'WHITELIST', tokenRowId: valid.id, platformId: valid.platformId ?? undefined };
  if (candidates.length > 0) return { status: 'Blocked', method: 'WHITELIST', tokenRowId: candidates[0]!.id };
  return acceptUnknownTokens ? { status: 'Accepted', method: 'WHITELIST' } : { status: 'Invalid', method: 'WHITELIST' };
}
