import { describe, expect, it } from 'vitest';
import { buildOcpiSignedData, signedEnergyWh } from './signed-data.js';
import { generated, real, signedValuesOf } from './test-helpers/samples.js';
import type { OcmfContext } from './types.js';

const TX = generated.manifest.transaction;
const CONTEXTS: OcmfContext[] = ['begin', 'intermediate', 'intermediate', 'end'];
const URL_TPS = 'https://transparenz.software/';
const expectedText = generated.cdrText();
const asFile = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const realText = (id: string) => real.ocmf(real.entries.find((e) => e.id === id)!);

describe('buildOcpiSignedData', () => {
  it('equals shared/ocmf-samples/generated/ocpi/cdr.signed_data.good-transaction.json byte for byte', () => {
    const values = TX.map((f, i) => ({ raw: generated.file(f), context: CONTEXTS[i] }));
    const r = buildOcpiSignedData(values, { publicKey: generated.key(), url: URL_TPS });
    expect(r.ok && r.warnings).toEqual([]);
    expect(r.ok && asFile(r.signedData)).toBe(expectedText);
  });

  it('gives the same object from the raw values as OCPP 2.0.1 and the OCA 1.6 envelope carry them', () => {
    const from201 = TX.flatMap((f) => signedValuesOf(generated.message('ocpp201', `TransactionEvent.${f.replace('.ocmf', '.json')}`)));
    const r201 = buildOcpiSignedData(from201, { publicKey: from201[0].signedMeterValue!.publicKey, url: URL_TPS });
    expect(r201.ok && asFile(r201.signedData)).toBe(expectedText);
    const stop = signedValuesOf(generated.message('ocpp16', 'StopTransaction.good-transaction.whitepaper-style.json'));
    const r16 = buildOcpiSignedData(stop, { publicKey: generated.key() });
    const expected = JSON.parse(expectedText);
    expect(r16.ok && r16.signedData.signed_values).toEqual([expected.signed_values[0], expected.signed_values[3]]);
  });

  it('with the 2.2.1-d2 limit of 512 sends the payload section as plain_data and says so', () => {
    const r = buildOcpiSignedData([{ raw: generated.file(TX[0]), context: 'begin' }, { raw: generated.file(TX[3]), context: 'end' }], { plainDataLimit: 512 });
    if (!r.ok) throw new Error(r.message);
    const text = generated.file(TX[0]);
    expect(r.signedData.signed_values[0].plain_data).toBe(text.split('|')[1]);
    expect(Buffer.from(r.signedData.signed_values[0].signed_data, 'base64').toString('utf8')).toBe(text);
    expect(r.warnings).toHaveLength(2);
    expect(r.signedData).not.toHaveProperty('public_key');
  });

  it('sends an MR record (begin and end in one record) once as End, or as Start and End on request', () => {
    const raw = realText('test_ocmf_keba_kcp30.1');
    const one = buildOcpiSignedData([{ raw, context: 'begin' }]);
    expect(one.ok && one.signedData.signed_values.map((v) => v.nature)).toEqual(['End']);
    const two = buildOcpiSignedData([{ raw, context: 'end' }], { singleRecord: 'StartAndEnd' });
    expect(two.ok && two.signedData.signed_values.map((v) => v.nature)).toEqual(['Start', 'End']);
    const onlyBegin = buildOcpiSignedData([{ raw: generated.file(TX[0]), context: 'begin' }]);
    expect(onlyBegin.ok && onlyBegin.signedData.signed_values.map((v) => v.nature)).toEqual(['Start']);
  });

  it('never truncates: a record whose base64 exceeds 5000 characters fails the build', () => {
    const big = `OCMF|{"PG":"T1","X":"${'a'.repeat(4000)}"}|{"SD":"00"}`;
    expect(buildOcpiSignedData([{ raw: big, context: 'end' }])).toMatchObject({ ok: false, reason: 'signed-data-too-long', index: 0 });
  });

  it('leaves out an unreadable intermediate, fails on an unreadable begin or end', () => {
    const garbage = generated.file('broken-garbage.ocmf');
    const r = buildOcpiSignedData([{ raw: generated.file(TX[0]), context: 'begin' }, { raw: garbage, context: 'intermediate' }, { raw: generated.file(TX[3]), context: 'end' }]);
    expect(r.ok && r.signedData.signed_values.length).toBe(2);
    expect(r.ok && r.warnings[0]).toMatch(/intermediate value 1 left out/);
    expect(buildOcpiSignedData([{ raw: garbage, context: 'end' }])).toMatchObject({ ok: false, reason: 'undecodable' });
    expect(buildOcpiSignedData([])).toMatchObject({ ok: false, reason: 'no-values' });
  });
});

describe('signedEnergyWh', () => {
  it.each([
    ['good transaction', TX.map((f) => generated.file(f)), '16480'],
    ['begin + tampered end', [generated.file(TX[0]), generated.file('broken-tampered-reading.ocmf')], '26480'],
    ['KEBA MR record, 4 decimals of kWh', [realText('test_ocmf_keba_kcp30.1')], '0.1'],
    ['LEM import register, export ignored', [realText('VW_OCMF_load.1')], '1101'],
    ['DZG padded strings, sec register ignored', [realText('OCMF_Test_Data_00.1'), realText('OCMF_Test_Data_00.2')], '0'],
    ['second_key_fail', [realText('second_key_fail_ocmf.1'), realText('second_key_fail_ocmf.2')], '898'],
  ])('%s -> %s Wh', (_name, raws, wh) => {
    expect(signedEnergyWh(raws)).toMatchObject({ ok: true, energyWh: wh });
  });

  it('reports start and end', () => {
    expect(signedEnergyWh([generated.file(TX[0]), generated.file(TX[3])])).toEqual({ ok: true, energyWh: '16480', startWh: '1234560', endWh: '1251040', register: '1-0:1.8.0' });
  });

  it.each([
    ['no values', [], 'no-records'],
    ['garbage', ['nope'], 'unreadable'],
    ['only a time register', ['OCMF|{"RD":[{"RV":5,"RU":"sec"}]}|{"SD":"00"}'], 'no-energy-register'],
  ])('%s -> %s', (_name, raws, reason) => {
    expect(signedEnergyWh(raws)).toMatchObject({ ok: false, reason });
  });
});
