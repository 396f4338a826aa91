import { afterEach, describe, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../../../test/helpers/emsp.js';
import { auth, createFixture, json, siteYaml, type Fixture } from '../test-helpers/fixture.js';
import { hashToken } from '../tokens.js';

let fx: Fixture;
let emsp: TestEmsp | undefined;
afterEach(async () => {
  fx?.close();
  await emsp?.close();
  emsp = undefined;
});

const TOKEN_A = 'REGISTRATION-TOKEN-A-1';
const post = (f: Fixture, version: string, token: string, body: unknown, encoding: 'base64' | 'plain' = 'base64') =>
  f.app.request(`/ocpi/${version}/credentials`, { method: 'POST', headers: { ...auth(token, encoding), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('credentials: eMSP-initiated registration (credentials.asciidoc §Registration)', () => {
  it('2.2.1: fetches the eMSP versions and details with token B before answering, issues token C, uses up token A', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    emsp = await startEmsp();
    emsp.acceptToken('TOKEN-B-1');
    const res = await post(fx, '2.2.1', TOKEN_A, emsp.credentials('2.2.1', 'TOKEN-B-1'));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.status_code).toBe(1000);
    expect(body.data).toEqual({
      token: expect.stringMatching(/^[\x21-\x7e]{20,64}$/), url: 'http://bridge.test/ocpi/versions',
      roles: [{ role: 'CPO', party_id: 'EXA', country_code: 'DE', business_details: { name: 'Test CPO' } }],
    });
    // The eMSP was called with token B, Base64-encoded (2.2.1), before the answer.
    const calls = emsp.received.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual(['GET /ocpi/versions', 'GET /ocpi/2.2.1']);
    expect(emsp.received[0]!.authorization).toBe(`Token ${Buffer.from('TOKEN-B-1').toString('base64')}`);
    // Stored: parties, version, endpoints; token B encrypted, token C only hashed.
    const [platform] = fx.ocpiStore.listPlatforms('registered');
    expect(platform).toMatchObject({ version: '2.2.1', tokenEncoding: 'base64', parties: [{ countryCode: 'NL', partyId: 'EMS', role: 'EMSP' }] });
    expect(platform!.endpoints.map((e) => `${e.identifier}:${e.role}`)).toEqual(expect.arrayContaining(['credentials:SENDER', 'locations:RECEIVER', 'tariffs:RECEIVER']));
    expect(fx.ocpiStore.outboundToken(platform!.id)).toBe('TOKEN-B-1');
    expect(fx.ocpiStore.findPlatformByTokenHash(hashToken(body.data.token))?.id).toBe(platform!.id);
    // Token C works on functional modules; token A no longer works anywhere.
    expect((await fx.app.request('/ocpi/2.2.1/locations', { headers: auth(body.data.token) })).status).toBe(200);
    expect((await fx.app.request('/ocpi/versions', { headers: auth(TOKEN_A) })).status).toBe(401);
    expect((await post(fx, '2.2.1', TOKEN_A, emsp.credentials('2.2.1', 'TOKEN-B-1'))).status).toBe(401);
    expect(JSON.stringify(fx.logs)).not.toContain('TOKEN-B-1');
    expect(JSON.stringify(fx.logs)).not.toContain(body.data.token);
  });

  it('2.1.1: flat credentials, plain token to the eMSP, one EMSP party', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    emsp = await startEmsp();
    emsp.acceptToken('TOKEN-B-2');
    const res = await post(fx, '2.1.1', TOKEN_A, emsp.credentials('2.1.1', 'TOKEN-B-2'), 'plain');
    const body = await json(res);
    expect(body.status_code).toBe(1000);
    expect(body.data).toEqual({ token: expect.any(String), url: 'http://bridge.test/ocpi/versions', business_details: { name: 'Test CPO' }, party_id: 'EXA', country_code: 'DE' });
    expect(emsp.received[0]!.authorization).toBe('Token TOKEN-B-2');
    expect(fx.ocpiStore.listPlatforms('registered')[0]).toMatchObject({ version: '2.1.1', tokenEncoding: 'plain', parties: [{ role: 'EMSP' }] });
  });

  it('405 for POST when already registered; 405 for PUT, DELETE and GET before registration', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    const { token } = fx.registerPlatform();
    expect((await post(fx, '2.2.1', token, { token: 'x', url: 'http://x.test/v', roles: [] })).status).toBe(405);
    const headers = { ...auth(TOKEN_A), 'Content-Type': 'application/json' };
    expect((await fx.app.request('/ocpi/2.2.1/credentials', { method: 'PUT', headers, body: '{}' })).status).toBe(405);
    expect((await fx.app.request('/ocpi/2.2.1/credentials', { method: 'DELETE', headers: auth(TOKEN_A) })).status).toBe(405);
    expect((await fx.app.request('/ocpi/2.2.1/credentials', { headers: auth(TOKEN_A) })).status).toBe(405);
    expect((await fx.app.request('/ocpi/2.2.1/credentials', { method: 'PATCH', headers, body: '{}' })).status).toBe(405);
  });

  it.each([
    ['wrong types', { token: 42, url: 'http://emsp.test/ocpi/versions', roles: [] }, 'token'],
    ['an over-long token (string(64))', { token: 'x'.repeat(65), url: 'http://emsp.test/ocpi/versions', roles: [{ role: 'EMSP', party_id: 'EMS', country_code: 'NL', business_details: { name: 'e' } }] }, 'token'],
    ['an over-long party_id (CiString(3))', { token: 'b', url: 'http://emsp.test/ocpi/versions', roles: [{ role: 'EMSP', party_id: 'EMSP', country_code: 'NL', business_details: { name: 'e' } }] }, 'party_id'],
    ['no roles', { token: 'b', url: 'http://emsp.test/ocpi/versions', roles: [] }, 'roles'],
    ['an unknown role', { token: 'b', url: 'http://emsp.test/ocpi/versions', roles: [{ role: 'KING', party_id: 'EMS', country_code: 'NL', business_details: { name: 'e' } }] }, 'role'],
  ])('2001 (HTTP 200, valid JSON) for %s, and token A stays usable', async (_name, body, field) => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    const res = await post(fx, '2.2.1', TOKEN_A, body);
    expect(res.status).toBe(200);
    const b = await json(res);
    expect(b.status_code).toBe(2001);
    expect(b.status_message).toContain(field);
    expect(fx.ocpiStore.registrationTokenUsable(hashToken(TOKEN_A))).toBe(true);
  });

  it('3001 and nothing stored when the eMSP is unreachable', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    const res = await post(fx, '2.2.1', TOKEN_A, { token: 'TOKEN-B', url: 'http://127.0.0.1:1/ocpi/versions', roles: [{ role: 'EMSP', party_id: 'EMS', country_code: 'NL', business_details: { name: 'e' } }] });
    const body = await json(res);
    expect(body.status_code).toBe(3001);
    expect(fx.ocpiStore.listPlatforms()).toEqual([]);
    expect(fx.ocpiStore.registrationTokenUsable(hashToken(TOKEN_A))).toBe(true);
  });

  it('3001 within the configured timeout when the eMSP is slow, nothing half-registered', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A, request_timeout_s: 0.3 } }));
    emsp = await startEmsp();
    emsp.acceptToken('TOKEN-B-3');
    emsp.versionsDelayMs = 2000;
    const started = Date.now();
    const body = await json(post(fx, '2.2.1', TOKEN_A, emsp.credentials('2.2.1', 'TOKEN-B-3')));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(body.status_code).toBe(3001);
    expect(body.status_message).toMatch(/within 300 ms/);
    expect(fx.ocpiStore.listPlatforms()).toEqual([]);
    expect(fx.ocpiStore.registrationTokenUsable(hashToken(TOKEN_A))).toBe(true);
  });

  it('3002 when the eMSP does not offer the version of the credentials URL used', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    emsp = await startEmsp({ versions: ['2.1.1'] });
    emsp.acceptToken('TOKEN-B-4');
    const body = await json(post(fx, '2.2.1', TOKEN_A, emsp.credentials('2.2.1', 'TOKEN-B-4')));
    expect(body.status_code).toBe(3002);
    expect(fx.ocpiStore.listPlatforms()).toEqual([]);
  });

  it('PUT rotates the tokens and re-fetches the endpoints; DELETE unregisters; GET returns our credentials', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    emsp = await startEmsp();
    emsp.acceptToken('TOKEN-B-5');
    const first = await json(post(fx, '2.2.1', TOKEN_A, emsp.credentials('2.2.1', 'TOKEN-B-5')));
    const tokenC = first.data.token as string;
    const got = await json(fx.app.request('/ocpi/2.2.1/credentials', { headers: auth(tokenC) }));
    expect(got.data.token).toBe(tokenC);

    emsp.acceptToken('TOKEN-B-6');
    const put = await json(fx.app.request('/ocpi/2.2.1/credentials', { method: 'PUT', headers: { ...auth(tokenC), 'Content-Type': 'application/json' }, body: JSON.stringify(emsp.credentials('2.2.1', 'TOKEN-B-6')) }));
    expect(put.status_code).toBe(1000);
    const newC = put.data.token as string;
    expect(newC).not.toBe(tokenC);
    expect(emsp.received.filter((r) => r.path === '/ocpi/versions')).toHaveLength(2);
    expect((await fx.app.request('/ocpi/2.2.1/locations', { headers: auth(tokenC) })).status).toBe(401);
    expect((await fx.app.request('/ocpi/2.2.1/locations', { headers: auth(newC) })).status).toBe(200);
    const [platform] = fx.ocpiStore.listPlatforms('registered');
    expect(fx.ocpiStore.outboundToken(platform!.id)).toBe('TOKEN-B-6');

    // PUT on the 2.1.1 URL switches the version.
    emsp.acceptToken('TOKEN-B-7');
    const switched = await json(fx.app.request('/ocpi/2.1.1/credentials', { method: 'PUT', headers: { ...auth(newC, 'plain'), 'Content-Type': 'application/json' }, body: JSON.stringify(emsp.credentials('2.1.1', 'TOKEN-B-7')) }));
    expect(switched.status_code).toBe(1000);
    expect(fx.ocpiStore.getPlatform(platform!.id)).toMatchObject({ version: '2.1.1', tokenEncoding: 'plain' });

    const del = await fx.app.request('/ocpi/2.1.1/credentials', { method: 'DELETE', headers: auth(switched.data.token, 'plain') });
    expect(del.status).toBe(200);
    expect((await json(del)).data).toBeUndefined();
    expect(fx.ocpiStore.getPlatform(platform!.id)).toMatchObject({ status: 'unregistered', parties: [] });
    expect(fx.ocpiStore.outboundToken(platform!.id)).toBeUndefined();
    expect((await fx.app.request('/ocpi/2.1.1/credentials', { headers: auth(switched.data.token, 'plain') })).status).toBe(401);
  });

  it('2.2.1: a platform with several roles keeps every party; each may be the OCPI-from of a request', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    emsp = await startEmsp();
    emsp.acceptToken('TOKEN-B-9');
    const creds = emsp.credentials('2.2.1', 'TOKEN-B-9') as any;
    creds.roles.push({ role: 'EMSP', party_id: 'EM3', country_code: 'BE', business_details: { name: 'Sister eMSP' } });
    const body = await json(post(fx, '2.2.1', TOKEN_A, creds));
    expect(body.status_code).toBe(1000);
    expect(fx.ocpiStore.listPlatforms('registered')[0]!.parties.map((p) => `${p.countryCode}/${p.partyId}/${p.role}`)).toEqual(['NL/EMS/EMSP', 'BE/EM3/EMSP']);
    const res = await fx.app.request('/ocpi/2.2.1/locations', { headers: { ...auth(body.data.token), 'OCPI-from-country-code': 'BE', 'OCPI-from-party-id': 'EM3' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('OCPI-to-party-id')).toBe('EM3');
  });

  it('refuses a party that another connection already holds', async () => {
    fx = createFixture(siteYaml({ ocpi: { token_a: TOKEN_A } }));
    fx.registerPlatform({ countryCode: 'NL', partyId: 'EMS' });
    emsp = await startEmsp();
    emsp.acceptToken('TOKEN-B-8');
    const body = await json(post(fx, '2.2.1', TOKEN_A, emsp.credentials('2.2.1', 'TOKEN-B-8')));
    expect(body.status_code).toBe(2001);
    expect(body.status_message).toContain('NL/EMS');
    expect(fx.ocpiStore.listPlatforms()).toHaveLength(1);
  });
});
