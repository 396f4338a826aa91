/**
 * Fuzzing the OCPI HTTP surface with fast-check, over real HTTP against the real bridge: random methods, paths
 * (versions, 2.2.1 and 2.1.1 modules, credentials, traversal and junk), headers, Authorization forms (none,
 * malformed, token A, the registered token plain and Base64) and bodies (non-JSON, over the size limit, deeply
 * nested, wrong types, unicode, `__proto__` keys, near-valid Credentials). The bridge must never answer 5xx,
 * every answer must be an OCPI envelope with one of the documented statuses (200/201, 400, 401, 404, 405, 413;
 * OCPI 2.2.1 status_codes.asciidoc), the registration state must not change (every state-changing request in
 * the mix is one that must be refused), and the bridge stays healthy. Near-valid Tokens pushes and commands from
 * the registered eMSP: a refused push writes nothing, an accepted one is stored as sent, no command starts or
 * reserves anything at an offline charger. Seeded: FUZZ_SEED and FUZZ_RUNS reproduce or lengthen a run by hand.
 */
import fc from 'fast-check';
import { request, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const MAX_BODY = 65_536;
const TOKEN_A = 'fuzz-registration-token-a';
/** A URL that refuses connections at once: a Credentials body that passes validation makes the bridge call it and fail (3001). */
const DEAD_URL = 'http://127.0.0.1:1/ocpi/versions';
const DOCUMENTED = new Set([200, 201, 400, 401, 404, 405, 413]);

let bridge: TestBridge;
let emsp: TestEmsp;
let registered: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;

/** What no refused request may change: platforms, their parties and tokens, registration tokens A, sessions, CDRs. */
function registrationState(): string {
  const db = sqlite();
  return JSON.stringify({
    platforms: db.prepare('SELECT id, inbound_token_hash, outbound_token, versions_url, version, endpoints_json, status, token_encoding, name FROM ocpi_platforms ORDER BY id').all(),
    parties: db.prepare('SELECT * FROM ocpi_parties ORDER BY id').all(),
    tokensA: db.prepare('SELECT * FROM ocpi_registration_tokens ORDER BY token_hash').all(),
    counts: db.prepare('SELECT (SELECT count(*) FROM id_tokens) AS tokens, (SELECT count(*) FROM ocpi_sessions) AS sessions, (SELECT count(*) FROM ocpi_cdrs) AS cdrs, (SELECT count(*) FROM transactions) AS transactions').get(),
  });
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string }

function send(method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(bridge.httpUrl);
    const req = request({ agent, host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.end(body);
  });
}

/** An OCPI envelope (transport_and_format §Response format): 4-digit status_code, DateTime timestamp, optional message. */
function isEnvelope(text: string): boolean {
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    && Number.isInteger(body.status_code) && body.status_code >= 1000 && body.status_code <= 4999
    && typeof body.timestamp === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(body.timestamp)
    && (body.status_message === undefined || typeof body.status_message === 'string');
}

// ---- arbitraries ----

/** Header-safe text (node rejects control characters in header values): printable ASCII and Latin-1. */
const headerText = fc.string({ maxLength: 80, unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((n) => String.fromCharCode(n)) });
const segment = fc.oneof(
  fc.constantFrom('DE', 'EXA', 'NL', 'EMS', 'LOC-1', 'DE*EXA*E0001*1', '1', '..', '.', '%2e%2e', '%00', '%2F', '~', '__proto__', 'constructor', 'versions', 'credentials', ''),
  fc.string({ maxLength: 30, unit: 'binary' }).map(encodeURIComponent),
  fc.string({ minLength: 200, maxLength: 2000 }).map(encodeURIComponent),
);
const moduleName = fc.constantFrom('credentials', 'locations', 'tariffs', 'sessions', 'cdrs', 'tokens', 'commands', 'chargingprofiles', 'hubclientinfo', 'versions', 'unknown');
const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?offset=-1', '?limit=0', '?limit=abc', '?limit=99999999999999', '?offset=1e3', '?date_from=garbage', '?date_to=2026-13-45T99:99:99Z',
    '?date_from=2026-01-01T00:00:00Z&date_to=2025-01-01T00:00:00Z', '?cursor=%7B%22o%22%3A0%7D', '?cursor=!!!', '?offset=0&offset=5', '?__proto__[x]=1', '?limit=%00'),
  fc.dictionary(fc.constantFrom('offset', 'limit', 'date_from', 'date_to', 'cursor', 'type', 'x'), fc.string({ maxLength: 20, unit: 'binary' }), { maxKeys: 4 })
    .map((q) => `?${new URLSearchParams(q).toString()}`),
);
const path = fc.oneof(
  fc.constantFrom('/ocpi/versions', '/ocpi/versions/', '/ocpi/2.2.1', '/ocpi/2.1.1', '/ocpi/2.2.1/', '/ocpi/', '/ocpi', '/ocpi/3.0', '/ocpi/2.2.1/credentials', '/ocpi/2.1.1/credentials',
    '/ocpi/2.2.1/locations', '/ocpi/2.2.1/locations/LOC-1', '/ocpi/2.2.1/locations/LOC-1/DE*EXA*E0001*1', '/ocpi/2.2.1/locations/LOC-1/DE*EXA*E0001*1/1',
    '/ocpi/2.1.1/locations/LOC-1', '/ocpi/2.2.1/tariffs', '/ocpi/2.1.1/tariffs', '/ocpi/2.2.1/sessions', '/ocpi/2.1.1/sessions', '/ocpi/2.2.1/cdrs', '/ocpi/2.1.1/cdrs',
    '/ocpi/2.2.1/cdrs/some-cdr', '/ocpi/2.2.1/sessions/DE/EXA/s1/charging_preferences', '/ocpi/2.2.1/tokens/NL/EMS/T1', '/ocpi/2.2.1/commands/START_SESSION',
    '/ocpi/2.2.1/../versions', '/ocpi//2.2.1//locations', '/ocpi/2.2.1/locations/../../versions'),
  fc.tuple(fc.constantFrom('2.2.1', '2.1.1', 'versions', '2.2', '2.1.1.1'), moduleName, fc.array(segment, { maxLength: 4 })).map(([v, m, rest]) => ['/ocpi', v, m, ...rest].join('/')),
).chain((p) => query.map((q) => `${p}${q}`));

