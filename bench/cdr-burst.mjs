#!/usr/bin/env node
// CDR burst: N (1,000) OCPP 1.6 sessions end at once on the BUILT bridge; time from the last StopTransaction answer until
// all N CDRs are created and delivered to an in-process eMSP, and CDRs/s, beside ceilings measured in the same run.
// Usage: node bench/cdr-burst.mjs [--sessions 1000] [--samples 12] [--synchronous FULL|NORMAL]   (after `npm run build`)
//
// Each session: the last hour, Europe/Berlin, under tariff_4_complex (the tariff-engine bench's meter profile), with
// `--samples` MeterValues (energy, power, current per phase); the tokens belong to the eMSP, which registered through
// the credentials handshake (eMSP-initiated, token A). cdr_settle_s is 0 (the default 10 s would only add a constant).
// Ceilings, same run, same eMSP: bare JSON POSTs of the same CDR bodies, one at a time and 8 in flight (the bridge
// delivers up to 8 at once per eMSP), priceSession alone on the same session (dist/), and JSON.stringify of the same CDR.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectClients, percentile, root, sleep, spawnServer, watchdog } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' }, samples: { type: 'string', default: '12' }, synchronous: { type: 'string', default: 'FULL' },
    profile: { type: 'string' }, // a folder: write a CPU profile of the bridge there
  },
});
const N = Number(args.sessions);
const SAMPLES = Number(args.samples);
watchdog(900);

let priceSession;
try {
  ({ priceSession } = await import('../dist/src/domain/tariffs/price-session.js'));
} catch (error) {
  console.error(`cannot load dist/ (run \`npm run build\` first): ${error.message}`);
  process.exit(1);
}

const TOKEN_A = 'bench-token-a-cdr-burst';
// The sessions ran the hour before the burst (the charger reports them as they happened).
const START_MS = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const iso = (ms) => new Date(ms).toISOString();
const identity = (i) => `BURST-${String(i).padStart(5, '0')}`;
const uid = (i) => `BURSTTOKEN${String(i).padStart(5, '0')}`;
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/ocpi-examples/tariff_4_complex.json'), 'utf8'));
const TARIFF_KEYS = ['id', 'currency', 'type', 'tariff_alt_text', 'tariff_alt_url', 'min_price', 'max_price', 'elements'];
const tariff = Object.fromEntries(Object.entries(fixture).filter(([k]) => TARIFF_KEYS.includes(k)));

/** The meter of one session: 30 min at 16 A / 11 kW, 20 min at 43 A / 29.7 kW, 10 min not charging. */
function meterAt(seconds) {
  let wh = 0;
  for (let s = 0; s < seconds; s++) wh += (s < 1800 ? 11_000 : s < 3000 ? 29_700 : 0) / 3600;
  const [powerW, currentA] = seconds <= 1800 ? [11_000, 16] : seconds <= 3000 ? [29_700, 43] : [0, 0];
  return { wh: Math.round(wh), powerW, currentA };
}
const sampleTimes = Array.from({ length: SAMPLES }, (_, k) => Math.round(((k + 1) * 3600) / SAMPLES));

