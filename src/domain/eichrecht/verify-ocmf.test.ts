import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CURVES } from './curves.js';
import { decodeSignedMeterValue, decodeSignedValue } from './decode-signed-value.js';
import { generated, real, signedValuesOf } from './test-helpers/samples.js';
import type { CurveName, VerifyStatus } from './types.js';
import { verifyOcmf } from './verify-ocmf.js';

const EXPECTED: Record<string, VerifyStatus> = { valid: 'verified', invalid: 'invalid-signature', unparseable: 'malformed' };
const key = generated.key();

describe('generated samples (manifest)', () => {
  it.each(generated.manifest.samples.map((s) => [s.file, s.expected] as const))('%s is %s', (file, expected) => {
    const r = verifyOcmf(generated.file(file), key);
    expect(r.status, r.reason).toBe(EXPECTED[expected]);
  });

  it('broken-wrong-key verifies with the wrong key (control)', () => {
    expect(verifyOcmf(generated.file('broken-wrong-key.ocmf'), generated.wrongKey()).status).toBe('verified');
  });

  it.each(['test-key.public.spki.hex', 'test-key.public.spki.b64', 'test-key.public.pem'])('the test key as %s verifies tx-1', (f) => {
    expect(verifyOcmf(generated.file('tx-1-begin.ocmf'), generated.file(f)).status).toBe('verified');
  });
});

// Per-record results of Node's OpenSSL listed in shared/ocmf-samples/README.md ("verify.mjs output"); every other record verifies.
const REAL_INVALID = new Set(['test_ocmf_keba_kcp30_fail.1', 'test_ocmf_ebee_02.1', 'second_key_fail_ocmf.2', 'OCMF-receipt-with_import_and_export.1', 'OCMF-receipt-with_publickey_and_data.1']);

describe('real Transparenzsoftware fixtures (manifest)', () => {
  const rows = real.entries.map((e) => [e.id, REAL_INVALID.has(e.id) ? 'invalid-signature' : 'verified', e] as const);

  it.each(rows)('%s is %s', (_id, expected, e) => {
    const r = verifyOcmf(real.ocmf(e), real.key(e));
    expect(r.status, r.reason).toBe(expected);
  });

  it.each(rows)('%s is %s with @noble/curves too (secp192k1: unsupported there)', (_id, expected, e) => {
    const r = verifyOcmf(real.ocmf(e), real.key(e), { engine: 'noble' });
    const noNoble = r.curve === 'secp192k1';
    expect(r.status, r.reason).toBe(noNoble && expected === 'verified' ? 'unsupported-curve' : expected);
  });

  const files = [...new Set(real.entries.filter((e) => e.expectedUpstream !== 'no upstream assertion').map((e) => e.xml))];
  it.each(files)('whole file %s as the upstream test asserts', (xml) => {
    const es = real.entries.filter((e) => e.xml === xml);
    const allValid = es.every((e) => verifyOcmf(real.ocmf(e), real.key(e)).status === 'verified');
    expect(allValid ? 'valid' : 'invalid').toBe(es[0].expectedUpstream);
  });

  it('second_key_fail: the end record verifies with the begin key', () => {
    const [b, e] = real.entries.filter((x) => x.id.startsWith('second_key_fail'));
    expect(verifyOcmf(real.ocmf(e), real.key(b)).status).toBe('verified');
    expect(verifyOcmf(real.ocmf(e), real.key(e)).reason).toMatch(/key curve secp256r1 does not match SA curve secp256k1/);
  });
});

