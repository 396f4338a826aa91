/**
 * Tokens on the wire (OCPI 2.2.1 mod_tokens §Object description; 2.1.1 tokens.md): zod schemas for what an
 * eMSP pushes and answers, and the conversions to and from the one stored shape (2.2.1 field names). 2.1.1
 * tokens have no country_code/party_id (taken from the URL or the eMSP's party) and `auth_id` where 2.2.1 has
 * `contract_id`; their types are RFID and OTHER only.
 */
import { z } from 'zod';
import type { OcpiTokenData } from '../../domain/token-ports.js';
import { normalizeUid } from '../../domain/token-mapping.js';

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z)?$/i;
/** OCPI DateTime, leniently: with or without Z, with fractions (reference §1.7). */
export const dateTime = z.string().max(32).regex(DATE_TIME, 'an RFC 3339 UTC date-time');
const ciString = (max: number) => z.string().min(1).max(max).regex(/^[\x20-\x7e]*$/, 'printable ASCII');
const printable = (max: number) => z.string().max(max).regex(/^[^\r\n\t]*$/, 'no CR, LF or TAB');

export const tokenType = z.enum(['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID']);
export const whitelistType = z.enum(['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER']);
export const allowedType = z.enum(['ALLOWED', 'BLOCKED', 'EXPIRED', 'NO_CREDIT', 'NOT_ALLOWED']);

export const token221 = z.object({
  country_code: ciString(2),
  party_id: ciString(3),
  uid: ciString(36),
  type: tokenType,
  contract_id: ciString(36),
  visual_number: printable(64).optional(),
  issuer: printable(64),
  group_id: ciString(36).optional(),
  valid: z.boolean(),
  whitelist: whitelistType,
  language: z.string().length(2).optional(),
  default_profile_type: z.enum(['CHEAP', 'FAST', 'GREEN', 'REGULAR']).optional(),
  energy_contract: z.object({ supplier_name: printable(64), contract_id: printable(64).optional() }).optional(),
  last_updated: dateTime,
});

export const token211 = z.object({
  uid: ciString(36),
  type: z.enum(['RFID', 'OTHER']),
  auth_id: ciString(36),
  visual_number: printable(64).optional(),
  issuer: printable(64),
  valid: z.boolean(),
  whitelist: whitelistType,
  language: z.string().length(2).optional(),
  last_updated: dateTime,
});

const locationReferences = z.object({ location_id: ciString(39), evse_uids: z.array(ciString(39)).optional(), connector_ids: z.array(z.string()).optional() });

export const authorizationInfo221 = z.object({
  allowed: allowedType,
  token: token221.optional(),
  location: locationReferences.optional(),
  authorization_reference: ciString(36).optional(),
  info: z.unknown().optional(),
});

export const authorizationInfo211 = z.object({
  allowed: allowedType,
  location: locationReferences.optional(),
  info: z.unknown().optional(),
});

/** A 2.2.1 token as stored: the uid written the way the bridge matches it (RFID hex upper case). */
export function fromToken221(t: z.infer<typeof token221>): OcpiTokenData {
  return { ...t, country_code: t.country_code.toUpperCase(), party_id: t.party_id.toUpperCase(), uid: normalizeUid(t.uid, t.type) };
}

export function fromToken211(t: z.infer<typeof token211>, party: { countryCode: string; partyId: string }): OcpiTokenData {
  const { auth_id, ...rest } = t;
  return { ...rest, country_code: party.countryCode.toUpperCase(), party_id: party.partyId.toUpperCase(), uid: normalizeUid(t.uid, t.type), contract_id: auth_id };
}

/** The stored token in the caller's version (2.1.1: auth_id, no party, RFID/OTHER only). */
export function tokenFor(version: '2.2.1' | '2.1.1', t: OcpiTokenData): Record<string, unknown> {
  if (version === '2.2.1') return { ...t };
  const { country_code: _cc, party_id: _pid, contract_id, group_id: _g, default_profile_type: _d, energy_contract: _e, ...rest } = t;
  return { ...rest, type: t.type === 'RFID' ? 'RFID' : 'OTHER', auth_id: contract_id };
}
