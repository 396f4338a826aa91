/**
 * OCPI types shared by every module: OCPI 2.2.1 types.asciidoc (CiString, DateTime, DisplayText, number,
 * Price, Role, string, URL) and 2.1.1 types.md (string is printable ASCII there), the response envelope
 * (transport_and_format.asciidoc §Response format) and the party ids of credentials.asciidoc §CredentialsRole.
 * Reference: shared/reference/ocpi-2.2.1.md §1.1, §1.7. Objects are loose (unknown fields kept); see
 * index.ts for `strict()`, which the tests use to prove the bridge emits no field the spec does not define.
 */
import { z } from 'zod';

/** CiString: printable ASCII only (no CR, LF, TAB), compared case-insensitively. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** 2.2.1 string: printable UTF-8, i.e. no control characters (CR, LF, TAB ... are not allowed). */
const PRINTABLE_UTF8 = /^[^\p{Cc}]*$/u;

export const ciString = (max: number) => z.string().max(max).regex(PRINTABLE_ASCII, 'CiString: printable ASCII only');
export const string = (max: number) => z.string().max(max).regex(PRINTABLE_UTF8, 'string: printable characters only');
/** 2.1.1 string: "Only printable ASCII allowed" (types.md §1.5). */
export const string211 = (max: number) => z.string().max(max).regex(PRINTABLE_ASCII, '2.1.1 string: printable ASCII only');

/**
 * DateTime, string(25): RFC 3339 in UTC, `Z` or no designator, fractional seconds allowed; `+00:00` is not
 * allowed (types.asciidoc §DateTime). 2.1.1 (ISO 8601, UTC) accepts the same forms.
 */
const DATE_TIME = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?Z?$/;
/** The form, and a real calendar day (no 30 February). */
function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.getUTCMonth() === Number(m[2]) - 1;
}
export const dateTime = z.string().max(25).refine(isDateTime, 'DateTime: YYYY-MM-DDTHH:MM:SS[.fff][Z] in UTC (no offset)');

/** URL: string(255), an absolute http(s) URL (types.asciidoc §URL). */
export const url = z.string().max(255).regex(/^https?:\/\/[\x21-\x7e]+$/, 'URL: an absolute http(s) URL');

/** number: a JSON number (types.asciidoc §number); never NaN or Infinity on the wire. */
export const number = z.number().finite();
/** int(n): an integer of at most n digits. */
export const int = (digits?: number) => {
  const i = z.number().int();
  return digits === undefined ? i : i.min(-(10 ** digits - 1)).max(10 ** digits - 1);
};

/** ISO 3166-1 alpha-2 country code of a party: CiString(2) (so `nl` is as valid as `NL`). */
export const countryCode = ciString(2).regex(/^[A-Za-z]{2}$/, 'country_code: two letters (ISO 3166-1 alpha-2)');
/** Party id (ISO 15118 / eMI3 provider id): CiString(3), three letters or digits, case-insensitive. */
export const partyId = ciString(3).regex(/^[A-Za-z0-9]{3}$/, 'party_id: three letters or digits');
/** ISO 3166-1 alpha-3 country of a Location: string(3). */
export const country = string(3).regex(/^[A-Z]{3}$/, 'country: ISO 3166-1 alpha-3, upper case');
/** ISO 4217 currency: string(3). */
export const currency = string(3).regex(/^[A-Z]{3}$/, 'currency: ISO 4217, upper case');
/** ISO 639-1 language: string(2). */
export const language = string(2).regex(/^[a-z]{2}$/, 'language: ISO 639-1, two lower-case letters');

export const role = z.enum(['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP']);

/** DisplayText (types.asciidoc §DisplayText): `language` string(2), `text` string(512), no markup. */
export const displayText = z.looseObject({ language, text: string(512) });
export const displayText211 = z.looseObject({ language: string211(2).regex(/^[a-z]{2}$/, 'language: ISO 639-1'), text: string211(512) });

/** Price (types.asciidoc §Price): `excl_vat` (1), `incl_vat` (?). 2.1.1 has no Price class (plain numbers). */
export const price = z.looseObject({ excl_vat: number, incl_vat: number.optional() });

/**
 * The response envelope (transport_and_format.asciidoc §Response format): `data` as the module says (may be
 * absent, d2), `status_code` a 4-digit OCPI code, `status_message` (?), `timestamp` (1).
 */
export const envelope = <T extends z.ZodType>(data: T) => z.looseObject({
  data: data.optional(),
  status_code: z.number().int().min(1000).max(9999),
  status_message: z.string().optional(),
  timestamp: dateTime,
});
