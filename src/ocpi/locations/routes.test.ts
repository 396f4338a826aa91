import { afterEach, describe, expect, it } from 'vitest';
import { auth, createFixture, json, siteYaml, T0, type Fixture } from '../test-helpers/fixture.js';

let fx: Fixture;
afterEach(() => fx?.close());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A site with `n` locations LOC-01.., each with one charger of two EVSEs. */
function manyLocations(n: number, extra: Record<string, unknown> = {}) {
  const base = siteYaml() as any;
  const loc = base.locations[0];
  const charger = base.ocpp.chargers[0];
  return {
    ...base,
    ocpp: {
      ...base.ocpp,
      chargers: Array.from({ length: n }, (_, i) => ({
        ...charger, identity: `CP-${i + 1}`, location: `LOC-${String(i + 1).padStart(2, '0')}`,
        evses: charger.evses.map((e: any, j: number) => ({ ...e, evse_id: `DE*EXA*E${String(i + 1).padStart(4, '0')}*${j + 1}` })),
      })),
    },
    locations: Array.from({ length: n }, (_, i) => ({ ...loc, id: `LOC-${String(i + 1).padStart(2, '0')}` })),
    ...extra,
  };
}

function connect(f: Fixture, identity: string, atMs = f.clock.now().getTime()) {
  f.store.updateCharger(identity, { connected: true, connectedAtMs: atMs, lastBootAtMs: atMs, bootStatus: 'Accepted', lastSeenAtMs: atMs });
}

