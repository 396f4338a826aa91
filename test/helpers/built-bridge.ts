/**
 * Runs the BUILT bridge (`node dist/src/main.js`, no tsx, no vitest transform) as a child process, the way
 * `npm start` does, and reads its JSON log lines. Only this catches CommonJS/ESM import mistakes that the
 * test transform hides (e.g. a named import from ocpp-rpc).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const builtMain = join(repoRoot, 'dist', 'src', 'main.js');

/** Brings dist/ up to date (incremental tsc); the test fails if nothing was built. */
export function buildOnce(): void {
  spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'tsconfig.build.json')], { stdio: 'ignore' });
  if (!existsSync(builtMain)) throw new Error(`build produced no ${builtMain}`);
}

export interface RunningBridge {
  child: ChildProcess;
  lines: Array<Record<string, any>>;
  stderr: string[];
  exit: Promise<number | null>;
  waitFor(predicate: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
}

const created: string[] = [];

/** A temporary folder removed by `removeTempDirs()` (call it in afterAll). */
export function tempDir(prefix = 'bridge-smoke-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

const children: ChildProcess[] = [];

/** Kills bridges a failed test left running and removes the temporary folders (call it in afterAll). */
export function removeTempDirs(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function runBuiltBridge(env: Record<string, string>, cwd = repoRoot): RunningBridge {
  const child = spawn(process.execPath, [builtMain], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: Array<Record<string, any>> = [];
  const stderr: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(text));
      } catch {
        lines.push({ unparsed: text });
      }
      waiters.forEach((w) => w());
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child, lines, stderr, exit,
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find(predicate);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`timed out; log so far:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr.join('')}`)), timeoutMs);
        if (!check()) {
          waiters.push(() => void check());
          void exit.then(() => setTimeout(() => check() || reject(new Error(`bridge exited; log:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr.join('')}`)), 50));
        }
      });
    },
  };
}
