#!/usr/bin/env node
// Soak: N simulated chargers (mixed OCPP 1.6 / 2.0.1) charge continuously against the BUILT bridge for --minutes,
// with an in-process eMSP receiving the pushes and CDRs, chargers dropping their connection now and then and an eMSP outage window.
// Usage: node bench/soak.mjs [--minutes 10] [--chargers 1000] [--share-201 0.25] [--share-signed 0.1] [--step-ms 3000] [--meter-values 6]
//        [--outage-s 60] [--disconnect-every-s 5] [--drain-s 240] [--ceiling-s 10]
// Every minute: bridge RSS, heap, open handles, DB and WAL size, msgs/s, p99, sessions completed, CDRs delivered, push backlog.
// At the end: sessions completed == CDRs delivered (each exactly once), the RSS slope, and the bare ocpp-rpc ceiling
// (closed-loop round trips with the same chargers, as in bench/ocpp16-load.mjs) measured in the same run.
// Everything listens on 127.0.0.1 only; the run is bounded by a watchdog (minutes + drain + 5 min).
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import rpc from 'ocpp-rpc';
import { bareServer16, connectClients, cpuS, percentile, root, rssKb, sleep, startBare, watchdog } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    chargers: { type: 'string', default: '1000' },
    'share-201': { type: 'string', default: '0.25' },
    'share-signed': { type: 'string', default: '0.1' }, // of the 1.6 chargers: OCMF-signed readings (the built simulator's meter)
    'step-ms': { type: 'string', default: '3000' }, // pause between two messages of one charger (the load is paced, not closed-loop)
    'meter-values': { type: 'string', default: '6' }, // MeterValues / TransactionEvent Updated per session
    'outage-s': { type: 'string', default: '' }, // default: 15 % of the run, at most 60 s, starting at 40 % of the run
    'disconnect-every-s': { type: 'string', default: '5' },
    'drain-s': { type: 'string', default: '240' },
    'ceiling-s': { type: 'string', default: '10' },
    profile: { type: 'string' }, // a folder: write a CPU profile of the bridge there
  },
});
const MINUTES = Number(args.minutes);
const N = Number(args.chargers);
const N201 = Math.round(N * Number(args['share-201']));
const NSIGNED = Math.round((N - N201) * Number(args['share-signed']));
const STEP_MS = Number(args['step-ms']);
const METER_VALUES = Number(args['meter-values']);
const RUN_MS = MINUTES * 60_000;
const OUTAGE_MS = args['outage-s'] ? Number(args['outage-s']) * 1000 : Math.min(60_000, RUN_MS * 0.15);
const OUTAGE_AT_MS = RUN_MS * 0.4;
const DRAIN_MS = Number(args['drain-s']) * 1000;
const CEILING_S = Number(args['ceiling-s']);
watchdog(MINUTES * 60 + DRAIN_MS / 1000 + CEILING_S + 300);

const TOKEN_A = `soak-${randomBytes(12).toString('hex')}`;
const stamp = () => `${new Date().toISOString().slice(0, 19)}Z`;
const envelope = (data, status_code = 1000) => JSON.stringify({ ...(data === undefined ? {} : { data }), status_code, status_message: status_code === 1000 ? 'Success' : 'Error', timestamp: stamp() });

// ---------- the in-process eMSP ----------