// Methods node's HTTP parser knows (an unknown token like FOO is refused by the parser with a bare 400 before any app runs).
const method = fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'PURGE');

type AuthForm = { kind: 'none' | 'junk' | 'tokenA' | 'registered'; header?: string };
const authorization: fc.Arbitrary<AuthForm> = fc.oneof(
  fc.constant<AuthForm>({ kind: 'none' }),
  fc.constantFrom<AuthForm>(...['Token', 'Token ', 'Token  ', 'token', 'Bearer x', 'Basic dGVjaDp0ZWNo', 'Token =', 'Token ====', 'Token dGVzdA', 'Token \u00ff\u00fe', 'Token a b', 'Token null', 'Token undefined', 'Token __proto__'].map((header) => ({ kind: 'junk' as const, header }))),
  headerText.map((t): AuthForm => ({ kind: 'junk', header: `Token ${t}` })),
  fc.string({ minLength: 1000, maxLength: 4000 }).map((t): AuthForm => ({ kind: 'junk', header: `Token ${t}` })),
  fc.constantFrom<AuthForm>({ kind: 'tokenA', header: `Token ${TOKEN_A}` }, { kind: 'tokenA', header: `Token ${Buffer.from(TOKEN_A).toString('base64')}` }),
  fc.constantFrom('plain', 'base64', 'lower', 'spaces', 'trailing-newline-b64').map((form): AuthForm => ({ kind: 'registered', header: registeredForm(form) })),
);
function registeredForm(form: string): string {
  const b64 = Buffer.from(registered).toString('base64');
  switch (form) {
    case 'plain': return `Token ${registered}`;
    case 'base64': return `Token ${b64}`;
    case 'lower': return `token ${b64}`;
    case 'spaces': return `Token   ${b64}  `;
    default: return `Token ${Buffer.from(`${registered}\n`).toString('base64')}`;
  }
}

const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }), fc.string({ maxLength: 40, unit: 'binary' }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(''),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.constantFrom('<script>alert(1)</script>', '\u0000', '\ud83d\ude00', 'http://127.0.0.1:1/x', DEAD_URL, 'javascript:alert(1)', 'file:///etc/passwd', 'x'.repeat(300)),
);