describe('locations Sender: GET list (mod_locations §Sender Interface, transport §Pagination)', () => {
  it('2.2.1: every location with its EVSEs and connectors in the 2.2.1 shape', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const res = await fx.app.request('/ocpi/2.2.1/locations', { headers: auth(token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Total-Count')).toBe('1');
    expect(res.headers.get('X-Limit')).toBe('100');
    expect(res.headers.get('Link')).toBeNull();
    const [loc] = (await json(res)).data;
    expect(loc).toEqual({
      country_code: 'DE', party_id: 'EXA', id: 'LOC-1', publish: true, name: 'Test Site', address: 'Example Street 1', city: 'Berlin',
      postal_code: '10115', country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, parking_type: 'ON_STREET',
      evses: [1, 2].map((n) => ({
        uid: `DE*EXA*E0001*${n}`, evse_id: `DE*EXA*E0001*${n}`, status: 'PLANNED', capabilities: ['RFID_READER', 'REMOTE_START_STOP_CAPABLE', 'TOKEN_GROUP_CAPABLE'],
        connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['AC-STANDARD'], last_updated: iso(T0) }],
        last_updated: iso(T0),
      })),
      operator: { name: 'Test CPO' }, time_zone: 'Europe/Berlin', last_updated: iso(T0),
    });
  });

  it('2.1.1: type instead of parking_type, voltage/amperage/tariff_id, filtered capabilities, no country_code/party_id/publish', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform({ version: '2.1.1' });
    const [loc] = (await json(fx.app.request('/ocpi/2.1.1/locations', { headers: auth(token, 'plain') }))).data;
    expect(loc).not.toHaveProperty('country_code');
    expect(loc).not.toHaveProperty('publish');
    expect(loc).not.toHaveProperty('parking_type');
    expect(loc.type).toBe('ON_STREET');
    expect(loc.evses[0].capabilities).toEqual(['RFID_READER', 'REMOTE_START_STOP_CAPABLE']);
    expect(loc.evses[0].connectors[0]).toEqual({ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', voltage: 230, amperage: 32, tariff_id: 'AC-STANDARD', last_updated: iso(T0) });
  });

  it('2.1.1: ASCII only, 6-decimal coordinates, unpublished locations left out, 2.2.1-only connectors skipped', async () => {
    const site = siteYaml() as any;
    site.locations[0] = { ...site.locations[0], name: 'Ladepark Süd – Straße', coordinates: { latitude: '52.52001', longitude: '13.4049541' } };
    site.locations.push({ ...site.locations[0], id: 'LOC-HIDDEN', publish: false });
    site.ocpp.chargers[0].evses[1].connectors[0].power_type = 'AC_2_PHASE';
    fx = createFixture(site);
    const { token } = fx.registerPlatform({ version: '2.1.1' });
    const list = (await json(fx.app.request('/ocpi/2.1.1/locations', { headers: auth(token, 'plain') }))).data;
    expect(list.map((l: any) => l.id)).toEqual(['LOC-1']);
    expect(list[0].name).toBe('Ladepark Sud - Strasse');
    expect(list[0].coordinates).toEqual({ latitude: '52.520010', longitude: '13.404954' });
    expect(list[0].evses.map((e: any) => e.uid)).toEqual(['DE*EXA*E0001*1']);
    // 2.2.1 sends the unpublished one with publish: false
    const v221 = (await json(fx.app.request('/ocpi/2.2.1/locations', { headers: auth(token) }))).data;
    expect(v221.map((l: any) => [l.id, l.publish])).toEqual([['LOC-1', true], ['LOC-HIDDEN', false]]);
    expect((await fx.app.request('/ocpi/2.1.1/locations/LOC-HIDDEN', { headers: auth(token, 'plain') })).status).toBe(404);
  });

  it('pages with offset/limit, caps limit at page_limit_max, Link keeps the filters, every object once', async () => {
    fx = createFixture(manyLocations(7, { ocpi: { page_limit_max: 3 } }));
    const { token } = fx.registerPlatform();
    const first = await fx.app.request(`/ocpi/2.2.1/locations?limit=50&date_from=${iso(T0 - 1000)}`, { headers: auth(token) });
    expect(first.headers.get('X-Limit')).toBe('3');
    expect(first.headers.get('X-Total-Count')).toBe('7');
    const link = first.headers.get('Link')!;
    expect(link).toMatch(/^<http:\/\/bridge\.test\/ocpi\/2\.2\.1\/locations\?date_from=2026-11-01T09%3A59%3A59Z&offset=3&limit=3&cursor=[\w-]+>; rel="next"$/);
    const ids: string[] = (await json(first)).data.map((l: any) => l.id);
    let next: string | undefined = link.match(/<([^>]+)>/)![1];
    while (next) {
      const page: Response = await fx.app.request(next.replace('http://bridge.test', ''), { headers: auth(token) });
      ids.push(...(await json(page)).data.map((l: any) => l.id));
      next = page.headers.get('Link')?.match(/<([^>]+)>/)?.[1];
    }
    expect(ids).toEqual(['LOC-01', 'LOC-02', 'LOC-03', 'LOC-04', 'LOC-05', 'LOC-06', 'LOC-07']);
    // A client computing offsets itself (no cursor) gets the same page.
    const direct = (await json(fx.app.request('/ocpi/2.2.1/locations?offset=5&limit=3', { headers: auth(token) }))).data;
    expect(direct.map((l: any) => l.id)).toEqual(['LOC-06', 'LOC-07']);
    // A cursor from another offset is ignored: the offset rules.
    const cursor = link.match(/cursor=([\w-]+)/)![1];
    const mismatched = (await json(fx.app.request(`/ocpi/2.2.1/locations?offset=1&limit=2&cursor=${cursor}`, { headers: auth(token) }))).data;
    expect(mismatched.map((l: any) => l.id)).toEqual(['LOC-02', 'LOC-03']);
  });

  it('date_from is inclusive, date_to exclusive, on the effective last_updated (an EVSE change bumps its location)', async () => {
    fx = createFixture(manyLocations(3));
    const { token } = fx.registerPlatform();
    const later = T0 + 60_000;
    const evse = fx.store.listEvses('CP-2')[0]!;
    fx.store.updateEvse(evse.id, { lastUpdatedMs: later });
    const ids = async (q: string) => (await json(fx.app.request(`/ocpi/2.2.1/locations?${q}`, { headers: auth(token) }))).data.map((l: any) => l.id);
    expect(await ids(`date_from=${iso(later)}`)).toEqual(['LOC-02']);
    expect(await ids(`date_to=${iso(later)}`)).toEqual(['LOC-01', 'LOC-03']);
    expect(await ids(`date_from=${iso(T0)}&date_to=${iso(later)}`)).toEqual(['LOC-01', 'LOC-03']);
    const res = await fx.app.request(`/ocpi/2.2.1/locations?date_from=${iso(later)}`, { headers: auth(token) });
    expect(res.headers.get('X-Total-Count')).toBe('1');
    expect((await json(res)).data[0].last_updated).toBe(iso(later));
  });

  it.each([
    ['offset=-1'], ['limit=abc'], ['limit=0'], ['date_from=yesterday'], ['date_to=2026-13-45T99:00:00Z'],
  ])('400 + 2001 for a bad parameter: %s', async (q) => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const res = await fx.app.request(`/ocpi/2.2.1/locations?${q}`, { headers: auth(token) });
    expect(res.status).toBe(400);
    expect((await json(res)).status_code).toBe(2001);
  });
});

