#!/usr/bin/env node
// Status page under load: render time of the overview and /status.json with N chargers (default 1000, 4 connectors each) connected and charging;
// SSE fan-out to P open pages (default 20) while every charger sends meter values, beside the same OCPP load with no page open, in one run.
// Usage: node bench/status-page.mjs [--chargers 1000] [--pages 20] [--page overview|sessions|chargers] [--seconds 10] [--renders 30]
// Each simulated page does what the page script does: on an SSE `refresh` it fetches its page again with `X-Live: 1`.
// Prints render p50/p95 and size, OCPP msg/s and bridge CPU with and without pages, SSE events and page refreshes delivered per second.
// All traffic on 127.0.0.1; the built bridge (npm run build) with a file database (synchronous=NORMAL) in a temporary folder.
import { spawn } from 'node:child_process';
import { scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectClients, cpuS, percentile, root, rssKb, sleep, watchdog } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    chargers: { type: 'string', default: '1000' },
    pages: { type: 'string', default: '20' },
    page: { type: 'string', default: 'overview' },
    seconds: { type: 'string', default: '10' },
    renders: { type: 'string', default: '30' },
    profile: { type: 'string' }, // a folder: write a CPU profile of the bridge there
  },
});
const N = Number(args.chargers);
const PAGES = Number(args.pages);
const SECONDS = Number(args.seconds);
const RENDERS = Number(args.renders);
const PAGE_PATH = { overview: '/', sessions: '/sessions', chargers: '/chargers' }[args.page];
if (!PAGE_PATH) throw new Error(`--page must be overview, sessions or chargers, not ${args.page}`);
watchdog(SECONDS * 4 + 600);

const USER = 'bench';
const PASSWORD = 'bench-password-123';
const salt = Buffer.from('bench-salt-16byt');
const passwordHash = `scrypt:${salt.toString('base64')}:${scryptSync(PASSWORD, salt, 32).toString('base64')}`;
const AUTH = { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
const identity = (i) => `BENCH-${String(i).padStart(5, '0')}`;

function writeConfig(dir) {
  const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['AC'] };
  const config = {
    ocpp: {
      heartbeat_interval: 3600, accept_unknown_tokens: true, message_log_max: 20000, max_calls_per_second: 1000, call_burst: 10000,
      chargers: Array.from({ length: N }, (_, i) => ({
        identity: identity(i), location: 'LOC-1',
        evses: [1, 2, 3, 4].map((e) => ({ ocpp_id: e, evse_id: `DE*EXA*E${String(i).padStart(5, '0')}*${e}`, connectors: [connector] })),
      })),
    },
    database: { synchronous: 'NORMAL' },
    log: { level: 'warn' },
    locations: [{ id: 'LOC-1', address: 'A 1', city: 'B', country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin' }],
    tariffs: [{ id: 'AC', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] }] }],
    status_page: { enabled: true, users: [{ name: USER, password_hash: passwordHash }] },
  };
  const path = join(dir, 'bench.yaml');
  writeFileSync(path, JSON.stringify(config)); // JSON is YAML
  return path;
}

function startBridge(dir) {
  const prof = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const child = spawn(process.execPath, [...prof, join(root, 'dist/src/main.js')], {
    env: { ...process.env, BRIDGE_CONFIG: writeConfig(dir), BRIDGE_DB: join(dir, 'bench.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0', BRIDGE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const m = /"ports":\{"ocpp":(\d+),"http":(\d+)\}/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ child, ocpp: Number(m[1]), http: Number(m[2]) });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`bridge exited with ${code}: ${out.slice(-2000)}`)));
  });
}

async function connectAll(port) {
  const clients = await connectClients(port, N, identity);
  const now = () => new Date().toISOString();
  for (let i = 0; i < clients.length; i += 200) {
    await Promise.all(clients.slice(i, i + 200).map(async (c, k) => {
      await c.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Load', firmwareVersion: '1.0' });
      for (const connectorId of [0, 1, 2, 3, 4]) await c.call('StatusNotification', { connectorId, status: connectorId === 1 ? 'Charging' : 'Available', errorCode: 'NoError', timestamp: now() });
      const start = await c.call('StartTransaction', { connectorId: 1, idTag: `TAG${i + k}`, meterStart: 0, timestamp: now() });
      c.tx = start.transactionId;
      c.wh = 0;
    }));
  }
  return clients;
}

async function timeGets(base, path, n, headers = {}) {
  const ms = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(base + path, { headers: { ...AUTH, Accept: 'text/html', ...headers } });
    const body = await res.text();
    ms.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    bytes = body.length;
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), bytes };
}

