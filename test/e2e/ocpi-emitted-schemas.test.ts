/**
 * Everything the real bridge emits over OCPI, 2.2.1 and 2.1.1, validated with the STRICT schemas of
 * src/ocpi/schemas (no unknown field, every required field, lengths, enums, regexes), as an eMSP's integration
 * engineer would check it: versions, version details, credentials (answers and the bridge's own POST), every
 * Location / EVSE / Connector from the list and from GET by id, tariffs, sessions (active and completed), CDRs
 * (pulled and pushed, one with signed data), tokens as stored, command and charging-profile answers and the
 * results posted to the response_url (with the firmware-sim 1.6 charger), and every Location / Tariff / Session
 * push the eMSPs received.
 * Each check also asserts that there was something to check, so an empty list cannot pass.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as ocpi from '../../src/ocpi/schemas/index.js';
import { SimulatedCharger16 } from '../../firmware-sim/index.js';
import { startEmsp, type CallResult, type TestEmsp, type Version } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const samples = new URL('../fixtures/ocmf-samples/generated/', import.meta.url);
const meterKeyHex = readFileSync(new URL('test-key.public.spki.hex', samples), 'utf8').trim();
const ocmfCall = (name: string) => JSON.parse(readFileSync(new URL(`ocpp16/${name}.json`, samples), 'utf8'))[3] as Record<string, any>;

let bridge: TestBridge;
let emsp221: TestEmsp;
let emsp211: TestEmsp;
let emspOut221: TestEmsp;
let emspOut211: TestEmsp;
let charger: Probe;
let eichCharger: Probe;
let sim: SimulatedCharger16;
const registrations: Partial<Record<Version, CallResult>> = {};
const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;

/** Every strict-schema issue of `value`, as readable lines (an empty list = valid). */
function problems(schema: z.ZodType, value: unknown, what: string): string[] {
  const r = ocpi.strict(schema).safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${what}: ${i.path.join('.') || '(root)'}: ${i.message}`);
}
/** A response: HTTP 200, an OCPI 1000 envelope (strict) whose data matches `data`. */
function responseProblems(res: CallResult, data: z.ZodType, what: string): string[] {
  if (res.status !== 200 || res.body?.status_code !== 1000) return [`${what}: HTTP ${res.status}, ${JSON.stringify(res.body).slice(0, 200)}`];
  return problems(ocpi.envelope(data), res.body, what);
}

const location = {
  id: 'LOC-1', name: 'Ladepark Süd – Straße', address: 'Example Street 1', city: 'Berlin', postal_code: '10115', state: 'Berlin', country: 'DEU',
  coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin', parking_type: 'ALONG_MOTORWAY',
  facilities: ['WIFI', 'BIKE_SHARING', 'PARKING_LOT'], directions: [{ language: 'de', text: 'Einfahrt über den Hof' }],
  operator: { name: 'Test CPO', website: 'https://cpo.example.com', logo: { url: 'https://cpo.example.com/logo.png', category: 'OPERATOR', type: 'png', width: 512, height: 512 } },
  owner: { name: 'Site Owner GmbH' },
  opening_times: { twentyfourseven: false, regular_hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, period_begin: '07:00', period_end: '22:00' })), exceptional_closings: [{ period_begin: '2026-12-24T00:00:00Z', period_end: '2026-12-27T00:00:00Z' }] },
  charging_when_closed: true,
  images: [{ url: 'https://cpo.example.com/site.jpg', category: 'LOCATION', type: 'jpeg' }],
  energy_mix: { is_green_energy: true, energy_sources: [{ source: 'SOLAR', percentage: 60 }, { source: 'WIND', percentage: 40 }], environ_impact: [{ category: 'CARBON_DIOXIDE', amount: 0 }], supplier_name: 'Green Power AG', energy_product_name: 'Öko 100' },
};
const tariffs = [
  {
    id: 'AC-STANDARD', currency: 'EUR', type: 'REGULAR', tariff_alt_text: [{ language: 'de', text: '0,39 €/kWh, nachts 0,29 €/kWh' }], tariff_alt_url: 'https://cpo.example.com/tariffs/ac',
    min_price: { excl_vat: 0.5, incl_vat: 0.6 },
    elements: [
      { price_components: [{ type: 'FLAT', price: 2, vat: 19, step_size: 1 }], restrictions: { reservation: 'RESERVATION' } },
      { price_components: [{ type: 'ENERGY', price: 0.29, vat: 19, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '06:00', day_of_week: ['SATURDAY', 'SUNDAY'] } },
      { price_components: [{ type: 'ENERGY', price: 0.45, vat: 19, step_size: 1 }], restrictions: { min_current: 32 } },
      { price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }, { type: 'PARKING_TIME', price: 6, vat: 19, step_size: 60 }] },
    ],
    energy_mix: { is_green_energy: false, energy_sources: [{ source: 'GENERAL_GREEN', percentage: 55 }, { source: 'COAL', percentage: 45 }], environ_impact: [{ category: 'CARBON_DIOXIDE', amount: 180 }] },
  },
  { id: 'FREE', currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 0, step_size: 1 }] }] },
];

beforeAll(async () => {
  const site = siteConfig([{ identity: 'CP-SCHEMA', evses: 3 }, { identity: 'CP-EICH', evses: 1 }, { identity: 'CP-SIM', evses: 1 }], {
    ocpi: { token_a: 'schema-token-a-221', cdr_settle_s: 0, session_push_interval_s: 1, command_timeout_s: 8 },
    ocpp: { accept_unknown_tokens: true },
    locations: [location, { ...location, id: 'LOC-PRIVATE', name: 'Depot', publish: false, opening_times: { twentyfourseven: true } }],
    tariffs,
  });
  const [cp, eich] = site.ocpp.chargers;
  // 2.2.1-only capabilities (filtered for 2.1.1) on EVSE 1; a label and floor on EVSE 2; a connector 2.1.1 cannot express on EVSE 3.
  cp.evses[0].capabilities = ['RFID_READER', 'REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'UNLOCK_CAPABLE', 'CHARGING_PREFERENCES_CAPABLE', 'START_SESSION_CONNECTOR_REQUIRED', 'CONTACTLESS_CARD_SUPPORT'];
  cp.evses[0].connectors[0].tariff_ids = ['AC-STANDARD', 'FREE'];
  cp.evses[0].connectors[0].terms_and_conditions = 'https://cpo.example.com/terms';
  Object.assign(cp.evses[1], { floor_level: '-1', physical_reference: 'Säule 2' });
  cp.evses[2].connectors[0] = { id: '1', standard: 'NEMA_14_50', format: 'CABLE', power_type: 'AC_2_PHASE_SPLIT', max_voltage: 240, max_amperage: 50, tariff_ids: ['FREE'] };
  Object.assign(eich, { location: 'LOC-PRIVATE', meter_public_key: meterKeyHex });
  bridge = await startTestBridge(site);
  const versionsUrl = `${bridge.httpUrl}/ocpi/versions`;

  emsp221 = await startEmsp({ countryCode: 'NL', partyId: 'EMS', tokensSender: true });
  // Tokens the bridge pulls after registering; whitelist NEVER makes it authorize them in real time.
  emsp221.tokens = [{ country_code: 'NL', party_id: 'EMS', uid: 'RTAUTH221', type: 'RFID', contract_id: 'NL-EMS-C00000021-X', issuer: 'Test eMSP', valid: true, whitelist: 'NEVER', last_updated: '2026-11-20T10:00:00Z' }];
  registrations['2.2.1'] = await emsp221.register(versionsUrl, 'schema-token-a-221', '2.2.1');
  const platform221 = lastPlatformId();
  sqlite().prepare('INSERT INTO ocpi_registration_tokens (token_hash, created_at_ms) VALUES (?, ?)').run(createHash('sha256').update('schema-token-a-211').digest('hex'), Date.now());
  emsp211 = await startEmsp({ countryCode: 'NL', partyId: 'OLD', versions: ['2.1.1'], tokensSender: true });
  emsp211.tokens = [{ uid: 'RTAUTH211', type: 'RFID', auth_id: 'NL-OLD-C00000021-X', issuer: 'Old eMSP', valid: true, whitelist: 'NEVER', last_updated: '2026-11-20T10:00:00Z' }];
  registrations['2.1.1'] = await emsp211.register(versionsUrl, 'schema-token-a-211', '2.1.1');
  const platform211 = lastPlatformId();
  // The tokens each eMSP owns (as its Tokens push would record them): sessions and CDRs go to the owner.
  const token = sqlite().prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', ?, ?, 'RFID', ?, 1, 'ALWAYS', 'emsp', ?, ?)`);
  token.run('EMS', 'EMSP-TOKEN-221', 'NL-EMS-C00000001-X', platform221, Date.now());
  token.run('EMS', '04A1B2C3D4E5F6', 'NL-EMS-C00000002-X', platform221, Date.now()); // the idTag of the signed OCMF samples
  token.run('OLD', 'EMSP-TOKEN-211', 'NL-OLD-C00000003-X', platform211, Date.now());
  token.run('OLD', 'EMSP-TOKEN-211B', 'NL-OLD-C00000004-X', platform211, Date.now());

  // The bridge registers itself at two more eMSPs (it POSTs its own Credentials).
  emspOut221 = await startEmsp({ countryCode: 'DE', partyId: 'OUT', tokenA: 'their-token-a-221' });
  await bridge.ocpi.registerAt(emspOut221.versionsUrl, 'their-token-a-221');
  emspOut211 = await startEmsp({ countryCode: 'DE', partyId: 'OU1', versions: ['2.1.1'], tokenA: 'their-token-a-211' });
  await bridge.ocpi.registerAt(emspOut211.versionsUrl, 'their-token-a-211');

  charger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-SCHEMA' });
  await charger.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'Wallbox 22' });
  for (const connectorId of [1, 2, 3]) await status(connectorId, 'Available');
  eichCharger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-EICH' });
  await eichCharger.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'Eichrecht' });
  sim = new SimulatedCharger16({ url: `${bridge.ocppUrl}/CP-SIM`, identity: 'CP-SIM', connectors: 1 });
  await sim.connect();
});
afterAll(async () => {
  expect(charger?.strictFailures ?? []).toEqual([]);
  await charger?.close();
  await eichCharger?.close();
  await sim?.close();
  await bridge?.close();
  for (const e of [emsp221, emsp211, emspOut221, emspOut211]) await e?.close();
});

