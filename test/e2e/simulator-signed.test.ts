/**
 * Eichrecht end to end with the simulators' own meters: a 1.6 charge point and a 2.0.1 station sign their
 * transaction readings in OCMF with a P-256 key per identity; the bridge is configured with each public key
 * (hex SPKI, as an operator would copy it from the type plate). A good session is verified reading by reading
 * and passes the transaction checks, also when it ran offline and was replayed, and its CDR at the eMSP carries
 * the records exactly as signed; each broken variant ends in the fault the bridge owes for it.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCharger16 } from '../../firmware-sim/charger16.js';
import { MeterSigner, generateMeterKey, type SignedVariant } from '../../firmware-sim/ocmf.js';
import { SimulatedStation201 } from '../../firmware-sim/station201.js';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const TOKEN = '04A2B3C4D5E6F7';
const PROTOCOLS = ['1.6', '2.0.1'] as const;
/** What the bridge must report for each broken variant (fault codes raised on the transaction). */
const BROKEN: Array<[SignedVariant, string]> = [
  ['bad-signature', 'Eichrecht:invalid-signature'],
  ['wrong-meter-serial', 'Eichrecht:meter-serial-mismatch'],
  ['falling-reading', 'Eichrecht:reading-decreases'],
  ['pagination-gap', 'Eichrecht:pagination-gap'],
  ['time-outside-transaction', 'Eichrecht:time-outside-window'],
];
const VARIANTS: SignedVariant[] = ['good', ...BROKEN.map(([v]) => v)];
const identity = (protocol: string, name: SignedVariant | 'offline' | 'cdr') => `SIG${protocol.replace(/\./g, '')}-${name}`;

let bridge: TestBridge;
let emsp: TestEmsp;
const EMSP_TOKEN = '04A1B2C3D4E5F6';
const keys = new Map<string, KeyObject>();
const running: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  const ids = PROTOCOLS.flatMap((p) => [...VARIANTS, 'offline' as const, 'cdr' as const].map((v) => identity(p, v)));
  for (const id of ids) keys.set(id, generateMeterKey());
  const site = siteConfig(ids.map((id) => ({ identity: id, evses: 1 })), { ocpi: { token_a: 'signed-sim-token-a', cdr_settle_s: 0 } });
  for (const c of site.ocpp.chargers) c.meter_public_key = new MeterSigner(c.identity, { privateKey: keys.get(c.identity) }).publicKeyHex();
  bridge = await startTestBridge(site);
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'signed-sim-token-a')).body.status_code).toBe(1000);
  // the token belongs to this eMSP (as its Tokens push would record it), so the CDRs go to it
  const sqlite = (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
  const platform = (sqlite.prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered'").get() as { id: number }).id;
  sqlite.prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', 'EMS', ?, 'RFID', 'NL-EMS-C2', 1, 'ALWAYS', 'emsp', ?, ?)`).run(EMSP_TOKEN, platform, Date.now());
});
afterAll(async () => {
  for (const cp of running) await cp.close();
  await emsp?.close();
  expect(bridge.logs.filter((l) => l.msg === 'the bridge produced an off-schema OCPP message')).toEqual([]);
  await bridge.close();
});

/** One signed session (start, 10 minutes of charging with a signed periodic reading, stop) on a new simulator. */
async function session(protocol: (typeof PROTOCOLS)[number], variant: SignedVariant): Promise<{ id: string; transactionId: string; strictFailures: unknown[] }> {
  const id = identity(protocol, variant);
  const signed = { variant, privateKey: keys.get(id)! };
  if (protocol === '1.6') {
    const cp = new SimulatedCharger16({ url: bridge.ocppUrl, identity: id, signed });
    running.push(cp);
    await cp.connect();
    const { transactionId, status } = await cp.startTransaction(1, TOKEN);
    expect(status).toBe('Accepted');
    await cp.advance(1, 600);
    await cp.stopTransaction(1);
    return { id, transactionId: String(transactionId), strictFailures: cp.strictFailures };
  }
  const cs = new SimulatedStation201({ url: bridge.ocppUrl, identity: id, signed });
  running.push(cs);
  await cs.connect();
  const { transactionId, status } = await cs.startTransaction(1, TOKEN);
  expect(status).toBe('Accepted');
  await cs.advance(1, 600);
  await cs.stopTransaction(1);
  return { id, transactionId, strictFailures: cs.strictFailures };
}

