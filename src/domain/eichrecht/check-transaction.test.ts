import { describe, expect, it } from 'vitest';
import { checkTransaction } from './check-transaction.js';
import { generated, real, signedValuesOf } from './test-helpers/samples.js';
import type { OcmfContext, TransactionFacts, TransactionFinding, TransactionReadingInput } from './types.js';

const key = generated.key();
const TX = generated.manifest.transaction;
const CONTEXTS: OcmfContext[] = ['begin', 'intermediate', 'intermediate', 'end'];
const facts: TransactionFacts = {
  startedAt: new Date('2025-03-14T08:15:02.000Z'),
  endedAt: new Date('2025-03-14T08:52:41.000Z'),
  energyWh: 16480,
  idTag: '04A1B2C3D4E5F6',
  meterSerial: 'EXM0012345678',
};
const input = (files: string[], contexts = CONTEXTS): TransactionReadingInput[] => files.map((f, i) => ({ raw: generated.file(f), context: contexts[i] }));
const codes = (fs: TransactionFinding[], severity?: 'error' | 'warning') => [...new Set(fs.filter((f) => !severity || f.severity === severity).map((f) => f.code))].sort();

describe('the good transaction tx-1..tx-4', () => {
  it('passes without findings', () => {
    expect(checkTransaction(input(TX), facts, { publicKey: key })).toEqual([]);
  });

  it('passes when the values come as the OCPP messages carry them (1.6 MeterValues + StopTransaction, duplicates ignored)', () => {
    const values = [...TX.map((f) => `MeterValues.${f.replace('.ocmf', '.json')}`), 'StopTransaction.good-transaction.whitepaper-style.json']
      .flatMap((m) => signedValuesOf(generated.message('ocpp16', m)));
    const findings = checkTransaction(values, facts, { publicKey: key });
    expect(codes(findings)).toEqual(['duplicate-record']);
    expect(findings.map((f) => f.readingIndex)).toEqual([4, 5]);
  });

  it('passes from the 2.0.1 TransactionEvents (base64 signedMeterData)', () => {
    const values = TX.flatMap((f) => signedValuesOf(generated.message('ocpp201', `TransactionEvent.${f.replace('.ocmf', '.json')}`)));
    expect(checkTransaction(values, facts, { publicKey: key })).toEqual([]);
  });
});

describe('broken variants in place of the end record', () => {
  it.each([
    ['broken-swapped-meter-serial-end.ocmf', ['meter-serial-mismatch', 'meter-serial-unexpected']],
    ['broken-tampered-reading.ocmf', ['energy-mismatch', 'signature-invalid']],
    ['broken-tampered-signature.ocmf', ['signature-invalid']],
    ['broken-wrong-key.ocmf', ['signature-invalid']],
    ['broken-whitespace-reformatted.ocmf', ['signature-invalid']],
    ['broken-reserialized-json.ocmf', ['signature-invalid']],
    ['broken-truncated.ocmf', ['energy-mismatch', 'missing-end', 'unparseable']],
    ['broken-garbage.ocmf', ['energy-mismatch', 'missing-end', 'unparseable']],
  ])('%s -> %s', (file, expected) => {
    expect(codes(checkTransaction(input([...TX.slice(0, 3), file]), facts, { publicKey: key }), 'error')).toEqual(expected);
  });

  it('the manifest pair (tx-1 + swapped end) fails: other meter and a pagination gap', () => {
    for (const s of generated.manifest.samples.filter((x) => x.pairWith)) {
      const f = checkTransaction(input([s.pairWith!, s.file], ['begin', 'end']), facts, { publicKey: key });
      expect(f.some((x) => x.severity === 'error') ? 'fail' : 'pass').toBe(s.expectedPair);
      expect(codes(f, 'error')).toEqual(['meter-serial-mismatch', 'meter-serial-unexpected', 'pagination-gap']);
    }
  });
});

