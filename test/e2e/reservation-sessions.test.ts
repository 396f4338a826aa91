/**
 * Reservations as OCPI Sessions and CDRs (issue 8; OCPI 2.2.1 mod_commands RESERVE_NOW "creates a Session" and
 * "may cost money"; mod_sessions status RESERVATION; mod_tariffs ReservationRestrictionType), end to end over real
 * HTTP and WebSockets: an eMSP reserves on a simulated OCPP 1.6 charger and a 2.0.1 station and sees the RESERVATION
 * session pushed; a used reservation continues as the same session, ACTIVE then COMPLETED, and its CDR bills the
 * reservation time by the tariff's RESERVATION element; an expired one ends COMPLETED with a CDR priced by
 * RESERVATION_EXPIRES; a cancelled one ends INVALID without a CDR. Another eMSP sees none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ocpi from '../../src/ocpi/schemas/index.js';
import { SimulatedCharger16, SimulatedStation201 } from '../../firmware-sim/index.js';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp: TestEmsp;
let rival: TestEmsp;
let cp16: SimulatedCharger16;
let station: SimulatedStation201;

const stamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const appToken = (uid: string) => ({
  country_code: 'NL', party_id: 'EMS', uid, type: 'APP_USER', contract_id: `NL-EMS-C${uid}`.slice(0, 36), issuer: 'Test eMSP', valid: true, whitelist: 'NEVER', last_updated: stamp(),
});

/**
 * tariff_17 of the spec's examples (reservation with an expiry fee), with a one-hour step for the reservation time so
 * a reservation of a few seconds costs exactly one hour: used -> 2.00 reservation + 0.50 start + 0.25/kWh;
 * expired -> 4.00 expiry fee + 2.00 reservation time.
 */
const TARIFF = {
  id: 'AC-STANDARD', currency: 'EUR', elements: [
    { price_components: [{ type: 'FLAT', price: 4.0, vat: 20, step_size: 1 }], restrictions: { reservation: 'RESERVATION_EXPIRES' } },
    { price_components: [{ type: 'TIME', price: 2.0, vat: 20, step_size: 3600 }], restrictions: { reservation: 'RESERVATION' } },
    { price_components: [{ type: 'FLAT', price: 0.5, vat: 20, step_size: 1 }, { type: 'ENERGY', price: 0.25, vat: 10, step_size: 1 }] },
  ],
};

const sessionPushes = (peer: TestEmsp, id?: string) => peer.received.filter((r) => r.module === 'sessions' && (r.method === 'PUT' || r.method === 'PATCH') && (!id || r.path.endsWith(`/${id}`)));
const lastStatus = (id: string) => sessionPushes(emsp, id).filter((r) => r.body?.status).at(-1)?.body.status;

async function reserve(reservationId: string, evseUid: string, uid: string, expiresInMs: number, authRef: string): Promise<any> {
  const name = `reserve-${reservationId}`;
  const res = await emsp.call('POST', `${bridge.httpUrl}/ocpi/2.2.1/commands/RESERVE_NOW`, { body: {
    response_url: emsp.resultUrl(name), token: appToken(uid), expiry_date: stamp(Date.now() + expiresInMs), reservation_id: reservationId,
    location_id: 'LOC-1', evse_uid: evseUid, authorization_reference: authRef,
  } });
  expect(res.body.data.result).toBe('ACCEPTED');
  expect(await emsp.waitForResult(name)).toEqual({ result: 'ACCEPTED' });
  await expect.poll(() => sessionPushes(emsp).some((r) => r.method === 'PUT' && r.body.status === 'RESERVATION' && r.body.authorization_reference === authRef), { timeout: 5000 }).toBe(true);
  return sessionPushes(emsp).find((r) => r.method === 'PUT' && r.body.authorization_reference === authRef)!.body;
}

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-16', evses: 2 }, { identity: 'CS-201', evses: 1 }], {
    ocpi: { token_a: 'registration-token-a-1', command_timeout_s: 8, cdr_settle_s: 0, session_push_interval_s: 1 },
    tariffs: [TARIFF],
  }));
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  rival = await startEmsp({ countryCode: 'BE', partyId: 'RIV' });
  const versionsUrl = `${bridge.httpUrl}/ocpi/versions`;
  expect((await emsp.register(versionsUrl, 'registration-token-a-1')).body.status_code).toBe(1000);
  const sqlite = (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
  sqlite.prepare('INSERT INTO ocpi_registration_tokens (token_hash, created_at_ms) VALUES (?, ?)').run(
    (await import('node:crypto')).createHash('sha256').update('registration-token-a-2').digest('hex'), Date.now());
  expect((await rival.register(versionsUrl, 'registration-token-a-2')).body.status_code).toBe(1000);
  cp16 = new SimulatedCharger16({ url: `${bridge.ocppUrl}/CP-16`, identity: 'CP-16', connectors: 2, powerW: 10_000 });
  await cp16.connect();
  station = new SimulatedStation201({ url: `${bridge.ocppUrl}/CS-201`, identity: 'CS-201', evses: 1 });
  await station.connect();
});
afterAll(async () => {
  await cp16?.close();
  await station?.close();
  await bridge?.close();
  for (const p of [emsp, rival]) await p?.close();
});

