import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal } from './decimal.js';
import { readJson } from './json-text.js';
import { MAX_OCMF_LENGTH, parseOcmf } from './parse-ocmf.js';
import { generated, real } from './test-helpers/samples.js';
import { JsonNumber, type JsonValue, type ParsedOcmf } from './types.js';

const ok = (text: string): ParsedOcmf => {
  const r = parseOcmf(text);
  if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
  return r;
};
const realText = (id: string) => real.ocmf(real.entries.find((e) => e.id === id)!);

describe('parseOcmf', () => {
  it('reads the generated begin record and keeps the payload section byte for byte', () => {
    const text = generated.file('tx-1-begin.ocmf');
    const r = ok(text);
    expect(r.payloadText).toBe(text.slice(5, text.indexOf('}|{') + 1));
    expect(r.payload).toMatchObject({ FV: '1.0', GS: 'EXCP2200012345', PG: 'T171', MS: 'EXM0012345678', IS: true, IL: 'TRUSTED', IF: ['RFID_PLAIN', 'OCPP_AUTH_TLS'], IT: 'ISO14443', ID: '04A1B2C3D4E5F6', CT: 'EVSEID', CI: 'DE*EXA*E0001234*1' });
    const rd = r.payload.readings[0];
    expect(rd).toMatchObject({ TX: 'B', RI: '1-0:1.8.0', RU: 'kWh', RT: 'AC', EF: '', ST: 'G', timeStatus: 'S' });
    expect(rd.RV).toMatchObject({ text: '1234.560', fromString: false });
    expect(formatDecimal(rd.RV!.decimal!)).toBe('1234.56');
    expect(rd.time?.toISOString()).toBe('2025-03-14T08:15:02.000Z');
    expect(r.signature).toMatchObject({ SA: 'ECDSA-secp256r1-SHA256' });
    expect(r.issues).toEqual([]);
  });

  it('inherits omitted reading fields from the previous reading (LEM DCBM)', () => {
    const [b, bExport, e, eExport] = ok(realText('VW_OCMF_load.1')).payload.readings;
    expect(b.extensions.UC).toBeInstanceOf(Map);
    expect(bExport).toMatchObject({ TX: 'B', TM: b.TM, RT: 'DC', EF: '', RI: '1-0:2.8.0' });
    expect(bExport.inherited.sort()).toEqual(['EF', 'RT', 'TM', 'TX']);
    expect(e).toMatchObject({ TX: 'E', RV: { text: '58.685' } });
    expect(eExport).toMatchObject({ TX: 'E', TM: e.TM });
  });

  it('keeps numbers where strings belong, padded string values and vendor keys (TwinCharger, DZG, BAUER)', () => {
    const cp = ok(realText('chargepoint_3.1'));
    expect(cp.payload).toMatchObject({ FV: '1.0', CT: '0' });
    expect(cp.payload.extensions.UCPN).toBe('101');
    expect(cp.signature.SE).toBe('base64');
    expect(cp.issues.join(';')).toMatch(/FV is a number/);
    const dzg = ok(realText('OCMF_Test_Data_00.1'));
    expect(dzg.payload.readings[0].RV).toMatchObject({ text: '       9.038', fromString: true });
    expect(formatDecimal(dzg.payload.readings[0].RV!.decimal!)).toBe('9.038');
    const bauer = ok(realText('20211007-device-with-evt-ocmf-sss-ses.1')).payload.readings[0];
    expect((bauer.extensions.XV as JsonNumber).text).toBe('76040');
    expect(bauer).toMatchObject({ EF: 'Et', ST: 'E' });
  });

  it('reads every real fixture', () => {
    for (const e of real.entries) expect(parseOcmf(real.ocmf(e)).ok, e.id).toBe(true);
  });

  it('notes missing MS (KEBA) without failing', () => {
    expect(ok(realText('test_ocmf_keba_kcp30.1')).issues).toContain('MS missing');
  });

  it('ignores a 4th section but says so', () => {
    const r = ok(`${generated.file('tx-1-begin.ocmf')}|3059...`);
    expect(r.extraSections).toEqual(['3059...']);
    expect(r.issues[0]).toMatch(/ignored/);
  });

  it.each([
    ['truncated sample', generated.file('broken-truncated.ocmf'), 'truncated'],
    ['garbage sample', generated.file('broken-garbage.ocmf'), 'not-ocmf'],
    ['header only', 'OCM', 'truncated'],
    ['empty', '', 'empty'],
    ['number', 42, 'not-string'],
    ['signature cut', generated.file('tx-1-begin.ocmf').slice(0, -10), 'truncated'],
    ['payload not JSON', 'OCMF|{"a":1,}|{"SD":"00"}', 'bad-json'],
    ['duplicate key', 'OCMF|{"PG":"T1","PG":"T2"}|{"SD":"00"}', 'bad-json'],
    ['payload an array', 'OCMF|[1]|{"SD":"00"}', 'bad-payload'],
    ['no SD', 'OCMF|{}|{"SA":"x"}', 'bad-signature-section'],
    ['too large', `OCMF|{"X":"${'a'.repeat(MAX_OCMF_LENGTH)}"}|{"SD":"00"}`, 'too-large'],
  ])('%s -> %s', (_name, input, reason) => {
    expect(parseOcmf(input)).toMatchObject({ ok: false, reason });
  });
});

