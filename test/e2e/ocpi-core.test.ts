/**
 * OCPI 2.2.1 / 2.1.1 CPO platform end to end: the real bridge (startTestBridge) and in-test eMSPs on real
 * ports (test/helpers/emsp.ts). Both handshake directions, pulling every page of locations and tariffs by
 * following Link, pushes when an OCPP 1.6 charger reports a status, retries while an eMSP fails, bad input,
 * and registrations surviving a restart. Checks the envelope, the headers and the Authorization form.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const TOKEN_A = 'E2E-REGISTRATION-TOKEN-A';
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const b64 = (t: string) => Buffer.from(t).toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const locations = ['LOC-1', 'LOC-2', 'LOC-3'].map((id, i) => ({
  id, name: `Site ${i + 1}`, address: `Example Street ${i + 1}`, city: 'Berlin', postal_code: '10115', country: 'DEU',
  coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin', parking_type: 'PARKING_LOT',
}));
const tariffs = ['AC-STANDARD', 'AC-NIGHT', 'DC-FAST'].map((id) => ({ id, currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] }] }));
const site = (extra: Record<string, any> = {}) =>
  siteConfig([{ identity: 'CP-1', evses: 2 }, { identity: 'CP-2', evses: 1 }], { locations, tariffs, ocpi: { token_a: TOKEN_A, page_limit_max: 2, request_timeout_s: 1 }, ...extra });

const probes: Probe[] = [];
const emsps: TestEmsp[] = [];
async function emspWith(options: Parameters<typeof startEmsp>[0] = {}): Promise<TestEmsp> {
  const e = await startEmsp(options);
  emsps.push(e);
  return e;
}
async function charger(bridge: TestBridge, identity: string): Promise<Probe> {
  const p = await connectProbe({ url: bridge.ocppUrl, identity });
  probes.push(p);
  await p.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'Wallbox 22' });
  return p;
}
const status = (p: Probe, connectorId: number, s: string) =>
  p.call('StatusNotification', { connectorId, errorCode: s === 'Faulted' ? 'GroundFailure' : 'NoError', status: s, timestamp: new Date().toISOString() });

afterEach(async () => {
  for (const p of probes.splice(0)) {
    expect(p.strictFailures).toEqual([]);
    await p.close();
  }
});
afterAll(async () => {
  for (const e of emsps.splice(0)) await e.close();
});

function expectEnvelope(body: any, code = 1000) {
  expect(body.status_code).toBe(code);
  expect(body.timestamp).toMatch(TIMESTAMP);
  expect(typeof body.status_message).toBe('string');
}

describe('OCPI 2.2.1: eMSP-initiated registration, pull, push', () => {
  let bridge: TestBridge;
  let emsp: TestEmsp;
  beforeAll(async () => {
    bridge = await startTestBridge(site());
    emsp = await emspWith();
  });
  afterAll(async () => bridge.close());

  it('bad input before registration: non-JSON 400, wrong types and over-long strings 2001, slow or unreachable eMSP 3001 — token A stays usable', async () => {
    const url = `${bridge.httpUrl}/ocpi/2.2.1/credentials`;
    const malformed = await emsp.call('POST', url, { token: TOKEN_A, rawBody: '{"token": "abc", ' });
    expect(malformed.status).toBe(400);
    expectEnvelope(malformed.body, 2001);
    const wrongTypes = await emsp.call('POST', url, { token: TOKEN_A, body: { token: 123, url: true, roles: 'EMSP' } });
    expect(wrongTypes.status).toBe(200);
    expectEnvelope(wrongTypes.body, 2001);
    const tooLong = await emsp.call('POST', url, { token: TOKEN_A, body: { ...emsp.credentials('2.2.1', 'B'.repeat(65)) } });
    expectEnvelope(tooLong.body, 2001);
    expect(tooLong.body.status_message).toContain('token');
    const unreachable = await emsp.call('POST', url, { token: TOKEN_A, body: { ...emsp.credentials('2.2.1', 'TOKEN-B-X'), url: 'http://127.0.0.1:9/ocpi/versions' } });
    expectEnvelope(unreachable.body, 3001);
    // A slow eMSP: the bridge gives up after ocpi.request_timeout_s (1 s) with 3001.
    emsp.acceptToken('TOKEN-B-SLOW');
    emsp.versionsDelayMs = 3000;
    const started = Date.now();
    const slow = await emsp.call('POST', url, { token: TOKEN_A, body: emsp.credentials('2.2.1', 'TOKEN-B-SLOW') });
    emsp.versionsDelayMs = 0;
    expect(Date.now() - started).toBeLessThan(2500);
    expectEnvelope(slow.body, 3001);
    // Nothing half-registered: no token works on functional modules, token A still registers (next test).
    expect((await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations`, { token: 'TOKEN-B-SLOW' })).status).toBe(401);
    expect((await emsp.call('GET', `${bridge.httpUrl}/ocpi/versions`, { token: TOKEN_A })).status).toBe(200);
  });

  it('registers with token A: the bridge fetched our versions and details with token B (Base64) before answering', async () => {
    const res = await emsp.register(bridge.urls.ocpiVersions.replace('localhost', '127.0.0.1'), TOKEN_A);
    expect(res.status).toBe(200);
    expectEnvelope(res.body);
    expect(res.headers.get('X-Request-ID')).toBeTruthy();
    expect(res.body.data.roles).toEqual([{ role: 'CPO', party_id: 'EXA', country_code: 'DE', business_details: { name: 'Test CPO' } }]);
    expect(res.body.data.url).toBe(bridge.urls.ocpiVersions);
    const calls = emsp.received.filter((r) => r.authorization === `Token ${b64(emsp.tokenForBridgeToUse!)}`).map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual(['GET /ocpi/versions', 'GET /ocpi/2.2.1']);
    // no routing headers on versions/credentials
    expect(emsp.received.find((r) => r.path === '/ocpi/versions')!.headers['ocpi-from-party-id']).toBeUndefined();
  });

  it('token A replayed after the handshake: 401; credentials POST with token C: 405', async () => {
    expect((await emsp.call('GET', `${bridge.httpUrl}/ocpi/versions`, { token: TOKEN_A })).status).toBe(401);
    expect((await emsp.call('POST', `${bridge.httpUrl}/ocpi/2.2.1/credentials`, { token: TOKEN_A, body: emsp.credentials('2.2.1', 'X') })).status).toBe(401);
    const again = await emsp.call('POST', `${bridge.httpUrl}/ocpi/2.2.1/credentials`, { body: emsp.credentials('2.2.1', 'X') });
    expect(again.status).toBe(405);
    expectEnvelope(again.body, 2000);
  });

  it('pulls every page of locations and tariffs by following Link; headers and routing as specified', async () => {
    const { items, pages } = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/locations`, { limit: 50 });
    expect(items.map((l) => l.id)).toEqual(['LOC-1', 'LOC-2', 'LOC-3']);
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      expectEnvelope(page.body);
      expect(page.headers.get('X-Total-Count')).toBe('3');
      expect(page.headers.get('X-Limit')).toBe('2');
      expect(page.headers.get('X-Request-ID')).toBeTruthy();
      expect(page.headers.get('X-Correlation-ID')).toBeTruthy();
      expect(page.headers.get('OCPI-from-country-code')).toBe('DE');
      expect(page.headers.get('OCPI-to-party-id')).toBe('EMS');
    }
    expect(pages[0]!.headers.get('Link')).toMatch(/^<http:\/\/localhost:\d+\/ocpi\/2\.2\.1\/locations\?offset=2&limit=2&cursor=[\w-]+>; rel="next"$/);
    expect(items[0].evses.map((e: any) => [e.uid, e.status])).toEqual([['DE*EXA*E0001*1', 'PLANNED'], ['DE*EXA*E0001*2', 'PLANNED'], ['DE*EXA*E0002*1', 'PLANNED']]);
    expect(items[1].evses).toEqual([]);
    const t = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/tariffs`);
    expect(t.items.map((x) => x.id).sort()).toEqual(['AC-NIGHT', 'AC-STANDARD', 'DC-FAST']);
    expect(t.items[0]).toMatchObject({ country_code: 'DE', party_id: 'EXA', currency: 'EUR', last_updated: expect.stringMatching(TIMESTAMP) });
    // The request id we sent comes back.
    const echoed = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/tariffs`, { headers: { 'X-Request-ID': 'my-req', 'X-Correlation-ID': 'my-corr' } });
    expect(echoed.headers.get('X-Request-ID')).toBe('my-req');
    expect(echoed.headers.get('X-Correlation-ID')).toBe('my-corr');
  });

  it('unknown objects: 404; a party that is not ours in OCPI-to: 404; date filters work', async () => {
    // Sender URLs carry no party: `NL/XXX/LOC-1` reads as location NL, EVSE XXX -> unknown.
    const unknown = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations/NL/XXX/LOC-1`);
    expect(unknown.status).toBe(404);
    expectEnvelope(unknown.body, 2003);
    const tooDeep = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations/DE/EXA/LOC-1/x`);
    expect(tooDeep.status).toBe(404);
    expectEnvelope(tooDeep.body, 2000);
    const noEvse = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations/LOC-1/NOPE`);
    expect(noEvse.status).toBe(404);
    expectEnvelope(noEvse.body, 2003);
    const wrongTo = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations`, { headers: { 'OCPI-to-country-code': 'FR', 'OCPI-to-party-id': 'ABC' } });
    expect(wrongTo.status).toBe(404);
    const future = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations?date_from=2999-01-01T00:00:00Z`);
    expect(future.body.data).toEqual([]);
    expect(future.headers.get('X-Total-Count')).toBe('0');
  });

  it('pushes EVSE status changes as PATCH {status, last_updated} with token B in Base64 and routing headers', async () => {
    const p = await charger(bridge, 'CP-1');
    await status(p, 1, 'Charging');
    const pushes = await waitFor(emsp, (r) => r.body?.status === 'CHARGING' && r.path.endsWith(encodeURI('DE*EXA*E0001*1')));
    expect(pushes.method).toBe('PATCH');
    expect(pushes.path).toBe('/ocpi/2.2.1/locations/DE/EXA/LOC-1/DE*EXA*E0001*1');
    expect(Object.keys(pushes.body).sort()).toEqual(['last_updated', 'status']);
    expect(pushes.body.last_updated).toMatch(TIMESTAMP);
    expect(pushes.authorization).toBe(`Token ${b64(emsp.tokenForBridgeToUse!)}`);
    expect(pushes.headers['ocpi-from-country-code']).toBe('DE');
    expect(pushes.headers['ocpi-from-party-id']).toBe('EXA');
    expect(pushes.headers['ocpi-to-country-code']).toBe('NL');
    expect(pushes.headers['ocpi-to-party-id']).toBe('EMS');
    expect(pushes.headers['x-request-id']).toBeTruthy();
    expect(pushes.headers['content-type']).toMatch(/application\/json/);
    // the pulled view agrees
    const evse = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations/LOC-1/${encodeURIComponent('DE*EXA*E0001*1')}`);
    expect(evse.body.data).toMatchObject({ status: 'CHARGING', last_updated: pushes.body.last_updated });
    // connector 0 Faulted: every EVSE of the charger OUTOFORDER
    await status(p, 0, 'Faulted');
    await waitFor(emsp, (r) => r.body?.status === 'OUTOFORDER' && r.path.endsWith('E0001*2'));
    await status(p, 0, 'Available');
  });

  it('while the eMSP fails, pushes are retried; once it is back only the latest state arrives', async () => {
    const p = await charger(bridge, 'CP-2');
    await waitFor(emsp, (r) => r.path.endsWith('E0002*1'));
    emsp.failPushesWith = 500;
    const failedBefore = emsp.pushes().length;
    await status(p, 1, 'Available');
    await waitUntil(() => emsp.pushes().length > failedBefore, 'a failed push attempt');
    await status(p, 1, 'Reserved');
    await status(p, 1, 'Unavailable');
    await sleep(300);
    const metricsWhileDown = await (await fetch(bridge.urls.metrics.replace('localhost', '127.0.0.1'))).text();
    expect(metricsWhileDown).toMatch(/bridge_ocpi_pushes_total\{party="NL\*EMS",module="locations",outcome="retry"\} [1-9]/);
    expect(metricsWhileDown).toContain('bridge_ocpi_push_reachable{party="NL*EMS"} 0');
    const recoveredFrom = emsp.received.length;
    emsp.failPushesWith = undefined;
    const latest = await waitFor(emsp, (r) => r.path.endsWith('E0002*1') && r.at > 0, recoveredFrom, 8000);
    expect(latest.body.status).toBe('INOPERATIVE');
    await sleep(1500);
    const afterRecovery = emsp.pushes().slice(emsp.pushes().findIndex((r) => r === latest)).filter((r) => r.path.endsWith('E0002*1'));
    expect(afterRecovery.map((r) => r.body.status)).toEqual(['INOPERATIVE']);
    const metrics = await (await fetch(bridge.urls.metrics.replace('localhost', '127.0.0.1'))).text();
    expect(metrics).toContain('bridge_ocpi_push_reachable{party="NL*EMS"} 1');
    expect(metrics).toContain('bridge_ocpi_push_queued{party="NL*EMS"} 0');
    expect(metrics).toMatch(/bridge_ocpi_requests_total\{module="locations",status="200"\} [1-9]/);
  });

  it('PUT rotates the token; DELETE unregisters and the old tokens stop working', async () => {
    const oldC = emsp.tokenToCallBridge!;
    const put = await emsp.update();
    expectEnvelope(put.body);
    expect((await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations`, { token: oldC })).status).toBe(401);
    expect((await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations`)).status).toBe(200);
    const del = await emsp.call('DELETE', `${bridge.httpUrl}/ocpi/2.2.1/credentials`);
    expectEnvelope(del.body);
    expect((await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations`)).status).toBe(401);
    expect(JSON.stringify(bridge.logs)).not.toContain(emsp.tokenForBridgeToUse!);
    expect(JSON.stringify(bridge.logs)).not.toContain(emsp.tokenToCallBridge!);
  });
});

describe('OCPI 2.2.1: bridge-initiated registration (the code `npm run ocpi -- register` runs)', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge(site({ http: { public_url: 'http://127.0.0.1:0' } }));
  });
  afterAll(async () => bridge.close());

  it('registers at an eMSP with its token A, then both sides use the new tokens', async () => {
    // The bridge advertises its public URL; the eMSP calls it back there.
    const realBridge = await startTestBridge(site());
    try {
      const emsp = await emspWith({ tokenA: 'EMSP-TOKEN-A', partyId: 'EM2' });
      const result = await realBridge.ocpi.registerAt(emsp.versionsUrl, 'EMSP-TOKEN-A');
      expect(result.version).toBe('2.2.1');
      // The eMSP called our versions and details back with token B before answering.
      expect(emsp.bridgeCredentials.roles[0]).toMatchObject({ role: 'CPO', party_id: 'EXA', country_code: 'DE' });
      const post = emsp.received.find((r) => r.method === 'POST')!;
      expect(post.authorization).toBe(`Token ${b64('EMSP-TOKEN-A')}`);
      // The eMSP now pulls with token B; the bridge pushes with token C (Base64).
      const pulled = await emsp.pullAll(`${realBridge.httpUrl}/ocpi/2.2.1/locations`);
      expect(pulled.items).toHaveLength(3);
      const p = await charger(realBridge, 'CP-1');
      await status(p, 2, 'Preparing');
      const push = await waitFor(emsp, (r) => r.method === 'PATCH' && r.body?.status === 'CHARGING' && r.path.endsWith('E0001*2'));
      expect(push.authorization).toBe(`Token ${b64(emsp.tokenForBridgeToUse!)}`);
      expect(push.headers['ocpi-to-party-id']).toBe('EM2');
      // The eMSP's token A was used only for the handshake.
      expect(emsp.received.filter((r) => r.authorization === `Token ${b64('EMSP-TOKEN-A')}`).map((r) => `${r.method} ${r.path}`))
        .toEqual(['GET /ocpi/versions', 'GET /ocpi/2.2.1', 'POST /ocpi/2.2.1/credentials']);
    } finally {
      await realBridge.close();
    }
  });

  it('an unreachable eMSP or a wrong token A: an error, and nothing stays registered', async () => {
    await expect(bridge.ocpi.registerAt('http://127.0.0.1:9/ocpi/versions', 'X')).rejects.toThrow(/Unable to use the peer's API/);
    const emsp = await emspWith({ tokenA: 'RIGHT-TOKEN' });
    await expect(bridge.ocpi.registerAt(emsp.versionsUrl, 'WRONG-TOKEN')).rejects.toThrow(/HTTP 401/);
    // The bridge's advertised URL is unreachable (port 0), so the eMSP's callback fails and it refuses our POST.
    await expect(bridge.ocpi.registerAt(emsp.versionsUrl, 'RIGHT-TOKEN')).rejects.toThrow(/refused or did not answer/);
    // Nothing pending remains: the token B the bridge offered no longer opens anything.
    const offered = emsp.received.filter((r) => r.method === 'POST').map((r) => r.body.token as string);
    expect(offered).toHaveLength(1);
    expect((await emsp.call('GET', `${bridge.httpUrl}/ocpi/versions`, { token: offered[0] })).status).toBe(401);
    expect(bridge.logs.filter((l) => l.msg?.startsWith('OCPI platform registered'))).toEqual([]);
  });
});

describe('OCPI 2.1.1 beside 2.2.1', () => {
  let bridge: TestBridge;
  let emsp: TestEmsp;
  beforeAll(async () => {
    bridge = await startTestBridge(site());
    emsp = await emspWith({ versions: ['2.1.1'], partyId: 'OLD' });
  });
  afterAll(async () => bridge.close());

  it('registers on 2.1.1 with plain tokens, pulls 2.1.1 shapes without routing headers, receives 2.1.1 pushes', async () => {
    const res = await emsp.register(bridge.urls.ocpiVersions, TOKEN_A, '2.1.1');
    expectEnvelope(res.body);
    expect(res.body.data).toEqual({ token: expect.any(String), url: bridge.urls.ocpiVersions, business_details: { name: 'Test CPO' }, party_id: 'EXA', country_code: 'DE' });
    expect(emsp.received.find((r) => r.path === '/ocpi/versions')!.authorization).toBe(`Token ${emsp.tokenForBridgeToUse}`);

    const { items, pages } = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.1.1/locations`, { version: '2.1.1' });
    expect(items.map((l) => l.id)).toEqual(['LOC-1', 'LOC-2', 'LOC-3']);
    expect(pages[0]!.headers.get('OCPI-from-party-id')).toBeNull();
    expect(items[0]).toMatchObject({ type: 'PARKING_LOT', postal_code: '10115' });
    expect(items[0]).not.toHaveProperty('country_code');
    expect(items[0].evses[0].connectors[0]).toMatchObject({ voltage: 230, amperage: 32, tariff_id: 'AC-STANDARD' });
    const t = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.1.1/tariffs`, { version: '2.1.1' });
    expect(t.items).toHaveLength(3);
    expect(t.items[0]).not.toHaveProperty('party_id');
    expect(t.items[0].elements[0].price_components[0]).not.toHaveProperty('vat');

    const p = await charger(bridge, 'CP-1');
    await status(p, 1, 'Charging');
    const push = await waitFor(emsp, (r) => r.method === 'PATCH' && r.body?.status === 'CHARGING');
    expect(push.path).toBe('/ocpi/2.1.1/locations/DE/EXA/LOC-1/DE*EXA*E0001*1');
    expect(push.authorization).toBe(`Token ${emsp.tokenForBridgeToUse}`);
    expect(push.headers['ocpi-from-party-id']).toBeUndefined();
  });

  it('2.1.1 bridge-initiated registration', async () => {
    const emsp2 = await emspWith({ versions: ['2.1.1'], tokenA: 'OLD-EMSP-TOKEN-A', partyId: 'OL2' });
    const result = await bridge.ocpi.registerAt(emsp2.versionsUrl, 'OLD-EMSP-TOKEN-A');
    expect(result.version).toBe('2.1.1');
    expect(emsp2.received.find((r) => r.method === 'POST')!.authorization).toBe('Token OLD-EMSP-TOKEN-A');
    expect(emsp2.bridgeCredentials).toMatchObject({ party_id: 'EXA', country_code: 'DE', business_details: { name: 'Test CPO' } });
    expect((await emsp2.call('GET', `${bridge.httpUrl}/ocpi/2.1.1/tariffs`, { version: '2.1.1' })).status).toBe(200);
  });
});

describe('registrations, endpoints and pending pushes survive a restart', () => {
  it('after a restart the eMSP token still works, config changes made meanwhile are pushed (tariff PUT and DELETE)', async () => {
    const first = await startTestBridge(site());
    const emsp = await emspWith();
    await emsp.register(first.urls.ocpiVersions, TOKEN_A);
    await first.stop();

    const changed = [...tariffs.filter((t) => t.id !== 'AC-NIGHT'), { id: 'NEW-TARIFF', currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 1, step_size: 1 }] }] }];
    const second = await startTestBridge(site({ tariffs: changed, database: { path: first.dbPath } }));
    try {
      expect((await emsp.call('GET', `${second.httpUrl}/ocpi/2.2.1/locations`)).status).toBe(200);
      const del = await waitFor(emsp, (r) => r.method === 'DELETE');
      expect(del.path).toBe('/ocpi/2.2.1/tariffs/DE/EXA/AC-NIGHT');
      const put = await waitFor(emsp, (r) => r.method === 'PUT' && r.path.endsWith('NEW-TARIFF'));
      expect(put.body).toMatchObject({ id: 'NEW-TARIFF', country_code: 'DE', party_id: 'EXA' });
      expect(emsp.pushes('tariffs').map((r) => `${r.method} ${r.path}`).sort()).toEqual(['DELETE /ocpi/2.2.1/tariffs/DE/EXA/AC-NIGHT', 'PUT /ocpi/2.2.1/tariffs/DE/EXA/NEW-TARIFF']);
    } finally {
      await second.close();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });
});

async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The first push (from index `from` of everything received) matching `predicate`. */
async function waitFor(emsp: TestEmsp, predicate: (r: TestEmsp['received'][number]) => boolean, from = 0, timeoutMs = 8000) {
  let found: TestEmsp['received'][number] | undefined;
  await waitUntil(() => {
    found = emsp.received.slice(from).find((r) => ['PUT', 'PATCH', 'DELETE'].includes(r.method) && predicate(r));
    return found !== undefined;
  }, 'a push', timeoutMs);
  return found!;
}
