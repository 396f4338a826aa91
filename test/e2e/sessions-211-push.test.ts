/**
 * Session pushes to an OCPI 2.1.1 eMSP (2.1.1 sessions.md §eMSP Interface, reference §4): PUT of the 2.1.1
 * Session when the transaction starts, PATCH with kwh, total_cost and the charging periods while it runs (2.1.1
 * PATCH replaces the fields it names, so the whole list), a final PUT when it ends, then the 2.1.1 CDR by POST;
 * all with the plain 2.1.1 token and no 2.2.1 routing headers. A second eMSP, whose token did not start the
 * session, never hears of it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmsp, type Recorded, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp211: TestEmsp;
let other: TestEmsp;
let charger: Probe;

const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
const sessionCalls = (e: TestEmsp): Recorded[] => e.received.filter((r) => r.module === 'sessions' && ['PUT', 'PATCH'].includes(r.method));

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-211', evses: 1 }], {
    ocpi: { token_a: 'registration-token-a-211', cdr_settle_s: 0, session_push_interval_s: 1 },
    ocpp: { accept_unknown_tokens: true },
  }));
  emsp211 = await startEmsp({ countryCode: 'NL', partyId: 'OLD', versions: ['2.1.1'] });
  other = await startEmsp({ countryCode: 'BE', partyId: 'OTH' });
  expect((await emsp211.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-211', '2.1.1')).body.status_code).toBe(1000);
  const platformId = (sqlite().prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
  sqlite().prepare('INSERT INTO ocpi_registration_tokens (token_hash, created_at_ms) VALUES (?, ?)').run(createHash('sha256').update('registration-token-a-211-b').digest('hex'), Date.now());
  expect((await other.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-211-b')).body.status_code).toBe(1000);
  sqlite().prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', 'OLD', 'OLD-TOKEN-1', 'RFID', 'NL-OLD-C00001-7', 1, 'ALWAYS', 'emsp', ?, ?)`).run(platformId, Date.now());
  charger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-211' });
  await charger.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
});
afterAll(async () => {
  await charger?.close();
  await bridge?.close();
  await emsp211?.close();
  await other?.close();
});

describe('session pushes to a 2.1.1 eMSP', () => {
  it('PUT at start, PATCH while charging, final PUT and the CDR at the end, all in 2.1.1 shape; the other eMSP sees nothing', async () => {
    const t0 = Date.now() - 30 * 60_000;
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const { transactionId } = await charger.call('StartTransaction', { connectorId: 1, idTag: 'OLD-TOKEN-1', meterStart: 20_000, timestamp: at(0) });

    await expect.poll(() => sessionCalls(emsp211).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const first = sessionCalls(emsp211)[0]!;
    expect(first.method).toBe('PUT');
    expect(first.path).toMatch(/^\/ocpi\/2\.1\.1\/sessions\/DE\/EXA\/[0-9a-f]{32}$/);
    const sessionId = first.path.split('/').pop()!;
    // 2.1.1: the plain token (no Base64) and no routing headers
    expect(first.authorization).toBe(`Token ${emsp211.tokenForBridgeToUse}`);
    expect(first.headers['ocpi-to-party-id']).toBeUndefined();
    expect(first.body).toMatchObject({
      id: sessionId, start_datetime: at(0), kwh: 0, auth_id: 'NL-OLD-C00001-7', currency: 'EUR', status: 'ACTIVE', total_cost: 0,
      location: { id: 'LOC-1', type: expect.any(String), evses: [{ uid: 'DE*EXA*E0001*1', connectors: [{ id: '1', standard: 'IEC_62196_T2' }] }] },
    });
    expect(['WHITELIST', 'AUTH_REQUEST']).toContain(first.body.auth_method);
    for (const key of ['start_date_time', 'country_code', 'party_id', 'cdr_token', 'location_id', 'evse_uid', 'authorization_reference']) expect(first.body).not.toHaveProperty(key);

    await charger.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: at(15), sampledValue: [
      { value: '25000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: '20000', measurand: 'Power.Active.Import', unit: 'W' },
    ] }] });
    await expect.poll(() => sessionCalls(emsp211).filter((r) => r.method === 'PATCH' && r.body.kwh === 5).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const patch = sessionCalls(emsp211).find((r) => r.method === 'PATCH' && r.body.kwh === 5)!;
    expect(patch.path).toBe(first.path);
    expect(patch.body).toMatchObject({ kwh: 5, status: 'ACTIVE', total_cost: 1.95 }); // 5 kWh x 0.39 EUR, a number excl. VAT
    expect(Object.keys(patch.body).sort()).toEqual(['charging_periods', 'kwh', 'last_updated', 'status', 'total_cost']);
    // the whole list, from the session start, with only dimension types 2.1.1 knows
    expect(patch.body.charging_periods[0].start_date_time).toBe(at(0));
    const types211 = ['ENERGY', 'FLAT', 'MAX_CURRENT', 'MIN_CURRENT', 'PARKING_TIME', 'TIME'];
    for (const p of patch.body.charging_periods) for (const d of p.dimensions) expect(types211).toContain(d.type);
    expect(patch.body.charging_periods.flatMap((p: any) => p.dimensions).filter((d: any) => d.type === 'ENERGY').reduce((s: number, d: any) => s + d.volume, 0)).toBe(5);

    await charger.call('StopTransaction', { transactionId, meterStop: 30_000, timestamp: at(30), reason: 'Local', idTag: 'OLD-TOKEN-1' });
    await expect.poll(() => emsp211.cdrs().length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => sessionCalls(emsp211).at(-1)?.body.status, { timeout: 10_000 }).toBe('COMPLETED');

    const calls = sessionCalls(emsp211);
    expect(calls.map((r) => r.method).join(' ')).toMatch(/^PUT( PATCH)+ PUT$/);
    const final = calls.at(-1)!;
    expect(final.path).toBe(first.path);
    expect(final.body).toEqual({
      id: sessionId, start_datetime: at(0), end_datetime: at(30), kwh: 10, auth_id: 'NL-OLD-C00001-7', auth_method: first.body.auth_method,
      location: first.body.location, currency: 'EUR', status: 'COMPLETED', total_cost: 3.9, last_updated: expect.any(String),
      charging_periods: [{ start_date_time: at(0), dimensions: [{ type: 'ENERGY', volume: 10 }, { type: 'TIME', volume: 0.5 }] }],
    });

    const cdr = emsp211.cdrs()[0];
    expect(cdr).toMatchObject({
      id: sessionId, start_date_time: at(0), stop_date_time: at(30), auth_id: 'NL-OLD-C00001-7', total_cost: 3.9, total_energy: 10, total_time: 0.5,
      location: { id: 'LOC-1', evses: [{ uid: 'DE*EXA*E0001*1' }] }, currency: 'EUR',
    });
    expect(cdr).not.toHaveProperty('cdr_token');
    expect(cdr).not.toHaveProperty('end_date_time');

    // The eMSP whose token did not start the session: no push, nothing in its pulls.
    await new Promise((r) => setTimeout(r, 300));
    expect(other.received.filter((r) => r.module === 'sessions' || r.module === 'cdrs')).toEqual([]);
    expect((await other.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions?date_from=2020-01-01T00:00:00Z`)).items).toEqual([]);
    expect((await other.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/cdrs`)).items).toEqual([]);
    // ... while the 2.1.1 eMSP pulls the same session it was pushed
    const pulled = await emsp211.pullAll(`${bridge.httpUrl}/ocpi/2.1.1/sessions?date_from=2020-01-01T00:00:00Z`);
    expect(pulled.items.map((s) => s.id)).toEqual([sessionId]);
  }, 30_000);
});
