/**
 * Security of what faces people and the internet, over real HTTP against the real bridge. Status page: nothing
 * without a login, password guessing limited per address (login form and Basic alike), every POST action needs
 * the session's CSRF token and a same-origin request (a refused one never reaches the charger), the session
 * cookie is HttpOnly and SameSite=Strict, hostile charger data (identity, vendor, model, firmware, status info
 * from BootNotification / StatusNotification) is shown escaped, and the security headers (CSP, nosniff, frame
 * denial, no-store) are on every page. OCPI: token A opens only versions and credentials and is dead after the
 * handshake; one eMSP's token never reads another eMSP's sessions, CDRs or pushed tokens, nor changes them.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

/** A charger identity that is valid (printable ASCII without spaces, `/` or `\\`: CONTRACT.md) and hostile. */
const EVIL_ID = `CP-"'&<script>alert(1)<b>`;
const EVIL = { vendor: '<b onmouseover=x>', model: '"><img src=x>', firmware: '<script>alert("fw")</script>', serial: '<svg/onload=alert(1)>' };

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let bridge: TestBridge;
let evil: Probe;
const triggered: string[] = [];
let user: string;
let password: string;

const url = (path: string) => `${bridge.httpUrl}${path}`;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

async function login(u = user, p = password, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url('/login'), { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ user: u, password: p, next: '/' }) });
}

/** A logged-in browser: its cookie and the CSRF token of its session (read from a confirmation page). */
async function browser(): Promise<{ cookie: string; csrf: string }> {
  const res = await login();
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await fetch(url(`/chargers/${encodeURIComponent(EVIL_ID)}/confirm/trigger-status`), { headers: { Cookie: cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf! };
}

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: EVIL_ID, evses: 1 }, { identity: 'CP-PLAIN', evses: 1 }], {
    ocpi: { token_a: 'security-token-a', cdr_settle_s: 0 },
  }), { clock });
  ({ user, password } = bridge.statusPagePassword!);
  evil = await connectProbe({
    url: bridge.ocppUrl, identity: EVIL_ID,
    handlers: { TriggerMessage: (p) => (triggered.push(p.requestedMessage), { status: 'Accepted' }), GetConfiguration: () => ({ configurationKey: [] }) },
  });
  await evil.call('BootNotification', { chargePointVendor: EVIL.vendor, chargePointModel: EVIL.model, firmwareVersion: EVIL.firmware, chargePointSerialNumber: EVIL.serial });
  await evil.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'OtherError', info: '<script>alert("info")</script>', vendorErrorCode: '<iframe src=//evil>' });
});
afterAll(async () => {
  await evil?.close();
  await bridge?.close();
});