function startEmsp() {
  const tokenB = randomBytes(24).toString('base64url');
  const state = { base: '', tokenB, tokenC: undefined, down: false, cdrIds: new Map(), signedCdrs: new Set(), sessionPushes: 0, locationPushes: 0, refusedDuringOutage: 0 };
  const authorized = (h) => {
    const m = /^Token (\S+)$/.exec(h ?? '');
    return m && (m[1] === tokenB || Buffer.from(m[1], 'base64').toString('utf8') === tokenB);
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const send = (status, text) => res.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-ID': req.headers['x-request-id'] ?? 'x', 'X-Correlation-ID': req.headers['x-correlation-id'] ?? 'x' }).end(text);
      if (state.down) {
        state.refusedDuringOutage++;
        return send(503, envelope(undefined, 3000));
      }
      if (!authorized(req.headers.authorization)) return send(401, envelope(undefined, 2000));
      const path = req.url.split('?')[0];
      if (req.method === 'GET' && path === '/ocpi/versions') return send(200, envelope([{ version: '2.2.1', url: `${state.base}/ocpi/2.2.1` }]));
      if (req.method === 'GET' && path === '/ocpi/2.2.1') {
        return send(200, envelope({ version: '2.2.1', endpoints: ['credentials', 'locations', 'tariffs', 'sessions', 'cdrs'].map((identifier) => ({ identifier, role: identifier === 'credentials' ? 'SENDER' : 'RECEIVER', url: `${state.base}/ocpi/2.2.1/${identifier}` })) }));
      }
      if (req.method === 'POST' && path === '/ocpi/2.2.1/cdrs') {
        const cdr = JSON.parse(body);
        state.cdrIds.set(cdr.id, (state.cdrIds.get(cdr.id) ?? 0) + 1);
        if (cdr.signed_data) state.signedCdrs.add(cdr.id);
        res.setHeader('Location', `${state.base}/ocpi/2.2.1/cdrs/${encodeURIComponent(cdr.id)}`);
        return send(201, envelope());
      }
      if (path.startsWith('/ocpi/2.2.1/sessions/')) state.sessionPushes++;
      else if (path.startsWith('/ocpi/2.2.1/locations/') || path.startsWith('/ocpi/2.2.1/tariffs/')) state.locationPushes++;
      else return send(404, envelope(undefined, 2000));
      return send(200, envelope());
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    state.base = `http://127.0.0.1:${server.address().port}`;
    resolve({ state, server });
  }));
}

async function ocpiCall(method, url, token, body) {
  const res = await fetch(url, { method, headers: { Authorization: `Token ${Buffer.from(token).toString('base64')}`, 'Content-Type': 'application/json', 'X-Request-ID': randomBytes(8).toString('hex'), 'X-Correlation-ID': randomBytes(8).toString('hex') }, body: body && JSON.stringify(body) });
  return res.json();
}

// ---------- the bridge ----------

// Signed 1.6 chargers: the last NSIGNED identities, each with its own P-256 meter key (the built simulator's OCMF
// meter, dist/firmware-sim); the bridge gets the public key from the config, as for a meter that does not report it.
const identity = (i) => `SOAK-${String(i).padStart(5, '0')}`;
const isSigned = (i) => i >= N - NSIGNED;
const { MeterSigner, OcmfMeter } = await import(join(root, 'dist/firmware-sim/index.js'));
const signers = new Map(Array.from({ length: NSIGNED }, (_, k) => N - NSIGNED + k).map((i) => [i, new MeterSigner(identity(i))]));

function bridgeConfig(dir) {
  const chargers = Array.from({ length: N }, (_, i) => ({
    identity: identity(i), location: 'LOC-1', ...(isSigned(i) ? { meter_public_key: signers.get(i).publicKeyHex() } : {}),
    evses: [{ ocpp_id: 1, evse_id: `DE*EXA*E${String(i + 1).padStart(5, '0')}*1`, connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['AC-STANDARD'] }] }],
  }));
  const config = {
    cpo: { country_code: 'DE', party_id: 'EXA', name: 'Soak CPO' },
    ocpp: { heartbeat_interval: 3600, message_log_max: 20000, max_calls_per_second: 1000, call_burst: 10000, chargers },
    ocpi: { token_a: TOKEN_A, cdr_settle_s: 0, session_push_interval_s: 30 }, // request_timeout_s: the default 10 s
    database: { synchronous: 'FULL' }, log: { level: 'info' },
    locations: [{ id: 'LOC-1', name: 'Soak Site', address: 'A 1', city: 'Berlin', postal_code: '10115', country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin' }],
    tariffs: [{ id: 'AC-STANDARD', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] }] }],
    status_page: { enabled: false },
  };
  const path = join(dir, 'soak.yaml');
  writeFileSync(path, JSON.stringify(config, null, 1)); // JSON is YAML
  return path;
}

