/**
 * Signature check of one OCMF record (OCMF spec §"Signing and Verification Process", Tables 8 and 22;
 * reference §1.3, §5.4-5.5, §6.1-6.3):
 *  - signed bytes = the payload section text between the first and second '|', as received, UTF-8;
 *  - SHA-256 over them, ECDSA on the SA curve (default secp256r1), SHA-256 on every curve;
 *  - SD = DER `SEQUENCE { r, s }` (SM `application/x-der`, the only value), hex unless `SE: "base64"`;
 *  - the key is given out of band and must be on the SA curve.
 * Every outcome is a result, never an exception: no key -> 'no-public-key', unknown curve -> 'unsupported-curve'.
 */
import crypto from 'node:crypto';
import { CURVES, parseSignatureAlgorithm } from './curves.js';
import { fromHex } from './decode-signed-value.js';
import { isDerEcdsaSignature } from './der.js';
import { parseOcmf } from './parse-ocmf.js';
import { parsePublicKey, type MeterPublicKey } from './public-key.js';
import type { CurveName, ParsedOcmf, VerifyResult, VerifyStatus } from './types.js';

export interface VerifyOptions {
  /** 'auto' (default): node:crypto when OpenSSL knows the curve, else @noble/curves. */
  engine?: 'auto' | 'node' | 'noble';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const result = (status: VerifyStatus, reason: string, curve?: CurveName, engine?: VerifyResult['engine']): VerifyResult =>
  engine ? { status, reason, curve, engine } : curve ? { status, reason, curve } : { status, reason };

function decodeSd(sd: string, se: string | undefined): Buffer | string {
  const enc = (se ?? 'hex').trim().toLowerCase();
  if (enc === 'hex') return fromHex(sd) ?? 'SD is not hex';
  if (enc === 'base64') return BASE64.test(sd) && sd.length % 4 !== 1 ? Buffer.from(sd, 'base64') : 'SD is not base64';
  return `unknown SE "${se}"`;
}

/**
 * @param input the OCMF text (already transport-decoded, see decode-signed-value.ts) or its parse result
 * @param publicKey the meter's key from a trusted source (text in any form public-key.ts reads, or parsed)
 */
export function verifyOcmf(input: string | ParsedOcmf, publicKey: string | MeterPublicKey | null | undefined, opts: VerifyOptions = {}): VerifyResult {
  const parsed = typeof input === 'string' ? parseOcmf(input) : input;
  if (!parsed.ok) return result('malformed', `${parsed.reason}: ${parsed.message}`);
  const { signature, payloadText } = parsed;

  const sa = parseSignatureAlgorithm(signature.SA);
  if (!sa.ok) return result('unsupported-curve', sa.message);
  const curve = sa.curve;
  if (signature.SM !== undefined && signature.SM.trim().toLowerCase() !== 'application/x-der') {
    return result('malformed', `signature method SM "${signature.SM}" is not application/x-der`, curve);
  }
  const sig = decodeSd(signature.SD, signature.SE);
  if (typeof sig === 'string') return result('malformed', sig, curve);

  if (publicKey === null || publicKey === undefined || (typeof publicKey === 'string' && publicKey.trim() === '')) {
    return result('no-public-key', 'unverified: no public key for this meter', curve);
  }
  let key: MeterPublicKey;
  if (typeof publicKey === 'string') {
    const k = parsePublicKey(publicKey, curve);
    if (!k.ok) return result(k.reason === 'unsupported-curve' ? 'unsupported-curve' : 'no-public-key', `public key unusable (${k.reason}): ${k.message}`, curve);
    key = k.key;
  } else key = publicKey;
  if (key.curve !== curve) return result('invalid-signature', `key curve ${key.curve} does not match SA curve ${curve}`, curve);
  if (!isDerEcdsaSignature(sig)) {
    return result('invalid-signature', `SD is not a DER ECDSA signature (${sig.length} bytes${sig.length === 2 * CURVES[curve].size ? ', looks like raw r||s' : ''})`, curve);
  }

  const engine = opts.engine ?? 'auto';
  const data = Buffer.from(payloadText, 'utf8');
  if (key.keyObject && engine !== 'noble') {
    let ok = false;
    try {
      ok = crypto.verify('sha256', data, { key: key.keyObject, dsaEncoding: 'der' }, sig);
    } catch {
      ok = false;
    }
    return ok ? result('verified', `signature valid (${curve})`, curve, 'node') : result('invalid-signature', 'signature does not match the payload section', curve, 'node');
  }
  const noble = CURVES[curve].noble;
  if (!noble || engine === 'node') return result('unsupported-curve', `no ${engine === 'node' ? 'OpenSSL' : ''} implementation of ${curve} available`, curve);
  let ok = false;
  try {
    const hash = crypto.createHash('sha256').update(data).digest();
    ok = noble.verify(sig, hash, key.point, { prehash: false, lowS: false, format: 'der' });
  } catch {
    ok = false;
  }
  return ok ? result('verified', `signature valid (${curve})`, curve, 'noble') : result('invalid-signature', 'signature does not match the payload section', curve, 'noble');
}