// ---- the in-process eMSP: versions, details, credentials (accepts any token), Session and CDR Receivers ----
function startEmsp() {
  const state = { base: '', sessionPuts: 0, sessionPatches: 0, cdrs: [], bare: 0, phase: 'bridge', onCdr: () => undefined };
  const envelope = (data) => JSON.stringify({ ...(data === undefined ? {} : { data }), status_code: 1000, status_message: 'Success', timestamp: iso(Date.now()) });
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const send = (status, data, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-ID': req.headers['x-request-id'] ?? randomUUID(), 'X-Correlation-ID': req.headers['x-correlation-id'] ?? randomUUID(), ...headers });
      res.end(envelope(data));
    };
    const url = req.url ?? '';
    const v = `${state.base}/ocpi/2.2.1`;
    if (req.method === 'GET' && url === '/ocpi/versions') return send(200, [{ version: '2.2.1', url: v }]);
    if (req.method === 'GET' && url === '/ocpi/2.2.1') {
      return send(200, { version: '2.2.1', endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: `${v}/credentials` },
        { identifier: 'sessions', role: 'RECEIVER', url: `${v}/sessions` },
        { identifier: 'cdrs', role: 'RECEIVER', url: `${v}/cdrs` },
      ] });
    }
    if (url.startsWith('/ocpi/2.2.1/sessions/')) {
      if (req.method === 'PUT') state.sessionPuts++;
      else state.sessionPatches++;
      return send(200);
    }
    if (req.method === 'POST' && url === '/ocpi/2.2.1/cdrs') {
      const cdr = JSON.parse(text);
      if (state.phase === 'bridge') {
        state.cdrs.push({ at: performance.now(), cdr });
        state.onCdr();
      } else state.bare++;
      return send(201, undefined, { Location: `${v}/cdrs/${encodeURIComponent(cdr.id)}` });
    }
    return send(404);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    state.base = `http://127.0.0.1:${server.address().port}`;
    resolve({ state, server });
  }));
}