/** Closed-loop MeterValues from every charger for SECONDS; returns msg/s and the bridge's CPU share. */
async function meterLoad(clients, pid) {
  let messages = 0;
  let errors = 0;
  const cpu0 = cpuS(pid);
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  await Promise.all(clients.map(async (c) => {
    while (performance.now() < deadline) {
      c.wh += 30;
      try {
        await c.call('MeterValues', {
          connectorId: 1, transactionId: c.tx,
          meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
            { value: String(c.wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
          ] }],
        });
        messages++;
      } catch {
        errors++;
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { rate: messages / seconds, errors, cpu: (cpuS(pid) - cpu0) / seconds };
}

/** P pages: an SSE stream each, and on every `refresh` a fetch of the page's regions like the page script does. */
function openPages(base) {
  const stats = { events: 0, refreshes: 0, refreshMs: [], failures: 0 };
  const controllers = [];
  const ready = [];
  const key = args.page === 'overview' ? 'overview' : args.page;
  for (let p = 0; p < PAGES; p++) {
    const ac = new AbortController();
    controllers.push(ac);
    ready.push((async () => {
      const res = await fetch(`${base}/events?page=${key}`, { headers: AUTH, signal: ac.signal });
      if (res.status !== 200) throw new Error(`/events: HTTP ${res.status}`);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let busy = false;
      let again = false;
      const refresh = async () => {
        if (busy) return void (again = true);
        busy = true;
        const t0 = performance.now();
        try {
          const r = await fetch(base + PAGE_PATH, { headers: { ...AUTH, 'X-Live': '1', Accept: 'text/html' }, signal: ac.signal });
          await r.text();
          if (r.status === 200) {
            stats.refreshes++;
            stats.refreshMs.push(performance.now() - t0);
          } else stats.failures++;
        } catch {
          if (!ac.signal.aborted) stats.failures++;
        }
        busy = false;
        if (again) {
          again = false;
          void refresh();
        }
      };
      const pump = async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (/^event: refresh$/m.test(frame)) {
              stats.events++;
              void refresh();
            }
          }
        }
      };
      void pump().catch(() => undefined);
    })());
  }
  return { ready: Promise.all(ready), stats, close: () => controllers.forEach((c) => c.abort()) };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-status-page-'));
let bridge;
try {
  bridge = await startBridge(dir);
  const base = `http://127.0.0.1:${bridge.http}`;
  const t0 = performance.now();
  const clients = await connectAll(bridge.ocpp);
  const connectS = (performance.now() - t0) / 1000;
  await sleep(1000);
  const status = await (await fetch(`${base}/status.json`, { headers: AUTH })).json();
  const renders = {
    overview: await timeGets(base, '/', RENDERS),
    statusJson: await timeGets(base, '/status.json', RENDERS),
    chargers: await timeGets(base, '/chargers', Math.min(RENDERS, 10)),
    sessions: await timeGets(base, '/sessions', Math.min(RENDERS, 10)),
    charger: await timeGets(base, `/chargers/${identity(0)}`, RENDERS),
  };

  const alone = await meterLoad(clients, bridge.child.pid);
  await sleep(1000);
  const pages = openPages(base);
  await pages.ready;
  await sleep(1000);
  const before = { ...pages.stats, refreshMs: [] };
  pages.stats.refreshMs = [];
  const withPagesT0 = performance.now();
  const withPages = await meterLoad(clients, bridge.child.pid);
  const withSeconds = (performance.now() - withPagesT0) / 1000;
  const events = pages.stats.events - before.events;
  const refreshes = pages.stats.refreshes - before.refreshes;
  const refreshMs = pages.stats.refreshMs.sort((a, b) => a - b);
  pages.close();
  const rss = rssKb(bridge.child.pid);
  await Promise.all(clients.map((c) => c.close({ force: true })));

  const o = status.overview;
  console.log(`Status page: ${N} chargers (${o.connectors.total} connectors) connected, ${o.chargers.online} online, ${o.sessions.active} sessions charging (connect + boot + start: ${connectS.toFixed(1)} s)`);
  console.log('  render (sequential GETs, Basic auth, full page):');
  for (const [name, r] of Object.entries(renders)) console.log(`    ${name.padEnd(11)} p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms   ${(r.bytes / 1024).toFixed(0)} KB`);
  console.log(`  OCPP MeterValues closed loop, ${SECONDS} s each, 1 call in flight per charger:`);
  console.log(`    no page open        ${alone.rate.toFixed(0)} msg/s   bridge CPU ${(alone.cpu * 100).toFixed(0)} %   errors ${alone.errors}`);
  console.log(`    ${String(PAGES).padStart(2)} ${args.page} pages   ${withPages.rate.toFixed(0)} msg/s   bridge CPU ${(withPages.cpu * 100).toFixed(0)} %   errors ${withPages.errors}   (ratio ${(withPages.rate / alone.rate).toFixed(2)})`);
  console.log(`  SSE fan-out to ${PAGES} pages: ${(events / withSeconds).toFixed(1)} refresh events/s delivered (${(events / withSeconds / PAGES).toFixed(2)} per page/s; ceiling 1 per page/s: meter updates refresh a page at most once a second),`);
  console.log(`    ${(refreshes / withSeconds).toFixed(1)} region refetches/s served, refetch p50 ${percentile(refreshMs, 50).toFixed(1)} ms p99 ${percentile(refreshMs, 99).toFixed(1)} ms (as seen by the load generator's busy event loop), failures ${pages.stats.failures}`);
  console.log(`    domain events behind them: ~${withPages.rate.toFixed(0)} MeterValues/s -> transactionUpdated + ocppMessage x2, coalesced per page`);
  console.log(`  bridge RSS at the end: ${(rss / 1024).toFixed(0)} MB`);
} finally {
  if (bridge) {
    bridge.child.kill('SIGTERM');
    await new Promise((r) => bridge.child.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
}
