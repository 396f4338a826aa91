import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTransaction } from './check-transaction.js';
import { decodeSignedValue } from './decode-signed-value.js';
import { parseOcmf } from './parse-ocmf.js';
import { parsePublicKey } from './public-key.js';
import { buildOcpiSignedData, signedEnergyWh } from './signed-data.js';
import { generated } from './test-helpers/samples.js';
import { buildTransparencyXml } from './transparency-export.js';
import { verifyOcmf } from './verify-ocmf.js';

const key = generated.key();
const good = generated.file('tx-4-end.ocmf');
const facts = { startedAt: new Date('2025-03-14T08:15:02Z'), endedAt: new Date('2025-03-14T08:52:41Z'), energyWh: 16480 };

function everything(s: string): void {
  parseOcmf(s);
  const d = decodeSignedValue(s);
  verifyOcmf(d.ok ? d.ocmf : s, key);
  verifyOcmf(s, s);
  parsePublicKey(s, 'secp256r1');
  checkTransaction([{ raw: s, context: 'begin' }, { raw: good, context: 'end' }], facts, { publicKey: key });
  buildOcpiSignedData([{ raw: s, context: 'end' }]);
  signedEnergyWh([s, good]);
  buildTransparencyXml([{ raw: s, context: 'end', publicKey: s }]);
}

/** Valid records with random edits: cut, character replaced, section duplicated. */
const mutated = fc
  .tuple(fc.nat(good.length), fc.nat(good.length), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('cut', 'replace', 'insert', 'hex', 'base64'))
  .map(([a, b, s, how]) => {
    const [i, j] = [Math.min(a, b), Math.max(a, b)];
    if (how === 'cut') return good.slice(0, j);
    if (how === 'replace') return good.slice(0, i) + s + good.slice(j);
    if (how === 'insert') return good.slice(0, i) + s + good.slice(i);
    const cut = Buffer.from(good.slice(0, j));
    return how === 'hex' ? cut.toString('hex') : cut.toString('base64');
  });

describe('never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => void everything(s)), { numRuns: 300 });
  });

  it('on strings that look like OCMF', () => {
    const json = fc.json({ maxDepth: 3 });
    const ocmfish = fc.tuple(json, json, fc.string({ maxLength: 20 })).map(([p, s, tail]) => `OCMF|${p}|${s}${tail}`);
    fc.assert(fc.property(ocmfish, (s) => void everything(s)), { numRuns: 300 });
  });

  it('on mutated valid records, which never verify unless unchanged', () => {
    fc.assert(
      fc.property(mutated, (s) => {
        everything(s);
        const d = decodeSignedValue(s);
        const status = verifyOcmf(d.ok ? d.ocmf : s, key).status;
        if (status === 'verified') expect(d.ok && d.ocmf.split('|')[1]).toBe(good.split('|')[1]);
      }),
      { numRuns: 300 },
    );
  });

  it('on non-strings', () => {
    for (const v of [null, undefined, 42, {}, [], Symbol('x')]) {
      expect(parseOcmf(v).ok).toBe(false);
      expect(decodeSignedValue(v).ok).toBe(false);
      expect(parsePublicKey(v).ok).toBe(false);
    }
  });
});

describe('large input', () => {
  const blob = `OCMF|{"RD":[${'{"RV":1},'.repeat(12_000)}{}]}|{"SD":"00"}`;
  it.each([
    ['parseOcmf', () => parseOcmf(blob)],
    ['decodeSignedValue', () => decodeSignedValue(blob)],
    ['verifyOcmf', () => verifyOcmf(blob, key)],
    ['decode of 100 KB base64', () => decodeSignedValue(Buffer.from(blob).toString('base64'))],
    ['checkTransaction', () => checkTransaction([{ raw: blob, context: 'end' }], facts)],
  ])('a 100 KB blob is refused quickly by %s', (_name, run) => {
    expect(blob.length).toBeGreaterThan(100_000);
    const t0 = performance.now();
    const r = run();
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(20);
    expect(JSON.stringify(r)).toMatch(/too-large/);
  });

  it('a 30 KB record (within the limit) parses in well under 50 ms', () => {
    const big = `OCMF|{"PG":"T1","RD":[${'{"TM":"2025-03-14T09:15:02,000+0100 S","TX":"C","RV":1234.560,"RU":"kWh","ST":"G"},'.repeat(370)}{}]}|{"SD":"00"}`;
    expect(big.length).toBeLessThan(32_768);
    const t0 = performance.now();
    const r = parseOcmf(big);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(r.ok && r.payload.readings.length).toBe(371);
  });
});
