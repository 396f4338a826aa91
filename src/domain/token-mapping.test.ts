import { describe, expect, it } from 'vitest';
import { aliasOf, idTagForUid, looksLikeAlias, normalizeUid, ocpiTokenType, ocppIdTokenType, STATUS_OF_ALLOWED } from './token-mapping.js';

describe('token identities between OCPP and OCPI', () => {
  it('writes RFID UIDs of 4, 7 and 10 bytes (and 8-byte ISO 15693) as upper-case hex, anything else as given', () => {
    expect(normalizeUid('04a2b3c4', 'RFID')).toBe('04A2B3C4');
    expect(normalizeUid('04a2b3c4d5e6f7', 'RFID')).toBe('04A2B3C4D5E6F7');
    expect(normalizeUid('04a2b3c4d5e6f7a8b9c0', 'RFID')).toBe('04A2B3C4D5E6F7A8B9C0');
    expect(normalizeUid('e004a2b3c4d5e6f7', 'RFID')).toBe('E004A2B3C4D5E6F7');
    expect(normalizeUid('04a2b3', 'RFID')).toBe('04a2b3'); // 3 bytes: not a UID length, kept
    expect(normalizeUid('abcdef12', 'APP_USER')).toBe('abcdef12'); // app uids are the eMSP's, kept
  });

  it('gives a 1.6 idTag (CiString20) for every OCPI uid (CiString36): the uid when it fits, else a stable alias', () => {
    expect(idTagForUid('04A2B3C4D5E6F7')).toBe('04A2B3C4D5E6F7');
    expect(idTagForUid('X'.repeat(20))).toBe('X'.repeat(20));
    const long = 'app-user-7f3c1e2a-9b4d-4c1e-8f00-12';
    const alias = idTagForUid(long);
    expect(alias).toHaveLength(20);
    expect(alias).toMatch(/^OCPI[0-9A-F]{16}$/);
    expect(aliasOf(long.toUpperCase())).toBe(alias); // case-insensitive like the uid
    expect(aliasOf(`${long}x`)).not.toBe(alias);
    expect(looksLikeAlias(alias)).toBe(true);
    expect(looksLikeAlias('04A2B3C4D5E6F7')).toBe(false);
  });

  it('maps token types both ways', () => {
    expect(ocppIdTokenType('RFID', '04A2B3C4D5E6F7')).toBe('ISO14443');
    expect(ocppIdTokenType('RFID', 'E004A2B3C4D5E6F7')).toBe('ISO15693');
    expect(ocppIdTokenType('APP_USER', 'u')).toBe('Central');
    expect(ocppIdTokenType('AD_HOC_USER', 'u')).toBe('Central');
    expect(ocpiTokenType(undefined)).toBe('RFID'); // 1.6 idTag: a reader's card
    expect(ocpiTokenType('ISO15693')).toBe('RFID');
    expect(ocpiTokenType('Central')).toBe('APP_USER');
    expect(ocpiTokenType('eMAID')).toBe('OTHER');
    expect(ocpiTokenType('NoAuthorization')).toBe('AD_HOC_USER');
    expect(ocpiTokenType('SomethingNew')).toBe('OTHER');
  });

  it('maps OCPI AllowedType to the neutral status (1.6 shows NoCredit / NotAtThisLocation as Invalid)', () => {
    expect(STATUS_OF_ALLOWED).toEqual({ ALLOWED: 'Accepted', BLOCKED: 'Blocked', EXPIRED: 'Expired', NO_CREDIT: 'NoCredit', NOT_ALLOWED: 'NotAtThisLocation' });
  });
});
