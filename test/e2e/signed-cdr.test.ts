/**
 * Eichrecht from charger to eMSP: a signed session over OCPP 1.6 and one over 2.0.1 (the shared OCMF sample
 * messages, as a German charger sends them) end in a CDR over OCPI HTTP whose `signed_data` carries exactly the
 * bytes the meter signed — checked again here with the meter's public key — and bills the signed energy.
 */
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const samples = new URL('../fixtures/ocmf-samples/generated/', import.meta.url);
const keyHex = readFileSync(new URL('test-key.public.spki.hex', samples), 'utf8').trim();
const publicKey = createPublicKey({ key: Buffer.from(keyHex, 'hex'), format: 'der', type: 'spki' });
const call = (dir: string, name: string) => JSON.parse(readFileSync(new URL(`${dir}/${name}.json`, samples), 'utf8'))[3] as Record<string, any>;

let bridge: TestBridge;
let emsp: TestEmsp;
const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;

beforeAll(async () => {
  const site = siteConfig([{ identity: 'CP-EICH-16', evses: 1 }, { identity: 'CP-EICH-201', evses: 1 }], { ocpi: { token_a: 'eich-token-a', cdr_settle_s: 0 } });
  for (const c of site.ocpp.chargers) c.meter_public_key = keyHex;
  bridge = await startTestBridge(site);
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'eich-token-a')).body.status_code).toBe(1000);
  const platform = (sqlite().prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered'").get() as { id: number }).id;
  // the sample's idTag belongs to this eMSP (as its Tokens push would record it)
  sqlite().prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', 'EMS', '04A1B2C3D4E5F6', 'RFID', 'NL-EMS-C1', 1, 'ALWAYS', 'emsp', ?, ?)`).run(platform, Date.now());
});
afterAll(async () => {
  await bridge?.close();
  await emsp?.close();
});

/** Every signed value of the CDR decodes to an OCMF string whose payload verifies with the meter key. */
function checkSignedData(cdr: any, expectedRaw: string[]): void {
  expect(cdr.signed_data).toMatchObject({ encoding_method: 'OCMF', public_key: Buffer.from(keyHex, 'hex').toString('base64') });
  const values = cdr.signed_data.signed_values as Array<{ nature: string; plain_data: string; signed_data: string }>;
  expect(values.map((v) => v.nature)).toEqual(['Start', 'Intermediate', 'Intermediate', 'End']);
  for (const [i, v] of values.entries()) {
    const text = Buffer.from(v.signed_data, 'base64').toString('utf8');
    expect(text).toBe(expectedRaw[i]);
    expect(v.plain_data).toBe(text);
    const [, payload, signature] = text.split('|');
    expect(verify('sha256', Buffer.from(payload!), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(JSON.parse(signature!).SD, 'hex'))).toBe(true);
  }
  expect(cdr.total_energy).toBe(16.48); // 1251.040 - 1234.560 kWh from the signed registers
  expect(cdr.meter_id).toBe('EXM0012345678');
}

const ocmf = (name: string) => readFileSync(new URL(`${name}.ocmf`, samples), 'utf8');
const expectedRaw = ['tx-1-begin', 'tx-2-intermediate', 'tx-3-intermediate-tariff', 'tx-4-end'].map(ocmf);

describe('signed data from charger to eMSP', () => {
  it('OCPP 1.6: MeterValues and StopTransaction with SignedData end in a CDR carrying the signed bytes', async () => {
    const charger: Probe = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-EICH-16' });
    const { transactionId } = await charger.call('StartTransaction', { connectorId: 1, idTag: '04A1B2C3D4E5F6', meterStart: 1_234_560, timestamp: '2025-03-14T08:15:02.000Z' });
    for (const name of ['MeterValues.tx-1-begin', 'MeterValues.tx-2-intermediate', 'MeterValues.tx-3-intermediate-tariff']) await charger.call('MeterValues', { ...call('ocpp16', name), transactionId });
    await charger.call('StopTransaction', { ...call('ocpp16', 'StopTransaction.good-transaction.plain'), transactionId });
    await expect.poll(() => emsp.cdrs().length, { timeout: 10_000 }).toBe(1);
    checkSignedData(emsp.cdrs()[0], expectedRaw);
    await charger.close();
  });

  it('OCPP 2.0.1: TransactionEvents with signedMeterValue end in a CDR carrying the signed bytes', async () => {
    const charger: Probe = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-EICH-201', protocol: 'ocpp2.0.1' });
    for (const name of ['TransactionEvent.tx-1-begin', 'TransactionEvent.tx-2-intermediate', 'TransactionEvent.tx-3-intermediate-tariff', 'TransactionEvent.tx-4-end']) {
      await charger.call('TransactionEvent', call('ocpp201', name));
    }
    await expect.poll(() => emsp.cdrs().length, { timeout: 10_000 }).toBe(2);
    checkSignedData(emsp.cdrs()[1], expectedRaw);
    await charger.close();
  });
});
