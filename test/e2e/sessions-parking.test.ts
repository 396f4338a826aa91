/**
 * Parking time from the charger's status reports, end to end: an OCPP 1.6 charger reports Charging, SuspendedEV
 * (the EV stops requesting power), SuspendedEVSE (the EVSE holds back: still TIME, OCPI 2.2.1 erratum on
 * PARKING_TIME) and Finishing while its transaction runs; an OCPP 2.0.1 station does the same with
 * TransactionEvent chargingState. The eMSP's CDR splits TIME and PARKING_TIME as the charger said, to the
 * second, and prices them to the cent; without the reports the meter alone would have counted the mid-session
 * pause as charging time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp: TestEmsp;
let charger16: Probe;
let station201: Probe;

const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;

/** 0.30 EUR/kWh, 1.20 EUR/h charging, 6.00 EUR/h parking (billed per started minute), 19 % VAT. */
const PARKING_TARIFF = {
  id: 'AC-STANDARD', currency: 'EUR', elements: [{ price_components: [
    { type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 },
    { type: 'TIME', price: 1.2, vat: 19, step_size: 1 },
    { type: 'PARKING_TIME', price: 6, vat: 19, step_size: 60 },
  ] }],
};

const T0 = Date.UTC(2026, 10, 24, 9, 0); // 10:00 in Berlin
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-PARK16', evses: 1 }, { identity: 'CS-PARK201', evses: 1 }], {
    ocpi: { token_a: 'registration-token-a-park', cdr_settle_s: 0, session_push_interval_s: 1 },
    ocpp: { accept_unknown_tokens: true },
    tariffs: [PARKING_TARIFF],
  }));
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-park')).body.status_code).toBe(1000);
  const platformId = (sqlite().prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
  for (const uid of ['PARKER-16', 'PARKER-201', 'PARKER-16B']) {
    sqlite().prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
      VALUES ('NL', 'EMS', ?, 'RFID', ?, 1, 'ALWAYS', 'emsp', ?, ?)`).run(uid, `NL-EMS-C${uid}`, platformId, Date.now());
  }
  charger16 = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-PARK16' });
  await charger16.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  station201 = await connectProbe({ url: bridge.ocppUrl, identity: 'CS-PARK201', protocol: 'ocpp2.0.1' });
  await station201.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
});
afterAll(async () => {
  await charger16?.close();
  await station201?.close();
  await bridge?.close();
  await emsp?.close();
});

/**
 * The same session for both protocols (minutes after 10:00 local):
 *   0-30 Charging at 12 kW (6 kWh)           TIME
 *  30-45 SuspendedEV                         PARKING_TIME
 *  45-55 Charging (2 kWh)                    TIME
 *  55-60 SuspendedEVSE (no energy)           TIME (the EVSE, not the EV, holds back)
 *  60-75 Charging (3 kWh)                    TIME
 *  75-90 SuspendedEV, 90-105 Finishing       PARKING_TIME
 * TIME 1.00 h, PARKING_TIME 0.75 h, 11 kWh: 3.30 + 1.20 + 4.50 = 9.00 EUR excl. VAT, 10.71 incl. 19 %.
 * The meter alone (charging until energy last rose at 75) would have said TIME 1.25 h, parking 0.5 h: 7.80 EUR.
 */
const REGISTER_AT: Array<[number, number]> = [[15, 3000], [30, 6000], [45, 6000], [55, 8000], [60, 8000], [75, 11000], [90, 11000]];

function expectParkingCdr(cdr: any): void {
  expect(cdr).toMatchObject({
    start_date_time: '2026-11-24T09:00:00Z', end_date_time: '2026-11-24T10:45:00Z',
    total_energy: 11, total_time: 1.75, total_parking_time: 0.75,
    total_cost: { excl_vat: 9, incl_vat: 10.71 },
    total_energy_cost: { excl_vat: 3.3, incl_vat: 3.93 },
    total_time_cost: { excl_vat: 1.2, incl_vat: 1.43 },
    total_parking_cost: { excl_vat: 4.5, incl_vat: 5.36 },
  });
  // total_charging_time = total_time - total_parking_time (mod_cdrs)
  expect(cdr.total_time - cdr.total_parking_time).toBe(1);
  const periods = (cdr.charging_periods as any[]).map((p) => ({
    start: p.start_date_time,
    dims: Object.fromEntries((p.dimensions as any[]).filter((d) => ['ENERGY', 'TIME', 'PARKING_TIME'].includes(d.type)).map((d) => [d.type, d.volume])),
    tariff: p.tariff_id,
  }));
  expect(periods).toEqual([
    { start: '2026-11-24T09:00:00Z', dims: { ENERGY: 6, TIME: 0.5 }, tariff: 'AC-STANDARD' },
    { start: '2026-11-24T09:30:00Z', dims: { PARKING_TIME: 0.25 }, tariff: 'AC-STANDARD' },
    { start: '2026-11-24T09:45:00Z', dims: { ENERGY: 5, TIME: 0.5 }, tariff: 'AC-STANDARD' },
    { start: '2026-11-24T10:15:00Z', dims: { PARKING_TIME: 0.5 }, tariff: 'AC-STANDARD' },
  ]);
}

describe('parking time from status reports', () => {
  it('OCPP 1.6: SuspendedEV and Finishing are PARKING_TIME, SuspendedEVSE stays TIME, in the CDR and the session', async () => {
    const status = (minute: number, s: string) => charger16.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: s, timestamp: at(minute) });
    await status(-1, 'Preparing');
    const { transactionId } = await charger16.call('StartTransaction', { connectorId: 1, idTag: 'PARKER-16', meterStart: 100_000, timestamp: at(0) });
    const meter = (minute: number, wh: number) => charger16.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: at(minute), sampledValue: [
      { value: String(100_000 + wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    ] }] });
    const script: Array<[number, string]> = [[0, 'Charging'], [30, 'SuspendedEV'], [45, 'Charging'], [55, 'SuspendedEVSE'], [60, 'Charging'], [75, 'SuspendedEV'], [90, 'Finishing']];
    for (const [minute, s] of script) await status(minute, s);
    for (const [minute, wh] of REGISTER_AT) await meter(minute, wh);
    await charger16.call('StopTransaction', { transactionId, meterStop: 111_000, timestamp: at(105), reason: 'EVDisconnected', idTag: 'PARKER-16' });
    await status(105, 'Available');

    await expect.poll(() => emsp.cdrs().filter((c) => c.cdr_token.uid === 'PARKER-16').length, { timeout: 10_000 }).toBe(1);
    const cdr = emsp.cdrs().find((c) => c.cdr_token.uid === 'PARKER-16');
    expectParkingCdr(cdr);
    expect(cdr.remark).toBe('stop reason: EVDisconnected');

    // The final Session PUT carries the same periods and cost.
    const puts = emsp.received.filter((r) => r.module === 'sessions' && r.method === 'PUT' && r.body?.id === cdr.session_id);
    const final = puts[puts.length - 1]!.body;
    expect(final).toMatchObject({ status: 'COMPLETED', kwh: 11, total_cost: { excl_vat: 9, incl_vat: 10.71 } });
    const sessionOnly = new Set(['POWER', 'STATE_OF_CHARGE']);
    expect(final.charging_periods.map((p: any) => ({ ...p, dimensions: p.dimensions.filter((d: any) => !sessionOnly.has(d.type)) }))).toEqual(cdr.charging_periods);
    // the Session's average power while charging: 6 kWh in 0.5 h, 5 kWh in 0.5 h (SuspendedEVSE included)
    expect(final.charging_periods.map((p: any) => p.dimensions.find((d: any) => d.type === 'POWER')?.volume)).toEqual([12, undefined, 10, undefined]);
  });

  it('while the session runs, the eMSP gets each closed period once by PATCH (appended), and they match the final PUT', async () => {
    const minutes = (m: number) => new Date(T0 + 24 * 3_600_000 + m * 60_000).toISOString().replace('.000Z', 'Z'); // the next day, 10:00
    const status = (m: number, s: string) => charger16.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: s, timestamp: minutes(m) });
    const { transactionId } = await charger16.call('StartTransaction', { connectorId: 1, idTag: 'PARKER-16B', meterStart: 200_000, timestamp: minutes(0) });
    const meter = (m: number, wh: number) => charger16.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: minutes(m), sampledValue: [
      { value: String(200_000 + wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    ] }] });
    const calls = () => emsp.received.filter((r) => r.module === 'sessions' && ['PUT', 'PATCH'].includes(r.method) && r.path.endsWith(sessionId));
    let sessionId = '';
    await expect.poll(() => emsp.received.find((r) => r.module === 'sessions' && r.method === 'PUT' && r.body?.cdr_token?.uid === 'PARKER-16B'), { timeout: 10_000 }).toBeTruthy();
    sessionId = emsp.received.find((r) => r.module === 'sessions' && r.method === 'PUT' && r.body?.cdr_token?.uid === 'PARKER-16B')!.body.id;
    const periodsSent = () => calls().filter((r) => r.method === 'PATCH').flatMap((r) => r.body.charging_periods ?? []).length;

    await status(0, 'Charging');
    await meter(30, 6000);
    await status(30, 'SuspendedEV'); // closes the first charging period
    await expect.poll(periodsSent, { timeout: 10_000 }).toBe(1);
    await meter(45, 6000);
    await status(45, 'Charging'); // closes the parking period
    await meter(60, 9000);
    await expect.poll(periodsSent, { timeout: 10_000 }).toBe(2);
    await charger16.call('StopTransaction', { transactionId, meterStop: 209_000, timestamp: minutes(60), reason: 'Local' });
    await expect.poll(() => calls().at(-1)?.body.status, { timeout: 10_000 }).toBe('COMPLETED');

    const all = calls();
    expect(all[0]!.method).toBe('PUT');
    expect(all.at(-1)!.method).toBe('PUT');
    // What the eMSP holds before the final PUT: the first PUT's periods plus every PATCH's, appended (mod_sessions §PATCH)
    const held = [...(all[0]!.body.charging_periods ?? []), ...all.slice(1, -1).flatMap((r) => r.body.charging_periods ?? [])];
    const final = all.at(-1)!.body.charging_periods;
    expect(final.map((p: any) => p.start_date_time)).toEqual([minutes(0), minutes(30), minutes(45)]);
    expect(held).toEqual(final.slice(0, 2));
    expect(held.map((p: any) => Object.fromEntries(p.dimensions.map((d: any) => [d.type, d.volume])))).toEqual([
      expect.objectContaining({ ENERGY: 6, TIME: 0.5 }), { PARKING_TIME: 0.25 },
    ]);
    for (const r of all.slice(1, -1)) expect(r.body).toMatchObject({ status: 'ACTIVE', last_updated: expect.any(String) });
  });

  it('OCPP 2.0.1: chargingState SuspendedEV / EVConnected are PARKING_TIME, SuspendedEVSE stays TIME', async () => {
    let seqNo = 0;
    const event = (eventType: string, minute: number, triggerReason: string, extra: Record<string, unknown> = {}, chargingState?: string, wh?: number) => station201.call('TransactionEvent', {
      eventType, timestamp: at(minute), triggerReason, seqNo: seqNo++,
      transactionInfo: { transactionId: 'TX-PARK-1', ...(chargingState ? { chargingState } : {}), ...(eventType === 'Ended' ? { stoppedReason: 'EVDisconnected' } : {}) },
      ...(wh !== undefined ? { meterValue: [{ timestamp: at(minute), sampledValue: [{ value: 50_000 + wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' },
        context: eventType === 'Started' ? 'Transaction.Begin' : eventType === 'Ended' ? 'Transaction.End' : 'Sample.Periodic' }] }] } : {}),
      ...extra,
    });
    await event('Started', 0, 'Authorized', { evse: { id: 1, connectorId: 1 }, idToken: { idToken: 'PARKER-201', type: 'ISO14443' } }, 'Charging', 0);
    const changes: Record<number, string> = { 30: 'SuspendedEV', 45: 'Charging', 55: 'SuspendedEVSE', 60: 'Charging', 75: 'SuspendedEV', 90: 'EVConnected' };
    const minutes = [...new Set([...REGISTER_AT.map(([m]) => m), ...Object.keys(changes).map(Number)])].sort((a, b) => a - b);
    const wh = new Map(REGISTER_AT);
    for (const m of minutes) {
      await event('Updated', m, changes[m] ? 'ChargingStateChanged' : 'MeterValuePeriodic', {}, changes[m], wh.get(m));
    }
    await event('Ended', 105, 'EVCommunicationLost', {}, 'Idle', 11_000);

    await expect.poll(() => emsp.cdrs().filter((c) => c.cdr_token.uid === 'PARKER-201').length, { timeout: 10_000 }).toBe(1);
    expectParkingCdr(emsp.cdrs().find((c) => c.cdr_token.uid === 'PARKER-201'));
  });
});
