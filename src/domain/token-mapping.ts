/**
 * Token identities between OCPP and OCPI, in one explicit table per direction (reference/ocpp.md §2 C and §5;
 * reference/ocpi-2.2.1.md §5.4, §5.5). OCPI uid: CiString(36) with a TokenType; OCPP 1.6 idTag: CiString(20)
 * without a type (a reader's RFID UID is assumed); OCPP 2.0.1 IdTokenType: idToken ≤ 36 with IdTokenEnumType.
 * A uid longer than 20 characters gets a short, stable alias for 1.6 (derived from the uid, so every bridge
 * computes the same one); the token store maps it back. RFID UIDs (4, 7 or 10 bytes) are written as upper-case
 * hex; every comparison is case-insensitive.
 */
import { createHash } from 'node:crypto';
import type { AuthorizationStatus } from './model.js';

export type OcpiTokenType = 'AD_HOC_USER' | 'APP_USER' | 'OTHER' | 'RFID';
export type OcpiWhitelist = 'ALWAYS' | 'ALLOWED' | 'ALLOWED_OFFLINE' | 'NEVER';
export type OcpiAllowed = 'ALLOWED' | 'BLOCKED' | 'EXPIRED' | 'NO_CREDIT' | 'NOT_ALLOWED';

/** OCPP 1.6 idTag: CiString20 (1.6 §7.28). */
export const ID_TAG_MAX = 20;
const ALIAS_PREFIX = 'OCPI';
const ALIAS = /^OCPI[0-9A-F]{16}$/i;

/** An RFID UID as hex of 4, 7 or 10 bytes (ISO 14443) or 8 bytes (ISO 15693) is written upper case; anything else as given. */
export function normalizeUid(uid: string, type: OcpiTokenType | string = 'RFID'): string {
  if (type === 'RFID' && /^[0-9a-f]+$/i.test(uid) && [8, 14, 16, 20].includes(uid.length)) return uid.toUpperCase();
  return uid;
}

/** The OCPP 1.6 idTag for an OCPI uid: the uid itself when it fits in 20 characters, else its alias. */
export function idTagForUid(uid: string): string {
  return uid.length <= ID_TAG_MAX ? uid : aliasOf(uid);
}

/** `OCPI` + 16 hex of SHA-256 over the upper-cased uid: 20 characters, stable, collisions at 2^-64. */
export function aliasOf(uid: string): string {
  return ALIAS_PREFIX + createHash('sha256').update(uid.toUpperCase(), 'utf8').digest('hex').slice(0, 16).toUpperCase();
}

export function looksLikeAlias(idTag: string): boolean {
  return ALIAS.test(idTag);
}

/** OCPI TokenType -> OCPP 2.0.1 IdTokenEnumType (RFID: ISO 15693 for 8-byte UIDs starting E0, else ISO 14443; the rest Central). */
export function ocppIdTokenType(type: OcpiTokenType | string, uid: string): string {
  if (type !== 'RFID') return 'Central';
  return /^E0[0-9A-F]{14}$/i.test(uid) ? 'ISO15693' : 'ISO14443';
}

/** OCPP 2.0.1 IdTokenEnumType (or the 1.6 assumption ISO14443) -> the OCPI TokenType to look up and to name in `?type=`. */
export const OCPI_TYPE_OF_OCPP: Record<string, OcpiTokenType> = {
  ISO14443: 'RFID', ISO15693: 'RFID', Central: 'APP_USER', eMAID: 'OTHER', KeyCode: 'OTHER', Local: 'OTHER', MacAddress: 'OTHER', NoAuthorization: 'AD_HOC_USER',
};

export function ocpiTokenType(ocppType: string | undefined): OcpiTokenType {
  return OCPI_TYPE_OF_OCPP[ocppType ?? 'ISO14443'] ?? 'OTHER';
}

/** OCPI AllowedType -> the neutral AuthorizationStatus (reference §5.5); 1.6 answers NoCredit / NotAtThisLocation as Invalid. */
export const STATUS_OF_ALLOWED: Record<OcpiAllowed, AuthorizationStatus> = {
  ALLOWED: 'Accepted', BLOCKED: 'Blocked', EXPIRED: 'Expired', NO_CREDIT: 'NoCredit', NOT_ALLOWED: 'NotAtThisLocation',
};
