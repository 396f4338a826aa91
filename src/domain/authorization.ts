/**
 * Deciding whether an id token may charge: the port the transaction services ask. The implementation is the
 * eMSP authorizer (domain/tokens.ts): command starts, stored tokens (the site config's and those eMSPs push),
 * real-time authorization at the owning eMSP, and the `accept_unknown_tokens` rule for open sites.
 */
import type { AuthorizationResult, IdTokenRef } from './model.js';

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
