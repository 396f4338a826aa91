/**
 * Eichrecht over OCPP 1.6 end to end: the shared OCMF sample messages sent by a charger over a real
 * WebSocket are stored byte for byte, verified with the meter key from the site config, checked as a
 * transaction, and every failure is a fault (and counted in /metrics) while the charger gets its normal answer.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const samples = new URL('../fixtures/ocmf-samples/generated/', import.meta.url);
const testKeyHex = readFileSync(new URL('test-key.public.spki.hex', samples), 'utf8').trim();
const message = (name: string) => JSON.parse(readFileSync(new URL(`ocpp16/${name}.json`, samples), 'utf8'))[3] as Record<string, any>;

let bridge: TestBridge;
let signed: Probe;
let unkeyed: Probe;

beforeAll(async () => {
  const site = siteConfig([{ identity: 'CP-SIGNED', evses: 1 }, { identity: 'CP-NOKEY', evses: 1 }], { ocpp: { accept_unknown_tokens: true } });
  site.ocpp.chargers[0].meter_public_key = testKeyHex;
  bridge = await startTestBridge(site);
  signed = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-SIGNED' });
  unkeyed = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-NOKEY' });
});
afterAll(async () => {
  await signed.close();
  await unkeyed.close();
  await bridge.close();
});

let starts = 0;
/** Each test's StartTransaction has its own time: identical starts are retransmissions and get the same id. */
async function startTx(probe: Probe, at = new Date(Date.UTC(2025, 2, 14, 8, 15, 2) + starts++ * 1000).toISOString()): Promise<number> {
  const res = await probe.call('StartTransaction', { connectorId: 1, idTag: '04A1B2C3D4E5F6', meterStart: 1_234_560, timestamp: at });
  return res.transactionId;
}

function signedValues(payload: Record<string, any>, field: 'meterValue' | 'transactionData'): string[] {
  return payload[field].flatMap((mv: any) => mv.sampledValue.filter((sv: any) => sv.format === 'SignedData').map((sv: any) => sv.value));
}

async function settled<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  await expect.poll(() => done(read())).toBe(true);
  return read();
}

