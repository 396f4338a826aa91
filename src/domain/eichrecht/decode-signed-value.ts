/**
 * Undo the transport encoding of a signed meter value as it arrives over OCPP (reference §2, §5.2-5.3):
 *  - OCPP 1.6 `SampledValue.value` with `format: "SignedData"` (§2.1): the OCMF text as-is, hex of its bytes,
 *    or the OCA application-note JSON `{"signedMeterData": <base64 OCMF>, "signingMethod", "encodingMethod",
 *    "publicKey"}` (be.ENERGISED writes `signedMeterValue` instead of `signedMeterData`; both accepted);
 *  - OCPP 2.0.1 `SignedMeterValueType` (§2.2): `signedMeterData` is base64 of the OCMF bytes.
 * Only the transport encoding is undone; the stored raw string is the caller's and is not touched. Decoded
 * bytes must be valid UTF-8 (a lossy decode would change the signed bytes). Never throws.
 */
import { MAX_OCMF_LENGTH } from './parse-ocmf.js';
import type { Failure } from './types.js';

/** Largest raw value accepted: hex of a maximal OCMF text. Larger input is refused at once. */
export const MAX_RAW_LENGTH = 2 * MAX_OCMF_LENGTH;

export type Transport = 'plain' | 'hex' | 'base64';
export interface DecodedSignedValue {
  ok: true;
  /** The OCMF text, exactly as the meter produced it (surrounding whitespace of the raw value removed). */
  ocmf: string;
  transport: Transport;
  /** True when the value was a JSON envelope (OCA 1.6 application note style). */
  envelope: boolean;
  /** From the envelope / 2.0.1 object, as sent (may be ""). Out-of-band keys take precedence (reference §1.1). */
  publicKey?: string;
  signingMethod?: string;
  encodingMethod?: string;
}
export type DecodeFailureReason = 'not-string' | 'empty' | 'too-large' | 'unknown-encoding' | 'bad-envelope' | 'not-ocmf' | 'bad-utf8' | 'unsupported-encoding-method';
export type DecodeResult = DecodedSignedValue | Failure<DecodeFailureReason>;

const fail = (reason: DecodeFailureReason, message: string): Failure<DecodeFailureReason> => ({ ok: false, reason, message });
const utf8 = new TextDecoder('utf-8', { fatal: true });

function bytesToOcmf(bytes: Buffer, transport: Transport): DecodedSignedValue | Failure<DecodeFailureReason> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail('bad-utf8', `${transport}-decoded bytes are not valid UTF-8`);
  }
  if (!text.startsWith('OCMF|')) return fail('not-ocmf', `${transport}-decoded value does not start with "OCMF|"`);
  if (text.length > MAX_OCMF_LENGTH) return fail('too-large', `decoded OCMF has ${text.length} characters, more than ${MAX_OCMF_LENGTH}`);
  return { ok: true, ocmf: text, transport, envelope: false };
}

const stripPadding = (s: string) => {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 61) n--; // '='
  return n === s.length ? s : s.slice(0, n);
};

/**
 * Strict base64 / base64url, padding optional. Node's decoder skips characters outside both alphabets and
 * stops at an inner '=', so the text was all data exactly when it gave the bytes its length promises (a
 * count that only fails to grow from 4k to 4k+1 characters, a length no base64 text has). Cheaper than
 * encoding the bytes back and comparing, which this replaced: this runs for every 2.0.1 signed reading.
 */
function fromBase64(b: string): Buffer | undefined {
  const data = stripPadding(b);
  if (data.length % 4 === 1 || b.length - data.length > 2) return undefined;
  const bytes = Buffer.from(data, 'base64');
  return bytes.length > 0 && bytes.length === Math.floor((data.length * 3) / 4) ? bytes : undefined;
}

/** Strict hex: Buffer.from stops at the first non-hex pair, so the length tells (no regex over the text). */
export function fromHex(h: string): Buffer | undefined {
  if (h.length % 2 !== 0) return undefined;
  const bytes = Buffer.from(h, 'hex');
  return bytes.length * 2 === h.length && bytes.length > 0 ? bytes : undefined;
}

/** The OCMF text inside one string: plain, hex or base64 (in that order of detection). */
function decodeInner(value: string): DecodeResult {
  const t = value.trim();
  if (t.length === 0) return fail('empty', 'empty value');
  if (t.startsWith('OCMF|')) return { ok: true, ocmf: t, transport: 'plain', envelope: false };
  const hex = fromHex(t);
  if (hex) {
    const r = bytesToOcmf(hex, 'hex');
    if (r.ok || r.reason !== 'not-ocmf') return r; // all-hex text that is not OCMF may still be base64
  }
  // Line-wrapped (MIME) base64 is tolerated: whitespace is transport, not data.
  const b64 = fromBase64(t) ?? (/\s/.test(t) ? fromBase64(t.replace(/\s+/g, '')) : undefined);
  if (b64) return bytesToOcmf(b64, 'base64');
  return fail('unknown-encoding', `neither OCMF text, hex nor base64: ${JSON.stringify(t.slice(0, 24))}`);
}

function optString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A 2.0.1 `SignedMeterValueType` (or the 1.6 envelope object): checks encodingMethod, decodes signedMeterData. */
export function decodeSignedMeterValue(v: { signedMeterData?: unknown; signedMeterValue?: unknown; signingMethod?: unknown; encodingMethod?: unknown; publicKey?: unknown }): DecodeResult {
  if (typeof v !== 'object' || v === null) return fail('bad-envelope', 'not an object');
  const data = optString(v.signedMeterData) ?? optString(v.signedMeterValue);
  if (data === undefined) return fail('bad-envelope', 'no signedMeterData string');
  const encodingMethod = optString(v.encodingMethod);
  if (encodingMethod && encodingMethod.trim().toUpperCase() !== 'OCMF') return fail('unsupported-encoding-method', `encodingMethod "${encodingMethod}" is not OCMF`);
  if (data.length > MAX_RAW_LENGTH) return fail('too-large', `${data.length} characters, more than ${MAX_RAW_LENGTH}`);
  const inner = decodeInner(data);
  if (!inner.ok) return inner;
  return { ok: true, ocmf: inner.ocmf, transport: inner.transport, envelope: true, publicKey: optString(v.publicKey), signingMethod: optString(v.signingMethod), encodingMethod };
}

/** The raw string exactly as received (1.6 `value`, or 2.0.1 `signedMeterData`) -> the OCMF text. */
export function decodeSignedValue(raw: unknown): DecodeResult {
  if (typeof raw !== 'string') return fail('not-string', `expected a string, got ${raw === null ? 'null' : typeof raw}`);
  if (raw.length > MAX_RAW_LENGTH) return fail('too-large', `${raw.length} characters, more than ${MAX_RAW_LENGTH}`);
  const t = raw.trim();
  if (t.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (e) {
      return fail('bad-envelope', `JSON envelope does not parse: ${(e as Error).message}`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail('bad-envelope', 'JSON envelope is not an object');
    return decodeSignedMeterValue(obj as Record<string, unknown>);
  }
  return decodeInner(raw);
}
