/**
 * `PUT {sessions}/{session_id}/charging_preferences` over real HTTP (mod_sessions §Sender Interface, reference
 * §3.2): the bridge passes no preferences to chargers, so an EVSE configured CHARGING_PREFERENCES_CAPABLE is
 * answered NOT_POSSIBLE; an EVSE without the capability is HTTP 404 + OCPI 2001 (mod_sessions
 * ChargingPreferencesResponse note); an unknown session, or another eMSP's, is HTTP 404 and reveals nothing;
 * a malformed ChargingPreferences is 2001 (valid JSON from an authenticated sender is not an HTTP error).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp: TestEmsp;
let other: TestEmsp;
let charger: Probe;
const sessionOn: Record<string, string> = {};

const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
const url = (sessionId: string) => `${bridge.httpUrl}/ocpi/2.2.1/sessions/${sessionId}/charging_preferences`;
const preferences = { profile_type: 'FAST', departure_time: '2026-11-24T18:00:00Z', energy_need: 20, discharge_allowed: false };

beforeAll(async () => {
  const site = siteConfig([{ identity: 'CP-PREF', evses: 2 }], { ocpi: { token_a: 'registration-token-a-pref', session_push_interval_s: 1 }, ocpp: { accept_unknown_tokens: true } });
  site.ocpp.chargers[0].evses[0].capabilities = ['CHARGING_PREFERENCES_CAPABLE', 'RFID_READER'];
  site.ocpp.chargers[0].evses[1].capabilities = ['RFID_READER'];
  bridge = await startTestBridge(site);
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  other = await startEmsp({ countryCode: 'BE', partyId: 'OTH' });
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-pref')).body.status_code).toBe(1000);
  const platformId = (sqlite().prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
  sqlite().prepare('INSERT INTO ocpi_registration_tokens (token_hash, created_at_ms) VALUES (?, ?)').run(createHash('sha256').update('registration-token-a-pref-2').digest('hex'), Date.now());
  expect((await other.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-pref-2')).body.status_code).toBe(1000);
  for (const uid of ['PREF-1', 'PREF-2']) {
    sqlite().prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
      VALUES ('NL', 'EMS', ?, 'RFID', ?, 1, 'ALWAYS', 'emsp', ?, ?)`).run(uid, `NL-EMS-C${uid}`, platformId, Date.now());
  }
  charger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-PREF' });
  await charger.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  for (const connectorId of [1, 2]) {
    await charger.call('StartTransaction', { connectorId, idTag: `PREF-${connectorId}`, meterStart: 0, timestamp: new Date().toISOString() });
  }
  for (let tries = 0; Object.keys(sessionOn).length < 2 && tries < 200; tries++) {
    for (const s of (await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions?date_from=2020-01-01T00:00:00Z`)).items) sessionOn[s.evse_uid] = s.id;
    if (Object.keys(sessionOn).length < 2) await new Promise((r) => setTimeout(r, 50));
  }
  expect(Object.keys(sessionOn).sort()).toEqual(['DE*EXA*E0001*1', 'DE*EXA*E0001*2']);
});
afterAll(async () => {
  await charger?.close();
  await bridge?.close();
  await emsp?.close();
  await other?.close();
});

describe('PUT charging_preferences', () => {
  it('an EVSE with CHARGING_PREFERENCES_CAPABLE: 200 / 1000 with NOT_POSSIBLE (the bridge cannot pass them to the charger)', async () => {
    const res = await emsp.call('PUT', url(sessionOn['DE*EXA*E0001*1']!), { body: preferences });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status_code: 1000, data: 'NOT_POSSIBLE' });
    expect(typeof res.body.timestamp).toBe('string');
    expect((await emsp.call('PUT', url(sessionOn['DE*EXA*E0001*1']!), { body: { profile_type: 'REGULAR' } })).body).toMatchObject({ status_code: 1000, data: 'NOT_POSSIBLE' });
  });

  it('an EVSE without the capability: HTTP 404 with OCPI 2001', async () => {
    const res = await emsp.call('PUT', url(sessionOn['DE*EXA*E0001*2']!), { body: preferences });
    expect(res.status).toBe(404);
    expect(res.body.status_code).toBe(2001);
    expect(res.body.data).toBeUndefined();
  });

  it('an unknown session and another eMSP\'s session get the same HTTP 404 (2000): nothing is revealed', async () => {
    const unknown = await emsp.call('PUT', url('no-such-session'), { body: preferences });
    expect(unknown.status).toBe(404);
    expect(unknown.body.status_code).toBe(2000);
    const foreign = await other.call('PUT', url(sessionOn['DE*EXA*E0001*1']!), { body: preferences });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ status_code: 2000, status_message: unknown.body.status_message });
  });

  it.each([
    ['an unknown profile_type', { profile_type: 'TURBO' }],
    ['no profile_type', { energy_need: 10 }],
    ['a negative energy_need', { profile_type: 'CHEAP', energy_need: -1 }],
    ['a departure_time that is not a DateTime', { profile_type: 'GREEN', departure_time: 'tonight' }],
  ])('%s: HTTP 200 with OCPI 2001, not NOT_POSSIBLE', async (_name, body) => {
    const res = await emsp.call('PUT', url(sessionOn['DE*EXA*E0001*1']!), { body });
    expect(res.status).toBe(200);
    expect(res.body.status_code).toBe(2001);
    expect(res.body.data).toBeUndefined();
  });

  it('a body that is not JSON is HTTP 400; no token is HTTP 401', async () => {
    expect((await emsp.call('PUT', url(sessionOn['DE*EXA*E0001*1']!), { rawBody: '{profile_type: FAST' })).status).toBe(400);
    const res = await fetch(url(sessionOn['DE*EXA*E0001*1']!), { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(preferences) });
    expect(res.status).toBe(401);
  });
});
