/**
 * ChargingPeriod dimensions from meter values, end to end (mod_cdrs §CdrDimensionType, reference §5.3): an OCPP
 * 1.6 charger reports Current.Import per phase (and the neutral, which is not added) and SoC; the tariff charges
 * more while the current summed over the phases is at least 32 A, so a new period starts when it drops. The
 * Session's periods carry MAX_CURRENT / MIN_CURRENT (A, summed over phases), MAX_POWER / MIN_POWER (kW), POWER
 * (average kW while charging) and STATE_OF_CHARGE (%, the last reported up to the period's end); the CDR's the
 * same without POWER and STATE_OF_CHARGE (Session-only types).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp: TestEmsp;
let charger: Probe;
const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;

/** 0.50 EUR/kWh at 32 A or more (summed over phases), else 0.30 EUR/kWh; 19 % VAT. */
const CURRENT_TARIFF = {
  id: 'AC-STANDARD', currency: 'EUR', elements: [
    { price_components: [{ type: 'ENERGY', price: 0.5, vat: 19, step_size: 1 }], restrictions: { min_current: 32 } },
    { price_components: [{ type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 }] },
  ],
};
const T0 = Date.UTC(2026, 10, 24, 9, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-DIMS', evses: 1 }], {
    ocpi: { token_a: 'registration-token-a-dims', cdr_settle_s: 0, session_push_interval_s: 1 },
    ocpp: { accept_unknown_tokens: true },
    tariffs: [CURRENT_TARIFF],
  }));
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-dims')).body.status_code).toBe(1000);
  const platformId = (sqlite().prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
  sqlite().prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', 'EMS', 'DIMS-1', 'RFID', 'NL-EMS-CDIMS1', 1, 'ALWAYS', 'emsp', ?, ?)`).run(platformId, Date.now());
  charger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-DIMS' });
  await charger.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
});
afterAll(async () => {
  await charger?.close();
  await bridge?.close();
  await emsp?.close();
});

describe('charging period dimensions from meter values', () => {
  it('MAX/MIN_CURRENT summed over phases, MAX/MIN_POWER, POWER and STATE_OF_CHARGE per period; the CDR without the Session-only ones', async () => {
    const { transactionId } = await charger.call('StartTransaction', { connectorId: 1, idTag: 'DIMS-1', meterStart: 1_000, timestamp: at(0) });
    // minute, register Wh since start, current per phase (A), SoC (%)
    const rows: Array<[number, number, number, number]> = [[15, 5000, 16, 40], [30, 9000, 10, 55], [45, 11_000, 6, 70]];
    for (const [minute, wh, perPhaseA, soc] of rows) {
      await charger.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: at(minute), sampledValue: [
        { value: String(1_000 + wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        ...['L1', 'L2', 'L3'].map((phase) => ({ value: String(perPhaseA), measurand: 'Current.Import', unit: 'A', phase })),
        { value: '0.5', measurand: 'Current.Import', unit: 'A', phase: 'N' },
        { value: String(soc), measurand: 'SoC', unit: 'Percent', location: 'EV' },
      ] }] });
    }
    await charger.call('StopTransaction', { transactionId, meterStop: 13_000, timestamp: at(60), reason: 'EVDisconnected' });
    await expect.poll(() => emsp.cdrs().length, { timeout: 10_000 }).toBe(1);
    const cdr = emsp.cdrs()[0];

    // 5 kWh at 48 A x 0.50 + 7 kWh below 32 A x 0.30 = 4.60 EUR, 5.47 incl. 19 % VAT
    expect(cdr).toMatchObject({ total_energy: 12, total_time: 1, total_cost: { excl_vat: 4.6, incl_vat: 5.47 } });
    const cdrPeriods = [
      { start_date_time: '2026-11-24T09:00:00Z', tariff_id: 'AC-STANDARD', dimensions: [
        { type: 'ENERGY', volume: 5 }, { type: 'TIME', volume: 0.25 },
        { type: 'MAX_CURRENT', volume: 48 }, { type: 'MIN_CURRENT', volume: 48 }, { type: 'MAX_POWER', volume: 20 }, { type: 'MIN_POWER', volume: 20 },
      ] },
      { start_date_time: '2026-11-24T09:15:00Z', tariff_id: 'AC-STANDARD', dimensions: [
        { type: 'ENERGY', volume: 7 }, { type: 'TIME', volume: 0.75 },
        { type: 'MAX_CURRENT', volume: 30 }, { type: 'MIN_CURRENT', volume: 18 }, { type: 'MAX_POWER', volume: 16 }, { type: 'MIN_POWER', volume: 4 },
      ] },
    ];
    expect(cdr.charging_periods).toEqual(cdrPeriods);

    await expect.poll(() => emsp.received.filter((r) => r.module === 'sessions' && r.method === 'PUT').at(-1)?.body.status, { timeout: 10_000 }).toBe('COMPLETED');
    const session = emsp.received.filter((r) => r.module === 'sessions' && r.method === 'PUT').at(-1)!.body;
    // Session only: POWER (average kW while charging) and STATE_OF_CHARGE
    expect(session.charging_periods).toEqual([
      { ...cdrPeriods[0], dimensions: [...cdrPeriods[0]!.dimensions, { type: 'POWER', volume: 20 }, { type: 'STATE_OF_CHARGE', volume: 40 }] },
      { ...cdrPeriods[1], dimensions: [...cdrPeriods[1]!.dimensions, { type: 'POWER', volume: 9.3333 }, { type: 'STATE_OF_CHARGE', volume: 70 }] },
    ]);
    // the eMSP's pull shows the same Session
    const pulled = (await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions?date_from=2020-01-01T00:00:00Z`)).items;
    expect(pulled.find((s) => s.id === cdr.session_id).charging_periods).toEqual(session.charging_periods);
  });
});