function lastPlatformId(): number {
  return (sqlite().prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
}
const status = (connectorId: number, s: string, probe = charger) => probe.call('StatusNotification', { connectorId, errorCode: 'NoError', status: s, timestamp: new Date().toISOString() });
const url = (path: string) => `${bridge.httpUrl}/ocpi/${path}`;
const emspOf = (v: Version) => (v === '2.2.1' ? emsp221 : emsp211);

const S = {
  '2.2.1': { location: ocpi.location, evse: ocpi.evse, connector: ocpi.connector, tariff: ocpi.tariff, session: ocpi.session, cdr: ocpi.cdr, credentials: ocpi.credentials, details: ocpi.versionDetailsOf('2.2.1') },
  '2.1.1': { location: ocpi.location211, evse: ocpi.evse211, connector: ocpi.connector211, tariff: ocpi.tariff211, session: ocpi.session211, cdr: ocpi.cdr211, credentials: ocpi.credentials211, details: ocpi.versionDetails211 },
} as const;

/** A session on `connectorId` with `idTag`: 15 min at 11 kW, then stopped at 30 min; checks the active session first. */
async function chargeSession(version: Version, connectorId: number, idTag: string, startAt: Date, probe = charger): Promise<string[]> {
  const out: string[] = [];
  const emsp = emspOf(version);
  await status(connectorId, 'Preparing', probe);
  const { transactionId } = await probe.call('StartTransaction', { connectorId, idTag, meterStart: 50_000, timestamp: startAt.toISOString() });
  await status(connectorId, 'Charging', probe);
  await probe.call('MeterValues', { connectorId, transactionId, meterValue: [{ timestamp: new Date(startAt.getTime() + 15 * 60_000).toISOString(), sampledValue: [
    { value: '52750', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
    { value: '16', measurand: 'Current.Import', unit: 'A' }, { value: '48', measurand: 'SoC', unit: 'Percent' },
  ] }] });
  // The active session, as the eMSP pulls it.
  const activeNow = async () => (await emsp.pullAll(url(`${version}/sessions`), { version })).items.filter((s) => s.status === 'ACTIVE');
  await expect.poll(async () => (await activeNow()).length, { timeout: 10_000 }).toBeGreaterThan(0);
  const active = await activeNow();
  expect(active.length).toBeGreaterThan(0);
  active.forEach((s, i) => out.push(...problems(S[version].session, s, `${version} active session[${i}]`)));
  await status(connectorId, 'Finishing', probe);
  const cdrsBefore = emsp.cdrs().length;
  await probe.call('StopTransaction', { transactionId, meterStop: 55_500, timestamp: new Date(startAt.getTime() + 30 * 60_000).toISOString(), reason: 'EVDisconnected' });
  await status(connectorId, 'Available', probe);
  await expect.poll(() => emsp.cdrs().length, { timeout: 10_000 }).toBe(cdrsBefore + 1);
  return out;
}

describe('what the bridge emits passes the strict OCPI schemas', () => {
  it('versions list and version details (2.2.1 with roles, 2.1.1 without)', async () => {
    const found: string[] = [];
    for (const v of ['2.2.1', '2.1.1'] as const) {
      const emsp = emspOf(v);
      found.push(...responseProblems(await emsp.call('GET', url('versions'), { version: v }), ocpi.versionList, `${v} versions`));
      const details = await emsp.call('GET', url(v), { version: v });
      found.push(...responseProblems(details, S[v].details, `${v} details`));
      expect(details.body.data.endpoints.map((e: { identifier: string }) => e.identifier)).toEqual(expect.arrayContaining(['credentials', 'locations', 'tariffs', 'sessions', 'cdrs']));
    }
    expect(found).toEqual([]);
  });

  it('credentials: the registration answers, GET credentials, and the bridge\'s own POST when it registers', async () => {
    const found: string[] = [];
    for (const v of ['2.2.1', '2.1.1'] as const) {
      found.push(...responseProblems(registrations[v]!, S[v].credentials, `${v} POST credentials answer`));
      found.push(...responseProblems(await emspOf(v).call('GET', url(`${v}/credentials`), { version: v }), S[v].credentials, `${v} GET credentials`));
    }
    found.push(...problems(ocpi.credentials, emspOut221.bridgeCredentials, '2.2.1 bridge POST credentials'));
    found.push(...problems(ocpi.credentials211, emspOut211.bridgeCredentials, '2.1.1 bridge POST credentials'));
    expect(emspOut221.version).toBe('2.2.1');
    expect(emspOut211.version).toBe('2.1.1');
    expect(found).toEqual([]);
  });

  it.each(['2.2.1', '2.1.1'] as const)('%s: every Location, EVSE and Connector, from the paged list and from GET by id', async (v) => {
    const emsp = emspOf(v);
    const found: string[] = [];
    const { items, pages } = await emsp.pullAll(url(`${v}/locations`), { version: v, limit: 1 });
    pages.forEach((p, i) => found.push(...responseProblems(p, z.array(S[v].location), `${v} locations page ${i}`)));
    expect(items.map((l) => l.id)).toEqual(v === '2.2.1' ? ['LOC-1', 'LOC-PRIVATE'] : ['LOC-1']); // 2.1.1 has no `publish`: unpublished ones stay out
    const loc1 = items.find((l) => l.id === 'LOC-1');
    expect(loc1.evses.length).toBe(v === '2.2.1' ? 4 : 3); // the split-phase NEMA connector does not exist in 2.1.1
    let objects = 0;
    for (const l of items) {
      found.push(...responseProblems(await emsp.call('GET', url(`${v}/locations/${encodeURIComponent(l.id)}`), { version: v }), S[v].location, `${v} GET ${l.id}`));
      for (const e of l.evses ?? []) {
        found.push(...responseProblems(await emsp.call('GET', url(`${v}/locations/${encodeURIComponent(l.id)}/${encodeURIComponent(e.uid)}`), { version: v }), S[v].evse, `${v} GET ${l.id}/${e.uid}`));
        for (const k of e.connectors) {
          const res = await emsp.call('GET', url(`${v}/locations/${encodeURIComponent(l.id)}/${encodeURIComponent(e.uid)}/${encodeURIComponent(k.id)}`), { version: v });
          found.push(...responseProblems(res, S[v].connector, `${v} GET ${l.id}/${e.uid}/${k.id}`));
          objects++;
        }
      }
    }
    expect(objects).toBeGreaterThanOrEqual(v === '2.2.1' ? 4 : 2);
    // An error answer is an envelope too: 404 + OCPI 2003, no data.
    const missing = await emsp.call('GET', url(`${v}/locations/NO-SUCH-LOCATION`), { version: v });
    expect([missing.status, missing.body.status_code]).toEqual([404, 2003]);
    found.push(...problems(ocpi.envelope(z.never()), missing.body, `${v} unknown location`));
    expect(found).toEqual([]);
  });

  it.each(['2.2.1', '2.1.1'] as const)('%s: every Tariff', async (v) => {
    const { items, pages } = await emspOf(v).pullAll(url(`${v}/tariffs`), { version: v, limit: 1 });
    const found = pages.flatMap((p, i) => responseProblems(p, z.array(S[v].tariff), `${v} tariffs page ${i}`));
    expect(items.map((t) => t.id).sort()).toEqual(['AC-STANDARD', 'FREE']);
    expect(found).toEqual([]);
  });

  it('2.2.1: an active and a completed Session, pulled and pushed, and the CDR pulled and POSTed', async () => {
    const found = await chargeSession('2.2.1', 1, 'EMSP-TOKEN-221', new Date(Date.UTC(2026, 10, 24, 9, 0)));
    const sessions = await emsp221.pullAll(url('2.2.1/sessions'));
    expect(sessions.items.map((s) => s.status)).toContain('COMPLETED');
    sessions.pages.forEach((p, i) => found.push(...responseProblems(p, z.array(ocpi.session), `2.2.1 sessions page ${i}`)));
    const cdrs = await emsp221.pullAll(url('2.2.1/cdrs'));
    expect(cdrs.items).toHaveLength(1);
    cdrs.pages.forEach((p, i) => found.push(...responseProblems(p, z.array(ocpi.cdr), `2.2.1 cdrs page ${i}`)));
    emsp221.cdrs().forEach((c, i) => found.push(...problems(ocpi.cdr, c, `2.2.1 pushed CDR ${i}`)));
    expect(found).toEqual([]);
  });

  it('2.2.1: a CDR with Eichrecht signed_data (OCMF) passes too', async () => {
    const before = emsp221.cdrs().length;
    const { transactionId } = await eichCharger.call('StartTransaction', { connectorId: 1, idTag: '04A1B2C3D4E5F6', meterStart: 1_234_560, timestamp: '2025-03-14T08:15:02.000Z' });
    for (const name of ['MeterValues.tx-1-begin', 'MeterValues.tx-2-intermediate', 'MeterValues.tx-3-intermediate-tariff']) await eichCharger.call('MeterValues', { ...ocmfCall(name), transactionId });
    await eichCharger.call('StopTransaction', { ...ocmfCall('StopTransaction.good-transaction.plain'), transactionId });
    await expect.poll(() => emsp221.cdrs().length, { timeout: 10_000 }).toBe(before + 1);
    const cdr = emsp221.cdrs()[before];
    expect(cdr.signed_data.signed_values.length).toBeGreaterThan(1);
    expect(problems(ocpi.cdr, cdr, 'signed CDR')).toEqual([]);
  });

  it('2.1.1: an active and a completed Session pulled, the CDR pulled and POSTed', async () => {
    const found = await chargeSession('2.1.1', 2, 'EMSP-TOKEN-211', new Date(Date.UTC(2026, 10, 24, 12, 0)));
    const sessions = await emsp211.pullAll(url('2.1.1/sessions'), { version: '2.1.1' });
    expect(sessions.items.map((s) => s.status)).toContain('COMPLETED');
    sessions.pages.forEach((p, i) => found.push(...responseProblems(p, z.array(ocpi.session211), `2.1.1 sessions page ${i}`)));
    const cdrs = await emsp211.pullAll(url('2.1.1/cdrs'), { version: '2.1.1' });
    expect(cdrs.items).toHaveLength(1);
    expect(cdrs.items[0].location.evses.map((e: any) => e.uid)).toEqual(['DE*EXA*E0001*2']); // only the session's EVSE
    cdrs.pages.forEach((p, i) => found.push(...responseProblems(p, z.array(ocpi.cdr211), `2.1.1 cdrs page ${i}`)));
    emsp211.cdrs().forEach((c, i) => found.push(...problems(ocpi.cdr211, c, `2.1.1 pushed CDR ${i}`)));
    expect(found).toEqual([]);
  });

  it('2.1.1: a session at a location that is not published still carries a full 2.1.1 Location', async () => {
    const found = await chargeSession('2.1.1', 1, 'EMSP-TOKEN-211B', new Date(Date.UTC(2026, 10, 25, 8, 0)), eichCharger);
    const cdr = emsp211.cdrs().at(-1);
    expect(cdr.location).toMatchObject({ id: 'LOC-PRIVATE', evses: [{ uid: 'DE*EXA*E0002*1' }] });
    found.push(...problems(ocpi.cdr211, cdr, '2.1.1 pushed CDR at an unpublished location'));
    const sessions = await emsp211.pullAll(url('2.1.1/sessions'), { version: '2.1.1' });
    sessions.items.forEach((x, i) => found.push(...problems(ocpi.session211, x, `2.1.1 session ${i}`)));
    expect(found).toEqual([]);
  });

  it('tokens: the Token the bridge stores answers GET in the eMSP\'s version (2.2.1 Token, 2.1.1 Token with auth_id)', async () => {
    const found: string[] = [];
    const token221 = { country_code: 'NL', party_id: 'EMS', uid: 'APP-USER-SCHEMA-000000000000000001', type: 'APP_USER', contract_id: 'NL-EMS-C00000009-X', issuer: 'Test eMSP', valid: true, whitelist: 'NEVER', language: 'nl', last_updated: '2026-11-20T10:00:00Z' };
    const path221 = url(`2.2.1/tokens/NL/EMS/${token221.uid}?type=APP_USER`);
    expect((await emsp221.call('PUT', path221, { body: token221 })).body.status_code).toBe(1000);
    found.push(...responseProblems(await emsp221.call('GET', path221), ocpi.token, '2.2.1 GET token'));
    const token211 = { uid: 'OLDCARD0001', type: 'RFID', auth_id: 'NL-OLD-C00000010-X', issuer: 'Old eMSP', valid: true, whitelist: 'ALLOWED', last_updated: '2026-11-20T10:00:00Z' };
    const path211 = url(`2.1.1/tokens/NL/OLD/${token211.uid}`);
    expect((await emsp211.call('PUT', path211, { body: token211, version: '2.1.1' })).body.status_code).toBe(1000);
    found.push(...responseProblems(await emsp211.call('GET', path211, { version: '2.1.1' }), ocpi.token211, '2.1.1 GET token'));
    expect(found).toEqual([]);
  });

  it('real-time authorization: the LocationReferences the bridge POSTs to {tokens}/{uid}/authorize (2.2.1 and 2.1.1)', async () => {
    const found: string[] = [];
    for (const [v, uid] of [['2.2.1', 'RTAUTH221'], ['2.1.1', 'RTAUTH211']] as const) {
      const emsp = emspOf(v);
      // The bridge pulled the eMSP's tokens after registering.
      await expect.poll(() => emsp.received.some((r) => r.method === 'GET' && r.path === `/ocpi/${v}/tokens`), { timeout: 10_000 }).toBe(true);
      await expect.poll(async () => (await charger.call('Authorize', { idTag: uid })).idTagInfo.status, { timeout: 10_000 }).toBe('Accepted');
      const requests = emsp.received.filter((r) => r.method === 'POST' && r.path === `/ocpi/${v}/tokens/${uid}/authorize`);
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) if (r.body !== undefined) found.push(...problems(v === '2.2.1' ? ocpi.locationReferences : ocpi.locationReferences211, r.body, `${v} authorize body`));
      expect(requests.at(-1)!.body).toMatchObject({ location_id: 'LOC-1' });
    }
    expect(found).toEqual([]);
  });

  it('commands and charging profiles: every CommandResponse / ChargingProfileResponse and every result POSTed to the response_url', async () => {
    const found: string[] = [];
    const evseUid = 'DE*EXA*E0003*1';
    const token = { country_code: 'NL', party_id: 'EMS', uid: 'APP-USER-SCHEMA-000000000000000002', type: 'APP_USER', contract_id: 'NL-EMS-C00000011-X', issuer: 'Test eMSP', valid: true, whitelist: 'NEVER', last_updated: '2026-11-20T10:00:00Z' };
    const start = await emsp221.call('POST', url('2.2.1/commands/START_SESSION'), { body: { response_url: emsp221.resultUrl('start'), token, location_id: 'LOC-1', evse_uid: evseUid, authorization_reference: 'AUTHREF-SCHEMA-1' } });
    found.push(...responseProblems(start, ocpi.commandResponse, '2.2.1 START_SESSION response'));
    found.push(...problems(ocpi.commandResult, await emsp221.waitForResult('start'), '2.2.1 START_SESSION result'));
    const sessionPut = await expect.poll(() => emsp221.received.find((r) => r.module === 'sessions' && r.method === 'PUT' && r.body?.auth_method === 'COMMAND'), { timeout: 10_000 }).toBeTruthy()
      .then(() => emsp221.received.find((r) => r.module === 'sessions' && r.method === 'PUT' && r.body?.auth_method === 'COMMAND')!);
    const sessionId = sessionPut.body.id as string;
    const profiles = url(`2.2.1/chargingprofiles/${encodeURIComponent(sessionId)}`);
    const set = await emsp221.call('PUT', profiles, { body: { response_url: emsp221.resultUrl('set'), charging_profile: { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 11000 }, { start_period: 900, limit: 7400 }] } } });
    found.push(...responseProblems(set, ocpi.chargingProfileResponse, 'SetChargingProfile response'));
    found.push(...problems(ocpi.chargingProfileResult, await emsp221.waitForResult('set'), 'ChargingProfileResult'));
    const active = await emsp221.call('GET', `${profiles}?duration=900&response_url=${encodeURIComponent(emsp221.resultUrl('active'))}`);
    found.push(...responseProblems(active, ocpi.chargingProfileResponse, 'GET ActiveChargingProfile response'));
    found.push(...problems(ocpi.activeChargingProfileResult, await emsp221.waitForResult('active'), 'ActiveChargingProfileResult'));
    const clear = await emsp221.call('DELETE', `${profiles}?response_url=${encodeURIComponent(emsp221.resultUrl('clear'))}`);
    found.push(...responseProblems(clear, ocpi.chargingProfileResponse, 'DELETE charging profile response'));
    found.push(...problems(ocpi.clearProfileResult, await emsp221.waitForResult('clear'), 'ClearProfileResult'));
    const stop = await emsp221.call('POST', url('2.2.1/commands/STOP_SESSION'), { body: { response_url: emsp221.resultUrl('stop'), session_id: sessionId } });
    found.push(...responseProblems(stop, ocpi.commandResponse, '2.2.1 STOP_SESSION response'));
    found.push(...problems(ocpi.commandResult, await emsp221.waitForResult('stop'), '2.2.1 STOP_SESSION result'));
    const unlock = await emsp221.call('POST', url('2.2.1/commands/UNLOCK_CONNECTOR'), { body: { response_url: emsp221.resultUrl('unlock'), location_id: 'LOC-1', evse_uid: evseUid, connector_id: '1' } });
    found.push(...responseProblems(unlock, ocpi.commandResponse, '2.2.1 UNLOCK_CONNECTOR response'));
    found.push(...problems(ocpi.commandResult, await emsp221.waitForResult('unlock'), '2.2.1 UNLOCK_CONNECTOR result'));
    // 2.1.1: CommandResponse {result} is both the answer and the result posted later.
    const token211 = { uid: 'OLDAPP0001', type: 'OTHER', auth_id: 'NL-OLD-C00000012-X', issuer: 'Old eMSP', valid: true, whitelist: 'NEVER', last_updated: '2026-11-20T10:00:00Z' };
    const unlock211 = await emsp211.call('POST', url('2.1.1/commands/UNLOCK_CONNECTOR'), { version: '2.1.1', body: { response_url: emsp211.resultUrl('unlock211'), location_id: 'LOC-1', evse_uid: evseUid, connector_id: '1' } });
    found.push(...responseProblems(unlock211, ocpi.commandResponse211, '2.1.1 UNLOCK_CONNECTOR response'));
    found.push(...problems(ocpi.commandResponse211, await emsp211.waitForResult('unlock211'), '2.1.1 UNLOCK_CONNECTOR result'));
    const start211 = await emsp211.call('POST', url('2.1.1/commands/START_SESSION'), { version: '2.1.1', body: { response_url: emsp211.resultUrl('start211'), token: token211, location_id: 'LOC-1', evse_uid: evseUid } });
    found.push(...responseProblems(start211, ocpi.commandResponse211, '2.1.1 START_SESSION response'));
    found.push(...problems(ocpi.commandResponse211, await emsp211.waitForResult('start211'), '2.1.1 START_SESSION result'));
    expect(found).toEqual([]);
  });

  it('every push the eMSPs received: Location / EVSE / Connector PUT and PATCH, Tariff PUT, Session PUT and PATCH', async () => {
    // An eMSP that refuses an EVSE PATCH gets the whole Location PUT (mod_locations: "If a PATCH fails, ... PUT").
    for (const e of [emsp221, emsp211]) e.failPushesWith = 404;
    await status(2, 'Unavailable');
    await expect.poll(() => [emsp221, emsp211].every((e) => e.received.some((r) => r.module === 'locations' && r.method === 'PUT')), { timeout: 10_000 }).toBe(true);
    for (const e of [emsp221, emsp211]) e.failPushesWith = undefined;
    await status(2, 'Available');
    const found: string[] = [];
    const seen = new Set<string>();
    for (const emsp of [emsp221, emsp211, emspOut221, emspOut211]) {
      for (const r of emsp.received.filter((x) => ['PUT', 'PATCH'].includes(x.method) && ['locations', 'tariffs', 'sessions'].includes(x.module ?? ''))) {
        const v = r.version!;
        const depth = r.path.split('/').length - 7; // /ocpi/{v}/{module}/{cc}/{pid}/{id}[/...]
        const what = `${v} ${r.method} ${r.path}`;
        const patch = r.method === 'PATCH';
        let schema: z.ZodType;
        if (r.module === 'tariffs') schema = v === '2.2.1' || !patch ? S[v].tariff : ocpi.tariffPatch211;
        else if (r.module === 'sessions') schema = !patch ? S[v].session : v === '2.2.1' ? ocpi.sessionPatch : ocpi.sessionPatch211;
        else if (!patch) schema = [S[v].location, S[v].evse, S[v].connector][depth]!;
        else schema = (v === '2.2.1' ? [ocpi.locationPatch, ocpi.evsePatch, ocpi.connectorPatch] : [ocpi.locationPatch211, ocpi.evsePatch211, ocpi.connectorPatch211])[depth]!;
        seen.add(`${v} ${r.method} ${r.module}${r.module === 'locations' ? depth : ''}`);
        found.push(...problems(schema, r.body, what));
      }
    }
    // Something of every kind was checked.
    expect([...seen].sort()).toEqual(expect.arrayContaining(['2.1.1 PATCH locations1', '2.1.1 PUT locations0', '2.2.1 PATCH locations1', '2.2.1 PUT locations0', '2.2.1 PUT sessions']));
    expect(found).toEqual([]);
  });
});