function writeConfig(dir) {
  const config = {
    cpo: { country_code: 'DE', party_id: 'EXA', name: 'Bench CPO' },
    ocpp: {
      accept_unknown_tokens: false, heartbeat_interval: 3600, message_log_max: 20000, max_calls_per_second: 1000, call_burst: 10000,
      chargers: Array.from({ length: N }, (_, i) => ({
        identity: identity(i), location: 'LOC-1',
        evses: [{ ocpp_id: 1, evse_id: `DE*EXA*E${String(i + 1).padStart(5, '0')}*1`, connectors: [
          { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 63, tariff_ids: [tariff.id] },
        ] }],
      })),
    },
    ocpi: { token_a: TOKEN_A, cdr_settle_s: 0 },
    database: { synchronous: args.synchronous },
    log: { level: 'warn' },
    locations: [{ id: 'LOC-1', address: 'A 1', city: 'B', country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin' }],
    tariffs: [tariff],
    status_page: { enabled: false },
  };
  const path = join(dir, 'bench.yaml');
  writeFileSync(path, JSON.stringify(config)); // JSON is YAML
  return path;
}

async function ocpi(method, url, token, body) {
  const res = await fetch(url, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { Authorization: `Token ${Buffer.from(token).toString('base64')}`, 'X-Request-ID': randomUUID(), 'X-Correlation-ID': randomUUID(), ...(body ? { 'Content-Type': 'application/json' } : {}) },
  });
  const json = await res.json();
  if (json.status_code !== 1000) throw new Error(`${method} ${url}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Calls fn for ~ms; returns calls per second. */
function rate(fn, ms) {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 10; i++) fn();
    calls += 10;
  }
  return calls / ((performance.now() - start) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-cdr-burst-'));
const dbPath = join(dir, 'bench.db');
const emsp = await startEmsp();
const prof = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
const { child, ports: [ocppPort, httpPort] } = await spawnServer([...prof, join(root, 'dist/src/main.js')], {
  BRIDGE_CONFIG: writeConfig(dir), BRIDGE_DB: dbPath, BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0', BRIDGE_LOG_LEVEL: 'info',
}, /"ocpp":(\d+),"http":(\d+)/);
const clients = [];
try {
  // Registration (eMSP-initiated): versions and details with token A, then our credentials with token B.
  const bridge = `http://127.0.0.1:${httpPort}`;
  const versions = await ocpi('GET', `${bridge}/ocpi/versions`, TOKEN_A);
  const details = await ocpi('GET', versions.find((x) => x.version === '2.2.1').url, TOKEN_A);
  await ocpi('POST', details.endpoints.find((e) => e.identifier === 'credentials').url, TOKEN_A, {
    token: 'bench-token-b', url: `${emsp.state.base}/ocpi/versions`, roles: [{ role: 'EMSP', party_id: 'EMS', country_code: 'NL', business_details: { name: 'Bench eMSP' } }],
  });
  // The eMSP's tokens, placed as the Tokens module stores them (owner = the eMSP's platform).
  const db = new Database(dbPath);
  db.pragma('busy_timeout = 10000');
  const platformId = db.prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered' ORDER BY id DESC LIMIT 1").get().id;
  const insert = db.prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', 'EMS', ?, 'RFID', ?, 1, 'ALWAYS', 'emsp', ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < N; i++) insert.run(uid(i), `NL-EMS-C${String(i).padStart(8, '0')}`, platformId, Date.now());
  })();
  db.close();

  // N chargers start a session each and send their meter values.
  const setupStarted = performance.now();
  clients.push(...(await connectClients(ocppPort, N, identity, { callTimeoutMs: 120_000 })));
  const txIds = await Promise.all(clients.map(async (c, i) => {
    await c.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Burst' });
    const { transactionId, idTagInfo } = await c.call('StartTransaction', { connectorId: 1, idTag: uid(i), meterStart: 0, timestamp: iso(START_MS) });
    if (idTagInfo.status !== 'Accepted') throw new Error(`token ${uid(i)}: ${idTagInfo.status}`);
    for (const s of sampleTimes) {
      const m = meterAt(s);
      await c.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(START_MS + s * 1000), sampledValue: [
        { value: String(m.wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: String(m.powerW), measurand: 'Power.Active.Import', unit: 'W' },
        ...['L1', 'L2', 'L3'].map((phase) => ({ value: (m.currentA / 3).toFixed(1), measurand: 'Current.Import', unit: 'A', phase })),
      ] }] });
    }
    return transactionId;
  }));
  while (emsp.state.sessionPuts < N) await sleep(10); // every session's start PUT is in
  await sleep(500);
  const setupS = (performance.now() - setupStarted) / 1000;
  const startPuts = emsp.state.sessionPuts;

  // ---- the burst: all stops at once ----
  const read = new Database(dbPath, { readonly: true });
  read.pragma('busy_timeout = 10000');
  const created = read.prepare('SELECT count(*) AS n FROM ocpi_cdrs');
  let createdAt;
  let deliveredAt;
  const allDelivered = new Promise((resolve) => {
    emsp.state.onCdr = () => {
      if (emsp.state.cdrs.length >= N) {
        deliveredAt = performance.now();
        resolve();
      }
    };
  });
  const poll = setInterval(() => {
    if (createdAt === undefined && created.get().n >= N) createdAt = performance.now();
  }, 10);
  const stopMeter = meterAt(3600);
  const answeredAt = new Map();
  const burstStart = performance.now();
  await Promise.all(clients.map(async (c, i) => {
    await c.call('StopTransaction', { transactionId: txIds[i], idTag: uid(i), meterStop: stopMeter.wh, timestamp: iso(START_MS + 3_600_000), reason: 'EVDisconnected' });
    answeredAt.set(uid(i), performance.now());
  }));
  const lastAnswer = Math.max(...answeredAt.values());
  await allDelivered;
  while (createdAt === undefined) await sleep(2);
  clearInterval(poll);
  read.close();

  // ---- checks ----
  const cdrs = emsp.state.cdrs.map((x) => x.cdr);
  const ids = new Set(cdrs.map((c) => c.id));
  const totals = new Map();
  for (const c of cdrs) totals.set(JSON.stringify(c.total_cost), (totals.get(JSON.stringify(c.total_cost)) ?? 0) + 1);
  const perCdr = emsp.state.cdrs.map((x) => x.at - answeredAt.get(x.cdr.cdr_token.uid)).sort((a, b) => a - b);
  const answers = [...answeredAt.values()].map((t) => t - burstStart).sort((a, b) => a - b);

  // ---- ceilings, same run ----
  emsp.state.phase = 'bare';
  /** The same CDR bodies POSTed to the same eMSP by `lanes` loops; returns POSTs per second. */
  const barePosts = async (lanes) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: lanes }, async () => {
      while (next < cdrs.length) {
        const cdr = cdrs[next++];
        const res = await fetch(`${emsp.state.base}/ocpi/2.2.1/cdrs`, { method: 'POST', headers: { Authorization: 'Token x', 'Content-Type': 'application/json', 'X-Request-ID': randomUUID(), 'X-Correlation-ID': randomUUID() }, body: JSON.stringify(cdr) });
        await res.text();
      }
    }));
    return cdrs.length / ((performance.now() - started) / 1000);
  };
  const bareRate = await barePosts(1);
  const bareRate8 = await barePosts(8);
  const engineInput = {
    startedAt: new Date(START_MS), endedAt: new Date(START_MS + 3_600_000), timeZone: 'Europe/Berlin',
    samples: sampleTimes.map((s) => {
      const m = meterAt(s);
      return { at: new Date(START_MS + s * 1000), energyWh: m.wh, powerW: m.powerW, currentA: Number((m.currentA / 3).toFixed(1)) * 3 };
    }),
  };
  const engineCdr = priceSession(tariff, engineInput);
  for (let i = 0; i < 500; i++) priceSession(tariff, engineInput); // warm-up
  const engineRate = rate(() => priceSession(tariff, engineInput), 1500);
  const stringifyRate = rate(() => JSON.stringify(cdrs[0]), 1500);

  const ms = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;
  const perS = (x) => `${Math.round(x).toLocaleString('en-US')} /s`;
  const endToEndS = (deliveredAt - burstStart) / 1000;
  console.log(`node ${process.version}; built bridge (dist/), SQLite synchronous ${args.synchronous}, cdr_settle_s 0, one eMSP (in-process, node:http)`);
  console.log(`${N} sessions: 1 h each under tariff_4_complex, ${SAMPLES} MeterValues each (setup ${setupS.toFixed(1)} s; session PUTs at start ${startPuts}, final ${emsp.state.sessionPuts - startPuts})`);
  console.log(`${N} StopTransaction sent at once: answers p50 ${ms(percentile(answers, 50))}, p99 ${ms(percentile(answers, 99))}, last ${ms(lastAnswer - burstStart)}`);
  console.log(`after the last StopTransaction answer: all ${N} CDRs created in ${ms(Math.max(0, createdAt - lastAnswer))}, all delivered (POST acknowledged) in ${ms(deliveredAt - lastAnswer)}`);
  console.log(`first stop sent -> last CDR delivered: ${ms(deliveredAt - burstStart)} = ${perS(N / endToEndS)} CDRs created and delivered`);
  console.log(`per CDR, its stop answered -> CDR at the eMSP: p50 ${ms(percentile(perCdr, 50))}, p99 ${ms(percentile(perCdr, 99))}`);
  console.log(`CDRs received: ${cdrs.length}, unique ids ${ids.size}; total_cost ${[...totals].map(([t, n]) => `${t} x${n}`).join(', ')} (engine alone: ${JSON.stringify(engineCdr.total_cost)})`);
  console.log('ceilings in the same run:');
  console.log(`  bare JSON POSTs of the same ${N} CDRs to the same eMSP, one at a time: ${perS(bareRate)}  -> bridge / bare ratio ${(N / endToEndS / bareRate).toFixed(3)}`);
  console.log(`  the same, 8 in flight (as the bridge delivers): ${perS(bareRate8)}  -> bridge / bare ratio ${(N / endToEndS / bareRate8).toFixed(3)}`);
  console.log(`  priceSession alone on the same session (dist/): ${perS(engineRate)}  -> bridge / engine ratio ${(N / endToEndS / engineRate).toFixed(4)}`);
  console.log(`  JSON.stringify of the same CDR (${JSON.stringify(cdrs[0]).length} bytes): ${perS(stringifyRate)}  -> bridge / JSON ratio ${(N / endToEndS / stringifyRate).toFixed(4)}`);
  if (ids.size !== N || totals.size !== 1) process.exitCode = 2;
} finally {
  await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => undefined)));
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  emsp.server.closeAllConnections?.();
  emsp.server.close();
  rmSync(dir, { recursive: true, force: true });
}