function startBridge(dir) {
  const child = spawn(process.execPath, [...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : []), join(root, 'dist/src/main.js')], {
    env: { ...process.env, BRIDGE_CONFIG: bridgeConfig(dir), BRIDGE_DB: join(dir, 'soak.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0', BRIDGE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const m = /"ports":\{"ocpp":(\d+),"http":(\d+)/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        // Keep reading the log: failed CDR deliveries (with their cause) explain any duplicate the eMSP sees.
        const failedCdrs = new Map();
        let rest = '';
        child.stdout.on('data', (more) => {
          const lines = (rest + more).split('\n');
          rest = lines.pop();
          for (const line of lines) {
            if (!line.includes('CDR delivery failed')) continue;
            const e = JSON.parse(line);
            failedCdrs.set(e.cdr, [...(failedCdrs.get(e.cdr) ?? []), String(e.err)]);
          }
        });
        resolve({ child, ocpp: Number(m[1]), http: Number(m[2]), failedCdrs });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`bridge exited with ${code}: ${out.slice(-2000)}`)));
  });
}

async function scrape(httpPort) {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const get = (name) => {
    let sum = 0;
    for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))) sum += Number(m[1]);
    return sum;
  };
  return {
    rssMb: get('process_resident_memory_bytes') / 2 ** 20, heapMb: get('nodejs_heap_size_used_bytes') / 2 ** 20, handles: get('nodejs_active_handles_total'),
    verified: get('bridge_eichrecht_verifications_total\\{result="verified"\\}'), verifications: get('bridge_eichrecht_verifications_total'),
    undeliveredCdrs: get('bridge_ocpi_undelivered_cdrs'), pushQueued: get('bridge_ocpi_push_queued'), pushRetries: text.match(/^bridge_ocpi_pushes_total\{[^}]*outcome="retry"[^}]*\} (\d+)/gm)?.reduce((n, l) => n + Number(l.split(' ').pop()), 0) ?? 0,
  };
}

// ---------- the chargers ----------

const is201 = (i) => i < N201;
const stats = { signedSessions: 0, messages: 0, errors: 0, sessionsStarted: 0, sessionsCompleted: 0, disconnects: 0, reconnects: 0, latencies: [] };

class Charger {
  constructor(i, port) {
    this.i = i;
    this.port = port;
    this.protocol = is201(i) ? 'ocpp2.0.1' : 'ocpp1.6';
    this.wh = 0;
    this.seq = 0;
    this.dropRequested = false;
    this.meter = isSigned(i) ? new OcmfMeter(signers.get(i), { gatewayId: 'Soak S1', gatewaySerial: `SOAK-GW-${i}`, gatewayFirmware: '1.0', meterSerial: `SOAK-M-${i}`, chargePointId: `${identity(i)} 1` }) : undefined;
  }

