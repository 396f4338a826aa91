/**
 * `npm run ocpi -- token-a | register` as built (plain node, another process than the running built bridge,
 * same database): a token A printed by the CLI registers an eMSP at the running bridge, and `register` makes
 * the bridge register at an eMSP that calls the running bridge back with the token the CLI stored.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOnce, removeTempDirs, repoRoot, runBuiltBridge, tempDir } from '../helpers/built-bridge.js';
import { startEmsp } from '../helpers/emsp.js';

beforeAll(() => buildOnce(), 120_000);
afterAll(() => removeTempDirs());

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist/src/cli/ocpi.js'), ...args], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

it('token-a and register work against a running bridge on the same database', async () => {
  const dir = tempDir();
  const env = { BRIDGE_CONFIG: join(repoRoot, 'config/default.yaml'), BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0' };
  const bridge = runBuiltBridge(env);
  const started = await bridge.waitFor((l) => l.msg === 'bridge started');
  const publicUrl = `http://127.0.0.1:${started.ports.http}`;
  const cliEnv = { ...env, BRIDGE_PUBLIC_URL: publicUrl };
  const emsps = [await startEmsp(), await startEmsp({ tokenA: 'EMSP-ISSUED-TOKEN-A', partyId: 'EM2' })];
  try {
    const tokenA = await runCli(['token-a'], cliEnv);
    expect(tokenA.code, tokenA.stderr).toBe(0);
    const token = tokenA.stdout.split('\n')[0]!;
    expect(token).toMatch(/^[\x21-\x7e]{43}$/);
    expect(tokenA.stdout).toContain(`${publicUrl}/ocpi/versions`);
    const registered = await emsps[0]!.register(`${publicUrl}/ocpi/versions`, token);
    expect(registered.body.status_code).toBe(1000);
    // used once
    expect((await emsps[0]!.call('GET', `${publicUrl}/ocpi/versions`, { token })).status).toBe(401);

    const register = await runCli(['register', emsps[1]!.versionsUrl, 'EMSP-ISSUED-TOKEN-A'], cliEnv);
    expect(register.code, register.stderr).toBe(0);
    expect(register.stdout).toMatch(/Registered at .*: OCPI 2\.2\.1, NL\*EM2 \(EMSP\)/);
    expect((await emsps[1]!.call('GET', `${publicUrl}/ocpi/2.2.1/locations`)).status).toBe(200);
    for (const out of [tokenA, register]) expect(out.stderr).not.toContain('EMSP-ISSUED-TOKEN-A');

    const failed = await runCli(['register', 'http://127.0.0.1:9/ocpi/versions', 'X'], cliEnv);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('registration failed [OCPI 3001]');
    expect((await runCli(['nonsense'], cliEnv)).code).toBe(2);
  } finally {
    for (const e of emsps) await e.close();
    bridge.child.kill('SIGTERM');
    expect(await bridge.exit).toBe(0);
  }
}, 60_000);
