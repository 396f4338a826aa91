import type { IdTokenRecord } from './records.js';
import type { SessionToken } from './session-facts.js';

/**
 * The Session's token: the stored OCPI token when the bridge knows it, else the uid under the CPO's own party
 * with `fallbackType` (what the charger said it was, or APP_USER for a reservation made by command).
 */
export function sessionTokenOf(token: IdTokenRecord | undefined, uid: string, fallbackType: SessionToken['type'], cpo: { countryCode: string; partyId: string }): SessionToken {
  return {
    countryCode: token?.countryCode ?? cpo.countryCode, partyId: token?.partyId ?? cpo.partyId, uid,
    type: (token?.type as SessionToken['type'] | undefined) ?? fallbackType, contractId: token?.contractId ?? uid,
  };
}
