#!/usr/bin/env node
// OCPP 1.6 load: N chargers (default 1000) do full transactions against the BUILT bridge with a file database;
// beside it, in the same run, a bare ocpp-rpc server (strict mode, no persistence) answering the same messages.
// Usage: node bench/ocpp16-load.mjs [--chargers 1000] [--seconds 10] [--synchronous FULL|NORMAL] [--protocol ocpp1.6]
// Prints connected chargers, messages/s with persistence, p50/p99 latency, RSS per idle connected charger,
// and the bare ceiling with the ratio (targets: ratio >= 0.5, < 50 KB RSS per idle charger, 5,000 chargers ok).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bareServer16, connectClients, percentile, rssKb, sleep, startBare, startBridge, watchdog } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    chargers: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    synchronous: { type: 'string', default: 'FULL' },
    'connect-batch': { type: 'string', default: '200' },
    profile: { type: 'string' }, // a folder: write a CPU profile of the bridge there
  },
});
const N = Number(args.chargers);
const SECONDS = Number(args.seconds);
watchdog(SECONDS * 2 + 300);

const pct = percentile;



async function connectAll(port) {
  const batch = Number(args['connect-batch']);
  const clients = await connectClients(port, N, (j) => `BENCH-${String(j).padStart(5, '0')}`, { batch });
  for (let i = 0; i < clients.length; i += batch) {
    await Promise.all(clients.slice(i, i + batch).map(async (c) => {
      await c.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Load' });
      await c.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    }));
  }
  return clients;
}

async function load(clients) {
  const latencies = [];
  let messages = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(clients.map(async (c, i) => {
    const timed = async (action, params) => {
      const t0 = performance.now();
      try {
        const r = await c.call(action, params);
        latencies.push(performance.now() - t0);
        messages++;
        return r;
      } catch {
        errors++;
        return undefined;
      }
    };
    let wh = 0;
    while (performance.now() < deadline) {
      const start = await timed('StartTransaction', { connectorId: 1, idTag: `TAG${i}`, meterStart: wh, timestamp: new Date().toISOString() });
      if (!start) continue;
      for (let k = 0; k < 10 && performance.now() < deadline; k++) {
        wh += 50;
        await timed('MeterValues', {
          connectorId: 1, transactionId: start.transactionId,
          meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
            { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
            { value: '16', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
            { value: '230', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
          ] }],
        });
      }
      await timed('StopTransaction', { transactionId: start.transactionId, meterStop: wh, timestamp: new Date().toISOString() });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: messages / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), errors, messages };
}

async function measure(label, server) {
  const before = rssKb(server.child.pid);
  const clients = await connectAll(server.port);
  await sleep(1500);
  const idle = rssKb(server.child.pid);
  const result = await load(clients);
  const after = rssKb(server.child.pid);
  await Promise.all(clients.map((c) => c.close({ force: true })));
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.on('exit', r));
  return { label, connected: clients.length, before, idle, after, ...result };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-ocpp16-'));
try {
  const bare = await measure('bare ocpp-rpc (strict, no persistence)', await startBare(bareServer16()));
  const bridge = await measure(`bridge (SQLite file, synchronous=${args.synchronous})`, await startBridge(dir, { synchronous: args.synchronous, profile: args.profile }));
  console.log(`OCPP 1.6 load: ${N} chargers, ${SECONDS} s closed-loop transactions (StartTransaction, 10 x MeterValues with 4 values, StopTransaction), 1 call in flight per charger`);
  for (const r of [bridge, bare]) {
    console.log(`  ${r.label}`);
    console.log(`    connected ${r.connected}, messages ${r.messages}, errors ${r.errors}`);
    console.log(`    ${r.rate.toFixed(0)} msg/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms`);
    console.log(`    RSS: ${(r.before / 1024).toFixed(1)} MB before, ${(r.idle / 1024).toFixed(1)} MB with ${r.connected} idle chargers (${((r.idle - r.before) / r.connected).toFixed(1)} KB each), ${(r.after / 1024).toFixed(1)} MB after load`);
  }
  console.log(`  ratio bridge/bare: ${(bridge.rate / bare.rate).toFixed(2)} (target >= 0.5); p99 ratio ${(bridge.p99 / bare.p99).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