  async connect() {
    this.client = new rpc.RPCClient({ endpoint: `ws://127.0.0.1:${this.port}/ocpp`, identity: identity(this.i), protocols: [this.protocol], strictMode: true, reconnect: false, callTimeoutMs: 60_000 });
    this.client.handle(() => ({})); // unsolicited calls from the bridge (e.g. GetConfiguration) answered empty
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.connect();
        break;
      } catch (err) {
        if (attempt >= 20) throw err;
        await sleep(1000);
      }
    }
    await this.call('BootNotification', this.protocol === 'ocpp1.6' ? { chargePointVendor: 'Soak', chargePointModel: 'S1' } : { reason: 'PowerUp', chargingStation: { vendorName: 'Soak', model: 'S1' } });
    await this.call('StatusNotification', this.protocol === 'ocpp1.6' ? { connectorId: 1, status: 'Available', errorCode: 'NoError' } : { timestamp: stamp(), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
  }

  /** A call; a connection dropped on purpose (or lost) is re-opened and the same call sent again, so nothing is skipped. */
  async call(action, params) {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.dropRequested && action !== 'BootNotification' && action !== 'StatusNotification') await this.drop();
      const t0 = performance.now();
      try {
        const r = await this.client.call(action, params);
        stats.latencies.push(performance.now() - t0);
        stats.messages++;
        return r;
      } catch {
        stats.errors++;
        await sleep(1000);
        if (this.client.state !== 1) await this.drop(); // 1 = OPEN
      }
    }
    throw new Error(`${identity(this.i)}: ${action} failed 5 times`);
  }

  async drop() {
    this.dropRequested = false;
    stats.disconnects++;
    await this.client.close({ force: true }).catch(() => undefined);
    await sleep(1000 + Math.random() * 3000);
    await this.connect();
    stats.reconnects++;
  }

  async session() {
    const uid = `SOAK${this.i}`;
    const start = this.wh;
    stats.sessionsStarted++;
    if (this.protocol === 'ocpp1.6') {
      const startedAt = stamp();
      const { transactionId } = await this.call('StartTransaction', { connectorId: 1, idTag: uid, meterStart: this.wh, timestamp: startedAt });
      const signed = (kind, at, wh, context) => ({ value: this.meter.record({ kind, at: new Date(at), energyWh: wh, idTag: uid }), context, format: 'SignedData', measurand: 'Energy.Active.Import.Register', unit: 'Wh' });
      const begin = this.meter && signed('begin', startedAt, start, 'Transaction.Begin');
      if (begin) await this.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: startedAt, sampledValue: [begin] }] });
      for (let k = 0; k < METER_VALUES; k++) {
        await sleep(STEP_MS * (0.5 + Math.random()));
        this.wh += 100 + Math.floor(Math.random() * 200);
        const at = stamp();
        await this.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: at, sampledValue: [
          { value: String(this.wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
          ...(this.meter ? [signed('sample', at, this.wh, 'Sample.Periodic')] : []),
        ] }] });
      }
      this.wh += 50;
      const stoppedAt = stamp();
      // Signed: transactionData carries the signed begin and end records (as real Eichrecht chargers send them).
      const transactionData = this.meter ? [{ timestamp: startedAt, sampledValue: [begin] }, { timestamp: stoppedAt, sampledValue: [signed('end', stoppedAt, this.wh, 'Transaction.End')] }] : undefined;
      await this.call('StopTransaction', { transactionId, meterStop: this.wh, timestamp: stoppedAt, reason: 'EVDisconnected', ...(transactionData ? { transactionData } : {}) });
      if (this.meter) stats.signedSessions++;
    } else {
      const id = `${identity(this.i)}-${++this.seq}`;
      const energy = (wh, context) => [{ timestamp: stamp(), sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }] }];
      await this.call('TransactionEvent', { eventType: 'Started', timestamp: stamp(), triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: id, chargingState: 'Charging' }, idToken: { idToken: uid, type: 'ISO14443' }, evse: { id: 1, connectorId: 1 }, meterValue: energy(start, 'Transaction.Begin') });
      for (let k = 0; k < METER_VALUES; k++) {
        await sleep(STEP_MS * (0.5 + Math.random()));
        this.wh += 100 + Math.floor(Math.random() * 200);
        await this.call('TransactionEvent', { eventType: 'Updated', timestamp: stamp(), triggerReason: 'MeterValuePeriodic', seqNo: k + 1, transactionInfo: { transactionId: id }, meterValue: energy(this.wh, 'Sample.Periodic') });
      }
      this.wh += 50;
      await this.call('TransactionEvent', { eventType: 'Ended', timestamp: stamp(), triggerReason: 'EVDeparted', seqNo: METER_VALUES + 1, transactionInfo: { transactionId: id, stoppedReason: 'EVDisconnected' }, idToken: { idToken: uid, type: 'ISO14443' }, meterValue: energy(this.wh, 'Transaction.End') });
    }
    stats.sessionsCompleted++;
  }

  async run(until) {
    while (Date.now() < until.ms) {
      await this.session();
      await sleep(STEP_MS * Math.random());
    }
  }
}

// ---------- the ceiling: bare ocpp-rpc, closed loop, same chargers ----------