const creds221 = () => ({ token: 'fuzz-peer-token', url: DEAD_URL, roles: [{ role: 'EMSP', party_id: 'FZZ', country_code: 'FR', business_details: { name: 'Fuzz eMSP' } }] });
const creds211 = () => ({ token: 'fuzz-peer-token', url: DEAD_URL, party_id: 'FZZ', country_code: 'FR', business_details: { name: 'Fuzz eMSP' } });

function leafPaths(value: unknown, prefix: (string | number)[] = []): Array<(string | number)[]> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
}
/** A JSON text of `seed` with one thing wrong: a field dropped or replaced by garbage, or an extra (prototype-polluting) key; or nothing wrong. */
function nearValid(seed: () => Record<string, unknown>): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom('keep', 'drop', 'replace', 'replace', 'extra'), fc.nat(), garbage, fc.constantFrom('extra', '__proto__', 'constructor', 'prototype', 'roles', 'uid', ''))
    .map(([kind, at, value, key]) => {
      const copy: any = seed();
      const all = leafPaths(copy).filter((p) => p.length > 0);
      if (kind === 'extra') return JSON.stringify(copy).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(value ?? null)},`);
      if (kind !== 'keep') {
        const p = all[at % all.length]!;
        let parent = copy;
        for (const k of p.slice(0, -1)) parent = parent[k];
        if (kind === 'drop') delete parent[p[p.length - 1]!];
        else parent[p[p.length - 1]!] = value;
      }
      return JSON.stringify(copy);
    });
}
/** A Credentials object with one thing wrong (or nothing: then the bridge's fetch of DEAD_URL fails, 3001). */
const nearValidCredentials = fc.oneof(nearValid(creds221), nearValid(creds211));

const tokenSeed = (uid: string) => ({ country_code: 'NL', party_id: 'EMS', uid, type: 'RFID', contract_id: 'NL-EMS-C00001-X', issuer: 'Fuzz', valid: true, whitelist: 'ALLOWED', last_updated: '2026-11-26T08:00:00Z' });
const tokenRef = () => tokenSeed('FZ-CMD');
const COMMANDS: Record<string, () => Record<string, unknown>> = {
  START_SESSION: () => ({ response_url: DEAD_URL, token: tokenRef(), location_id: 'LOC-1', evse_uid: 'DE*EXA*E0001*1' }),
  STOP_SESSION: () => ({ response_url: DEAD_URL, session_id: 'no-such-session' }),
  UNLOCK_CONNECTOR: () => ({ response_url: DEAD_URL, location_id: 'LOC-1', evse_uid: 'DE*EXA*E0001*1', connector_id: '1' }),
  RESERVE_NOW: () => ({ response_url: DEAD_URL, token: tokenRef(), expiry_date: '2026-11-26T09:00:00Z', reservation_id: 'R1', location_id: 'LOC-1', evse_uid: 'DE*EXA*E0001*1' }),
  CANCEL_RESERVATION: () => ({ response_url: DEAD_URL, reservation_id: 'R1' }),
};

const body: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: nearValidCredentials },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) }, // mostly not JSON
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '{', '[1,', '{"a":1}x', 'null', 'true', '"str"', '1e999', 'NaN', '<html><body>hi</body></html>', '\ufeff{}', '{"a":"\\ud800"}', '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}', '{"token":"x","url":"http://127.0.0.1:1/","roles":[{"__proto__":{"polluted":"yes"},"role":"EMSP"}]}') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 30_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) }, // deep nesting, under the limit
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_BODY + 1, max: MAX_BODY * 3 }).map((n) => `{"x":"${'y'.repeat(n)}"}`) }, // over the limit
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }).map((n) => JSON.stringify({ ...creds221(), roles: Array.from({ length: n }, () => creds221().roles[0]) })) },
);

const extraHeaders = fc.record({
  'Content-Type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', ''),
  'X-Request-ID': headerText,
  'X-Correlation-ID': headerText,
  'OCPI-to-country-code': fc.constantFrom('DE', 'de', 'NL', '', 'XXX'),
  'OCPI-to-party-id': fc.constantFrom('EXA', 'exa', 'EMS', '', 'TOOLONG'),
  'OCPI-from-country-code': fc.constantFrom('NL', 'BE', '', '\u00e9'),
  'OCPI-from-party-id': fc.constantFrom('EMS', 'OTH', '', '__proto__'),
  Accept: fc.constantFrom('application/json', 'text/html', '*/*', ''),
}, { requiredKeys: [] });

// ---- the runs ----

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-FUZZ', evses: 1 }], {
    ocpi: { token_a: 'fuzz-setup-token-a', request_timeout_s: 2 },
    http: { max_body_bytes: MAX_BODY },
  }));
  emsp = await startEmsp();
  expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'fuzz-setup-token-a')).body.status_code).toBe(1000);
  registered = emsp.tokenToCallBridge!;
  // A second token A that stays unused: the fuzz POSTs credentials with it, and none of those may consume it.
  sqlite().prepare('INSERT INTO ocpi_registration_tokens (token_hash, created_at_ms) VALUES (?, ?)').run((await import('node:crypto')).createHash('sha256').update(TOKEN_A).digest('hex'), Date.now());
});
afterAll(async () => {
  agent.destroy();
  await bridge?.close();
  await emsp?.close();
});

async function healthy(): Promise<void> {
  expect((await fetch(`${bridge.httpUrl}/healthz`)).status).toBe(200);
  // The registered eMSP still gets its data with its token, token A still opens versions.
  const locations = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/locations`);
  expect([locations.status, locations.body.status_code]).toEqual([200, 1000]);
  const versions = await emsp.call('GET', `${bridge.httpUrl}/ocpi/versions`, { token: TOKEN_A });
  expect([versions.status, versions.body.status_code]).toEqual([200, 1000]);
}