describe('transaction rules on the good records', () => {
  it.each<[string, TransactionReadingInput[], Partial<TransactionFacts>, string[]]>([
    ['no records', [], {}, ['no-records']],
    ['end before begin', input([TX[3], TX[0]], ['end', 'begin']), {}, ['energy-mismatch', 'missing-begin', 'missing-end', 'pagination-gap', 'reading-decreases', 'time-backwards', 'tx-order']],
    ['no begin record', input(TX.slice(1), ['intermediate', 'intermediate', 'end']), { energyWh: 10828 }, ['missing-begin']],
    ['no end record', input(TX.slice(0, 3)), { energyWh: 12330 }, ['missing-end']],
    ['an intermediate missing', input([TX[0], TX[2], TX[3]], ['begin', 'intermediate', 'end']), {}, ['pagination-gap']],
    ['bridge energy off by 2 Wh', input(TX), { energyWh: 16482 }, ['energy-mismatch']],
    ['transaction window 1 h later', input(TX), { startedAt: new Date('2025-03-14T09:15:02Z'), endedAt: new Date('2025-03-14T09:52:41Z') }, ['time-outside-window']],
    ['another registered meter', input(TX), { meterSerial: 'EXM0000000001' }, ['meter-serial-unexpected']],
  ])('%s', (_name, values, override, expected) => {
    expect(codes(checkTransaction(values, { ...facts, ...override }, { publicKey: key }), 'error')).toEqual(expected);
  });

  it('energy within the meter resolution passes, with extra tolerance too', () => {
    expect(checkTransaction(input(TX), { ...facts, energyWh: 16480.9 })).toEqual([]);
    expect(checkTransaction(input(TX), { ...facts, energyWh: 16490 }, { energyToleranceWh: 10 })).toEqual([]);
  });

  it('warns about another idTag, a wrong OCPP context and a reading signed after receipt', () => {
    const values = input(TX, ['begin', 'intermediate', 'end', 'end']);
    values[0].receivedAt = new Date('2025-03-14T08:00:00Z');
    const f = checkTransaction(values, { ...facts, idTag: 'DEADBEEF' });
    expect(codes(f, 'warning')).toEqual(['context-mismatch', 'identification-mismatch']);
    expect(codes(f, 'error')).toEqual(['time-after-receipt']);
    expect(f.find((x) => x.code === 'context-mismatch')?.readingIndex).toBe(2);
  });

  it('without a key the signature is not looked at', () => {
    expect(checkTransaction(input([...TX.slice(0, 3), 'broken-wrong-key.ocmf']), facts)).toEqual([]);
  });
});

describe('real begin/end pairs (Transparenzsoftware fixtures)', () => {
  const byXml = new Map<string, typeof real.entries>();
  for (const e of real.entries) byXml.set(e.xml, [...(byXml.get(e.xml) ?? []), e]);
  // Expected error codes; time status I/U and a missing MS only warn.
  const EXPECTED: Record<string, string[]> = {
    'test_ocmf_keba_kcp30.xml': [],
    'test_ocmf_keba_kcp30_fail.xml': ['signature-invalid'],
    'brainpoolP256r1.xml': [],
    'nistP384_0Wh.xml': [],
    'OCMF_Test_Data_00.xml': [],
    'ocmf_sec.xml': [],
    'Ocmf_Example_OBIS_98.8.0_2.8.0.xml': [],
    'VW_OCMF_load.xml': [],
    'chargepoint_3.xml': [],
    'ocmf_tariff_1.xml': [],
    '20211007-device-with-evt-ocmf-sss-ses.xml': ['error-flags', 'meter-status'],
    'test_ocmf_ebee_01.xml': [],
    'test_ocmf_ebee_02.xml': ['reading-decreases', 'signature-invalid'],
    'second_key_fail_ocmf.xml': [],
    'test_ocmf_transaction_two_values.xml': ['pagination-gap', 'tx-exception'],
    'OCMF-receipt-with_import_and_export.xml': ['error-flags', 'meter-status', 'signature-invalid'],
    'OCMF-receipt-with_publickey_and_data.xml': ['error-flags', 'meter-status', 'signature-invalid'],
  };
  it.each([...byXml.entries()].map(([xml, es]) => [xml.replace('transparenzsoftware/', ''), es] as const))('%s', (name, es) => {
    const values = es.map((e) => ({ raw: real.ocmf(e), context: (e.context === 'Transaction.Begin' ? 'begin' : 'end') as OcmfContext }));
    // The begin record's key for all (second_key_fail: the end's key text is a P-256 key, README).
    const f = checkTransaction(values, { startedAt: new Date(0) }, { publicKey: real.key(es[0]) });
    expect(codes(f, 'error')).toEqual(EXPECTED[name]);
  });
});
