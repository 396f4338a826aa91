/**
 * OCPI tokens and commands against the simulated OCPP 2.0.1 station (firmware-sim SimulatedStation201), as an
 * eMSP drives them over real HTTP: the whitelisted tokens the eMSP pushes reach the station's local list; a
 * START_SESSION becomes a transaction whose TransactionEvent carries the remoteStartId and whose session is the
 * eMSP's (COMMAND, its authorization_reference); UNLOCK during it is refused by the station (F05 → REJECTED);
 * STOP_SESSION ends it and the CDR follows; a reservation shows RESERVED and a cancellation frees the EVSE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedStation201 } from '../../firmware-sim/index.js';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp: TestEmsp;
let station: SimulatedStation201;

const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
const stamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const command = (name: string, body: Record<string, unknown>) => emsp.call('POST', `${bridge.httpUrl}/ocpi/2.2.1/commands/${name}`, { body });
const evseStatus = async () => (await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations/LOC-1/DE*EXA*E0001*1`)).body.data.status;
const token = (uid: string, type = 'APP_USER', whitelist = 'NEVER') => ({
  country_code: 'NL', party_id: 'EMS', uid, type, contract_id: `NL-EMS-C${uid}`, issuer: 'Test eMSP', valid: true, whitelist, last_updated: stamp(),
});

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CS-SIM', evses: 2 }], {
    ocpi: { token_a: 'registration-token-a-1', command_timeout_s: 10, cdr_settle_s: 0, session_push_interval_s: 1 },
  }));
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-1')).body.status_code).toBe(1000);
  station = new SimulatedStation201({ url: `${bridge.ocppUrl}/CS-SIM`, identity: 'CS-SIM', evses: 2 });
  await station.connect();
});
afterAll(async () => {
  await station?.close();
  await bridge?.close();
  await emsp?.close();
});

describe('eMSP commands on a simulated OCPP 2.0.1 station', () => {
  it('whitelisted eMSP tokens reach the station\'s local authorization list', async () => {
    const put = await emsp.call('PUT', `${bridge.httpUrl}/ocpi/2.2.1/tokens/NL/EMS/04A1B2C3D4E5F6`, { body: token('04A1B2C3D4E5F6', 'RFID', 'ALWAYS') });
    expect(put.status).toBe(201);
    await expect.poll(() => station.localList.entries.get('04a1b2c3d4e5f6')?.idTokenInfo?.status, { timeout: 10_000 }).toBe('Accepted');
    expect(station.localList.entries.get('04a1b2c3d4e5f6')!.idToken).toEqual({ idToken: '04A1B2C3D4E5F6', type: 'ISO14443' });
    expect(station.localList.version).toBeGreaterThan(0);
  });

  let sessionId: string;

  it('START_SESSION: the station charges, its transaction is the eMSP\'s session (COMMAND, authorization_reference)', async () => {
    const res = await command('START_SESSION', { response_url: emsp.resultUrl('start'), token: token('APP-SIM-1'), location_id: 'LOC-1', evse_uid: 'DE*EXA*E0001*1', authorization_reference: 'SIM-REF-1' });
    expect(res.body.data.result).toBe('ACCEPTED');
    expect(await emsp.waitForResult('start')).toEqual({ result: 'ACCEPTED' });
    await expect.poll(() => station.evse(1).transaction?.transactionId, { timeout: 5000 }).toBeDefined();
    const txId = station.evse(1).transaction!.transactionId;
    await expect.poll(() => sqlite().prepare('SELECT auth_method, authorization_reference, remote_start_id IS NOT NULL AS remote FROM transactions WHERE ocpp_transaction_id = ?').get(txId), { timeout: 5000 })
      .toEqual({ auth_method: 'COMMAND', authorization_reference: 'SIM-REF-1', remote: 1 });
    await station.advance(1, 600);
    await expect.poll(() => emsp.received.find((x) => x.module === 'sessions' && x.method === 'PUT')?.body, { timeout: 5000 }).toMatchObject({ auth_method: 'COMMAND', authorization_reference: 'SIM-REF-1' });
    sessionId = emsp.received.find((x) => x.module === 'sessions' && x.method === 'PUT')!.body.id;
  });

  it('UNLOCK_CONNECTOR under an authorized transaction is refused by the station: REJECTED', async () => {
    await command('UNLOCK_CONNECTOR', { response_url: emsp.resultUrl('unlock'), location_id: 'LOC-1', evse_uid: 'DE*EXA*E0001*1', connector_id: '1' });
    expect((await emsp.waitForResult('unlock')).result).toBe('REJECTED');
    expect(station.evse(1).transaction).toBeDefined();
  });

  it('STOP_SESSION ends the transaction and the CDR reaches the eMSP', async () => {
    await command('STOP_SESSION', { response_url: emsp.resultUrl('stop'), session_id: sessionId });
    expect(await emsp.waitForResult('stop')).toEqual({ result: 'ACCEPTED' });
    await expect.poll(() => emsp.cdrs().length, { timeout: 10_000 }).toBe(1);
    expect(emsp.cdrs()[0]).toMatchObject({ session_id: sessionId, auth_method: 'COMMAND', authorization_reference: 'SIM-REF-1' });
    expect(emsp.cdrs()[0].total_energy).toBeGreaterThan(0);
  });

  it('RESERVE_NOW shows RESERVED; CANCEL_RESERVATION frees the EVSE', async () => {
    await expect.poll(evseStatus, { timeout: 5000 }).toBe('AVAILABLE');
    await command('RESERVE_NOW', { response_url: emsp.resultUrl('reserve'), token: token('APP-SIM-2'), expiry_date: stamp(Date.now() + 600_000), reservation_id: 'SIM-RES-1', location_id: 'LOC-1', evse_uid: 'DE*EXA*E0001*1' });
    expect(await emsp.waitForResult('reserve')).toEqual({ result: 'ACCEPTED' });
    await expect.poll(evseStatus, { timeout: 5000 }).toBe('RESERVED');
    await command('CANCEL_RESERVATION', { response_url: emsp.resultUrl('cancel'), reservation_id: 'SIM-RES-1' });
    expect(await emsp.waitForResult('cancel')).toEqual({ result: 'ACCEPTED' });
    await expect.poll(evseStatus, { timeout: 5000 }).toBe('AVAILABLE');
  });
});
