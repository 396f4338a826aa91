/**
 * Credentials module: OCPI 2.2.1 credentials.asciidoc §Object description (Credentials, CredentialsRole)
 * and 2.1.1 credentials.md §2.1 (flat: business_details, party_id, country_code; no roles).
 * Reference: shared/reference/ocpi-2.2.1.md §2.2.
 */
import { z } from 'zod';
import { countryCode, partyId, role, string211, url } from './common.js';
import { businessDetails, businessDetails211 } from './locations.js';

/** Credentials token: string(64), printable non-whitespace ASCII (credentials.asciidoc §Credentials object). */
export const credentialsToken = z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/, 'token: printable ASCII without whitespace');

export const credentialsRole = z.looseObject({ role, business_details: businessDetails, party_id: partyId, country_code: countryCode });

/** Each (role, party_id, country_code) appears once (§CredentialsRole). */
export const credentials = z.looseObject({ token: credentialsToken, url, roles: z.array(credentialsRole).min(1) })
  .refine((c) => new Set(c.roles.map((r) => `${r.role}|${r.party_id.toUpperCase()}|${r.country_code.toUpperCase()}`)).size === c.roles.length, {
    message: 'roles: each (role, party_id, country_code) may appear once', path: ['roles'],
  });

/** 2.1.1: party_id string(3), country_code string(2) (ASCII). */
export const credentials211 = z.looseObject({
  token: credentialsToken, url, business_details: businessDetails211,
  party_id: string211(3).regex(/^[A-Za-z0-9]{3}$/, 'party_id: three letters or digits'),
  country_code: string211(2).regex(/^[A-Za-z]{2}$/, 'country_code: two letters'),
});