describe('a reservation used by a transaction (OCPP 1.6)', () => {
  let reserved: any;

  it('RESERVE_NOW pushes a RESERVATION session: the command token, COMMAND, the authorization_reference, the EVSE, 0 kWh', async () => {
    reserved = await reserve('RES-USED', 'DE*EXA*E0001*1', 'RESERVER-USED', 15 * 60_000, 'AUTH-RES-USED');
    expect(reserved).toMatchObject({
      country_code: 'DE', party_id: 'EXA', status: 'RESERVATION', kwh: 0, auth_method: 'COMMAND', authorization_reference: 'AUTH-RES-USED',
      cdr_token: { country_code: 'NL', party_id: 'EMS', uid: 'RESERVER-USED', type: 'APP_USER', contract_id: 'NL-EMS-CRESERVER-USED' },
      // The cost so far: the reservation's first (started) hour at 2.00 + 20 % VAT; no start fee, which is the charging session's.
      location_id: 'LOC-1', evse_uid: 'DE*EXA*E0001*1', connector_id: '1', currency: 'EUR', total_cost: { excl_vat: 2, incl_vat: 2.4 },
    });
    // Pullable too, by its eMSP only.
    const pulled = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions?date_from=2020-01-01T00:00:00Z`);
    expect(pulled.items.find((s) => s.id === reserved.id)).toMatchObject({ status: 'RESERVATION', auth_method: 'COMMAND' });
    const theirs = await rival.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions?date_from=2020-01-01T00:00:00Z`);
    expect(theirs.items.some((s) => s.id === reserved.id)).toBe(false);
  });

  it('the transaction that uses it continues the same session: ACTIVE, then COMPLETED', async () => {
    const reservationId = cp16.connector(1).reservation!.id;
    await cp16.plugIn(1);
    await cp16.startTransaction(1, 'RESERVER-USED', reservationId);
    await expect.poll(() => lastStatus(reserved.id), { timeout: 5000 }).toBe('ACTIVE');
    const active = sessionPushes(emsp, reserved.id).find((r) => r.body.status === 'ACTIVE')!;
    // A full PUT: start_date_time moved to the transaction's start (mod_sessions), same token and reference.
    expect(active.method).toBe('PUT');
    expect(active.body).toMatchObject({ id: reserved.id, cdr_token: { uid: 'RESERVER-USED' }, authorization_reference: 'AUTH-RES-USED', evse_uid: 'DE*EXA*E0001*1' });
    expect(Date.parse(active.body.start_date_time)).toBeGreaterThanOrEqual(Date.parse(reserved.start_date_time));
    await cp16.advance(1, 3600); // 10 kWh at 10 kW
    await cp16.stopTransaction(1, 'EVDisconnected');
    await expect.poll(() => lastStatus(reserved.id), { timeout: 5000 }).toBe('COMPLETED');
    // No other session was opened for the transaction.
    const ids = new Set(sessionPushes(emsp).filter((r) => r.body?.cdr_token?.uid === 'RESERVER-USED').map((r) => r.path.split('/').at(-1)));
    expect([...ids]).toEqual([reserved.id]);
  });

  it('its CDR carries the reservation time priced by the RESERVATION element, to the cent', async () => {
    await expect.poll(() => emsp.cdrs().find((c) => c.session_id === reserved.id), { timeout: 10_000 }).toBeDefined();
    const cdr = emsp.cdrs().find((c) => c.session_id === reserved.id);
    expect(cdr).toMatchObject({
      id: reserved.id, start_date_time: reserved.start_date_time, auth_method: 'COMMAND', authorization_reference: 'AUTH-RES-USED', total_energy: 10,
      // 2.00 (reservation hour, 20 % VAT) + 0.50 start fee (20 %) + 10 kWh x 0.25 (10 %)
      total_reservation_cost: { excl_vat: 2, incl_vat: 2.4 },
      total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 },
      total_energy_cost: { excl_vat: 2.5, incl_vat: 2.75 },
      total_cost: { excl_vat: 5, incl_vat: 5.75 },
      cdr_location: { evse_uid: 'DE*EXA*E0001*1', connector_id: '1' },
    });
    // The first period starts with the reservation (the Session's DateTime has whole seconds, the period's keeps milliseconds).
    expect(Math.floor(Date.parse(cdr.charging_periods[0].start_date_time) / 1000) * 1000).toBe(Date.parse(reserved.start_date_time));
    expect(cdr.charging_periods[0].dimensions.map((d: any) => d.type)).toEqual(['RESERVATION_TIME']);
    expect(cdr.charging_periods.slice(1).flatMap((p: any) => p.dimensions.map((d: any) => d.type))).toContain('ENERGY');

    // The technician's page finds the session under the reservation's id: its cost and its CDR.
    const { user, password } = bridge.statusPagePassword!;
    const status = await (await fetch(`${bridge.httpUrl}/status.json`, { headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } })).json() as any;
    const recent = status.sessions.recent.find((x: any) => x.idTag === 'RESERVER-USED');
    expect(recent.cost).toEqual({ amount: 5.75, currency: 'EUR' });
    expect(recent.cdr?.id ?? recent.cdrId).toBe(reserved.id);
  });
});

