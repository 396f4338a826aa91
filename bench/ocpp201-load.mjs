#!/usr/bin/env node
// OCPP 2.0.1 load: N stations (default 1000; --chargers 5000) run TransactionEvent-heavy sessions against the BUILT bridge,
// and in the same run against a bare ocpp-rpc RPCServer (strict, ocpp2.0.1, no persistence) as the ceiling, with the ratio.
// Usage: npm run build && node bench/ocpp201-load.mjs [--chargers 1000] [--seconds 10] [--updates 10] [--synchronous FULL|NORMAL]
// Each station: BootNotification, StatusNotification, then closed-loop sessions: TransactionEvent Started (idToken, Begin register),
// --updates x Updated (energy, power, current, voltage), Ended (End register); one call in flight per station, 127.0.0.1 only.
// Prints connected stations, messages/s handled (with persistence), p50/p99 latency, server CPU, RSS per idle connected station.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import rpc from 'ocpp-rpc';
import { cpuS, percentile, rssKb, sleep, startBare, startBridge, watchdog } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    chargers: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    updates: { type: 'string', default: '10' },
    synchronous: { type: 'string', default: 'FULL' },
    'connect-batch': { type: 'string', default: '200' },
    profile: { type: 'string' }, // a folder: write a CPU profile of the bridge there
  },
});
const N = Number(args.chargers);
const SECONDS = Number(args.seconds);
const UPDATES = Number(args.updates);
if (!(N >= 1 && N <= 5000) || !(SECONDS > 0 && SECONDS <= 120) || !(UPDATES >= 0 && UPDATES <= 100)) {
  console.error('bounded on purpose: --chargers 1..5000, --seconds 1..120, --updates 0..100');
  process.exit(2);
}
watchdog(SECONDS * 2 + 240); // connect + two load phases + slack

const BARE = `
const rpc = require('ocpp-rpc');
const server = new rpc.RPCServer({ protocols: ['ocpp2.0.1'], strictMode: true });
const now = () => new Date().toISOString();
server.on('client', (c) => {
  c.handle('BootNotification', async () => ({ status: 'Accepted', currentTime: now(), interval: 3600 }));
  c.handle('Heartbeat', async () => ({ currentTime: now() }));
  c.handle('StatusNotification', async () => ({}));
  c.handle('Authorize', async () => ({ idTokenInfo: { status: 'Accepted' } }));
  c.handle('MeterValues', async () => ({}));
  c.handle('TransactionEvent', async ({ params }) => (params.idToken ? { idTokenInfo: { status: 'Accepted' } } : {}));
});
server.listen(0, '127.0.0.1').then((s) => console.log(JSON.stringify({ port: s.address().port })));
`;

async function connectStations(port) {
  const stations = [];
  const batch = Number(args['connect-batch']);
  for (let i = 0; i < N; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(N, i + batch); j++) {
      const c = new rpc.RPCClient({
        endpoint: `ws://127.0.0.1:${port}/ocpp`, identity: `BENCH201-${String(j).padStart(5, '0')}`, protocols: ['ocpp2.0.1'],
        strictMode: true, reconnect: false, callTimeoutMs: 60_000,
      });
      // The bridge reads the device model and sets the heartbeat interval after boot: answer like a small station.
      c.handle('GetBaseReport', async () => ({ status: 'EmptyResultSet' }));
      c.handle('SetVariables', async ({ params }) => ({ setVariableResult: params.setVariableData.map((d) => ({ attributeStatus: 'Accepted', component: d.component, variable: d.variable })) }));
      c.on('strictValidationFailure', (e) => console.error(`strict validation failure on ${e.method}: ${e.error?.message}`));
      group.push(c.connect().then(() => c));
    }
    stations.push(...(await Promise.all(group)));
  }
  for (let i = 0; i < stations.length; i += batch) {
    await Promise.all(stations.slice(i, i + batch).map(async (c) => {
      await c.call('BootNotification', { chargingStation: { vendorName: 'Bench', model: 'Load201' }, reason: 'PowerUp' });
      await c.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
    }));
  }
  return stations;
}

