import { afterEach, describe, expect, it } from 'vitest';
import { OCPI_MODULES } from './modules.js';
import { auth, createFixture, json, siteYaml, type Fixture } from './test-helpers/fixture.js';
import { hashToken } from './tokens.js';

let fx: Fixture;
afterEach(() => fx?.close());

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('transport: envelope, ids, auth (OCPI 2.2.1 transport_and_format)', () => {
  it('answers in the envelope with status_code, status_message and a UTC timestamp', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const res = await fx.app.request('/ocpi/versions', { headers: auth(token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await json(res);
    expect(body).toEqual({ data: expect.any(Array), status_code: 1000, status_message: 'Success', timestamp: expect.stringMatching(TIMESTAMP) });
  });

  it('echoes X-Request-ID and X-Correlation-ID, and makes them up when missing', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const echoed = await fx.app.request('/ocpi/versions', { headers: { ...auth(token), 'X-Request-ID': 'req-1', 'X-Correlation-ID': 'corr-1' } });
    expect(echoed.headers.get('X-Request-ID')).toBe('req-1');
    expect(echoed.headers.get('X-Correlation-ID')).toBe('corr-1');
    const made = await fx.app.request('/ocpi/versions', { headers: auth(token) });
    expect(made.headers.get('X-Request-ID')).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.headers.get('X-Correlation-ID')).toMatch(/^[0-9a-f-]{36}$/);
    // also on errors
    const failed = await fx.app.request('/ocpi/versions', { headers: { 'X-Request-ID': 'req-2' } });
    expect(failed.status).toBe(401);
    expect(failed.headers.get('X-Request-ID')).toBe('req-2');
  });

  it.each([
    ['no Authorization header', undefined],
    ['not the Token scheme', 'Bearer abc'],
    ['an unknown token', 'Token dW5rbm93bg=='],
    ['Token without a value', 'Token '],
  ])('401 for %s', async (_name, header) => {
    fx = createFixture();
    const res = await fx.app.request('/ocpi/2.2.1/locations', { headers: header === undefined ? {} : { Authorization: header } });
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(body.status_code).toBe(2000);
    expect(body.data).toBeUndefined();
  });

  it('accepts the token Base64-encoded (2.2.1) and plain (2.1.1 and lenient 2.2 peers)', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    expect((await fx.app.request('/ocpi/2.2.1/locations', { headers: auth(token, 'base64') })).status).toBe(200);
    expect((await fx.app.request('/ocpi/2.2.1/locations', { headers: auth(token, 'plain') })).status).toBe(200);
    expect((await fx.app.request('/ocpi/2.1.1/locations', { headers: auth(token, 'plain') })).status).toBe(200);
  });

  it('decodes Base64 strictly: a non-canonical encoding of the token is not accepted', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const b64 = Buffer.from(token).toString('base64');
    expect((await fx.app.request('/ocpi/2.2.1/locations', { headers: { Authorization: `Token ${b64}!` } })).status).toBe(401);
    expect((await fx.app.request('/ocpi/2.2.1/locations', { headers: { Authorization: `Token ${b64.replace(/=+$/, '')}` } })).status).toBe(401);
  });

  it('token A opens versions and credentials only: 401 on functional modules (ocpi/ocpi#439)', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: 'TOKEN-A-0001' } }));
    expect((await fx.app.request('/ocpi/versions', { headers: auth('TOKEN-A-0001') })).status).toBe(200);
    expect((await fx.app.request('/ocpi/2.2.1', { headers: auth('TOKEN-A-0001') })).status).toBe(200);
    expect((await fx.app.request('/ocpi/2.2.1/locations', { headers: auth('TOKEN-A-0001') })).status).toBe(401);
    expect((await fx.app.request('/ocpi/2.1.1/tariffs', { headers: auth('TOKEN-A-0001', 'plain') })).status).toBe(401);
  });

  it('a used token A is unknown (401 everywhere)', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: 'TOKEN-A-0002' } }));
    expect(fx.ocpiStore.consumeRegistrationToken(hashToken('TOKEN-A-0002'), 0, Date.now())).toBe(true);
    expect((await fx.app.request('/ocpi/versions', { headers: auth('TOKEN-A-0002') })).status).toBe(401);
  });

  it('404 with an envelope for unknown paths, 405 for methods a module does not offer', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const unknown = await fx.app.request('/ocpi/2.2.1/nosuchmodule', { headers: auth(token) });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).status_code).toBe(2000);
    const put = await fx.app.request('/ocpi/2.2.1/locations/LOC-1', { method: 'PUT', headers: { ...auth(token), 'Content-Type': 'application/json' }, body: '{}' });
    expect(put.status).toBe(405);
    expect((await json(put)).status_code).toBe(2000);
  });

  it('400 for a body that is not JSON, 413 for one over http.max_body_bytes', async () => {
    fx = createFixture(siteYaml({ http: { max_body_bytes: 1024 } }));
    const { token } = fx.registerPlatform();
    const headers = { ...auth(token), 'Content-Type': 'application/json' };
    const bad = await fx.app.request('/ocpi/2.2.1/credentials', { method: 'PUT', headers, body: '{"token": ' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).status_code).toBe(2001);
    const big = await fx.app.request('/ocpi/2.2.1/credentials', { method: 'PUT', headers, body: JSON.stringify({ x: 'y'.repeat(2000) }) });
    expect(big.status).toBe(413);
  });

  it('2.2.1 functional modules swap the routing headers; an unknown OCPI-from party is refused', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform({ countryCode: 'NL', partyId: 'EMS' });
    const res = await fx.app.request('/ocpi/2.2.1/locations', {
      headers: { ...auth(token), 'OCPI-from-country-code': 'NL', 'OCPI-from-party-id': 'EMS', 'OCPI-to-country-code': 'DE', 'OCPI-to-party-id': 'EXA' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('OCPI-from-country-code')).toBe('DE');
    expect(res.headers.get('OCPI-from-party-id')).toBe('EXA');
    expect(res.headers.get('OCPI-to-country-code')).toBe('NL');
    expect(res.headers.get('OCPI-to-party-id')).toBe('EMS');
    const stranger = await fx.app.request('/ocpi/2.2.1/locations', { headers: { ...auth(token), 'OCPI-from-country-code': 'FR', 'OCPI-from-party-id': 'XXX' } });
    expect(stranger.status).toBe(404);
    const wrongTo = await fx.app.request('/ocpi/2.2.1/locations', { headers: { ...auth(token), 'OCPI-to-country-code': 'DE', 'OCPI-to-party-id': 'ZZZ' } });
    expect(wrongTo.status).toBe(404);
    // never on versions/credentials, never on 2.1.1
    expect((await fx.app.request('/ocpi/2.2.1', { headers: auth(token) })).headers.get('OCPI-from-party-id')).toBeNull();
    expect((await fx.app.request('/ocpi/2.1.1/locations', { headers: auth(token, 'plain') })).headers.get('OCPI-from-party-id')).toBeNull();
  });

  it('counts requests by module and HTTP status', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    await fx.app.request('/ocpi/2.2.1/locations', { headers: auth(token) });
    await fx.app.request('/ocpi/2.2.1/locations', {});
    await fx.app.request('/ocpi/2.2.1/tariffs', { headers: auth(token) });
    const text = await fx.deps.metrics.registry.metrics();
    expect(text).toContain('bridge_ocpi_requests_total{module="locations",status="200"} 1');
    expect(text).toContain('bridge_ocpi_requests_total{module="locations",status="401"} 1');
    expect(text).toContain('bridge_ocpi_requests_total{module="tariffs",status="200"} 1');
  });
});

