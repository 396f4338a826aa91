/**
 * `npm run sim` (the built CLI under node) drives a running built bridge and ends with a summary line; a 2.0.1
 * station with `--signed` keeps its key in --key-dir, and the bridge configured with the printed public key
 * verifies every signed reading of the session.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildOnce, removeTempDirs, repoRoot, runBuiltBridge, tempDir } from '../helpers/built-bridge.js';

beforeAll(() => buildOnce(), 120_000);
afterAll(() => removeTempDirs());

it('simulated chargers run sessions against the bridge and the CLI exits 0 with a summary', async () => {
  const dir = tempDir();
  const bridge = runBuiltBridge({ BRIDGE_CONFIG: join(repoRoot, 'config/default.yaml'), BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0', BRIDGE_ACCEPT_UNKNOWN_CHARGERS: 'true' });
  const started = await bridge.waitFor((l) => l.msg === 'bridge started');
  const run = spawnSync(process.execPath, [join(repoRoot, 'dist/firmware-sim/main.js'), '--url', `ws://127.0.0.1:${started.ports.ocpp}/ocpp`, '--chargers', '2', '--connectors', '2', '--duration', '2', '--meter-interval', '0.1', '--identity-prefix', 'SMOKE-'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.filter((l) => l.event === 'connected').map((l) => l.identity).sort()).toEqual(['SMOKE-0001', 'SMOKE-0002']);
  expect(lines[lines.length - 1]).toMatchObject({ event: 'summary', connected: 2, errors: 0 });
  expect(lines[lines.length - 1].meterValues).toBeGreaterThan(0);
  bridge.child.kill('SIGTERM');
  expect(await bridge.exit).toBe(0);
}, 60_000);

const sim = (args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'dist/firmware-sim/main.js'), ...args], { encoding: 'utf8' });
const jsonLines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l));

it('a 2.0.1 station with --signed runs a session whose signed readings the bridge, given the printed key, verifies', async () => {
  const dir = tempDir();
  const keyDir = join(dir, 'keys');
  const keys = sim(['--print-keys', '--protocol', '2.0.1', '--key-dir', keyDir, '--identity-prefix', 'SMK201-']);
  expect(keys.status, keys.stderr).toBe(0);
  const [{ identity, publicKey }] = jsonLines(keys.stdout);
  expect(identity).toBe('SMK201-0001');
  expect(publicKey).toMatch(/^3059301306072A8648CE3D020106082A8648CE3D030107034200[0-9A-F]{130}$/);

  // the default site plus this station, with the meter key an operator would copy from the type plate
  const config = parse(readFileSync(join(repoRoot, 'config/default.yaml'), 'utf8'));
  config.ocpp.chargers.push({
    identity, location: 'LOC-1', meter_public_key: publicKey,
    evses: [{ ocpp_id: 1, evse_id: 'DE*EXA*E0201*1', connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['AC-STANDARD'] }] }],
  });
  writeFileSync(join(dir, 'bridge.yaml'), stringify(config));
  const bridge = runBuiltBridge({ BRIDGE_CONFIG: join(dir, 'bridge.yaml'), BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0' });
  const started = await bridge.waitFor((l) => l.msg === 'bridge started');

  const run = sim(['--url', `ws://127.0.0.1:${started.ports.ocpp}/ocpp`, '--protocol', '2.0.1', '--signed', '--key-dir', keyDir, '--identity-prefix', 'SMK201-', '--scenario', 'session', '--meter-interval', '0.1', '--duration', '30']);
  expect(run.status, run.stderr).toBe(0);
  const lines = jsonLines(run.stdout);
  expect(lines.find((l) => l.event === 'connected')).toMatchObject({ identity, protocol: 'ocpp2.0.1', boot: 'Accepted', publicKey, variant: 'good' });
  expect(lines[lines.length - 1]).toMatchObject({ event: 'summary', connected: 1, transactions: 1, meterValues: 6, errors: 0 });

  // begin, six periodic and the end reading: all verified, no Eichrecht fault
  const metrics = async () => (await fetch(`http://127.0.0.1:${started.ports.http}/metrics`)).text();
  await expect.poll(async () => /bridge_eichrecht_verifications_total\{result="verified"\} 8\b/.test(await metrics())).toBe(true);
  const text = await metrics();
  expect(text).not.toMatch(/bridge_eichrecht_verifications_total\{result="(?!verified)/);
  expect(text).not.toMatch(/bridge_faults_raised_total\{source="eichrecht"/);
  bridge.child.kill('SIGTERM');
  expect(await bridge.exit).toBe(0);
}, 60_000);
