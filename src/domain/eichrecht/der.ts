/**
 * The little ASN.1 DER the OCMF path needs (reference §1.2-1.3): reading and building an EC
 * SubjectPublicKeyInfo (RFC 5480) and checking that SD is a DER `SEQUENCE { INTEGER r, INTEGER s }`
 * (spec Table 8, SM `application/x-der`), not a raw r||s.
 */

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(b: Uint8Array, pos: number, limit = b.length): Tlv | undefined {
  if (pos + 2 > limit) return undefined;
  const tag = b[pos];
  let len = b[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 2 || start + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | b[start + i];
    start += n;
    if (len < 0x80) return undefined; // not minimal
  }
  const end = start + len;
  return end > limit ? undefined : { tag, start, end };
}

function lengthBytes(n: number): number[] {
  return n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(content.length)]), content]);
}

const EC_PUBLIC_KEY_OID = '06072a8648ce3d0201';

export type SpkiParts = { ok: true; curveOidTlv: string; point: Uint8Array } | { ok: false; message: string };

/** SEQUENCE { SEQUENCE { OID ecPublicKey, OID namedCurve }, BIT STRING point }. */
export function readEcSpki(der: Uint8Array): SpkiParts {
  const top = readTlv(der, 0);
  if (!top || top.tag !== 0x30 || top.end !== der.length) return { ok: false, message: 'not a DER SEQUENCE' };
  const alg = readTlv(der, top.start, top.end);
  if (!alg || alg.tag !== 0x30) return { ok: false, message: 'no AlgorithmIdentifier' };
  const algOid = readTlv(der, alg.start, alg.end);
  if (!algOid || algOid.tag !== 0x06) return { ok: false, message: 'no algorithm OID' };
  if (Buffer.from(der.subarray(alg.start, algOid.end)).toString('hex') !== EC_PUBLIC_KEY_OID) return { ok: false, message: 'not an EC public key (id-ecPublicKey)' };
  const curve = readTlv(der, algOid.end, alg.end);
  if (!curve || curve.tag !== 0x06 || curve.end !== alg.end) return { ok: false, message: 'EC parameters are not a named curve' };
  const bits = readTlv(der, alg.end, top.end);
  if (!bits || bits.tag !== 0x03 || bits.end !== top.end || der[bits.start] !== 0) return { ok: false, message: 'no public key BIT STRING' };
  return {
    ok: true,
    curveOidTlv: Buffer.from(der.subarray(algOid.end, curve.end)).toString('hex'),
    point: der.subarray(bits.start + 1, bits.end),
  };
}

export function buildEcSpki(curveOidTlv: string, point: Uint8Array): Buffer {
  const alg = tlv(0x30, Buffer.from(EC_PUBLIC_KEY_OID + curveOidTlv, 'hex'));
  const bits = tlv(0x03, Buffer.concat([Buffer.from([0]), point]));
  return tlv(0x30, Buffer.concat([alg, bits]));
}

/** True when `sig` is exactly SEQUENCE { INTEGER, INTEGER } with nothing before, between or after. */
export function isDerEcdsaSignature(sig: Uint8Array): boolean {
  const seq = readTlv(sig, 0);
  if (!seq || seq.tag !== 0x30 || seq.end !== sig.length) return false;
  const r = readTlv(sig, seq.start, seq.end);
  if (!r || r.tag !== 0x02 || r.end === r.start) return false;
  const s = readTlv(sig, r.end, seq.end);
  return !!s && s.tag === 0x02 && s.end > s.start && s.end === seq.end;
}