describe('OCPP messages: extract, decode, verify as the adapters would', () => {
  const sampleOf = (name: string) => name.replace(/^[A-Za-z]+\./, '').replace(/\.json$/, '').replace(/\.(whitepaper-style|plain)$/, '');
  const expectedOf = (name: string) => generated.manifest.samples.find((s) => s.file === `${sampleOf(name)}.ocmf`)?.expected ?? 'valid';
  const rows = (dir: 'ocpp16' | 'ocpp201') => generated.messages(dir).map((f) => [f, expectedOf(f)] as const);

  it.each(rows('ocpp16'))('1.6 %s -> %s', (f, expected) => {
    const values = signedValuesOf(generated.message('ocpp16', f));
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) {
      const d = decodeSignedValue(v.raw);
      const status = d.ok ? verifyOcmf(d.ocmf, key).status : 'malformed';
      expect(status).toBe(EXPECTED[expected]);
      if (d.ok && !f.startsWith('StopTransaction')) expect(d.ocmf).toBe(generated.file(`${sampleOf(f)}.ocmf`));
      if (d.ok && d.envelope) expect(d.publicKey).toBe(generated.file('test-key.public.spki.b64').trim());
    }
  });

  it.each(rows('ocpp201'))('2.0.1 %s -> %s', (f, expected) => {
    const [v] = signedValuesOf(generated.message('ocpp201', f));
    const d = decodeSignedMeterValue(v.signedMeterValue!);
    const status = d.ok ? verifyOcmf(d.ocmf, d.publicKey).status : 'malformed';
    expect(status).toBe(EXPECTED[expected]);
    if (d.ok) expect(d.ocmf).toBe(generated.file(`${sampleOf(f)}.ocmf`).trim());
  });
});

describe('all OCMF curves, signed here with Node keys', () => {
  const payload = '{"FV":"1.0","PG":"T1","MS":"X1","RD":[{"TM":"2025-01-01T00:00:00,000+0000 S","TX":"B","RV":1.000,"RU":"kWh","ST":"G"}]}';
  it.each(Object.values(CURVES).map((c) => [c.name, c.openssl] as const))('%s', (name: CurveName, openssl) => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: openssl });
    const sd = crypto.sign('sha256', Buffer.from(payload), { key: privateKey, dsaEncoding: 'der' }).toString('hex');
    const ocmf = `OCMF|${payload}|{"SA":"ECDSA-${name}-SHA256","SD":"${sd}"}`;
    const hex = publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
    expect(verifyOcmf(ocmf, hex).status).toBe('verified');
    expect(verifyOcmf(ocmf, hex, { engine: 'noble' }).status).toBe(CURVES[name].noble ? 'verified' : 'unsupported-curve');
    expect(verifyOcmf(ocmf.replace('"RV":1.000', '"RV":1.001'), hex).status).toBe('invalid-signature');
  });
});

describe('results, not exceptions', () => {
  const tx1 = generated.file('tx-1-begin.ocmf');
  it.each([
    ['no key', tx1, undefined, 'no-public-key'],
    ['empty key', tx1, '  ', 'no-public-key'],
    ['unreadable key', tx1, 'not a key!', 'no-public-key'],
    ['unknown curve in SA', tx1.replace('secp256r1', 'secp521r1'), key, 'unsupported-curve'],
    ['other hash', tx1.replace('SHA256', 'SHA512'), key, 'unsupported-curve'],
    ['unknown SE', tx1.replace('"SD"', '"SE":"base32","SD"'), key, 'malformed'],
    ['unknown SM', tx1.replace('"SD"', '"SM":"application/x-raw","SD"'), key, 'malformed'],
    ['SD not hex', tx1.replace('"SD":"30', '"SD":"zz'), key, 'malformed'],
    ['SD cut', tx1.replace(/"SD":"(\w+)\w{4}"/, '"SD":"$1"'), key, 'invalid-signature'],
    ['garbage', 'hello', key, 'malformed'],
  ])('%s', (_name, text, k, status) => {
    expect(verifyOcmf(text, k).status).toBe(status);
  });

  it('SA absent means secp256r1 (KEBA)', () => {
    const e = real.entries.find((x) => x.id === 'test_ocmf_keba_kcp30.1')!;
    expect(verifyOcmf(real.ocmf(e), real.key(e))).toMatchObject({ status: 'verified', curve: 'secp256r1' });
  });
});
