/**
 * Meter public keys as they are found (reference §1.3 step 4, §5.6): hex of a DER SubjectPublicKeyInfo
 * (upper/lower case, spaced, leading blanks), base64 SPKI (`MFkwEw…`), PEM, or a raw point (64/96 bytes
 * X||Y, or 0x04||X||Y) whose curve must come from SA. Only the key text is normalised, never the OCMF.
 * Parsed keys are cached per text, so a charger's key is imported into a KeyObject once, not per reading.
 */
import crypto from 'node:crypto';
import { CURVES, curveByOidTlv, nodeSupports, parseSignatureAlgorithm } from './curves.js';
import { buildEcSpki, readEcSpki } from './der.js';
import { parseOcmf } from './parse-ocmf.js';
import type { CurveName, Failure } from './types.js';

export interface MeterPublicKey {
  curve: CurveName;
  /** DER SubjectPublicKeyInfo (built from the point when the key came raw). */
  spki: Buffer;
  /** The EC point (0x04||X||Y, or compressed). */
  point: Uint8Array;
  encoding: 'hex' | 'base64' | 'pem';
  structure: 'spki' | 'raw-point';
  /** Set when this Node's OpenSSL knows the curve. */
  keyObject?: crypto.KeyObject;
}
export type PublicKeyFailureReason = 'empty' | 'bad-encoding' | 'bad-der' | 'unsupported-curve' | 'needs-curve' | 'bad-point';
export type PublicKeyResult = { ok: true; key: MeterPublicKey } | Failure<PublicKeyFailureReason>;

const fail = (reason: PublicKeyFailureReason, message: string): Failure<PublicKeyFailureReason> => ({ ok: false, reason, message });
const MAX_KEY_TEXT = 4096;
const CACHE_LIMIT = 512;
/** Per curve hint (raw keys need it), per key text as given. */
const cache = new Map<CurveName | undefined, Map<string, PublicKeyResult>>();

function decodeText(text: string): { bytes: Buffer; encoding: MeterPublicKey['encoding'] } | undefined {
  const pem = /-----BEGIN [A-Z ]*PUBLIC KEY-----([\s\S]*?)-----END [A-Z ]*PUBLIC KEY-----/.exec(text);
  if (pem) return { bytes: Buffer.from(pem[1].replace(/\s+/g, ''), 'base64'), encoding: 'pem' };
  const compact = text.replace(/[\s:]+/g, '');
  if (/^(?:[0-9A-Fa-f]{2})+$/.test(compact)) return { bytes: Buffer.from(compact, 'hex'), encoding: 'hex' };
  const b64 = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(b64) && b64.length % 4 === 0) return { bytes: Buffer.from(b64, 'base64'), encoding: 'base64' };
  return undefined;
}

function fromPoint(curve: CurveName, point: Uint8Array, encoding: MeterPublicKey['encoding'], structure: MeterPublicKey['structure'], spki?: Buffer): PublicKeyResult {
  const info = CURVES[curve];
  const uncompressed = point.length === 1 + 2 * info.size && point[0] === 4;
  const compressed = point.length === 1 + info.size && (point[0] === 2 || point[0] === 3);
  if (!uncompressed && !compressed) return fail('bad-point', `${point.length}-byte point does not fit ${curve}`);
  const der = spki ?? buildEcSpki(info.oidTlv, point);
  const key: MeterPublicKey = { curve, spki: der, point, encoding, structure };
  try {
    if (nodeSupports(curve)) key.keyObject = crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
    else if (info.noble) info.noble.Point.fromBytes(point).assertValidity();
    else return fail('unsupported-curve', `${curve} is supported neither by this Node's OpenSSL nor by @noble/curves`);
  } catch (e) {
    return fail('bad-point', `not a point on ${curve}: ${(e as Error).message}`);
  }
  return { ok: true, key };
}

function parseUncached(text: string, curveHint: CurveName | undefined): PublicKeyResult {
  if (text.trim() === '') return fail('empty', 'no public key text');
  const decoded = decodeText(text);
  if (!decoded || decoded.bytes.length === 0) return fail('bad-encoding', 'public key is neither PEM, hex nor base64');
  const { bytes, encoding } = decoded;
  if (bytes[0] === 0x30) {
    const spki = readEcSpki(bytes);
    if (!spki.ok) return fail('bad-der', `SubjectPublicKeyInfo: ${spki.message}`);
    const curve = curveByOidTlv(spki.curveOidTlv);
    if (!curve) return fail('unsupported-curve', `curve OID ${spki.curveOidTlv} is not an OCMF curve`);
    return fromPoint(curve, spki.point, encoding, 'spki', bytes);
  }
  if (!curveHint) return fail('needs-curve', `raw ${bytes.length}-byte key: the curve must come from SA`);
  const size = CURVES[curveHint].size;
  const point = bytes.length === 2 * size ? Buffer.concat([Buffer.from([4]), bytes]) : bytes;
  return fromPoint(curveHint, point, encoding, 'raw-point');
}

/**
 * Key text -> key. `curveHint` (the SA curve) is only used for raw points; an SPKI names its own curve,
 * which the verifier compares with SA. Never throws.
 */
export function parsePublicKey(text: unknown, curveHint?: CurveName): PublicKeyResult {
  if (typeof text !== 'string') return fail('empty', 'no public key');
  if (text.length > MAX_KEY_TEXT) return fail('bad-encoding', `public key text of ${text.length} characters`);
  let perHint = cache.get(curveHint);
  if (!perHint) cache.set(curveHint, (perHint = new Map()));
  let r = perHint.get(text);
  if (!r) {
    r = parseUncached(text, curveHint);
    if (perHint.size >= CACHE_LIMIT) perHint.delete(perHint.keys().next().value as string);
    perHint.set(text, r);
  }
  return r;
}

/** The key for one record: a raw point takes its curve from the record's SA (default secp256r1). */
export function parsePublicKeyFor(text: unknown, ocmf: string): PublicKeyResult {
  const r = parsePublicKey(text);
  if (r.ok || r.reason !== 'needs-curve') return r;
  const parsed = parseOcmf(ocmf);
  const sa = parsed.ok ? parseSignatureAlgorithm(parsed.signature.SA) : undefined;
  return sa?.ok ? parsePublicKey(text, sa.curve) : r;
}

/** Base64 of the DER SPKI: OCPI `SignedData.public_key` (reference §3). */
export function publicKeyBase64(key: MeterPublicKey): string {
  return key.spki.toString('base64');
}

/** Upper-case hex of the DER SPKI: the Transparenzsoftware `<publicKey encoding="hex">` (reference §4). */
export function publicKeyHex(key: MeterPublicKey): string {
  return key.spki.toString('hex').toUpperCase();
}
