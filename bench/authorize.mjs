#!/usr/bin/env node
// OCPP Authorize latency with eMSP tokens: N chargers (default 1000) send an Authorize at the same moment,
// ROUNDS times (default 5), against the BUILT bridge with a file database and an in-process OCPI 2.2.1 eMSP
// registered through the credentials handshake:
//   (a) whitelisted tokens (pushed by the eMSP with whitelist ALWAYS): answered from the database;
//   (b) real-time tokens (whitelist NEVER): each Authorize is a POST {tokens}/{uid}/authorize to the eMSP, which
//       answers ALLOWED after 50 ms (--emsp-ms).
// Beside them, in the same run, the bare round trip of the same messages: a bare ocpp-rpc server (strict mode)
// answering Accepted at once (ceiling of a) and after the same 50 ms wait (ceiling of b).
// Usage: node bench/authorize.mjs [--chargers 1000] [--rounds 5] [--emsp-ms 50] [--profile dir]   (npm run build first)
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bareServer16, connectClients, percentile, sleep, startBare, startBridge, watchdog } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    chargers: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '5' },
    'emsp-ms': { type: 'string', default: '50' },
    profile: { type: 'string' }, // a folder: write a CPU profile of the bridge there
  },
});
const N = Number(args.chargers);
const ROUNDS = Number(args.rounds);
const EMSP_MS = Number(args['emsp-ms']);
watchdog(600);

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const envelope = (data) => ({ ...(data === undefined ? {} : { data }), status_code: 1000, status_message: 'Success', timestamp: stamp() });
const b64 = (t) => Buffer.from(t).toString('base64');
const identity = (i) => `AUTH-${String(i).padStart(5, '0')}`;
const whitelisted = (i) => `04${i.toString(16).toUpperCase().padStart(12, '0')}`;
const realtime = (i) => `RT${String(i).padStart(8, '0')}`;


function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A minimal OCPI 2.2.1 eMSP: versions, details (credentials, tokens SENDER), credentials, token list, authorize. */
async function startEmsp() {
  const accepted = new Set();
  let authorizeCalls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const arrivals = [];
  const app = new Hono();
  let base = '';
  app.use('*', async (c, next) => {
    const raw = c.req.header('Authorization')?.replace(/^Token /, '') ?? '';
    if (!accepted.has(raw) && !accepted.has(Buffer.from(raw, 'base64').toString('utf8'))) return c.json({ status_code: 2000, status_message: 'Unauthorized', timestamp: stamp() }, 401);
    await next();
  });
  app.get('/ocpi/versions', (c) => c.json(envelope([{ version: '2.2.1', url: `${base}/ocpi/2.2.1` }])));
  app.get('/ocpi/2.2.1', (c) => c.json(envelope({ version: '2.2.1', endpoints: [
    { identifier: 'credentials', role: 'SENDER', url: `${base}/ocpi/2.2.1/credentials` },
    { identifier: 'tokens', role: 'SENDER', url: `${base}/ocpi/2.2.1/tokens` },
  ] })));
  app.get('/ocpi/2.2.1/tokens', (c) => c.json(envelope([])));
  app.post('/ocpi/2.2.1/tokens/:uid/authorize', async (c) => {
    authorizeCalls++;
    arrivals.push(performance.now());
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await sleep(EMSP_MS);
    inFlight--;
    return c.json(envelope({ allowed: 'ALLOWED', authorization_reference: `REF-${c.req.param('uid')}` }));
  });
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    base, accepted, server, authorizeCalls: () => authorizeCalls,
    /** How the bridge's calls reached the eMSP: the spread of their arrival and how many were open at once. */
    arrivalSpread: () => ({ spreadMs: arrivals.length ? arrivals.at(-1) - arrivals[0] : 0, maxInFlight }),
  };
}