describe('Eichrecht over OCPP 1.6', () => {
  it('a signed session: stored byte for byte, every reading verified, the transaction passes its checks', async () => {
    const txId = await startTx(signed);
    const sent: string[] = [];
    for (const name of ['MeterValues.tx-1-begin', 'MeterValues.tx-2-intermediate', 'MeterValues.tx-3-intermediate-tariff']) {
      const payload = { ...message(name), transactionId: txId };
      sent.push(...signedValues(payload, 'meterValue'));
      expect(await signed.call('MeterValues', payload)).toEqual({});
    }
    const stop = { ...message('StopTransaction.good-transaction.plain'), transactionId: txId };
    sent.push(...signedValues(stop, 'transactionData'));
    await signed.call('StopTransaction', stop);
    const tx = bridge.store.findTransaction('CP-SIGNED', String(txId))!;
    const rows = await settled(() => bridge.store.listSignedReadings({ transactionRowId: tx.id }), (r) => r.length === sent.length && r.every((x) => x.verification !== null));
    expect(rows.map((r) => r.raw)).toEqual(sent);
    expect(rows.map((r) => r.context)).toEqual(['begin', 'intermediate', 'intermediate', 'begin', 'end']);
    expect(rows.every((r) => r.verification === 'verified')).toBe(true);
    expect(rows[0]!.verificationReason).toContain('key: charger');
    await new Promise((r) => setTimeout(r, 50));
    expect(bridge.store.listFaults({ identity: 'CP-SIGNED', open: true, limit: 50 }).filter((f) => f.source === 'eichrecht' && f.transactionRowId === tx.id)).toEqual([]);
  });

  it.each([
    ['broken-tampered-reading', 'invalid-signature'],
    ['broken-tampered-signature', 'invalid-signature'],
    ['broken-wrong-key', 'invalid-signature'],
    ['broken-whitespace-reformatted', 'invalid-signature'],
    ['broken-reserialized-json', 'invalid-signature'],
    ['broken-truncated', 'malformed'],
    ['broken-garbage', 'undecodable'],
  ])('%s is stored as received, flagged %s, and the charger gets its normal answer', async (name, verification) => {
    const txId = await startTx(signed);
    const payload = { ...message(`MeterValues.${name}`), transactionId: txId };
    expect(await signed.call('MeterValues', payload)).toEqual({});
    const tx = bridge.store.findTransaction('CP-SIGNED', String(txId))!;
    const [row] = await settled(() => bridge.store.listSignedReadings({ transactionRowId: tx.id }), (r) => r.length === 1 && r[0]!.verification !== null);
    expect(row!.raw).toBe(signedValues(payload, 'meterValue')[0]);
    expect(row!.verification).toBe(verification);
    const faults = bridge.store.listFaults({ identity: 'CP-SIGNED', open: true, limit: 200 }).filter((f) => f.transactionRowId === tx.id);
    expect(faults.map((f) => f.code)).toContain(`Eichrecht:${verification}`);
  });

  it('a reading from a meter without a known key is stored and marked "unverified: no public key", not rejected', async () => {
    const txId = await startTx(unkeyed);
    const payload = { ...message('MeterValues.tx-1-begin'), transactionId: txId };
    expect(await unkeyed.call('MeterValues', payload)).toEqual({});
    const tx = bridge.store.findTransaction('CP-NOKEY', String(txId))!;
    const [row] = await settled(() => bridge.store.listSignedReadings({ transactionRowId: tx.id }), (r) => r.length === 1 && r[0]!.verification !== null);
    expect(row).toMatchObject({ verification: 'no-public-key', verificationReason: 'unverified: no public key for this meter' });
  });

  it('an end record of another meter fails the transaction checks with a fault naming the transaction', async () => {
    const txId = await startTx(signed);
    await signed.call('MeterValues', { ...message('MeterValues.tx-1-begin'), transactionId: txId });
    const end = message('MeterValues.broken-swapped-meter-serial-end');
    await signed.call('StopTransaction', { transactionId: txId, meterStop: 1_251_040, timestamp: '2025-03-14T08:52:41.000Z', transactionData: end.meterValue });
    const tx = bridge.store.findTransaction('CP-SIGNED', String(txId))!;
    const faults = await settled(() => bridge.store.listFaults({ identity: 'CP-SIGNED', open: true, limit: 200 }).filter((f) => f.transactionRowId === tx.id && f.source === 'eichrecht'), (f) => f.length > 0);
    expect(faults.some((f) => /serial/i.test(f.code + f.message))).toBe(true);
    expect(faults.every((f) => f.message.includes(String(txId)) || f.message.includes('signed meter value'))).toBe(true);
  });

  it('a 100 KB signed blob is stored, flagged, and answered normally', async () => {
    const txId = await startTx(signed);
    const blob = `OCMF|{"RD":[${'{"TX":"T"},'.repeat(10_000)}{}]}|{}`;
    const res = await signed.call('MeterValues', { connectorId: 1, transactionId: txId, meterValue: [{ timestamp: '2025-03-14T10:05:00.000Z', sampledValue: [{ value: blob, format: 'SignedData', context: 'Sample.Periodic' }] }] });
    expect(res).toEqual({});
    const tx = bridge.store.findTransaction('CP-SIGNED', String(txId))!;
    const [row] = await settled(() => bridge.store.listSignedReadings({ transactionRowId: tx.id }), (r) => r.length === 1 && r[0]!.verification !== null);
    expect(row!.raw).toBe(blob);
    expect(['undecodable', 'malformed']).toContain(row!.verification);
  });

  it('counts verification results in /metrics', async () => {
    const text = await (await fetch(`${bridge.httpUrl}/metrics`)).text();
    expect(text).toMatch(/bridge_eichrecht_verifications_total\{result="verified"\} [1-9]/);
    expect(text).toMatch(/bridge_eichrecht_verifications_total\{result="invalid-signature"\} [1-9]/);
    expect(text).toMatch(/bridge_faults_raised_total\{source="eichrecht",code="Eichrecht:invalid-signature"\} [1-9]/);
  });
});
