/**
 * Route tests of the status page over a real in-memory database (app.request, mounted like start.ts does
 * beside an ops route and an /ocpi app): access, login, CSRF, 404s, escaping, truncation, /status.json, SSE.
 * The ChargerCommands port is a recording stand-in here; the browser test drives the real one.
 */
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { createDomainEvents, type DomainEvents } from '../domain/events.js';
import type { ChargerCommands, Store } from '../domain/ports.js';
import { createLog } from '../log.js';
import { openStores } from '../open-stores.js';
import { siteFromConfig } from '../site-from-config.js';
import { createStatusPage, type StatusPage } from './app.js';
import { hashPassword } from './passwords.js';

const T0 = Date.parse('2026-11-25T10:00:00Z');

interface Fx {
  parent: Hono;
  page: StatusPage;
  store: Store;
  events: DomainEvents;
  sent: Array<{ identity: string; command: string; args: unknown }>;
  connected: Set<string>;
  logs: Array<Record<string, any>>;
  close(): void;
}

let fx: Fx | undefined;
afterEach(() => {
  fx?.close();
  fx = undefined;
});

const site = {
  cpo: { country_code: 'DE', party_id: 'EXA', name: 'Test CPO' },
  ocpp: {
    chargers: ['CP-1', 'CP-2'].map((identity, n) => ({
      identity, location: 'LOC-1',
      evses: [1, 2].map((i) => ({
        ocpp_id: i, evse_id: `DE*EXA*E000${n + 1}*${i}`,
        connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['AC'] }],
      })),
    })),
  },
  locations: [{ id: 'LOC-1', name: 'Site', address: 'A 1', city: 'Berlin', postal_code: '10115', country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin' }],
  tariffs: [{ id: 'AC', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] }] }],
};