describe('OCPI request fuzzing', () => {
  it(`answers ${RUNS} random requests with a documented status and an OCPI envelope, and changes nothing`, async () => {
    const before = registrationState();
    const statuses = new Map<number, number>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(method, path, authorization, extraHeaders, body, async (m, p, auth, headers, payload) => {
        // The registered token may do everything except unregister itself (a legitimate request, not a fuzz case).
        const verb = auth.kind === 'registered' && m === 'DELETE' ? 'PATCH' : m;
        const sent = verb === 'GET' || verb === 'HEAD' ? undefined : payload;
        const res = await send(verb, p, { ...headers, ...(auth.header !== undefined ? { Authorization: auth.header } : {}) }, sent);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (++n % 500 === 0) expect((await fetch(`${bridge.httpUrl}/healthz`)).status).toBe(200);
        expect(res.status, `${verb} ${p.slice(0, 200)} -> ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
        // Dot segments (`..`, `%2e%2e`) are resolved by the server's URL parser (WHATWG URL): a path that climbs out
        // of /ocpi is a request for another part of the HTTP port (e.g. the status page, which wants its own login).
        if (!/^\/ocpi(\/|$)/.test(new URL(p, 'http://bridge').pathname)) return;
        expect(DOCUMENTED.has(res.status), `${verb} ${p.slice(0, 200)} -> ${res.status}`).toBe(true);
        if (verb !== 'HEAD') expect(isEnvelope(res.text), `${verb} ${p.slice(0, 200)} -> ${res.status} ${res.text.slice(0, 300)}`).toBe(true);
        expect(res.headers['content-type'] ?? 'application/json').toMatch(/^application\/json/);
        // Every answer echoes a request id (a generated one when ours was unusable).
        expect(res.headers['x-request-id']).toBeTruthy();
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(registrationState()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(bridge.logs.filter((l) => l.msg === 'OCPI request failed')).toEqual([]);
    await healthy();
    // The mix really reached past authentication and body checks (not 2,000 times the same 401).
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 401, 404, 405, 413]));
  }, 300_000);

  it.each(['2.2.1', '2.1.1'] as const)('near-valid %s Credentials bodies with token A register nothing and keep token A usable', async (version) => {
    const before = registrationState();
    await fc.assert(
      fc.asyncProperty(nearValidCredentials, fc.constantFrom('POST', 'PUT', 'DELETE'), async (payload, verb) => {
        const res = await send(verb, `/ocpi/${version}/credentials`, { Authorization: `Token ${Buffer.from(TOKEN_A).toString('base64')}`, 'Content-Type': 'application/json' }, payload);
        expect(res.status).toBeLessThan(500);
        expect(isEnvelope(res.text), res.text).toBe(true);
        const code = JSON.parse(res.text).status_code;
        // POST: 2001 (invalid), 3001 (the peer's versions cannot be fetched) or 3002/3003; PUT/DELETE: 405, not registered.
        if (verb === 'POST') expect([2001, 3001, 3002, 3003]).toContain(code);
        else expect([res.status, code]).toEqual([405, 2000]);
      }),
      { numRuns: Math.ceil(RUNS / 8), seed: SEED + 1 },
    );
    expect(registrationState()).toBe(before);
    await healthy();
  }, 120_000);

  it('near-valid Credentials PUTs with the registered token leave the registration as it was', async () => {
    const before = registrationState();
    await fc.assert(
      fc.asyncProperty(nearValidCredentials, fc.constantFrom('2.2.1', '2.1.1'), async (payload, version) => {
        const res = await send('PUT', `/ocpi/${version}/credentials`, { Authorization: registeredForm('base64'), 'Content-Type': 'application/json' }, payload);
        expect(res.status).toBeLessThan(500);
        expect(isEnvelope(res.text), res.text).toBe(true);
        expect(JSON.parse(res.text).status_code).not.toBe(1000);
      }),
      { numRuns: Math.ceil(RUNS / 8), seed: SEED + 2 },
    );
    expect(registrationState()).toBe(before);
    await healthy();
  }, 120_000);

  it('near-valid Tokens pushes from the registered eMSP: a refused one stores nothing, an accepted one is stored as sent', async () => {
    const row = (uid: string) => JSON.stringify(sqlite().prepare('SELECT * FROM id_tokens WHERE uid = ?').all(uid));
    const auth = { Authorization: registeredForm('base64'), 'Content-Type': 'application/json' };
    expect((await send('PUT', '/ocpi/2.2.1/tokens/NL/EMS/FZ-BASE', auth, JSON.stringify(tokenSeed('FZ-BASE')))).status).toBeLessThan(300);
    let n = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('PUT', 'PATCH'), fc.boolean(), fc.nat(), async (verb, existing, pick) => {
        const uid = existing ? 'FZ-BASE' : `FZ-${n++}`;
        const seed = verb === 'PUT' ? () => tokenSeed(uid) : () => ({ valid: false, last_updated: '2026-11-27T08:00:00Z' });
        const payload = fc.sample(nearValid(seed), { numRuns: 1, seed: SEED + pick })[0]!;
        const before = row(uid);
        const res = await send(verb, `/ocpi/2.2.1/tokens/NL/EMS/${encodeURIComponent(uid)}`, auth, payload);
        expect(res.status, res.text).toBeLessThan(500);
        expect(isEnvelope(res.text), res.text).toBe(true);
        const code = JSON.parse(res.text).status_code;
        if (code !== 1000) {
          expect(row(uid), `${verb} ${payload} -> ${res.text}`).toBe(before); // refused: nothing written, nothing half-written
          return;
        }
        accepted++;
        const stored = await emsp.call('GET', `${bridge.httpUrl}/ocpi/2.2.1/tokens/NL/EMS/${encodeURIComponent(uid)}`);
        expect(stored.status).toBe(200);
        const sent = JSON.parse(payload);
        for (const key of ['valid', 'whitelist', 'contract_id', 'type'] as const) if (key in sent && typeof sent[key] !== 'object') expect([key, stored.body.data[key]]).toEqual([key, sent[key]]);
      }),
      { numRuns: Math.ceil(RUNS / 4), seed: SEED + 3 },
    );
    expect(accepted).toBeGreaterThan(0); // the unmutated seeds got through: the refusals above are about the mutations
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await healthy();
  }, 120_000);

  it('near-valid commands from the registered eMSP are answered with an envelope and start, reserve or unlock nothing at an offline charger', async () => {
    const counts = () => sqlite().prepare('SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM reservations) AS r').get();
    const before = counts();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(COMMANDS)), fc.constantFrom('2.2.1', '2.1.1'), fc.nat(), async (command, version, pick) => {
        const payload = fc.sample(nearValid(COMMANDS[command]!), { numRuns: 1, seed: SEED + pick })[0]!;
        const res = await send('POST', `/ocpi/${version}/commands/${command}`, { Authorization: version === '2.2.1' ? registeredForm('base64') : registeredForm('plain'), 'Content-Type': 'application/json' }, payload);
        expect(res.status, res.text).toBeLessThan(500);
        expect(DOCUMENTED.has(res.status), `${command} ${res.status} ${res.text}`).toBe(true);
        expect(isEnvelope(res.text), res.text).toBe(true);
      }),
      { numRuns: Math.ceil(RUNS / 4), seed: SEED + 4 },
    );
    expect(counts()).toEqual(before);
    await healthy();
  }, 120_000);
});