/** Every OCMF record in a message: 1.6 SignedData values as they are, 2.0.1 signedMeterData base64-decoded. */
function ocmfIn(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('OCMF|') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(ocmfIn);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.signedMeterData === 'string') return [Buffer.from(o.signedMeterData, 'base64').toString('utf8')];
    return Object.values(o).flatMap(ocmfIn);
  }
  return [];
}

/**
 * The signed readings once all are verified. The bridge verifies them (and then checks the transaction) in
 * setImmediate callbacks queued in that order when the message is stored, so when the last reading carries its
 * result the transaction checks have run too.
 */
async function verifiedReadings(id: string, transactionId: string) {
  const tx = bridge.store.findTransaction(id, transactionId)!;
  expect(tx.status).toBe('ended');
  await expect.poll(() => bridge.store.listSignedReadings({ transactionRowId: tx.id }).every((r) => r.verification !== null)).toBe(true);
  const faults = bridge.store.listFaults({ identity: id, open: true, limit: 100 }).filter((f) => f.source === 'eichrecht' && f.transactionRowId === tx.id);
  return { tx, readings: bridge.store.listSignedReadings({ transactionRowId: tx.id }), faults };
}

describe.each(PROTOCOLS)('signed meter values from the OCPP %s simulator', (protocol) => {
  it('a good session: every reading is stored as sent, verified with the configured key, and the transaction checks pass', async () => {
    const { id, transactionId, strictFailures } = await session(protocol, 'good');
    expect(strictFailures).toEqual([]);
    const { tx, readings, faults } = await verifiedReadings(id, transactionId);
    // 1.6: begin (MeterValues), periodic, then begin + end again in StopTransaction.transactionData; 2.0.1: begin, periodic, end
    expect(readings.map((r) => r.context)).toEqual(protocol === '1.6' ? ['begin', 'intermediate', 'begin', 'end'] : ['begin', 'intermediate', 'end']);
    expect(readings.map((r) => r.verification)).toEqual(readings.map(() => 'verified'));
    expect(readings.every((r) => r.verificationReason?.includes('key: charger'))).toBe(true);
    const texts = readings.map((r) => (protocol === '1.6' ? r.raw : Buffer.from(r.raw, 'base64').toString('utf8')));
    expect(texts.every((t) => /^OCMF\|\{"FV":"1\.0",.*"PG":"T\d+",.*\}\|\{"SA":"ECDSA-secp256r1-SHA256","SD":"[0-9A-F]+"\}$/.test(t))).toBe(true);
    expect(faults).toEqual([]);
    expect(tx.meterStopWh! - tx.meterStartWh!).toBe(1833);
  });

  it('a session run entirely offline is replayed in order after reconnect and still verifies', async () => {
    const id = identity(protocol, 'offline');
    const signed = { privateKey: keys.get(id)! };
    let transactionId: string;
    let strictFailures: unknown[];
    if (protocol === '1.6') {
      const cp = new SimulatedCharger16({ url: bridge.ocppUrl, identity: id, signed });
      running.push(cp);
      await cp.connect();
      cp.goOffline();
      expect(await cp.startTransaction(1, TOKEN)).toMatchObject({ status: 'Queued' });
      const meter = cp.advance(1, 600);
      await cp.stopTransaction(1);
      await cp.goOnline();
      await meter;
      // the queued MeterValues and StopTransaction carried the id the central system gave the replayed start
      const start = cp.sent.find((m) => m.action === 'StartTransaction')!;
      transactionId = String(start.response.transactionId);
      expect(cp.sent.filter((m) => m.action === 'MeterValues' || m.action === 'StopTransaction').every((m) => m.params.transactionId === start.response.transactionId)).toBe(true);
      strictFailures = cp.strictFailures;
    } else {
      const cs = new SimulatedStation201({ url: bridge.ocppUrl, identity: id, signed });
      running.push(cs);
      await cs.connect();
      expect(await cs.authorize(TOKEN)).toBe('Accepted'); // now in the authorization cache: offline starts may use it
      cs.goOffline();
      ({ transactionId } = await cs.startTransaction(1, TOKEN));
      await cs.advance(1, 600);
      await cs.stopTransaction(1);
      expect(cs.queued).toBe(3);
      await cs.goOnline();
      expect(cs.sent.filter((m) => m.action === 'TransactionEvent').map((m) => [m.params.seqNo, m.params.offline])).toEqual([[0, true], [1, true], [2, true]]);
      strictFailures = cs.strictFailures;
    }
    expect(strictFailures).toEqual([]);
    const { tx, readings, faults } = await verifiedReadings(id, transactionId);
    // 2.0.1 says so (offline: true); a 1.6 start only counts as offline when it arrives over a minute late
    if (protocol === '2.0.1') expect(tx.offline).toBe(true);
    expect(readings.every((r) => r.verification === 'verified')).toBe(true);
    expect(faults).toEqual([]);
  });

  it('the CDR at the eMSP carries the signed records exactly as the meter signed them, and bills the signed energy', async () => {
    const id = identity(protocol, 'cdr');
    const signed = { privateKey: keys.get(id)! };
    const cp = protocol === '1.6' ? new SimulatedCharger16({ url: bridge.ocppUrl, identity: id, signed }) : new SimulatedStation201({ url: bridge.ocppUrl, identity: id, signed });
    running.push(cp);
    await cp.connect();
    const before = emsp.cdrs().length;
    expect((await cp.startTransaction(1, EMSP_TOKEN)).status).toBe('Accepted');
    await cp.advance(1, 900);
    await cp.advance(1, 900);
    await cp.stopTransaction(1);
    await expect.poll(() => emsp.cdrs().length, { timeout: 10_000 }).toBe(before + 1);
    const cdr = emsp.cdrs().at(-1);
    expect(cdr.signed_data).toMatchObject({ encoding_method: 'OCMF', public_key: Buffer.from(cp.publicKeyHex(), 'hex').toString('base64') });
    const values = cdr.signed_data.signed_values as Array<{ nature: string; plain_data: string; signed_data: string }>;
    expect(values.map((v) => v.nature)).toEqual(['Start', 'Intermediate', 'Intermediate', 'End']);
    const key = createPublicKey({ key: Buffer.from(cp.publicKeyHex(), 'hex'), format: 'der', type: 'spki' });
    const sentRecords = new Set(cp.sent.flatMap((m) => ocmfIn(m.params)));
    for (const v of values) {
      const text = Buffer.from(v.signed_data, 'base64').toString('utf8');
      expect(v.plain_data).toBe(text);
      const [, payload, signature] = text.split('|');
      expect(verify('sha256', Buffer.from(payload!), { key, dsaEncoding: 'der' }, Buffer.from(JSON.parse(signature!).SD, 'hex'))).toBe(true);
    }
    expect(values.every((v) => sentRecords.has(v.plain_data))).toBe(true);
    expect(cdr.total_energy).toBe(5.5); // 30 minutes at 11 kW, from the signed registers
    expect(cdr.meter_id).toBe(`${cp.serialNumber}-M1`);
  });

  it.each(BROKEN)('variant %s is stored and flagged: %s', async (variant, code) => {
    const { id, transactionId, strictFailures } = await session(protocol, variant);
    expect(strictFailures).toEqual([]);
    const { readings, faults } = await verifiedReadings(id, transactionId);
    expect(readings.length).toBeGreaterThanOrEqual(3);
    const codes = faults.map((f) => f.code);
    expect(codes).toContain(code);
    if (variant === 'bad-signature') {
      // only the end record's signature is broken
      expect(readings.map((r) => r.verification).filter((v) => v !== 'verified')).toEqual(['invalid-signature']);
      expect(readings.find((r) => r.verification === 'invalid-signature')?.context).toBe('end');
    } else expect(readings.every((r) => r.verification === 'verified')).toBe(true);
  });
});