describe('readJson', () => {
  it('keeps number text and key order, decodes escapes', () => {
    const r = readJson('{"b":1.0e+3,"a":[-0.50,"x\\u00e9\\n\\"q"],"c":null}');
    expect(r.ok).toBe(true);
    const m = (r as { value: Map<string, unknown> }).value;
    expect([...m.keys()]).toEqual(['b', 'a', 'c']);
    expect((m.get('b') as JsonNumber).text).toBe('1.0e+3');
    expect(m.get('a')).toEqual([new JsonNumber('-0.50'), 'xé\n"q']);
  });

  it.each(['{"a":01}', '{"a":.5}', '{"a":tru}x', '{"a":"\u0001"}', "{'a':1}", '[1,]', '{"a":1} x'])('refuses %s', (t) => {
    expect(readJson(t).ok).toBe(false);
  });

  it.each(['{"a":', '{"a":"abc', '{"a":tr', '[1,2', '{"a":"\\'])('reports %s as truncated', (t) => {
    expect(readJson(t)).toMatchObject({ ok: false, truncated: true });
  });

  /** readJson's value as JSON.parse would give it (numbers by value, objects as plain objects). */
  const plain = (v: JsonValue): unknown =>
    v instanceof JsonNumber ? v.value : Array.isArray(v) ? v.map(plain) : v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)])) : v;
  const hasDuplicateKeys = (t: string) => /"(\w*)":.*"\1":/.test(t);

  it('reads any JSON text as JSON.parse does, and keeps every number as written', () => {
    const text = fc.jsonValue({ maxDepth: 4 }).chain((v) => fc.constantFrom(JSON.stringify(v), JSON.stringify(v, null, 2), ` ${JSON.stringify(v, null, '\t')}\r\n`));
    fc.assert(fc.property(text, (t) => {
      const r = readJson(t);
      if (!r.ok) throw new Error(`${r.message} in ${t}`);
      expect(plain(r.value)).toEqual(JSON.parse(t));
      const numbers: string[] = [];
      const walk = (v: JsonValue): void => void (v instanceof JsonNumber ? numbers.push(v.text) : Array.isArray(v) ? v.forEach(walk) : v instanceof Map ? [...v.values()].forEach(walk) : 0);
      walk(r.value);
      for (const n of numbers) expect(t).toContain(n);
    }), { numRuns: 500 });
  });

  it('accepts exactly what JSON.parse accepts (duplicate keys aside), whatever the bytes', () => {
    const near = fc.tuple(fc.json({ maxDepth: 2 }), fc.nat(), fc.string({ unit: 'binary-ascii', maxLength: 3 }), fc.nat(4))
      .map(([t, at, s, cut]) => t.slice(0, at % (t.length + 1)) + s + t.slice((at % (t.length + 1)) + cut));
    fc.assert(fc.property(fc.oneof(near, fc.string({ unit: 'binary-ascii', maxLength: 30 })), (t) => {
      let parses = true;
      try {
        JSON.parse(t);
      } catch {
        parses = false;
      }
      if (parses && hasDuplicateKeys(t)) return;
      expect(readJson(t).ok, t).toBe(parses);
    }), { numRuns: 3000 });
  });

  it('refuses deep nesting without overflowing the stack', () => {
    expect(readJson('['.repeat(20_000) + ']'.repeat(20_000)).ok).toBe(false);
  });
});
