/** `npm run sim` (the built CLI under node) drives a running built bridge and ends with a summary line. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
