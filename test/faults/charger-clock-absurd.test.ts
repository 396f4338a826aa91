/**
 * A charger whose clock was reset (1970) or runs wild (9999) reports a transaction spanning thousands of years. The
 * bridge must keep answering every charger (pricing such a session used to walk every day in between: minutes of
 * CPU and an array past V8's size limit that killed the process; found by the OCPP fuzz suite in CI), and the CDR
 * still bills all the energy, with a remark saying the times were not believed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp: TestEmsp;
let p16: Probe;
let p201: Probe;

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-CLOCK', evses: 1 }, { identity: 'CS-CLOCK', evses: 1 }], { ocpi: { token_a: 'clock-token-a', cdr_settle_s: 0 } }));
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'clock-token-a')).body.status_code).toBe(1000);
  const sqlite = (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
  const platform = (sqlite.prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered'").get() as { id: number }).id;
  sqlite.prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', 'EMS', 'CLOCKTAG', 'RFID', 'NL-EMS-CLOCK', 1, 'ALWAYS', 'emsp', ?, ?)`).run(platform, Date.now());
  p16 = await connectProbe({ url: `${bridge.ocppUrl}/CP-CLOCK`, identity: 'CP-CLOCK' });
  p201 = await connectProbe({ url: `${bridge.ocppUrl}/CS-CLOCK`, identity: 'CS-CLOCK', protocol: 'ocpp2.0.1', handlers: { GetBaseReport: () => ({ status: 'Accepted' }) } });
});
afterAll(async () => {
  await p16?.close();
  await p201?.close();
  await bridge?.close();
  await emsp?.close();
});

it('1.6 and 2.0.1 transactions from 1970 / year 1 to 9999 are answered, priced over their last 62 days with all their energy, and the bridge stays responsive', async () => {
  const { transactionId } = await p16.call('StartTransaction', { connectorId: 1, idTag: 'CLOCKTAG', meterStart: 1_000, timestamp: '1970-01-01T00:00:00Z' });
  await p16.call('StatusNotification', { connectorId: 1, status: 'SuspendedEV', errorCode: 'NoError', timestamp: '2000-01-01T00:00:00Z' });
  await p16.call('StopTransaction', { transactionId, meterStop: 21_000, timestamp: '9999-12-31T23:59:59Z', reason: 'Local' });
  await p201.call('TransactionEvent', {
    eventType: 'Started', timestamp: '0001-01-01T00:00:00Z', triggerReason: 'CablePluggedIn', seqNo: 0, evse: { id: 1, connectorId: 1 },
    transactionInfo: { transactionId: 'CLOCK-T1', chargingState: 'SuspendedEV' }, idToken: { idToken: 'CLOCKTAG', type: 'ISO14443' },
  });
  await p201.call('TransactionEvent', { eventType: 'Ended', timestamp: '9999-12-31T23:59:59Z', triggerReason: 'EVDeparted', seqNo: 1, transactionInfo: { transactionId: 'CLOCK-T1', chargingState: 'Idle' } });

  // Still answering chargers and HTTP while (and after) those sessions are priced.
  expect((await p16.call('Heartbeat', {})).currentTime).toBeDefined();
  expect((await fetch(`${bridge.httpUrl}/healthz`)).status).toBe(200);
  await expect.poll(() => emsp.cdrs().length, { timeout: 15_000 }).toBe(2);
  const cdr16 = emsp.cdrs().find((c) => c.cdr_location.evse_uid === 'DE*EXA*E0001*1')!;
  expect(cdr16.total_energy).toBe(20); // 21,000 - 1,000 Wh
  expect(cdr16.total_cost.excl_vat).toBe(7.8); // 20 kWh x 0.39 EUR
  expect(cdr16.total_time).toBe(62 * 24);
  expect(cdr16.remark).toMatch(/the charger's clock is not believed; only the last 62 days are priced/);
  expect(emsp.cdrs().find((c) => c.cdr_location.evse_uid === 'DE*EXA*E0002*1')!.remark).toMatch(/not believed/);
});
