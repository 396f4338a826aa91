/**
 * Tokens module: OCPI 2.2.1 mod_tokens.asciidoc §Object description (Token, AuthorizationInfo) and §Data types
 * (EnergyContract, LocationReferences, AllowedType, TokenType, WhitelistType); 2.1.1 mod_tokens.md (suffix 211):
 * auth_id instead of contract_id, no country_code / party_id / group_id, TokenType RFID | OTHER,
 * LocationReferences with connector_ids, AuthorizationInfo without token. Reference: shared/reference/ocpi-2.2.1.md §3.5, §4.
 */
import { z } from 'zod';
import { ciString, countryCode, dateTime, displayText, displayText211, partyId, string, string211 } from './common.js';
import { tokenType } from './locations.js';
import { profileType } from './sessions.js';

export { tokenType };
export const whitelistType = z.enum(['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER']);
export const allowedType = z.enum(['ALLOWED', 'BLOCKED', 'EXPIRED', 'NO_CREDIT', 'NOT_ALLOWED']);

export const energyContract = z.looseObject({ supplier_name: string(64), contract_id: string(64).optional() });

const tokenFields = {
  country_code: countryCode,
  party_id: partyId,
  uid: ciString(36).min(1),
  type: tokenType,
  contract_id: ciString(36).min(1),
  visual_number: string(64).optional(),
  issuer: string(64),
  group_id: ciString(36).optional(),
  valid: z.boolean(),
  whitelist: whitelistType,
  language: string(2).optional(),
  default_profile_type: profileType.optional(),
  energy_contract: energyContract.optional(),
  last_updated: dateTime,
};
export const token = z.looseObject(tokenFields);
/** PATCH body (mod_tokens §PATCH): any subset, `last_updated` required. */
export const tokenPatch = z.looseObject(tokenFields).partial().required({ last_updated: true });

export const locationReferences = z.looseObject({ location_id: ciString(36).min(1), evse_uids: z.array(ciString(36)).optional() });
export const authorizationInfo = z.looseObject({
  allowed: allowedType, token, location: locationReferences.optional(), authorization_reference: ciString(36).optional(), info: displayText.optional(),
});

// ---- 2.1.1 ----
export const tokenType211 = z.enum(['OTHER', 'RFID']);
export const token211 = z.looseObject({
  uid: string211(36).min(1),
  type: tokenType211,
  auth_id: string211(36).min(1),
  visual_number: string211(64).optional(),
  issuer: string211(64),
  valid: z.boolean(),
  whitelist: whitelistType,
  language: string211(2).optional(),
  last_updated: dateTime,
});
export const locationReferences211 = z.looseObject({
  location_id: string211(39).min(1), evse_uids: z.array(string211(39)).optional(), connector_ids: z.array(string211(36)).optional(),
});
export const authorizationInfo211 = z.looseObject({ allowed: allowedType, location: locationReferences211.optional(), info: displayText211.optional() });
