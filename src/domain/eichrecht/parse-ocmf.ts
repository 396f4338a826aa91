/**
 * OCMF text -> typed record (OCMF spec §"JSON based OCMF Format", Tables 1-8; reference §1, §1.3 steps 1-2).
 *
 * `OCMF|<payload>|<signature>`: split on '|' ('|' must not occur inside a section), header literally `OCMF`,
 * at least three parts (a 4th part, the removed public key section of OCMF PR #16, is tolerated and ignored).
 * The payload section text is kept exactly as received: it is what was signed and is never re-serialised.
 * Never throws; garbage, truncated text and oversized blobs come back as typed failures.
 */
import { readJson } from './json-text.js';
import { toPayload, toSignature } from './ocmf-fields.js';
import type { Failure, JsonObject, OcmfParseFailureReason, OcmfParseResult, OcmfPayload, OcmfSignature, ParsedOcmf } from './types.js';

/**
 * Largest OCMF text accepted, in characters. Real records are 430-1100 characters; OCPP 2.1 allows 32768
 * base64 characters of signedMeterData (~24 KB of OCMF). Anything larger is refused before any parsing.
 */
export const MAX_OCMF_LENGTH = 32_768;

const failure = (reason: OcmfParseFailureReason, message: string): Failure<OcmfParseFailureReason> => ({ ok: false, reason, message });

export interface OcmfSections {
  payloadText: string;
  signatureText: string;
  extraSections: string[];
}

/** Only the split of reference §1.3 step 1; no JSON is read. */
export function splitOcmf(text: unknown): OcmfSections | Failure<OcmfParseFailureReason> {
  if (typeof text !== 'string') return failure('not-string', `expected a string, got ${text === null ? 'null' : typeof text}`);
  if (text.length === 0) return failure('empty', 'empty string');
  if (text.length > MAX_OCMF_LENGTH) return failure('too-large', `${text.length} characters, more than ${MAX_OCMF_LENGTH}`);
  if (!text.startsWith('OCMF|')) {
    if ('OCMF|'.startsWith(text)) return failure('truncated', 'text ends inside the OCMF header');
    return failure('not-ocmf', `does not start with "OCMF|": ${JSON.stringify(text.slice(0, 24))}`);
  }
  const parts = text.split('|');
  if (parts.length < 3) return failure('truncated', 'no signature section (fewer than three "|"-separated parts)');
  return { payloadText: parts[1], signatureText: parts[2], extraSections: parts.slice(3) };
}

/**
 * A record whose sections were both read strictly (a payload that is not JSON is malformed, whatever its
 * signature), with the payload's fields mapped on first use: checking the signature, as is done for every
 * arriving reading, does not need them, and mapping them cost as much as reading the JSON. A class, so the
 * lazy fields cost nothing per record (accessors on an object literal are created for each object).
 */
class ParsedRecord implements ParsedOcmf {
  readonly ok = true as const;
  #payloadJson: JsonObject;
  #issues: string[];
  #payload: OcmfPayload | undefined;

  constructor(
    readonly text: string,
    readonly payloadText: string,
    readonly signatureText: string,
    readonly extraSections: string[],
    readonly signature: OcmfSignature,
    payloadJson: JsonObject,
    issues: string[],
  ) {
    this.#payloadJson = payloadJson;
    this.#issues = issues;
  }

  get payload(): OcmfPayload {
    return (this.#payload ??= toPayload(this.#payloadJson, this.#issues));
  }

  /** Non-fatal deviations from the spec, of both sections (the payload is mapped to find them). */
  get issues(): string[] {
    void this.payload;
    return this.#issues;
  }
}

export function parseOcmf(text: unknown): OcmfParseResult {
  const split = splitOcmf(text);
  if ('ok' in split) return split;
  const { payloadText, signatureText, extraSections } = split;
  const issues: string[] = [];
  if (extraSections.length) issues.push(`${extraSections.length} section(s) after the signature ignored (not part of OCMF since PR #16)`);

  const p = readJson(payloadText);
  if (!p.ok) {
    // A payload cut off by the split means the payload itself was cut: "OCMF|{...RV":1234.5" has no 2nd '|'.
    return failure(p.truncated ? 'truncated' : 'bad-json', `payload section: ${p.message}`);
  }
  if (!(p.value instanceof Map)) return failure('bad-payload', 'payload section is not a JSON object');

  const s = readJson(signatureText);
  if (!s.ok) return failure(s.truncated ? 'truncated' : 'bad-json', `signature section: ${s.message}`);
  if (!(s.value instanceof Map)) return failure('bad-signature-section', 'signature section is not a JSON object');
  const signature = toSignature(s.value, issues);
  if (!signature) return failure('bad-signature-section', 'signature section has no SD string');

  return new ParsedRecord(text as string, payloadText, signatureText, extraSections, signature, p.value, issues);
}