describe('a reservation that expires unused', () => {
  it('OCPP 1.6: the session ends COMPLETED and a CDR bills RESERVATION_EXPIRES then RESERVATION', async () => {
    const reserved = await reserve('RES-EXPIRES', 'DE*EXA*E0001*2', 'RESERVER-EXP', 2000, 'AUTH-RES-EXP');
    expect(reserved).toMatchObject({ status: 'RESERVATION', evse_uid: 'DE*EXA*E0001*2' });
    await expect.poll(() => lastStatus(reserved.id), { timeout: 8000 }).toBe('COMPLETED');
    const completed = sessionPushes(emsp, reserved.id).at(-1)!.body;
    expect(completed).toMatchObject({ kwh: 0, total_cost: { excl_vat: 6, incl_vat: 7.2 } });
    await expect.poll(() => emsp.cdrs().find((c) => c.id === reserved.id), { timeout: 10_000 }).toBeDefined();
    const cdr = emsp.cdrs().find((c) => c.id === reserved.id);
    expect(cdr).toMatchObject({
      session_id: reserved.id, start_date_time: reserved.start_date_time, end_date_time: completed.end_date_time,
      cdr_token: { uid: 'RESERVER-EXP' }, auth_method: 'COMMAND', authorization_reference: 'AUTH-RES-EXP',
      cdr_location: { id: 'LOC-1', evse_uid: 'DE*EXA*E0001*2' }, total_energy: 0, total_time: 0,
      // 4.00 expiry fee + one (stepped) hour of reservation at 2.00, 20 % VAT
      total_reservation_cost: { excl_vat: 6, incl_vat: 7.2 }, total_cost: { excl_vat: 6, incl_vat: 7.2 },
      remark: 'reservation expired unused',
    });
    expect(cdr.charging_periods).toHaveLength(1);
    expect(cdr.charging_periods[0].dimensions.map((d: any) => d.type)).toEqual(['RESERVATION_TIME']);
  });

  it('OCPP 2.0.1: the station reports the expiry itself; the same CDR follows', async () => {
    const reserved = await reserve('RES-201', 'DE*EXA*E0002*1', 'RESERVER-201', 2000, 'AUTH-RES-201');
    expect(reserved).toMatchObject({ status: 'RESERVATION', evse_uid: 'DE*EXA*E0002*1', cdr_token: { uid: 'RESERVER-201' } });
    await expect.poll(() => lastStatus(reserved.id), { timeout: 8000 }).toBe('COMPLETED');
    await expect.poll(() => emsp.cdrs().find((c) => c.id === reserved.id), { timeout: 10_000 }).toBeDefined();
    expect(emsp.cdrs().find((c) => c.id === reserved.id)).toMatchObject({ total_cost: { excl_vat: 6, incl_vat: 7.2 }, cdr_location: { evse_uid: 'DE*EXA*E0002*1' } });
  });
});