async function setup(opts: { users?: Array<{ name: string; password_hash: string }>; store?: Store } = {}): Promise<Fx> {
  const config = parseConfig(JSON.stringify(site), {}, 'test.yaml');
  const own = opts.store ? undefined : openStores({ path: ':memory:' });
  const store = opts.store ?? own!.store;
  if (own) store.syncSite(siteFromConfig(config), T0);
  const logs: Array<Record<string, any>> = [];
  const log = createLog('debug', new Writable({
    write(chunk, _e, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  }));
  const events = createDomainEvents(() => undefined);
  const sent: Fx['sent'] = [];
  const connected = new Set<string>();
  const commands = {
    isConnected: (identity: string) => connected.has(identity),
    protocolOf: () => 'ocpp1.6',
    send: async (identity: string, command: string, args: unknown) => {
      sent.push({ identity, command, args });
      return connected.has(identity) ? { ok: true, value: { status: 'Accepted' } } : { ok: false, reason: 'offline', message: 'not connected' };
    },
  } as unknown as ChargerCommands;
  const page = await createStatusPage({ store, commands, events, clock: { now: () => new Date() }, log, users: opts.users, offlineGraceMs: 180_000, liveFlushMs: 20 });
  const parent = new Hono();
  parent.get('/healthz', (c) => c.json({ status: 'ok' }));
  const ocpi = new Hono();
  ocpi.get('/versions', (c) => c.json({ data: [] }));
  ocpi.all('*', (c) => c.json({ status_code: 2000 }, 404)); // as src/ocpi/app.ts answers unknown paths
  parent.route('/ocpi', ocpi);
  parent.route('/', page.app);
  return { parent, page, store, events, sent, connected, logs, close: () => { page.close(); own?.store.close(); } };
}

function online(store: Store, identity: string, patch: Record<string, unknown> = {}) {
  const at = Date.now() - 5000;
  store.transaction(() => store.updateCharger(identity, {
    connected: true, connectedAtMs: at, lastBootAtMs: at, lastHeartbeatAtMs: at, bootStatus: 'Accepted', protocol: 'ocpp1.6', vendor: 'ACME', model: 'Box', ...patch,
  }));
}

async function login(f: Fx, user: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await f.parent.request('/login', { method: 'POST', body: new URLSearchParams({ user, password, next: '/' }) });
  expect(res.status).toBe(303);
  const cookie = /bridge_status_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  const page = await (await f.parent.request('/', { headers: { cookie } })).text();
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
}

const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

async function withUser(): Promise<{ f: Fx; cookie: string; csrf: string }> {
  const f = (fx = await setup({ users: [{ name: 'anna', password_hash: await hashPassword('s3cret-pass') }] }));
  return { f, ...(await login(f, 'anna', 's3cret-pass')) };
}

describe('access', () => {
  it('every page needs a login: browsers are sent to /login, scripts get 401 with a Basic challenge', async () => {
    const f = (fx = await setup({ users: [{ name: 'anna', password_hash: await hashPassword('s3cret-pass') }] }));
    for (const path of ['/', '/chargers', '/chargers/CP-1', '/sessions', '/emsps']) {
      const res = await f.parent.request(path, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const path of ['/status.json', '/events', '/chargers/CP-1/messages/1']) {
      const res = await f.parent.request(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    expect((await f.parent.request('/status.json', { headers: basic('anna', 'wrong') })).status).toBe(401);
    expect((await f.parent.request('/status.json', { headers: basic('anna', 's3cret-pass') })).status).toBe(200);
  });

  it('does not catch /healthz or /ocpi/*', async () => {
    const f = (fx = await setup());
    expect((await f.parent.request('/healthz')).status).toBe(200);
    expect((await f.parent.request('/ocpi/versions')).status).toBe(200);
    const res = await f.parent.request('/ocpi/nothing-here', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status_code: 2000 });
  });

  it('login: a wrong password is refused, the right one opens a session; next= only goes to local paths', async () => {
    const { f, cookie } = await withUser();
    expect((await f.parent.request('/login', { method: 'POST', body: new URLSearchParams({ user: 'anna', password: 'nope' }) })).status).toBe(401);
    expect((await f.parent.request('/login', { method: 'POST', body: new URLSearchParams({ user: 'bob', password: 's3cret-pass' }) })).status).toBe(401);
    const res = await f.parent.request('/', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const evil = await f.parent.request('/login', { method: 'POST', body: new URLSearchParams({ user: 'anna', password: 's3cret-pass', next: '//evil.example/x' }) });
    expect(evil.headers.get('location')).toBe('/');
    expect(f.logs.some((l) => JSON.stringify(l).includes('s3cret-pass'))).toBe(false);
  });

  it('too many failed logins from one address are refused for a minute', async () => {
    const f = (fx = await setup({ users: [{ name: 'anna', password_hash: await hashPassword('s3cret-pass') }] }));
    for (let i = 0; i < 10; i++) await f.parent.request('/login', { method: 'POST', body: new URLSearchParams({ user: 'anna', password: `bad${i}` }) });
    expect((await f.parent.request('/login', { method: 'POST', body: new URLSearchParams({ user: 'anna', password: 's3cret-pass' }) })).status).toBe(429);
  });

  it('without configured users a password is generated once, stored hashed, and works after a restart', async () => {
    const { store } = openStores({ path: ':memory:' });
    try {
      const first = await setup({ store });
      expect(first.page.generatedPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect(first.page.generatedUser).toBe('tech');
      const stored = store.getSetting('status_page.generated_password_hash')!;
      expect(stored).toMatch(/^scrypt:/);
      expect(stored).not.toContain(first.page.generatedPassword!);
      first.page.close();
      const second = await setup({ store });
      expect(second.page.generatedPassword).toBeUndefined();
      await login(second, 'tech', first.page.generatedPassword!);
      second.page.close();
    } finally {
      store.close();
    }
  });
});

describe('CSRF on actions', () => {
  it('a POST needs the session, its token and the same origin; then the command goes through the port', async () => {
    const { f, cookie, csrf } = await withUser();
    online(f.store, 'CP-1');
    f.connected.add('CP-1');
    const post = (headers: Record<string, string>, body: Record<string, string>) =>
      f.parent.request('/chargers/CP-1/actions/reset-soft', { method: 'POST', headers, body: new URLSearchParams(body) });
    expect((await post({ cookie }, {})).status).toBe(403);
    expect((await post({ cookie }, { _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await post({ cookie, origin: 'http://evil.example' }, { _csrf: csrf })).status).toBe(403);
    expect((await post({ cookie, 'sec-fetch-site': 'cross-site' }, { _csrf: csrf })).status).toBe(403);
    expect((await post(basic('anna', 's3cret-pass'), { _csrf: csrf })).status).toBe(401); // Basic is for reading only
    expect(f.sent).toEqual([]);
    const ok = await post({ cookie, origin: 'http://localhost' }, { _csrf: csrf });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/chargers/CP-1');
    expect(f.sent).toEqual([{ identity: 'CP-1', command: 'reset', args: { kind: 'soft' } }]);
    const after = await (await f.parent.request('/chargers/CP-1', { headers: { cookie } })).text();
    expect(after).toContain('Soft reset: CP-1 answered Accepted.');
    // the message is shown once
    expect(await (await f.parent.request('/chargers/CP-1', { headers: { cookie } })).text()).not.toContain('answered Accepted');
  });

  it('actions are only GET confirmation pages until confirmed; an offline charger gets a clear message and nothing is sent', async () => {
    const { f, cookie, csrf } = await withUser();
    const confirm = await (await f.parent.request('/chargers/CP-2/confirm/availability?evse=1&operative=0', { headers: { cookie } })).text();
    expect(confirm).toContain('Make EVSE 1 of CP-2 inoperative?');
    expect(confirm).toContain('action="/chargers/CP-2/actions/availability?evse=1&amp;operative=0"');
    expect(f.sent).toEqual([]);
    const res = await f.parent.request('/chargers/CP-2/actions/availability?evse=1&operative=0', { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf }) });
    expect(res.status).toBe(303);
    expect(f.sent).toEqual([]);
    expect(await (await f.parent.request('/chargers/CP-2', { headers: { cookie } })).text()).toContain('CP-2 is offline: Make inoperative was not sent');
    expect((await f.parent.request('/chargers/CP-2/confirm/unlock?evse=9', { headers: { cookie } })).status).toBe(400);
    expect((await f.parent.request('/chargers/CP-2/actions/explode', { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf }) })).status).toBe(400);
  });

  it('logout needs the token and ends the session', async () => {
    const { f, cookie, csrf } = await withUser();
    expect((await f.parent.request('/logout', { method: 'POST', headers: { cookie } })).status).toBe(403);
    expect((await f.parent.request('/logout', { method: 'POST', headers: { cookie }, body: new URLSearchParams({ _csrf: csrf }) })).status).toBe(303);
    expect((await f.parent.request('/', { headers: { cookie, accept: 'text/html' } })).status).toBe(302);
  });
});

describe('pages', () => {
  it('an unknown charger is a 404 page (its name escaped)', async () => {
    const { f, cookie } = await withUser();
    for (const path of ['/chargers/NOPE', '/chargers/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/chargers/NOPE/confirm/reset-soft', '/sessions/999/stop', '/sessions/abc/signed.json']) {
      const res = await f.parent.request(path, { headers: { cookie } });
      expect(res.status, path).toBe(404);
      const text = await res.text();
      expect(text).not.toContain('<script>alert');
    }
    expect(await (await f.parent.request('/chargers/%3Cscript%3Ealert(1)%3C%2Fscript%3E', { headers: { cookie } })).text()).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('HTML in charger data is escaped everywhere it is shown', async () => {
    const { f, cookie } = await withUser();
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    online(f.store, 'CP-1', { vendor: evil, model: evil, firmwareVersion: evil, configurationJson: JSON.stringify({ key: evil }) });
    const evse = f.store.getEvse('CP-1', 1)!;
    f.store.transaction(() => {
      f.store.updateEvse(evse.id, { status: 'Faulted', errorCode: 'OtherError', statusInfo: evil, vendorErrorCode: evil, statusAtMs: Date.now() });
      f.store.raiseFault({ chargerIdentity: 'CP-1', evseOcppId: 1, source: 'ocpp', code: 'OtherError', message: evil, raisedAtMs: Date.now() });
      f.store.logOcppMessage({ chargerIdentity: 'CP-1', direction: 'in', kind: 'call', action: '<b>Boot</b>', messageId: '1', payload: JSON.stringify([2, '1', 'BootNotification', { chargePointVendor: evil }]), atMs: Date.now() });
    });
    for (const path of ['/', '/chargers', '/chargers/CP-1', '/chargers/CP-1?action=%3Cb%3EBoot%3C%2Fb%3E']) {
      const html = await (await f.parent.request(path, { headers: { cookie } })).text();
      expect(html, path).not.toMatch(/<script>alert|<img src=x|<b>Boot/);
      expect(html, path).toContain('&lt;script&gt;');
    }
    const json = (await (await f.parent.request('/status.json', { headers: { cookie } })).json()) as any;
    expect(json.chargers[0].vendor).toBe(evil); // JSON carries the value as it is
  });

  it('a huge OCPP frame is shown truncated with a download of the full text', async () => {
    const { f, cookie } = await withUser();
    const payload = JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'X', data: 'A'.repeat(200_000) }]);
    f.store.transaction(() => f.store.logOcppMessage({ chargerIdentity: 'CP-1', direction: 'in', kind: 'call', action: 'DataTransfer', messageId: 'big', payload, atMs: Date.now() }));
    const id = f.store.listOcppMessages('CP-1', 1)[0]!.id;
    const html = await (await f.parent.request('/chargers/CP-1', { headers: { cookie } })).text();
    expect(html).toContain('Truncated: showing 4,000 of');
    expect(html).toContain(`href="/chargers/CP-1/messages/${id}"`);
    expect(html.length).toBeLessThan(60_000);
    const full = await f.parent.request(`/chargers/CP-1/messages/${id}`, { headers: { cookie } });
    expect(full.headers.get('content-disposition')).toMatch(/^attachment; filename="CP-1-\d+-DataTransfer.json"$/);
    expect(await full.text()).toBe(payload);
    // a message id of another charger is not served under this one
    expect((await f.parent.request(`/chargers/CP-2/messages/${id}`, { headers: { cookie } })).status).toBe(404);
  });

  it('the traffic log filters by action', async () => {
    const { f, cookie } = await withUser();
    f.store.transaction(() => {
      for (const action of ['Heartbeat', 'MeterValues', 'Heartbeat']) f.store.logOcppMessage({ chargerIdentity: 'CP-1', direction: 'in', kind: 'call', action, messageId: action, payload: JSON.stringify([2, action, action, {}]), atMs: Date.now() });
    });
    const html = await (await f.parent.request('/chargers/CP-1?action=MeterValues', { headers: { cookie } })).text();
    expect(html.match(/data-action="MeterValues"/g)).toHaveLength(1);
    expect(html).not.toContain('data-action="Heartbeat"');
    expect(html).toContain('<option value="Heartbeat">Heartbeat</option>');
  });

  it('/status.json has the overview, chargers, sessions and eMSPs with ISO times', async () => {
    const { f, cookie } = await withUser();
    online(f.store, 'CP-1');
    const evse = f.store.getEvse('CP-1', 1)!;
    f.store.transaction(() => {
      f.store.updateEvse(evse.id, { status: 'Charging' });
      const tx = f.store.insertTransaction({
        chargerIdentity: 'CP-1', evseRowId: evse.id, connectorRowId: null, protocol: 'ocpp1.6', idTag: 'TAG', idTokenType: null, authStatus: 'Accepted', authMethod: null,
        authorizationReference: null, tokenRowId: null, platformId: null, status: 'active', startedAtMs: Date.now() - 60_000, meterStartWh: 1000, snapshotJson: null, atMs: Date.now(),
      });
      f.store.recordMeter(tx.id, 3500, 11000, Date.now());
    });
    const res = await f.parent.request('/status.json', { headers: { cookie } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as any;
    expect(body.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.overview.at).toBe(body.generatedAt);
    expect(body.overview.dayStart).toMatch(/Z$/);
    expect(body.overview.chargers).toEqual({ total: 2, online: 1, faulted: 0, offline: 0, never: 1 });
    expect(body.overview.connectors.total).toBe(4);
    expect(body.overview.connectors.byStatus).toMatchObject({ CHARGING: 1, AVAILABLE: 0, PLANNED: 2, UNKNOWN: 1 });
    expect(body.overview.sessions).toEqual({ active: 1, powerW: 11000 });
    expect(body.overview.energyTodayWh).toBe(2500);
    expect(body.overview.cdrs).toBeNull();
    expect(body.overview.emsps).toBeNull();
    expect(body.chargers.map((c: any) => [c.identity, c.state])).toEqual([['CP-1', 'online'], ['CP-2', 'never']]);
    expect(body.chargers[0].lastBootAt).toMatch(/Z$/);
    expect(body.chargers[0].evses[0]).toMatchObject({ ocppId: 1, status: 'Charging', ocpiStatus: 'CHARGING', connectors: [{ id: '1', standard: 'IEC_62196_T2' }] });
    expect(body.sessions.active[0]).toMatchObject({ identity: 'CP-1', evseOcppId: 1, energyWh: 2500, powerW: 11000, idTag: 'TAG' });
    expect(body.emsps).toBeNull();
  });

  it('the overview lists problems worst first and the sessions page shows a power sparkline', async () => {
    const { f, cookie } = await withUser();
    online(f.store, 'CP-1');
    const evse = f.store.getEvse('CP-1', 2)!;
    f.store.transaction(() => {
      f.store.updateEvse(evse.id, { status: 'Faulted', errorCode: 'GroundFailure', statusInfo: 'RCD tripped', statusAtMs: Date.now() });
      f.store.updateCharger('CP-2', { connected: false, connectedAtMs: Date.now() - 3600_000, disconnectedAtMs: Date.now() - 600_000, lastBootAtMs: Date.now() - 3600_000 });
      const tx = f.store.insertTransaction({
        chargerIdentity: 'CP-1', evseRowId: f.store.getEvse('CP-1', 1)!.id, connectorRowId: null, protocol: 'ocpp1.6', idTag: 'TAG', idTokenType: null, authStatus: 'Accepted',
        authMethod: null, authorizationReference: null, tokenRowId: null, platformId: null, status: 'active', startedAtMs: Date.now() - 1800_000, meterStartWh: 0, snapshotJson: null, atMs: Date.now(),
      });
      f.store.insertReadings('CP-1', 1, tx.id, [0, 1, 2, 3].map((i) => ({ sampledAt: new Date(Date.now() - (4 - i) * 300_000), measurand: 'Power.Active.Import', value: 7000 + i * 1000, unit: 'W', rawValue: String(7000 + i * 1000) })));
    });
    const html = await (await f.parent.request('/', { headers: { cookie } })).text();
    const problems = html.slice(html.indexOf('What needs attention'));
    expect(problems.indexOf('EVSE 2 faulted: GroundFailure, RCD tripped')).toBeGreaterThan(0);
    expect(problems.indexOf('EVSE 2 faulted')).toBeLessThan(problems.indexOf('offline'));
    expect(html).toContain('data-tile="faulted">1<');
    const sessions = await (await f.parent.request('/sessions', { headers: { cookie } })).text();
    expect(sessions).toMatch(/<svg class="spark"[^>]*aria-label="power over the last hour: now 10.0 kW, peak 10.0 kW"/);
  });

  it('a live request gets only <main>, and the same markup for every open page for a moment', async () => {
    const { f, cookie } = await withUser();
    const res = await f.parent.request('/', { headers: { cookie, 'x-live': '1' } });
    const html = await res.text();
    expect(html.startsWith('<main id="main">')).toBe(true);
    expect(html).not.toContain('_csrf');
  });
});

describe('live updates', () => {
  it('an SSE stream per page gets one refresh for a burst of domain events', async () => {
    const { f, cookie } = await withUser();
    const res = await f.parent.request('/events?page=charger:CP-1', { headers: { cookie } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += decoder.decode((await reader.read()).value);
    };
    await readUntil(/event: hello/);
    for (let i = 0; i < 50; i++) f.events.emit('transactionUpdated', { identity: 'CP-1', transactionRowId: 1, at: new Date() });
    f.events.emit('evseStatusChanged', { identity: 'CP-2', evseRowId: 3, evseOcppId: 1, status: 'Available', at: new Date() });
    await readUntil(/event: refresh/);
    await new Promise((r) => setTimeout(r, 100));
    expect(text.match(/event: refresh\ndata: charger:CP-1/g)).toHaveLength(1);
    expect(f.page.hub.stats().clients).toBe(1);
    await reader.cancel();
    expect((await f.parent.request('/events?page=%0Aevil', { headers: { cookie } })).status).toBe(400);
  });
});
