/**
 * The signature algorithms of OCMF (spec Table 22, reference §1.2, §5.5): `ECDSA-<curve>-SHA256`, default
 * `ECDSA-secp256r1-SHA256`; curves secp192k1, secp192r1, secp256k1, secp256r1, secp384r1, brainpool256r1,
 * brainpool384r1 (devices write `brainpoolP256r1`; both spellings accepted). The hash is SHA-256 on every curve.
 *
 * Verification runs on node:crypto (OpenSSL) when this Node build knows the curve, else on @noble/curves.
 * @noble/curves v2 exports p256/p384 (`nist.js`), secp256k1 (`secp256k1.js`), brainpoolP256r1/P384r1
 * (`misc.js`); it has no secp192k1/secp192r1, so those two depend on OpenSSL (Node 20's has both).
 */
import crypto from 'node:crypto';
import { brainpoolP256r1, brainpoolP384r1 } from '@noble/curves/misc.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { CurveName } from './types.js';

type NobleEcdsa = typeof p256;

export interface CurveInfo {
  name: CurveName;
  /** OpenSSL / Node `namedCurve`. */
  openssl: string;
  /** DER TLV of the curve's OID, as it appears in a SubjectPublicKeyInfo. */
  oidTlv: string;
  /** Field size in bytes (X and Y each). */
  size: number;
  noble?: NobleEcdsa;
}

export const CURVES: Record<CurveName, CurveInfo> = {
  secp192k1: { name: 'secp192k1', openssl: 'secp192k1', oidTlv: '06052b8104001f', size: 24 },
  secp192r1: { name: 'secp192r1', openssl: 'prime192v1', oidTlv: '06082a8648ce3d030101', size: 24 },
  secp256k1: { name: 'secp256k1', openssl: 'secp256k1', oidTlv: '06052b8104000a', size: 32, noble: secp256k1 },
  secp256r1: { name: 'secp256r1', openssl: 'prime256v1', oidTlv: '06082a8648ce3d030107', size: 32, noble: p256 },
  secp384r1: { name: 'secp384r1', openssl: 'secp384r1', oidTlv: '06052b81040022', size: 48, noble: p384 },
  brainpoolP256r1: { name: 'brainpoolP256r1', openssl: 'brainpoolP256r1', oidTlv: '06092b2403030208010107', size: 32, noble: brainpoolP256r1 },
  brainpoolP384r1: { name: 'brainpoolP384r1', openssl: 'brainpoolP384r1', oidTlv: '06092b240303020801010b', size: 48, noble: brainpoolP384r1 },
};

const ALIASES: Record<string, CurveName> = {
  secp192k1: 'secp192k1',
  secp192r1: 'secp192r1',
  prime192v1: 'secp192r1',
  secp256k1: 'secp256k1',
  secp256r1: 'secp256r1',
  prime256v1: 'secp256r1',
  nistp256: 'secp256r1',
  secp384r1: 'secp384r1',
  nistp384: 'secp384r1',
  brainpool256r1: 'brainpoolP256r1',
  brainpoolp256r1: 'brainpoolP256r1',
  brainpool384r1: 'brainpoolP384r1',
  brainpoolp384r1: 'brainpoolP384r1',
};

const NODE_CURVES = new Set(crypto.getCurves());

/** True when this Node's OpenSSL can verify on the curve. */
export function nodeSupports(curve: CurveName): boolean {
  return NODE_CURVES.has(CURVES[curve].openssl);
}

export function curveByName(name: string): CurveName | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

export function curveByOidTlv(oidTlvHex: string): CurveName | undefined {
  return (Object.values(CURVES).find((c) => c.oidTlv === oidTlvHex) ?? undefined)?.name;
}

export type SaResult = { ok: true; curve: CurveName } | { ok: false; known: boolean; message: string };

/** SA -> curve. Absent SA means ECDSA-secp256r1-SHA256 (spec Table 8). */
export function parseSignatureAlgorithm(sa: string | undefined): SaResult {
  if (sa === undefined) return { ok: true, curve: 'secp256r1' };
  let r = SA_SEEN.get(sa);
  if (!r) {
    r = readSa(sa);
    if (SA_SEEN.size < 64) SA_SEEN.set(sa, r);
  }
  return r;
}

/** The few SA spellings met so far (the same handful on every record). */
const SA_SEEN = new Map<string, SaResult>();

function readSa(sa: string): SaResult {
  const m = /^ECDSA-(.+)-SHA-?256$/i.exec(sa.trim());
  if (!m) return { ok: false, known: false, message: `signature algorithm "${sa}" is not ECDSA-<curve>-SHA256` };
  const curve = curveByName(m[1]);
  if (!curve) return { ok: false, known: false, message: `curve "${m[1]}" is not one of the OCMF curves` };
  return { ok: true, curve };
}
