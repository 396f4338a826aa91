// Shared by the OCPP load benchmarks: process measurements (/proc), spawning the BUILT bridge with a
// benchmark config (accept any charger and token, file database) and a bare server, both on port 0.
import { spawn } from 'node:child_process';
import rpc from 'ocpp-rpc';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
/** utime + stime of a process in seconds (/proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s on Linux). */
export const cpuS = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Spawns a node server and resolves with its port once `portPattern` matches its stdout (which keeps draining);
 * `ports` holds every group of the match (e.g. the OCPP and the HTTP port).
 */
export function spawnServer(argv, env, portPattern) {
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      const m = portPattern.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ child, port: Number(m[1]), ports: m.slice(1).map(Number) });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out.slice(-2000)}`)));
  });
}

/**
 * The built bridge with a benchmark config in `dir`; `profile` names a folder for a CPU profile; `extraYaml`
 * adds top-level config sections (e.g. `ocpi:`), `env` overrides the environment (e.g. a fixed HTTP port).
 */
export function startBridge(dir, { synchronous = 'FULL', profile, extraYaml = [], env = {} } = {}) {
  const config = join(dir, 'bench.yaml');
  writeFileSync(config, [
    'ocpp:', '  accept_unknown_chargers: true', '  accept_unknown_tokens: true', '  heartbeat_interval: 3600', '  message_log_max: 20000',
    '  max_calls_per_second: 1000', '  call_burst: 10000',
    'database:', `  synchronous: ${synchronous}`, 'log:', '  level: warn',
    'locations:', '  - { id: LOC-1, address: A 1, city: B, country: DEU, coordinates: { latitude: "52.520008", longitude: "13.404954" }, time_zone: Europe/Berlin }',
    'status_page:', '  enabled: false', ...extraYaml, '',
  ].join('\n'));
  const prof = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  return spawnServer([...prof, join(root, 'dist/src/main.js')], {
    BRIDGE_CONFIG: config, BRIDGE_DB: join(dir, 'bench.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0', BRIDGE_LOG_LEVEL: 'info', ...env,
  }, /"ocpp":(\d+)/);
}

/**
 * The CommonJS source of a bare OCPP 1.6 ocpp-rpc server (strict mode, no persistence) answering the charger-initiated
 * messages the benchmarks send, for `startBare`; `authorizeDelayMs` stands for an eMSP asked before Authorize answers.
 */
export function bareServer16({ authorizeDelayMs = 0 } = {}) {
  return `
const rpc = require('ocpp-rpc');
const server = new rpc.RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
let tx = 0;
server.on('client', (c) => {
  const now = () => new Date().toISOString();
  c.handle('BootNotification', async () => ({ status: 'Accepted', currentTime: now(), interval: 3600 }));
  c.handle('Heartbeat', async () => ({ currentTime: now() }));
  c.handle('StatusNotification', async () => ({}));
  c.handle('Authorize', async () => {
    ${authorizeDelayMs ? `await new Promise((r) => setTimeout(r, ${Number(authorizeDelayMs)}));` : ''}
    return { idTagInfo: { status: 'Accepted' } };
  });
  c.handle('StartTransaction', async () => ({ transactionId: ++tx, idTagInfo: { status: 'Accepted' } }));
  c.handle('MeterValues', async () => ({}));
  c.handle('StopTransaction', async () => ({ idTagInfo: { status: 'Accepted' } }));
});
server.listen(0, '127.0.0.1').then((s) => console.log(JSON.stringify({ port: s.address().port })));
`;
}

/** A bare ocpp-rpc server (strict mode, no persistence) from the given CommonJS source printing {"port":N}. */
export function startBare(source) {
  return spawnServer(['-e', source], { NODE_PATH: join(root, 'node_modules') }, /"port":(\d+)/);
}

/** A hard stop for a whole run, whatever happens. */
export function watchdog(seconds) {
  setTimeout(() => {
    console.error('benchmark exceeded its time budget; aborting');
    process.exit(3);
  }, seconds * 1000).unref();
}

/**
 * `count` ocpp-rpc clients (strict mode, no reconnect) connected to ws://127.0.0.1:PORT/ocpp in batches, so a
 * thousand upgrades do not all race at once; `setup(client)` runs on each before it connects (handlers).
 */
export async function connectClients(port, count, identityOf, { protocol = 'ocpp1.6', batch = 200, callTimeoutMs = 60_000, setup } = {}) {
  const clients = [];
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const c = new rpc.RPCClient({ endpoint: `ws://127.0.0.1:${port}/ocpp`, identity: identityOf(j), protocols: [protocol], strictMode: true, reconnect: false, callTimeoutMs });
      setup?.(c);
      group.push(c.connect().then(() => c));
    }
    clients.push(...(await Promise.all(group)));
  }
  return clients;
}