async function call(method, url, token, body) {
  const res = await fetch(url, { method, headers: { Authorization: `Token ${b64(token)}`, 'Content-Type': 'application/json', 'X-Request-ID': 'bench', 'X-Correlation-ID': 'bench',
    'OCPI-from-country-code': 'NL', 'OCPI-from-party-id': 'EMS', 'OCPI-to-country-code': 'DE', 'OCPI-to-party-id': 'EXA' }, body: body && JSON.stringify(body) });
  const json = await res.json();
  if (json.status_code !== 1000) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

async function connectAll(port) {
  const clients = await connectClients(port, N, identity);
  await Promise.all(clients.map((c) => c.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Auth' })));
  return clients;
}

/** ROUNDS times: every charger sends one Authorize at the same moment; latency of each, and wrong answers. */
async function burst(clients, tagOf) {
  const ms = [];
  let refused = 0;
  let first;
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(clients.map(async (c, i) => {
      const t0 = performance.now();
      const r = await c.call('Authorize', { idTag: tagOf(i) });
      ms.push(performance.now() - t0);
      if (r.idTagInfo.status !== 'Accepted') refused++;
    }));
    if (round === 0) first = stats([...ms], refused);
    await sleep(200);
  }
  return { ...stats(ms, refused), first };
}

function stats(ms, refused) {
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.at(-1), n: ms.length, refused };
}

const fmt = (r) => `p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  (${r.n} Authorize${r.refused ? `, ${r.refused} NOT Accepted` : ''})`;

const dir = mkdtempSync(join(tmpdir(), 'bench-authorize-'));
const children = [];
try {
  const emsp = await startEmsp();
  const httpPort = await freePort();
  const tokenA = randomBytes(16).toString('hex');
  const bridge = await startBridge(dir, {
    extraYaml: ['cpo: { country_code: DE, party_id: EXA, name: Bench CPO }', 'http:', `  public_url: http://127.0.0.1:${httpPort}`, 'ocpi:', `  token_a: ${tokenA}`, '  authorize_budget_s: 5'],
    env: { BRIDGE_HTTP_PORT: String(httpPort) }, profile: args.profile,
  });
  children.push(bridge.child);
  // Registration (eMSP-initiated): token A -> our credentials with token B -> the bridge's token C.
  const tokenB = randomBytes(16).toString('hex');
  emsp.accepted.add(tokenB);
  const bridgeBase = `http://127.0.0.1:${httpPort}/ocpi`;
  const creds = await call('POST', `${bridgeBase}/2.2.1/credentials`, tokenA, { token: tokenB, url: `${emsp.base}/ocpi/versions`, roles: [{ role: 'EMSP', party_id: 'EMS', country_code: 'NL', business_details: { name: 'Bench eMSP' } }] });
  const tokenC = creds.token;
  const put = (uid, whitelist) => call('PUT', `${bridgeBase}/2.2.1/tokens/NL/EMS/${uid}`, tokenC, {
    country_code: 'NL', party_id: 'EMS', uid, type: 'RFID', contract_id: `NL-EMS-${uid}`, issuer: 'Bench', valid: true, whitelist, last_updated: stamp(),
  });
  for (let i = 0; i < N; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, N - i) }, (_, k) => Promise.all([put(whitelisted(i + k), 'ALWAYS'), put(realtime(i + k), 'NEVER')])));
  }
  const clients = await connectAll(bridge.port);
  await sleep(3000); // the local-list sync after boot goes first (it is not what is measured)
  const a = await burst(clients, whitelisted);
  const before = emsp.authorizeCalls();
  const b = await burst(clients, realtime);
  const asked = emsp.authorizeCalls() - before;
  await Promise.all(clients.map((c) => c.close({ force: true })));
  // A graceful stop, so that --profile gets written.
  await new Promise((resolve) => {
    bridge.child.once('exit', resolve);
    bridge.child.kill('SIGTERM');
  });

  const bare = await startBare(bareServer16());
  children.push(bare.child);
  const bareClients = await connectAll(bare.port);
  const bareA = await burst(bareClients, whitelisted);
  await Promise.all(bareClients.map((c) => c.close({ force: true })));
  const bareSlow = await startBare(bareServer16({ authorizeDelayMs: EMSP_MS }));
  children.push(bareSlow.child);
  const slowClients = await connectAll(bareSlow.port);
  const bareB = await burst(slowClients, realtime);
  await Promise.all(slowClients.map((c) => c.close({ force: true })));
  emsp.server.close();

  console.log(`OCPP Authorize, ${N} chargers at once x ${ROUNDS} rounds (built bridge, SQLite FULL, 2 cores)`);
  console.log(`(a) whitelisted token       bridge: ${fmt(a)}`);
  console.log(`                            bare:   ${fmt(bareA)}   p50 ratio ${(bareA.p50 / a.p50).toFixed(2)}`);
  // The bridge keeps an eMSP's answer for a while (the StartTransaction after an Authorize uses it): only the first
  // round asks the eMSP for every token; it is printed on its own.
  console.log(`(b) real-time, eMSP ${EMSP_MS} ms  bridge, round 1 (every Authorize asks the eMSP): ${fmt(b.first)}`);
  const spread = emsp.arrivalSpread();
  console.log(`                            bridge, all rounds: ${fmt(b)}; eMSP asked ${asked} times, arrivals spread over ${spread.spreadMs.toFixed(0)} ms, at most ${spread.maxInFlight} at once`);
  console.log(`                            bare, round 1:      ${fmt(bareB.first)}   p50 ratio ${(bareB.first.p50 / b.first.p50).toFixed(2)}`);
} finally {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