describe('versions module', () => {
  it('lists 2.2.1 first, then 2.1.1, with their URLs', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const body = await json(fx.app.request('/ocpi/versions', { headers: auth(token) }));
    expect(body.data).toEqual([
      { version: '2.2.1', url: 'http://bridge.test/ocpi/2.2.1' },
      { version: '2.1.1', url: 'http://bridge.test/ocpi/2.1.1' },
    ]);
  });

  it('2.2.1 details list the mounted modules with roles; 2.1.1 without roles', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const v221 = (await json(fx.app.request('/ocpi/2.2.1', { headers: auth(token) }))).data;
    expect(v221).toEqual({
      version: '2.2.1',
      // every module in the registry, in its order, with its role
      endpoints: OCPI_MODULES.filter((m) => m.versions.includes('2.2.1')).map((m) => ({ identifier: m.id, role: m.role, url: `http://bridge.test/ocpi/2.2.1/${m.id}` })),
    });
    expect(v221.endpoints.slice(0, 3)).toEqual([
      { identifier: 'credentials', role: 'SENDER', url: 'http://bridge.test/ocpi/2.2.1/credentials' },
      { identifier: 'locations', role: 'SENDER', url: 'http://bridge.test/ocpi/2.2.1/locations' },
      { identifier: 'tariffs', role: 'SENDER', url: 'http://bridge.test/ocpi/2.2.1/tariffs' },
    ]);
    const v211 = (await json(fx.app.request('/ocpi/2.1.1', { headers: auth(token, 'plain') }))).data;
    expect(v211.endpoints.length).toBe(OCPI_MODULES.filter((m) => m.versions.includes('2.1.1')).length);
    expect(v211.endpoints.every((e: any) => Object.keys(e).join() === 'identifier,url')).toBe(true);
  });
});