const register = (wh, context) => ({ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } });

async function runSessions(stations, label) {
  const latencies = [];
  let messages = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(stations.map(async (c, i) => {
    const timed = async (params) => {
      const t0 = performance.now();
      try {
        await c.call('TransactionEvent', params);
        latencies.push(performance.now() - t0);
        messages++;
      } catch (err) {
        if (errors++ < 3) console.error(`${label}: ${err.message}`);
      }
    };
    let wh = 0;
    for (let session = 0; performance.now() < deadline; session++) {
      const transactionId = `${c.identity}-${session}`;
      const event = (eventType, seqNo, triggerReason, extra) => ({ eventType, seqNo, triggerReason, timestamp: new Date().toISOString(), transactionInfo: { transactionId }, ...extra });
      await timed(event('Started', 0, 'Authorized', {
        idToken: { idToken: `TAG${i}`, type: 'ISO14443' }, evse: { id: 1, connectorId: 1 },
        meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [register(wh, 'Transaction.Begin')] }],
      }));
      let seqNo = 1;
      for (let k = 0; k < UPDATES && performance.now() < deadline; k++) {
        wh += 50;
        await timed(event('Updated', seqNo++, 'MeterValuePeriodic', {
          meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
            register(wh, 'Sample.Periodic'),
            { value: 11, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W', multiplier: 3 } },
            { value: 16, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } },
            { value: 230, measurand: 'Voltage', phase: 'L1-N', unitOfMeasure: { unit: 'V' } },
          ] }],
        }));
      }
      await timed(event('Ended', seqNo, 'EVDeparted', {
        transactionInfo: { transactionId, stoppedReason: 'EVDisconnected' },
        meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [register(wh, 'Transaction.End')] }],
      }));
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, messages, errors, rate: messages / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function measure(label, server) {
  const pid = server.child.pid;
  try {
    await sleep(500);
    const emptyKb = rssKb(pid);
    const stations = await connectStations(server.port);
    await sleep(2000); // boot-time follow-up calls settle
    const idleKb = rssKb(pid);
    const cpu0 = cpuS(pid);
    const load = await runSessions(stations, label);
    const cpu = cpuS(pid) - cpu0;
    const afterKb = rssKb(pid);
    await Promise.all(stations.map((c) => c.close({ force: true })));
    return { label, connected: stations.length, emptyKb, idleKb, afterKb, cpu, ...load };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => (server.child.exitCode !== null ? r() : server.child.once('exit', r)));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-ocpp201-'));
try {
  const bare = await measure('bare ocpp-rpc RPCServer (strict, no persistence)', await startBare(BARE));
  const bridge = await measure(`bridge, built (SQLite file, synchronous=${args.synchronous})`, await startBridge(dir, { synchronous: args.synchronous, profile: args.profile }));
  console.log(`OCPP 2.0.1 load: ${N} stations, ${SECONDS} s of closed-loop sessions (TransactionEvent Started, ${UPDATES} x Updated with 4 values, Ended), 1 call in flight per station`);
  for (const r of [bridge, bare]) {
    console.log(`  ${r.label}`);
    console.log(`    connected ${r.connected}, TransactionEvents ${r.messages} in ${r.seconds.toFixed(1)} s, errors ${r.errors}`);
    console.log(`    ${r.rate.toFixed(0)} msg/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   server CPU ${((100 * r.cpu) / r.seconds).toFixed(0)}% (${(r.messages / r.cpu).toFixed(0)} msg per CPU-s)`);
    console.log(`    RSS ${(r.emptyKb / 1024).toFixed(1)} MB empty, ${(r.idleKb / 1024).toFixed(1)} MB with ${r.connected} idle stations (${((r.idleKb - r.emptyKb) / r.connected).toFixed(1)} KB each), ${(r.afterKb / 1024).toFixed(1)} MB after load`);
  }
  console.log(`  ratio bridge/bare: ${(bridge.rate / bare.rate).toFixed(2)} msg/s, p99 ${(bridge.p99 / bare.p99).toFixed(2)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
