/**
 * `npm run backup -- <file>` (the built CLI under node) copies the live database while the bridge runs,
 * and the copy opens with the data the bridge had committed.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOnce, removeTempDirs, repoRoot, runBuiltBridge, tempDir } from '../helpers/built-bridge.js';

beforeAll(() => buildOnce(), 120_000);
afterAll(() => removeTempDirs());

it('backs up the database of a running bridge', async () => {
  const dir = tempDir();
  const env = { BRIDGE_CONFIG: join(repoRoot, 'config/default.yaml'), BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0' };
  const bridge = runBuiltBridge(env);
  await bridge.waitFor((l) => l.msg === 'bridge started');
  const target = join(dir, 'backup.db');
  const run = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/backup.js'), target], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ msg: 'backup written', file: target });
  const copy = new Database(target, { readonly: true });
  expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(copy.prepare("SELECT identity FROM chargers WHERE identity = 'CP-001'").get()).toEqual({ identity: 'CP-001' });
  copy.close();
  const usage = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/backup.js')], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain('usage: npm run backup -- <backup file>');
  bridge.child.kill('SIGTERM');
  expect(await bridge.exit).toBe(0);
});