async function ceiling() {
  const bare = await startBare(bareServer16());
  const clients = await connectClients(bare.port, N, (i) => `BARE-${i}`);
  const latencies = [];
  let messages = 0;
  const started = performance.now();
  const deadline = started + CEILING_S * 1000;
  await Promise.all(clients.map(async (c, i) => {
    let wh = 0;
    const timed = async (action, params) => {
      const t0 = performance.now();
      const r = await c.call(action, params);
      latencies.push(performance.now() - t0);
      messages++;
      return r;
    };
    while (performance.now() < deadline) {
      const { transactionId } = await timed('StartTransaction', { connectorId: 1, idTag: `T${i}`, meterStart: wh, timestamp: stamp() });
      for (let k = 0; k < METER_VALUES; k++) await timed('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: stamp(), sampledValue: [{ value: String((wh += 100)), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
      await timed('StopTransaction', { transactionId, meterStop: wh, timestamp: stamp() });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close({ force: true })));
  bare.child.kill('SIGTERM');
  latencies.sort((a, b) => a - b);
  return { rate: messages / seconds, p99: percentile(latencies, 99) };
}

// ---------- the run ----------

const slope = (points) => {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return num / den;
};
const fileMb = (p) => (existsSync(p) ? statSync(p).size / 2 ** 20 : 0);

const dir = mkdtempSync(join(tmpdir(), 'bench-soak-'));
const loadStart = loadavg()[0];
let bridge;
let emsp;
try {
  console.log(`Soak: ${N} chargers (${N - N201} OCPP 1.6 of which ${NSIGNED} signed, ${N201} OCPP 2.0.1), ${MINUTES} min, a message every ~${STEP_MS} ms per charger, ${METER_VALUES} meter values per session;`);
  console.log(`      a charger dropped every ${args['disconnect-every-s']} s, eMSP down for ${(OUTAGE_MS / 1000).toFixed(0)} s from minute ${(OUTAGE_AT_MS / 60_000).toFixed(1)}`);
  const bare = await ceiling();
  console.log(`ceiling (bare ocpp-rpc, strict, no persistence, ${N} chargers closed-loop ${CEILING_S} s): ${bare.rate.toFixed(0)} msg/s, p99 ${bare.p99.toFixed(1)} ms`);

  emsp = await startEmsp();
  bridge = await startBridge(dir);
  const bridgeUrl = `http://127.0.0.1:${bridge.http}`;
  const versions = await ocpiCall('GET', `${bridgeUrl}/ocpi/versions`, TOKEN_A);
  const details = await ocpiCall('GET', versions.data.find((v) => v.version === '2.2.1').url, TOKEN_A);
  const credentialsUrl = details.data.endpoints.find((e) => e.identifier === 'credentials').url;
  const registered = await ocpiCall('POST', credentialsUrl, TOKEN_A, { token: emsp.state.tokenB, url: `${emsp.state.base}/ocpi/versions`, roles: [{ role: 'EMSP', party_id: 'EMS', country_code: 'NL', business_details: { name: 'Soak eMSP' } }] });
  if (registered.status_code !== 1000) throw new Error(`registration failed: ${JSON.stringify(registered)}`);
  // The eMSP's tokens, placed as the Tokens module stores pushed ones (owner = the eMSP's platform), so every session has its CDR receiver.
  const db = new Database(join(dir, 'soak.db'));
  db.pragma('busy_timeout = 10000');
  const platformId = db.prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered'").get().id;
  const insert = db.prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms) VALUES ('NL', 'EMS', ?, 'RFID', ?, 1, 'ALWAYS', 'emsp', ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < N; i++) insert.run(`SOAK${i}`, `NL-EMS-C${i}`, platformId, Date.now());
  })();
  db.close();

  const chargers = Array.from({ length: N }, (_, i) => new Charger(i, bridge.ocpp));
  for (let i = 0; i < N; i += 100) await Promise.all(chargers.slice(i, i + 100).map((c) => c.connect()));
  const t0 = Date.now();
  const until = { ms: t0 + RUN_MS };
  const rssStart = rssKb(bridge.child.pid) / 1024;
  const running = chargers.map((c) => c.run(until).catch((err) => {
    stats.errors++;
    console.error(`charger ${identity(c.i)} stopped: ${err.message}`);
  }));

  const dropper = setInterval(() => {
    chargers[Math.floor(Math.random() * N)].dropRequested = true;
  }, Number(args['disconnect-every-s']) * 1000);
  const outageStart = setTimeout(() => {
    emsp.state.down = true;
    console.log(`  [${((Date.now() - t0) / 60_000).toFixed(1)} min] eMSP outage begins`);
  }, OUTAGE_AT_MS);
  const outageEnd = setTimeout(() => {
    emsp.state.down = false;
    console.log(`  [${((Date.now() - t0) / 60_000).toFixed(1)} min] eMSP back`);
  }, OUTAGE_AT_MS + OUTAGE_MS);

  const rssPoints = [];
  let lastMessages = 0;
  let lastAt = t0;
  let lastBridgeCpu = cpuS(bridge.child.pid);
  let lastOwnCpu = process.cpuUsage();
  const cdrsDelivered = () => emsp.state.cdrIds.size;
  const report = async (label) => {
    const m = await scrape(bridge.http);
    const now = Date.now();
    const seconds = (now - lastAt) / 1000;
    const rate = (stats.messages - lastMessages) / seconds;
    // CPU of the bridge and of this process (chargers + eMSP), in % of one core: tells which side saturates.
    const bridgeCpu = cpuS(bridge.child.pid);
    const ownCpu = process.cpuUsage();
    const cpu = seconds < 5 ? '' : `CPU bridge ${(((bridgeCpu - lastBridgeCpu) / seconds) * 100).toFixed(0)} % / soak ${(((ownCpu.user + ownCpu.system - lastOwnCpu.user - lastOwnCpu.system) / 1e6 / seconds) * 100).toFixed(0)} %`;
    lastBridgeCpu = bridgeCpu;
    lastOwnCpu = ownCpu;
    const lat = stats.latencies.sort((a, b) => a - b);
    stats.latencies = [];
    lastMessages = stats.messages;
    lastAt = now;
    const rss = rssKb(bridge.child.pid) / 1024;
    if (/^\d+$/.test(label)) rssPoints.push([(now - t0) / 60_000, rss]); // the trend is taken over the load minutes only
    console.log(`  ${label.padEnd(8)} RSS ${rss.toFixed(0)} MB  heap ${m.heapMb.toFixed(0)} MB  handles ${m.handles}  DB ${fileMb(join(dir, 'soak.db')).toFixed(1)} MB  WAL ${fileMb(join(dir, 'soak.db-wal')).toFixed(1)} MB  `
      + `${seconds < 5 ? '-' : rate.toFixed(0)} msg/s  p99 ${lat.length ? percentile(lat, 99).toFixed(1) : '-'} ms  sessions ${stats.sessionsCompleted}  CDRs delivered ${cdrsDelivered()}  undelivered ${m.undeliveredCdrs}  push backlog ${m.pushQueued}  drops ${stats.disconnects}  errors ${stats.errors}  ${cpu}`);
  };
  console.log('  minute   figures');
  let minute = 0;
  while (Date.now() < until.ms) {
    await sleep(Math.min(60_000, until.ms - Date.now()));
    await report(`${++minute}`);
  }
  clearInterval(dropper);
  clearTimeout(outageStart);
  clearTimeout(outageEnd);
  emsp.state.down = false;
  await Promise.all(running); // every charger finishes the session it is in
  await report('end');
  const rssEnd = rssKb(bridge.child.pid) / 1024;
  const drainUntil = Date.now() + DRAIN_MS;
  while (cdrsDelivered() < stats.sessionsCompleted && Date.now() < drainUntil) await sleep(1000);
  await report('drained');

  const duplicateIds = [...emsp.state.cdrIds.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  const duplicates = duplicateIds.length;
  // A POST the bridge gave up on (timeout) that the eMSP had stored anyway comes again: at-least-once, not a lost ack.
  const afterTimeout = duplicateIds.filter((id) => (bridge.failedCdrs.get(id) ?? []).some((err) => /no answer within/.test(err))).length;
  const lost = stats.sessionsCompleted - cdrsDelivered();
  const perMinute = slope(rssPoints);
  const afterWarmup = slope(rssPoints.slice(1));
  const soakRate = stats.messages / ((until.ms - t0) / 1000);
  console.log('Result');
  console.log(`  messages handled ${stats.messages} (${soakRate.toFixed(0)} msg/s paced), call errors ${stats.errors}, charger drops ${stats.disconnects} (all reconnected: ${stats.reconnects === stats.disconnects})`);
  console.log(`  sessions completed ${stats.sessionsCompleted}, CDRs delivered ${cdrsDelivered()}, duplicates ${duplicates}${duplicates ? ` (${afterTimeout} of them re-sent after the bridge's request timed out while the eMSP stored it)` : ''}, lost ${lost}  => ${lost === 0 && duplicates === 0 ? 'OK: sessions completed == CDRs delivered, each once' : 'FAIL'}`);
  const failures = [...bridge.failedCdrs.values()].flat();
  const other = failures.filter((e) => !/HTTP 503|no answer within/.test(e));
  console.log(`  failed CDR POSTs ${failures.length} (${failures.filter((e) => /HTTP 503/.test(e)).length} during the outage, ${failures.filter((e) => /no answer within/.test(e)).length} timeouts, ${other.length} other${other.length ? `: ${[...new Set(other.map((e) => e.replace(/http:\/\/\S+/, 'URL')))].slice(0, 3).join(' | ')}` : ''}), all retried`);
  console.log(`  machine load average (1 min) ${loadStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at the end, ${cpus().length} cores: other work on the machine slows both the ceiling and the bridge`);
  const final = await scrape(bridge.http);
  console.log(`  signed sessions ${stats.signedSessions}: CDRs with signed_data ${emsp.state.signedCdrs.size}; signed readings checked ${final.verifications}, verified ${final.verified} (${final.verifications - final.verified} not)`);
  console.log(`  eMSP: ${emsp.state.sessionPushes} session pushes, ${emsp.state.locationPushes} location/tariff pushes, ${emsp.state.refusedDuringOutage} requests refused during the outage`);
  const rssMinute1 = rssPoints[0]?.[1] ?? rssStart;
  console.log(`  RSS ${rssStart.toFixed(0)} MB when the load began, ${rssMinute1.toFixed(0)} MB after minute 1, ${rssEnd.toFixed(0)} MB at the end: growth ${(((rssEnd - rssMinute1) / rssMinute1) * 100).toFixed(1)} % after warm-up (target < 10 %: ${(rssEnd - rssMinute1) / rssMinute1 < 0.1 ? 'OK' : 'FAIL'}), ${(((rssEnd - rssStart) / rssStart) * 100).toFixed(1)} % including it`);
  console.log(`  RSS trend (least squares over the per-minute samples): ${Number.isNaN(perMinute) ? 'n/a (one sample)' : `${perMinute.toFixed(2)} MB/min`}; after minute 1: ${Number.isNaN(afterWarmup) ? 'n/a (fewer than 2 samples)' : `${afterWarmup.toFixed(2)} MB/min`}`);
  console.log(`  load ${soakRate.toFixed(0)} msg/s is ${((soakRate / bare.rate) * 100).toFixed(1)} % of the ceiling ${bare.rate.toFixed(0)} msg/s (bare ocpp-rpc, same ${N} chargers, closed loop); ceiling p99 ${bare.p99.toFixed(1)} ms`);
  await Promise.all(chargers.map((c) => c.client.close({ force: true }).catch(() => undefined)));
  process.exitCode = lost === 0 && duplicates === 0 ? 0 : 1;
} finally {
  if (bridge) {
    bridge.child.kill('SIGTERM');
    await new Promise((r) => bridge.child.once('exit', r));
  }
  emsp?.server.close();
  emsp?.server.closeAllConnections?.();
  rmSync(dir, { recursive: true, force: true });
}