describe('status page', () => {
  it('shows nothing without a login: pages redirect to /login, scripts get 401, wrong Basic credentials too', async () => {
    const page = await fetch(url('/chargers'), { redirect: 'manual', headers: { Accept: 'text/html' } });
    expect([page.status, page.headers.get('location')]).toEqual([302, '/login?next=%2Fchargers']);
    for (const path of ['/', '/chargers', `/chargers/${encodeURIComponent(EVIL_ID)}`, '/sessions', '/emsps', '/status.json', '/events', `/chargers/${encodeURIComponent(EVIL_ID)}/configuration.json`, '/sessions/1/signed.json']) {
      const res = await fetch(url(path), { redirect: 'manual' });
      expect([path, res.status]).toEqual([path, 401]);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(await res.text()).not.toContain('CP-');
    }
    expect((await fetch(url('/status.json'), { headers: { Authorization: basic(user, `${password}x`) } })).status).toBe(401);
    expect((await fetch(url('/status.json'), { headers: { Authorization: basic('root', password) } })).status).toBe(401);
    expect((await fetch(url('/status.json'), { headers: { Authorization: basic(user, password) } })).status).toBe(200);
    // POSTs without a session, also with valid Basic credentials (Basic is for GET by scripts only)
    for (const headers of [{}, { Authorization: basic(user, password) }] as Array<Record<string, string>>) {
      const res = await fetch(url(`/chargers/${encodeURIComponent(EVIL_ID)}/actions/trigger-status`), { method: 'POST', redirect: 'manual', headers });
      expect(res.status).toBe(401);
    }
    expect(triggered).toEqual([]);
    // The operations endpoints stay open (probes and Prometheus), and say nothing about chargers.
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('the session cookie is HttpOnly, SameSite=Strict, path /, Secure behind HTTPS; the login page does not redirect off-site', async () => {
    const res = await login();
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^bridge_status_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/i); // plain http here: a Secure cookie would never come back
    const behindTls = await login(user, password, { 'X-Forwarded-Proto': 'https' });
    expect(behindTls.headers.get('set-cookie')).toMatch(/; Secure/i);
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const r = await fetch(url('/login'), { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ user, password, next }) });
      expect([next, r.status, r.headers.get('location')]).toEqual([next, 303, '/']);
    }
    // A login posted from another site is refused (login CSRF).
    expect((await login(user, password, { Origin: 'https://evil.example' })).status).toBe(403);
  });

  it('every POST action needs the session CSRF token and a same-origin request; refused ones never reach the charger', async () => {
    const { cookie, csrf } = await browser();
    const action = url(`/chargers/${encodeURIComponent(EVIL_ID)}/actions/trigger-status`);
    const post = (body: Record<string, string>, headers: Record<string, string> = {}) => fetch(action, {
      method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body),
    });
    const refused: Array<[string, Response]> = [
      ['no token', await post({})],
      ['wrong token', await post({ _csrf: 'x'.repeat(csrf.length) })],
      ['token of another session', await post({ _csrf: (await browser()).csrf })],
      ['token in the query, not the form', await fetch(`${action}?_csrf=${csrf}`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie } })],
      ['cross-site Origin', await post({ _csrf: csrf }, { Origin: 'https://evil.example' })],
      ['null Origin', await post({ _csrf: csrf }, { Origin: 'null' })],
      ['Sec-Fetch-Site cross-site', await post({ _csrf: csrf }, { 'Sec-Fetch-Site': 'cross-site' })],
      ['Sec-Fetch-Site same-site', await post({ _csrf: csrf }, { 'Sec-Fetch-Site': 'same-site' })],
    ];
    for (const [why, res] of refused) expect([why, res.status]).toEqual([why, 403]);
    expect(triggered).toEqual([]);
    // The other POST endpoints are guarded the same way.
    for (const path of ['/logout', '/sessions/1/stop', `/chargers/${encodeURIComponent(EVIL_ID)}/actions/reset-hard`]) {
      const res = await fetch(url(path), { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
      expect([path, res.status]).toEqual([path, 403]);
    }
    // The same request done right: it reaches the charger.
    const done = await post({ _csrf: csrf }, { Origin: bridge.httpUrl, 'Sec-Fetch-Site': 'same-origin' });
    expect(done.status).toBe(303);
    expect(triggered).toEqual(['StatusNotification']);
  });

  it('hostile charger data from BootNotification and StatusNotification is shown escaped, never as markup', async () => {
    const { cookie } = await browser();
    const id = encodeURIComponent(EVIL_ID);
    for (const path of ['/', '/chargers', `/chargers/${id}`, `/chargers/${id}/confirm/trigger-status`]) {
      const res = await fetch(url(path), { headers: { Cookie: cookie } });
      expect(res.status).toBe(200);
      const html = await res.text();
      // Markup of the page itself: only its own script file, no inline handler, no injected element.
      expect(html.match(/<script\b[^>]*>/g)?.every((tag) => /^<script src="\/assets\/status\.js"/.test(tag)) ?? true).toBe(true);
      expect(html).not.toMatch(/<(img|svg|iframe|b) [^>]*(src=x|onload|onmouseover|evil)/i);
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain(EVIL_ID);
      expect(html).toMatch(/CP-(&quot;|&#34;)(&#39;|&#x27;|')&amp;&lt;script&gt;alert\(1\)&lt;b&gt;/);
    }
    const detail = await (await fetch(url(`/chargers/${id}`), { headers: { Cookie: cookie } })).text();
    expect(detail).toContain('&lt;b onmouseover=x&gt;');
    expect(detail).toMatch(/(&quot;|&#34;)&gt;&lt;img src=x&gt;/);
    expect(detail).toMatch(/&lt;script&gt;alert\((&quot;|&#34;)fw(&quot;|&#34;)\)&lt;\/script&gt;/);
    expect(detail).toContain('&lt;svg/onload=alert(1)&gt;');
    expect(detail).toMatch(/&lt;script&gt;alert\((&quot;|&#34;)info(&quot;|&#34;)\)&lt;\/script&gt;/);
    expect(detail).toContain('&lt;iframe src=//evil&gt;');
    // /status.json carries the same strings as JSON data, served as JSON (never sniffed as HTML).
    const json = await fetch(url('/status.json'), { headers: { Cookie: cookie } });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');
    const status = (await json.json()) as any;
    expect(status.chargers.find((c: any) => c.identity === EVIL_ID)).toMatchObject({ vendor: EVIL.vendor, model: EVIL.model, firmwareVersion: EVIL.firmware });
  });

  it('sends the security headers on every page: CSP without inline script, nosniff, no framing, no caching', async () => {
    const { cookie } = await browser();
    for (const path of ['/login', '/', '/chargers', `/chargers/${encodeURIComponent(EVIL_ID)}`, '/sessions', '/emsps', '/status.json', '/no-such-page']) {
      const res = await fetch(url(path), { headers: path === '/login' ? {} : { Cookie: cookie } });
      if (path === '/no-such-page') {
        expect(res.status).toBe(404);
        continue;
      }
      const csp = res.headers.get('content-security-policy') ?? '';
      expect([path, csp]).toEqual([path, expect.stringContaining("default-src 'none'")]);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  // Last: it locks this test's address out for a minute (moved past with the bridge's clock).
  it('limits password guessing per address, on the login form and on Basic authentication alike', async () => {
    offsetMs += 61_000; // a fresh minute: the wrong Basic credentials of the first test have counted too
    const open = await browser();
    for (let i = 0; i < 10; i++) expect((await login(user, `guess-${i}`)).status).toBe(401);
    // Locked: even the right password is refused now, without being checked.
    const locked = await login();
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('Too many failed attempts');
    expect((await fetch(url('/status.json'), { headers: { Authorization: basic(user, password) } })).status).toBe(429);
    expect(bridge.logs.filter((l) => l.msg === 'status page login failed')).toHaveLength(10);
    expect(JSON.stringify(bridge.logs)).not.toContain(password);
    // An already open session keeps working meanwhile.
    expect((await fetch(url('/'), { headers: { Cookie: open.cookie } })).status).toBe(200);
    offsetMs += 61_000;
    expect((await login()).status).toBe(303);
    // Basic guesses count too: ten wrong ones lock the address for the form and for Basic.
    for (let i = 0; i < 10; i++) expect((await fetch(url('/status.json'), { headers: { Authorization: basic(user, `guess-${i}`) } })).status).toBe(401);
    expect((await fetch(url('/status.json'), { headers: { Authorization: basic(user, password) } })).status).toBe(429);
    expect((await login()).status).toBe(429);
    offsetMs += 61_000;
    expect((await fetch(url('/status.json'), { headers: { Authorization: basic(user, password) } })).status).toBe(200);
  }, 30_000);
});

describe('OCPI access', () => {
  let a: TestEmsp;
  let b: TestEmsp;
  const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
  const addTokenA = (t: string) => sqlite().prepare('INSERT INTO ocpi_registration_tokens (token_hash, created_at_ms) VALUES (?, ?)').run(createHash('sha256').update(t).digest('hex'), Date.now());
  const modules = ['locations', 'tariffs', 'sessions', 'cdrs', 'tokens/NL/EMS', 'commands/START_SESSION'];

  beforeAll(async () => {
    a = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
    b = await startEmsp({ countryCode: 'BE', partyId: 'OTH' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('token A opens versions and credentials only, and is dead once the handshake used it', async () => {
    for (const version of ['2.2.1', '2.1.1'] as const) {
      expect((await a.call('GET', url('/ocpi/versions'), { token: 'security-token-a', version })).status).toBe(200);
      expect((await a.call('GET', url(`/ocpi/${version}`), { token: 'security-token-a', version })).status).toBe(200);
      for (const m of modules.filter((x) => version === '2.2.1' || !x.startsWith('commands'))) {
        for (const method of ['GET', 'POST', 'PUT']) {
          const res = await a.call(method, url(`/ocpi/${version}/${m}`), { token: 'security-token-a', version, body: method === 'GET' ? undefined : {} });
          expect([version, m, method, res.status, res.body.status_code]).toEqual([version, m, method, 401, 2000]);
        }
      }
    }
    expect((await a.register(url('/ocpi/versions'), 'security-token-a')).body.status_code).toBe(1000);
    for (const path of ['/ocpi/versions', '/ocpi/2.2.1', '/ocpi/2.2.1/credentials', '/ocpi/2.2.1/locations']) {
      expect([path, (await a.call('GET', url(path), { token: 'security-token-a' })).status]).toEqual([path, 401]);
    }
    const again = await b.call('POST', url('/ocpi/2.2.1/credentials'), { token: 'security-token-a', body: b.credentials('2.2.1', 'b-token-b') });
    expect([again.status, again.body.status_code]).toEqual([401, 2000]);
    expect(sqlite().prepare("SELECT count(*) AS n FROM ocpi_platforms WHERE status = 'registered'").get()).toEqual({ n: 1 });
  });

  it("one eMSP's token never reads or changes another eMSP's sessions, CDRs or pushed tokens", async () => {
    addTokenA('security-token-a2');
    expect((await b.register(url('/ocpi/versions'), 'security-token-a2')).body.status_code).toBe(1000);
    // eMSP A pushes a token (Tokens Receiver), and a session charged with it ends in a CDR for A.
    const token = { country_code: 'NL', party_id: 'EMS', uid: 'A-TOKEN-1', type: 'RFID', contract_id: 'NL-EMS-C00001-X', issuer: 'A', valid: true, whitelist: 'ALLOWED', last_updated: '2026-11-26T08:00:00Z' };
    const put = await a.call('PUT', url('/ocpi/2.2.1/tokens/NL/EMS/A-TOKEN-1'), { body: token });
    expect([put.status, put.body.status_code]).toEqual([expect.any(Number), 1000]);
    const plain = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-PLAIN' });
    await plain.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const { transactionId } = await plain.call('StartTransaction', { connectorId: 1, idTag: 'A-TOKEN-1', meterStart: 0, timestamp: '2026-11-26T09:00:00Z' });
    await plain.call('StopTransaction', { transactionId, meterStop: 5000, timestamp: '2026-11-26T09:30:00Z' });
    await plain.close();
    await expect.poll(() => a.cdrs().length, { timeout: 10_000 }).toBe(1);
    expect((await a.pullAll(url('/ocpi/2.2.1/sessions'))).items.map((s) => s.cdr_token.uid)).toContain('A-TOKEN-1');
    expect((await a.pullAll(url('/ocpi/2.2.1/cdrs'))).items).toHaveLength(1);

    // eMSP B: none of it, in either version, whatever routing headers it claims.
    for (const version of ['2.2.1', '2.1.1'] as const) {
      expect((await b.pullAll(url(`/ocpi/${version}/sessions`), { version })).items).toEqual([]);
      expect((await b.pullAll(url(`/ocpi/${version}/cdrs`), { version })).items).toEqual([]);
    }
    const spoofed = await b.call('GET', url('/ocpi/2.2.1/sessions'), { headers: { 'OCPI-from-country-code': 'NL', 'OCPI-from-party-id': 'EMS' } });
    expect(spoofed.status).toBe(404);
    // A's pushed token: B can neither read nor overwrite nor patch it (its URL party is not one of B's roles).
    const tokenUrl = url('/ocpi/2.2.1/tokens/NL/EMS/A-TOKEN-1');
    const read = await b.call('GET', tokenUrl);
    expect([read.status, read.body.status_code, read.body.data]).toEqual([404, 2000, undefined]);
    expect((await b.call('PUT', tokenUrl, { body: { ...token, valid: false } })).status).toBe(404);
    expect((await b.call('PATCH', tokenUrl, { body: { valid: false, last_updated: '2026-11-26T10:00:00Z' } })).status).toBe(404);
    expect((await b.call('PUT', url('/ocpi/2.1.1/tokens/NL/EMS/A-TOKEN-1'), { version: '2.1.1', body: { ...token, valid: false } })).status).toBe(404);
    const still = await a.call('GET', tokenUrl);
    expect([still.status, still.body.data?.valid]).toEqual([200, true]);
    // B's own namespace works (the refusals above are about ownership, not a broken module).
    const own = await b.call('GET', url('/ocpi/2.2.1/tokens/BE/OTH/NOPE'));
    expect([own.status, own.body.status_code]).toEqual([404, 2004]);
    expect(b.cdrs()).toEqual([]);
    expect(b.received.filter((r) => r.module === 'sessions')).toEqual([]);
  });

  it("one eMSP cannot stop another eMSP's running session by command (STOP_SESSION): the charger never hears of it", async () => {
    const stops: unknown[] = [];
    const plain = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-PLAIN', handlers: { RemoteStopTransaction: (p) => (stops.push(p), { status: 'Accepted' }) } });
    await plain.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const { transactionId } = await plain.call('StartTransaction', { connectorId: 1, idTag: 'A-TOKEN-1', meterStart: 10_000, timestamp: '2026-11-26T11:00:00Z' });
    try {
      let sessionId: string | undefined;
      await expect.poll(async () => (sessionId = (await a.pullAll(url('/ocpi/2.2.1/sessions'))).items.find((x) => x.status === 'ACTIVE')?.id), { timeout: 10_000 }).toBeTruthy();
      const other = await b.call('POST', url('/ocpi/2.2.1/commands/STOP_SESSION'), { body: { response_url: `${b.url}/ocpi/2.2.1/commands/STOP_SESSION/1`, session_id: sessionId } });
      expect(other.status).toBeLessThan(500);
      expect(other.body.data?.result).not.toBe('ACCEPTED');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(stops).toEqual([]);
      // The owner can.
      const own = await a.call('POST', url('/ocpi/2.2.1/commands/STOP_SESSION'), { body: { response_url: `${a.url}/ocpi/2.2.1/commands/STOP_SESSION/1`, session_id: sessionId } });
      expect([own.status, own.body.data?.result]).toEqual([200, 'ACCEPTED']);
      await expect.poll(() => stops.length).toBe(1);
      expect(stops[0]).toEqual({ transactionId });
    } finally {
      await plain.call('StopTransaction', { transactionId, meterStop: 12_000, timestamp: '2026-11-26T11:30:00Z' }).catch(() => undefined);
      await plain.close();
    }
  });
});
