/**
 * OCPI Tokens end to end (issue: tokens with real-time authorization): eMSPs push tokens into the bridge
 * (2.2.1 and 2.1.1) and the bridge pulls their token lists following Link; a simulated OCPP 1.6 charger's RFID
 * taps are decided by the whitelist rules, by real-time authorization at the owning eMSP (its
 * authorization_reference carried into the session), or by the fallback when the eMSP is down, slow or talks
 * garbage; the whitelisted tokens reach the charger's local authorization list, full and then differential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCharger16 } from '../../firmware-sim/index.js';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp: TestEmsp;
let legacy: TestEmsp;
let charger: SimulatedCharger16;

const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const tokensUrl = (version: '2.2.1' | '2.1.1', cc: string, pid: string, uid: string) => `${bridge.httpUrl}/ocpi/${version}/tokens/${cc}/${pid}/${encodeURIComponent(uid)}`;

function token(uid: string, whitelist: string, extra: Record<string, unknown> = {}) {
  return { country_code: 'NL', party_id: 'EMS', uid, type: 'RFID', contract_id: `NL-EMS-C${uid}`, issuer: 'Test eMSP', valid: true, whitelist, last_updated: stamp(), ...extra };
}

async function put(uid: string, whitelist: string, extra: Record<string, unknown> = {}) {
  const res = await emsp.call('PUT', tokensUrl('2.2.1', 'NL', 'EMS', uid), { body: token(uid, whitelist, extra) });
  expect(res.body.status_code, JSON.stringify(res.body)).toBe(1000);
  return res;
}

const authorizeCalls = () => emsp.received.filter((r) => r.method === 'POST' && /\/tokens\/.+\/authorize/.test(r.path));

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-RFID', evses: 2 }], {
    ocpi: { token_a: 'registration-token-a-1', authorize_budget_s: 1, cdr_settle_s: 0 },
  }));
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS', tokensSender: true });
  // Pulled after registration: 5 tokens over 3 pages (page size 2), one of them not valid OCPI.
  emsp.tokens = [
    token('PULLED01', 'ALWAYS'), token('PULLED02', 'ALLOWED'), token('PULLED03', 'ALLOWED_OFFLINE'),
    token('PULLED04', 'NEVER'), { ...token('PULLED05', 'ALWAYS'), whitelist: 'SOMETIMES' },
  ];
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-1')).body.status_code).toBe(1000);
  legacy = await startEmsp({ countryCode: 'BE', partyId: 'OLD', versions: ['2.1.1'] });
  sqlite().prepare('INSERT INTO ocpi_registration_tokens (token_hash, created_at_ms) VALUES (?, ?)').run(
    (await import('node:crypto')).createHash('sha256').update('registration-token-a-2').digest('hex'), Date.now());
  expect((await legacy.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-token-a-2', '2.1.1')).body.status_code).toBe(1000);
  charger = new SimulatedCharger16({ url: `${bridge.ocppUrl}/CP-RFID`, identity: 'CP-RFID', connectors: 2 });
  await charger.connect();
});
afterAll(async () => {
  await charger?.close();
  await bridge?.close();
  await emsp?.close();
  await legacy?.close();
});

describe('tokens pushed by eMSPs (Receiver)', () => {
  it('stores a PUT token, reads it back, replaces it, and applies a PATCH with last_updated', async () => {
    expect((await put('04AABBCCDDEEFF', 'ALLOWED')).status).toBe(201);
    expect((await put('04AABBCCDDEEFF', 'ALWAYS')).status).toBe(200);
    const read = await emsp.call('GET', tokensUrl('2.2.1', 'NL', 'EMS', '04aabbccddeeff'));
    expect(read.body.data).toMatchObject({ uid: '04AABBCCDDEEFF', whitelist: 'ALWAYS', contract_id: 'NL-EMS-C04AABBCCDDEEFF' });

    const noStamp = await emsp.call('PATCH', tokensUrl('2.2.1', 'NL', 'EMS', '04AABBCCDDEEFF'), { body: { valid: false } });
    expect(noStamp.body.status_code).toBe(2001);
    const patched = await emsp.call('PATCH', tokensUrl('2.2.1', 'NL', 'EMS', '04AABBCCDDEEFF'), { body: { valid: false, last_updated: stamp() } });
    expect(patched.body.status_code).toBe(1000);
    expect((await emsp.call('GET', tokensUrl('2.2.1', 'NL', 'EMS', '04AABBCCDDEEFF'))).body.data.valid).toBe(false);
    expect(await charger.authorize('04AABBCCDDEEFF')).toBe('Blocked');
  });

  it('refuses tokens of parties the eMSP is not, mismatched uids, invalid fields, and token A', async () => {
    const otherParty = await emsp.call('PUT', tokensUrl('2.2.1', 'DE', 'XYZ', 'T1'), { body: { ...token('T1', 'ALWAYS'), country_code: 'DE', party_id: 'XYZ' } });
    expect(otherParty.status).toBe(404);
    const mismatch = await emsp.call('PUT', tokensUrl('2.2.1', 'NL', 'EMS', 'T1'), { body: token('T2', 'ALWAYS') });
    expect(mismatch.body.status_code).toBe(2001);
    const tooLong = await emsp.call('PUT', tokensUrl('2.2.1', 'NL', 'EMS', 'X'.repeat(37)), { body: token('X'.repeat(37), 'ALWAYS') });
    expect(tooLong.body.status_code).toBe(2001);
    const unknown = await emsp.call('GET', tokensUrl('2.2.1', 'NL', 'EMS', 'NEVER-PUT'));
    expect([unknown.status, unknown.body.status_code]).toEqual([404, 2004]);
    const withTokenA = await emsp.call('GET', tokensUrl('2.2.1', 'NL', 'EMS', '04AABBCCDDEEFF'), { token: 'registration-token-a-1' });
    expect(withTokenA.status).toBe(401);
  });

  it('takes 2.1.1 tokens (auth_id, no party in the body) from a 2.1.1 eMSP', async () => {
    const body = { uid: 'LEGACY01', type: 'RFID', auth_id: 'BE-OLD-C1', issuer: 'Old eMSP', valid: true, whitelist: 'ALWAYS', last_updated: stamp() };
    const res = await legacy.call('PUT', tokensUrl('2.1.1', 'BE', 'OLD', 'LEGACY01'), { body, version: '2.1.1' });
    expect(res.body.status_code).toBe(1000);
    const read = await legacy.call('GET', tokensUrl('2.1.1', 'BE', 'OLD', 'LEGACY01'), { version: '2.1.1' });
    expect(read.body.data).toMatchObject({ uid: 'LEGACY01', auth_id: 'BE-OLD-C1', whitelist: 'ALWAYS' });
    expect(read.body.data.country_code).toBeUndefined();
    expect(await charger.authorize('legacy01')).toBe('Accepted');
  });

  it('pulls the eMSP token list after registration, following Link, skipping the invalid one', async () => {
    await expect.poll(() => sqlite().prepare("SELECT count(*) FROM id_tokens WHERE uid LIKE 'PULLED%'").pluck().get(), { timeout: 10_000 }).toBe(4);
    const pages = emsp.received.filter((r) => r.method === 'GET' && r.path === '/ocpi/2.2.1/tokens');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(bridge.logs.some((l) => l.msg === 'pulled token skipped: invalid' && l.uid === 'PULLED05')).toBe(true);
  });
});

describe('RFID authorization at the charger', () => {
  it('whitelist ALWAYS and ALLOWED: accepted at once, the eMSP is not asked', async () => {
    const before = authorizeCalls().length;
    expect(await charger.authorize('PULLED01')).toBe('Accepted');
    expect(await charger.authorize('PULLED02')).toBe('Accepted');
    expect(authorizeCalls().length).toBe(before);
  });

  it('real-time: the eMSP allows with an authorization_reference that the session carries', async () => {
    emsp.authorizeWith = (uid, type, body) => {
      expect([uid, type]).toEqual(['PULLED03', 'RFID']);
      expect(body).toEqual({ location_id: 'LOC-1' });
      return { body: { allowed: 'ALLOWED', authorization_reference: 'AUTH-REF-0001' } };
    };
    expect(await charger.authorize('PULLED03')).toBe('Accepted');
    const { transactionId } = await charger.startTransaction(1, 'PULLED03');
    const tx = sqlite().prepare('SELECT auth_method, authorization_reference, platform_id FROM transactions WHERE ocpp_transaction_id = ?').get(String(transactionId));
    expect(tx).toMatchObject({ auth_method: 'AUTH_REQUEST', authorization_reference: 'AUTH-REF-0001' });
    await charger.stopTransaction(1);
    expect(authorizeCalls().at(-1)?.path).toBe('/ocpi/2.2.1/tokens/PULLED03/authorize');
    // The Authorize and the StartTransaction after it shared one answer: the eMSP was asked once.
    expect(authorizeCalls().filter((r) => r.path.includes('PULLED03')).length).toBe(1);
  });

  it('real-time: BLOCKED and NOT_ALLOWED are refused', async () => {
    emsp.authorizeWith = () => ({ body: { allowed: 'BLOCKED' } });
    expect(await charger.authorize('PULLED04')).toBe('Blocked');
    emsp.authorizeWith = () => ({ body: { allowed: 'NOT_ALLOWED' } });
    await put('PULLED06', 'ALLOWED_OFFLINE');
    expect(await charger.authorize('PULLED06')).toBe('Invalid'); // 1.6 has no NotAtThisLocation
  });

  it('eMSP down, slow beyond the budget or answering garbage: ALLOWED_OFFLINE falls back to the stored token, NEVER is refused', async () => {
    for (const [i, answer] of ([{ httpStatus: 500, body: undefined }, { delayMs: 3000, body: { allowed: 'ALLOWED' } }, { raw: '<html>oops</html>' }, { body: { allowed: 'MAYBE' } }] as const).entries()) {
      emsp.authorizeWith = () => answer;
      const uid = `FALLBACK0${i}`;
      await put(uid, 'ALLOWED_OFFLINE');
      const started = Date.now();
      expect(await charger.authorize(uid)).toBe('Accepted');
      expect(Date.now() - started).toBeLessThan(2900); // decided within the 1 s budget, not after the eMSP's 3 s
      await put(`NEVER0${i}`, 'NEVER');
      expect(await charger.authorize(`NEVER0${i}`)).toBe('Invalid');
    }
    expect(bridge.logs.some((l) => l.msg === 'eMSP did not answer the real-time authorization: decided from the stored token' && l.charger === 'CP-RFID')).toBe(true);
  });

  it('a token nobody pushed is asked of the eMSPs with a tokens endpoint: their AuthorizationInfo decides', async () => {
    emsp.authorizeWith = (uid) => (uid === '04112233445566'
      ? { body: { allowed: 'ALLOWED', token: token('04112233445566', 'ALLOWED_OFFLINE'), authorization_reference: 'AUTH-REF-NEW' } }
      : { httpStatus: 404 });
    expect(await charger.authorize('04112233445566')).toBe('Accepted');
    expect(sqlite().prepare("SELECT source, platform_id IS NOT NULL AS owned FROM id_tokens WHERE uid = '04112233445566'").get()).toEqual({ source: 'command', owned: 1 });
    expect(await charger.authorize('DEADBEEF')).toBe('Invalid');
    emsp.authorizeWith = undefined;
  });
});

describe('OCPP local authorization list', () => {
  it('the charger receives the whitelisted tokens in a full list, then the changes as a differential update', async () => {
    await expect.poll(() => charger.localList.version, { timeout: 10_000 }).toBeGreaterThan(0);
    const first = charger.received.filter((r) => r.action === 'SendLocalList');
    expect(first[0]!.params.updateType).toBe('Full');
    await expect.poll(() => charger.localList.entries.get('PULLED01'), { timeout: 10_000 }).toBe('Accepted');
    expect(charger.localList.entries.has('PULLED03')).toBe(false); // ALLOWED_OFFLINE is asked in real time, never listed
    const version = charger.localList.version;
    await put('LISTED99', 'ALWAYS');
    await expect.poll(() => charger.localList.entries.get('LISTED99'), { timeout: 10_000 }).toBe('Accepted');
    const last = charger.received.filter((r) => r.action === 'SendLocalList').at(-1)!;
    expect(last.params).toMatchObject({ updateType: 'Differential', listVersion: version + 1 });
    expect(last.params.localAuthorizationList.map((e: any) => e.idTag)).toContain('LISTED99');
    // Invalidated: stays in the list as Blocked, so an offline charger refuses it too.
    await emsp.call('PATCH', tokensUrl('2.2.1', 'NL', 'EMS', 'LISTED99'), { body: { valid: false, last_updated: stamp() } });
    await expect.poll(() => charger.localList.entries.get('LISTED99'), { timeout: 10_000 }).toBe('Blocked');
  });
});
