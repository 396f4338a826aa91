#!/usr/bin/env node
// OCPI pull: GET pages from the BUILT bridge (500 EVSEs, 100,000 stored sessions) at concurrency 50, beside a bare
// node:http server JSON-encoding the same page per request in the same run; req/s, p50/p99, ratio (target >= 0.5, p99 < 50 ms).
// Usage: node bench/ocpi-pull.mjs [--seconds 10] [--concurrency 50] [--sessions 100000]   (after `npm run build`)
// Locations: 50 locations x 10 EVSEs, pages of 10 locations (100 EVSEs) at every offset. Sessions: rows inserted
// straight into ocpi_sessions; that part runs only once the bridge serves a sessions endpoint (it says so otherwise).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
    sessions: { type: 'string', default: '100000' },
  },
});
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const SESSIONS = Number(args.sessions);
const LOCATIONS = 50;
const EVSES_PER_LOCATION = 10;
const TOKEN = 'bench-token-c-0123456789';
const AUTH = { Authorization: `Token ${Buffer.from(TOKEN).toString('base64')}` };

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

function startChild(argv, env, pattern) {
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = pattern.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out.slice(-2000)}`)));
  });
}

function siteYaml() {
  const lines = ['cpo: { country_code: DE, party_id: EXA, name: Bench CPO }', 'ocpp:', '  chargers:'];
  for (let l = 0; l < LOCATIONS; l++) {
    lines.push(`    - identity: CP-${l}`, `      location: LOC-${String(l).padStart(3, '0')}`, '      evses:');
    for (let e = 1; e <= EVSES_PER_LOCATION; e++) {
      lines.push(`        - { ocpp_id: ${e}, evse_id: "DE*EXA*E${String(l).padStart(4, '0')}*${e}", capabilities: [RFID_READER, REMOTE_START_STOP_CAPABLE],`,
        '            connectors: [{ id: "1", standard: IEC_62196_T2, format: SOCKET, power_type: AC_3_PHASE, max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: [AC] }] }');
    }
  }
  lines.push('locations:');
  for (let l = 0; l < LOCATIONS; l++) {
    lines.push(`  - { id: LOC-${String(l).padStart(3, '0')}, name: "Bench Site ${l}", address: "Example Street ${l}", city: Berlin, postal_code: "10115", country: DEU,`,
      '      coordinates: { latitude: "52.520008", longitude: "13.404954" }, time_zone: Europe/Berlin, parking_type: PARKING_LOT }');
  }
  lines.push('tariffs:', '  - { id: AC, currency: EUR, elements: [{ price_components: [{ type: ENERGY, price: 0.39, vat: 19, step_size: 1 }] }] }',
    'ocpi: { page_limit_max: 100 }', 'database: { synchronous: NORMAL }', 'status_page: { enabled: false }', '');
  return lines.join('\n');
}

/** A platform with a known token C and 100,000 sessions, written straight into the bridge's database. */
function seed(dbPath) {
  const db = new Database(dbPath, { timeout: 10_000 });
  db.pragma('foreign_keys = OFF');
  const now = Date.now();
  db.prepare(`INSERT INTO ocpi_platforms (inbound_token_hash, status, version, versions_url, endpoints_json, token_encoding, name, registered_at_ms, push_watermark_ms, created_at_ms, updated_at_ms)
    VALUES (?, 'registered', '2.2.1', 'http://emsp.invalid/ocpi/versions', '[]', 'base64', 'Bench eMSP', ?, ?, ?, ?)`)
    .run(createHash('sha256').update(TOKEN).digest('hex'), now, now, now, now);
  const platformId = db.prepare('SELECT max(id) AS id FROM ocpi_platforms').get().id;
  db.prepare("INSERT INTO ocpi_parties (platform_id, country_code, party_id, role) VALUES (?, 'NL', 'EMS', 'EMSP')").run(platformId);
  const tx = db.prepare(`INSERT INTO transactions (charger_identity, ocpp_transaction_id, protocol, status, created_at_ms, updated_at_ms) VALUES ('CP-0', ?, 'ocpp1.6', 'ended', ?, ?)`);
  const session = db.prepare('INSERT INTO ocpi_sessions (id, transaction_row_id, platform_id, status, data_json, last_updated_ms) VALUES (?, ?, ?, ?, ?, ?)');
  const start = now - SESSIONS * 60_000;
  db.transaction(() => {
    for (let i = 0; i < SESSIONS; i++) {
      const at = start + i * 60_000;
      const txId = Number(tx.run(`bench-${i}`, at, at).lastInsertRowid);
      const id = `S${String(i).padStart(9, '0')}`;
      const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
      session.run(id, txId, platformId, 'COMPLETED', JSON.stringify({
        country_code: 'DE', party_id: 'EXA', id, start_date_time: iso(at), end_date_time: iso(at + 3_600_000), kwh: 11.5,
        cdr_token: { country_code: 'NL', party_id: 'EMS', uid: '04A2B3C4D5E6F7', type: 'RFID', contract_id: 'NL-EMS-C12345678-X' },
        auth_method: 'WHITELIST', location_id: 'LOC-000', evse_uid: 'DE*EXA*E0000*1', connector_id: '1', currency: 'EUR',
        charging_periods: [{ start_date_time: iso(at), dimensions: [{ type: 'ENERGY', volume: 11.5 }, { type: 'MAX_POWER', volume: 11 }], tariff_id: 'AC' }],
        total_cost: { excl_vat: 4.49, incl_vat: 5.34 }, status: 'COMPLETED', last_updated: iso(at + 3_600_000),
      }), at + 3_600_000);
    }
  })();
  db.close();
}

const BARE_SERVER = `
const http = require('node:http');
let pages = [];
process.stdin.on('data', (c) => { pages.push(c); });
process.stdin.on('end', () => {
  const list = JSON.parse(Buffer.concat(pages).toString());
  const server = http.createServer((req, res) => {
    const page = list[Number(new URL(req.url, 'http://x').searchParams.get('p')) % list.length];
    // The same work per request as a JSON API: encode the page in its envelope.
    const body = JSON.stringify({ data: page, status_code: 1000, status_message: 'Success', timestamp: new Date().toISOString() });
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Total-Count': '1', 'X-Limit': '100' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
});
`;

// The load loop uses node:http with keep-alive (lighter than fetch): on 2 cores the generator shares the machine.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });
function get(url, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function load(urlFor, headers) {
  const latencies = [];
  let bytes = 0;
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  // 1 s warm-up first
  const warm = performance.now() + 1000;
  while (performance.now() < warm) await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => get(urlFor(i), headers)));
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    let i = w;
    while (performance.now() < deadline + 1000) {
      const t0 = performance.now();
      try {
        const res = await get(urlFor(i), headers);
        if (res.status !== 200) errors++;
        bytes += res.bytes;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
      i += CONCURRENCY;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), avgBytes: Math.round(bytes / latencies.length), errors, n: latencies.length };
}

const fmt = (r) => `${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   ${String(r.avgBytes).padStart(7)} B/page   errors ${r.errors}`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ocpi-'));
  const children = [];
  try {
    const config = join(dir, 'bench.yaml');
    writeFileSync(config, siteYaml());
    const dbPath = join(dir, 'bench.db');
    const env = { BRIDGE_CONFIG: config, BRIDGE_DB: dbPath, BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0', BRIDGE_LOG_LEVEL: 'info' };
    const bridge = await startChild([join(root, 'dist/src/main.js')], env, /"ports":\{[^}]*"http":(\d+)/);
    children.push(bridge.child);
    const base = `http://127.0.0.1:${bridge.port}`;
    const seeded = performance.now();
    seed(dbPath);
    console.log(`site: ${LOCATIONS} locations x ${EVSES_PER_LOCATION} EVSEs = ${LOCATIONS * EVSES_PER_LOCATION} EVSEs; ${SESSIONS} sessions inserted in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    console.log(`load: ${CONCURRENCY} concurrent requests, ${SECONDS} s per run (after 1 s warm-up), keep-alive node:http client in this process\n`);

    const details = await (await fetch(`${base}/ocpi/2.2.1`, { headers: AUTH })).json();
    const has = (id) => details.data.endpoints.some((e) => e.identifier === id);

    const runs = [];
    // Locations: pages of 10 locations (100 EVSEs), at every offset of the list.
    const locOffsets = Array.from({ length: LOCATIONS / 10 }, (_, i) => i * 10);
    runs.push({ name: 'locations, 10 locations (100 EVSEs) per page', urlFor: (i) => `${base}/ocpi/2.2.1/locations?offset=${locOffsets[i % locOffsets.length]}&limit=10`, pages: locOffsets.map((o) => `${base}/ocpi/2.2.1/locations?offset=${o}&limit=10`) });

    // The same pages filtered by date_from: each location's effective last_updated is computed over all 500 EVSEs.
    runs.push({ name: 'locations, same pages with date_from (effective last_updated over every EVSE)', urlFor: (i) => `${base}/ocpi/2.2.1/locations?date_from=2000-01-01T00:00:00Z&offset=${locOffsets[i % locOffsets.length]}&limit=10`, pages: locOffsets.map((o) => `${base}/ocpi/2.2.1/locations?offset=${o}&limit=10`) });

    // ---- SESSIONS PART: runs once the sessions module serves GET {sessions} ----
    if (has('sessions')) {
      const offsets = Array.from({ length: 200 }, () => Math.floor(Math.random() * (SESSIONS - 100)));
      runs.push({ name: 'sessions, 100 per page, random offsets anywhere in 100,000', urlFor: (i) => `${base}/ocpi/2.2.1/sessions?date_from=1970-01-01T00:00:00Z&offset=${offsets[i % offsets.length]}&limit=100`, pages: offsets.slice(0, 20).map((o) => `${base}/ocpi/2.2.1/sessions?date_from=1970-01-01T00:00:00Z&offset=${o}&limit=100`) });
      // The Link of a deep page carries the keyset cursor: follow it as an eMSP would.
      const deep = await fetch(`${base}/ocpi/2.2.1/sessions?date_from=1970-01-01T00:00:00Z&offset=${SESSIONS - 1000}&limit=100`, { headers: AUTH });
      const link = deep.headers.get('Link')?.match(/<([^>]+)>/)?.[1];
      if (link) runs.push({ name: 'sessions, 100 per page, following Link near the end', urlFor: () => link, pages: [link] });
    } else {
      console.log('sessions: SKIPPED — the bridge has no sessions endpoint yet (100,000 rows are in ocpi_sessions; rerun when it exists)\n');
    }

    const results = [];
    for (const run of runs) {
      const pages = [];
      for (const url of run.pages) pages.push((await (await fetch(url, { headers: AUTH })).json()).data);
      const bareServer = await (async () => {
        const c = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
        children.push(c);
        const port = await new Promise((resolve) => {
          let out = '';
          c.stdout.on('data', (d) => {
            out += d;
            const m = /"port":(\d+)/.exec(out);
            if (m) resolve(Number(m[1]));
          });
          c.stdin.end(JSON.stringify(pages));
        });
        return { child: c, port };
      })();
      const ours = await load(run.urlFor, AUTH);
      const bare = await load((i) => `http://127.0.0.1:${bareServer.port}/?p=${i % pages.length}`, {});
      bareServer.child.kill();
      results.push({ run, ours, bare });
      console.log(`${run.name}`);
      console.log(`  bridge          ${fmt(ours)}`);
      console.log(`  bare node:http  ${fmt(bare)}   (JSON.stringify of the same pages per request: the ceiling)`);
      console.log(`  ratio ${(ours.rps / bare.rps).toFixed(2)} (target >= 0.5)   p99 ${ours.p99.toFixed(1)} ms (target < 50 ms)\n`);
    }
    const ok = results.every((r) => r.ours.rps / r.bare.rps >= 0.5 && r.ours.p99 < 50 && r.ours.errors === 0);
    console.log(ok ? 'all targets met' : 'TARGET MISSED (see above)');
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