describe('locations Sender: GET one object', () => {
  it('a Location, an EVSE and a Connector by id (ids are CiString: case-insensitive)', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const loc = (await json(fx.app.request('/ocpi/2.2.1/locations/loc-1', { headers: auth(token) }))).data;
    expect(loc.id).toBe('LOC-1');
    const evse = (await json(fx.app.request(`/ocpi/2.2.1/locations/LOC-1/${encodeURIComponent('DE*EXA*E0001*2')}`, { headers: auth(token) }))).data;
    expect(evse.uid).toBe('DE*EXA*E0001*2');
    const connector = (await json(fx.app.request(`/ocpi/2.2.1/locations/LOC-1/${encodeURIComponent('de*exa*e0001*2')}/1`, { headers: auth(token) }))).data;
    expect(connector).toMatchObject({ id: '1', standard: 'IEC_62196_T2' });
    const c211 = (await json(fx.app.request(`/ocpi/2.1.1/locations/LOC-1/${encodeURIComponent('DE*EXA*E0001*2')}/1`, { headers: auth(token, 'plain') }))).data;
    expect(c211).toMatchObject({ voltage: 230, amperage: 32 });
  });

  it.each([
    ['an unknown location', '/NOPE'],
    ['an unknown EVSE', '/LOC-1/NOPE'],
    ['an unknown connector', `/LOC-1/${encodeURIComponent('DE*EXA*E0001*1')}/9`],
    ['a party prefix in the URL (not a Sender URL)', '/NL/EMS/LOC-1/x'],
  ])('404 + 2003 for %s', async (_name, path) => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const res = await fx.app.request(`/ocpi/2.2.1/locations${path}`, { headers: auth(token) });
    expect(res.status).toBe(404);
    expect([2003, 2000]).toContain((await json(res)).status_code);
  });
});

describe('EVSE status and last_updated from the live model (reference §5.2)', () => {
  const statusOf = async (f: Fixture, token: string) =>
    (await json(f.app.request('/ocpi/2.2.1/locations/LOC-1', { headers: auth(token) }))).data.evses.map((e: any) => [e.status, e.last_updated]);

  it('PLANNED before the first connection, then the reported status, UNKNOWN once offline past the grace period', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    expect((await statusOf(fx, token)).map((s: any) => s[0])).toEqual(['PLANNED', 'PLANNED']);
    const t1 = T0 + 10_000;
    fx.clock.set(t1);
    connect(fx, 'CP-1', t1);
    const [e1, e2] = fx.store.listEvses('CP-1');
    fx.store.updateEvse(e1!.id, { status: 'Charging', lastUpdatedMs: t1 });
    fx.store.updateEvse(e2!.id, { status: 'Available', lastUpdatedMs: t1 });
    expect(await statusOf(fx, token)).toEqual([['CHARGING', iso(t1)], ['AVAILABLE', iso(t1)]]);
    // offline: within the grace period nothing changes, after it UNKNOWN with last_updated = end of grace
    const t2 = t1 + 60_000;
    fx.store.updateCharger('CP-1', { connected: false, disconnectedAtMs: t2 });
    fx.clock.set(t2 + 179_000);
    expect(await statusOf(fx, token)).toEqual([['CHARGING', iso(t1)], ['AVAILABLE', iso(t1)]]);
    fx.clock.set(t2 + 200_000);
    expect(await statusOf(fx, token)).toEqual([['UNKNOWN', iso(t2 + 180_000)], ['UNKNOWN', iso(t2 + 180_000)]]);
    const loc = (await json(fx.app.request('/ocpi/2.2.1/locations', { headers: auth(token) }))).data[0];
    expect(loc.last_updated).toBe(iso(t2 + 180_000));
  });

  it('a charger-wide Faulted overrides every EVSE; a removed EVSE is REMOVED', async () => {
    const site = siteYaml() as any;
    site.ocpp.chargers[0].evses[1].removed = true;
    fx = createFixture(site);
    const { token } = fx.registerPlatform();
    connect(fx, 'CP-1');
    fx.store.updateCharger('CP-1', { stationStatus: 'Faulted' });
    expect((await statusOf(fx, token)).map((s: any) => s[0])).toEqual(['OUTOFORDER', 'REMOVED']);
  });
});