describe('a reservation used by a transaction (OCPP 2.0.1)', () => {
  it('the TransactionEvent naming the reservationId continues its session, ACTIVE then COMPLETED, and the CDR bills both', async () => {
    // The station's only EVSE is free again: the reservation of the test above expired.
    const reserved = await reserve('RES-201-USED', 'DE*EXA*E0002*1', 'RESERVER-U201', 15 * 60_000, 'AUTH-RES-201-USED');
    const reservationId = station.evse(1).reservation!.id;
    await station.plugIn(1);
    const { transactionId } = await station.startTransaction(1, { idToken: 'RESERVER-U201', type: 'Central' });
    // H03/E02: the event that authorized the transaction names the reservation it used up.
    const events = station.sent.filter((m) => m.action === 'TransactionEvent' && m.params.transactionInfo.transactionId === transactionId);
    expect(events.map((m) => m.params.reservationId).filter((id) => id !== undefined)).toEqual([reservationId]);
    expect(station.evse(1).reservation).toBeUndefined();
    await expect.poll(() => lastStatus(reserved.id), { timeout: 5000 }).toBe('ACTIVE');
    expect(sessionPushes(emsp, reserved.id).find((r) => r.body.status === 'ACTIVE')).toMatchObject({ method: 'PUT', body: { cdr_token: { uid: 'RESERVER-U201' }, authorization_reference: 'AUTH-RES-201-USED' } });
    await station.advance(1, 3600);
    await station.stopTransaction(1, { reason: 'EVDisconnected' });
    await expect.poll(() => lastStatus(reserved.id), { timeout: 5000 }).toBe('COMPLETED');
    // Only this one session for the token: the transaction did not open a second one.
    const ids = new Set(sessionPushes(emsp).filter((r) => r.body?.cdr_token?.uid === 'RESERVER-U201').map((r) => r.path.split('/').at(-1)));
    expect([...ids]).toEqual([reserved.id]);

    await expect.poll(() => emsp.cdrs().find((c) => c.session_id === reserved.id), { timeout: 10_000 }).toBeDefined();
    const cdr = emsp.cdrs().find((c) => c.session_id === reserved.id);
    const energy = cdr.total_energy as number;
    expect(energy).toBeGreaterThan(0);
    // 2.00 (reservation hour, 20 % VAT) + 0.50 start fee (20 %) + energy x 0.25 (10 %)
    expect(cdr).toMatchObject({
      id: reserved.id, start_date_time: reserved.start_date_time, auth_method: 'COMMAND', authorization_reference: 'AUTH-RES-201-USED',
      total_reservation_cost: { excl_vat: 2, incl_vat: 2.4 }, total_fixed_cost: { excl_vat: 0.5, incl_vat: 0.6 },
      cdr_location: { evse_uid: 'DE*EXA*E0002*1' },
    });
    expect(cdr.total_energy_cost.excl_vat).toBeCloseTo(energy * 0.25, 2);
    expect(cdr.total_cost.excl_vat).toBeCloseTo(2.5 + energy * 0.25, 2);
    expect(cdr.charging_periods[0].dimensions.map((d: any) => d.type)).toEqual(['RESERVATION_TIME']);
  });
});

describe('a cancelled reservation', () => {
  it('ends INVALID (not billed) and makes no CDR', async () => {
    const reserved = await reserve('RES-CANCEL', 'DE*EXA*E0001*1', 'RESERVER-CAN', 15 * 60_000, 'AUTH-RES-CAN');
    const res = await emsp.call('POST', `${bridge.httpUrl}/ocpi/2.2.1/commands/CANCEL_RESERVATION`, { body: { response_url: emsp.resultUrl('cancel'), reservation_id: 'RES-CANCEL' } });
    expect(res.body.data.result).toBe('ACCEPTED');
    expect(await emsp.waitForResult('cancel')).toEqual({ result: 'ACCEPTED' });
    await expect.poll(() => lastStatus(reserved.id), { timeout: 5000 }).toBe('INVALID');
    expect(sessionPushes(emsp, reserved.id).at(-1)!.body).toMatchObject({ total_cost: { excl_vat: 0, incl_vat: 0 } });
    const cdrs = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/cdrs`);
    expect(cdrs.items.map((c) => c.id)).not.toContain(reserved.id);
    expect(emsp.cdrs().map((c) => c.id)).not.toContain(reserved.id);
  });
});

describe('the other eMSP', () => {
  it('never sees a reservation session or CDR of this eMSP', async () => {
    expect(sessionPushes(rival)).toEqual([]);
    expect(rival.cdrs()).toEqual([]);
    expect((await rival.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions?date_from=2020-01-01T00:00:00Z`)).items).toEqual([]);
    expect((await rival.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/cdrs`)).items).toEqual([]);
  });
});

describe('what the eMSP received', () => {
  it('every reservation Session PUT and CDR is valid under the strict OCPI 2.2.1 schemas', async () => {
    const issues = (schema: Parameters<typeof ocpi.strict>[0], value: unknown, what: string) => {
      const r = ocpi.strict(schema).safeParse(value);
      return r.success ? [] : r.error.issues.map((i) => `${what}: ${i.path.join('.')}: ${i.message}`);
    };
    const found: string[] = [];
    sessionPushes(emsp).filter((r) => r.method === 'PUT').forEach((r, i) => found.push(...issues(ocpi.session, r.body, `session PUT ${i} (${r.body.status})`)));
    emsp.cdrs().forEach((c, i) => found.push(...issues(ocpi.cdr, c, `CDR ${i}`)));
    const pulled = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions?date_from=2020-01-01T00:00:00Z`);
    pulled.items.forEach((x, i) => found.push(...issues(ocpi.session, x, `pulled session ${i} (${x.status})`)));
    expect(new Set(pulled.items.map((x) => x.status))).toEqual(new Set(['COMPLETED', 'INVALID']));
    expect(found).toEqual([]);
  });
});
