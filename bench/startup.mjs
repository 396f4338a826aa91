#!/usr/bin/env node
// Cold start of the BUILT bridge: time from spawn to a healthy /healthz, and RSS right after, over 5 runs
// (min / median / max). Aim: under 1 s to healthy and under 80 MB RSS. Run `npm run build` first.
// Beside it, the ceiling measured in the same run: a bare `node -e` that starts a node:http server and
// answers one request (the cost of Node itself starting on this machine).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 5);

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function waitHealthy(portFrom, started) {
  for (;;) {
    const port = portFrom();
    if (port) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) return performance.now() - started;
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function runBridge() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
    cwd: root,
    env: { ...process.env, BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_HTTP_PORT: '0', BRIDGE_OCPP_PORT: '0', BRIDGE_HOST: '127.0.0.1', BRIDGE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let port;
  let buf = '';
  child.stdout.on('data', (c) => {
    buf += c;
    const m = /"http":(\d+)/.exec(buf);
    if (m) port = Number(m[1]);
  });
  const ms = await waitHealthy(() => port, started);
  const rss = rssMb(child.pid);
  await new Promise((r) => setTimeout(r, 2000));
  const settled = rssMb(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
  return { ms, rss, settled };
}

async function runBare() {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', "const s=require('http').createServer((q,r)=>r.end('ok')).listen(0,'127.0.0.1',()=>console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  let port;
  child.stdout.on('data', (c) => (port = Number(String(c).trim())));
  const ms = await waitHealthy(() => port, started);
  const rss = rssMb(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { ms, rss };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};
const fmt = ({ min, median, max }, unit) => `min ${min.toFixed(0)} / median ${median.toFixed(0)} / max ${max.toFixed(0)} ${unit}`;

const bridge = [];
const bare = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(await runBare());
  bridge.push(await runBridge());
}
const b = stats(bridge.map((r) => r.ms));
const n = stats(bare.map((r) => r.ms));
console.log(`startup over ${RUNS} runs (built bridge, embedded default config, temp SQLite file)`);
console.log(`  bridge: cold start to healthy /healthz  ${fmt(b, 'ms')}   (aim < 1000 ms)`);
console.log(`  bridge: RSS when first healthy          ${fmt(stats(bridge.map((r) => r.rss)), 'MB')}`);
console.log(`  bridge: RSS 2 s after start (settled)   ${fmt(stats(bridge.map((r) => r.settled)), 'MB')}   (aim < 80 MB)`);
console.log(`  ceiling: bare node:http start to answer ${fmt(n, 'ms')}, RSS ${fmt(stats(bare.map((r) => r.rss)), 'MB')}`);
console.log(`  ratio bare/bridge start time (median): ${(n.median / b.median).toFixed(2)}`);
