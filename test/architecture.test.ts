/**
 * Keeps the picture in DESIGN.md true: imports point inward to src/domain/, protocol adapters never import
 * each other, OCPI never imports OCPP, only ocpp/rpc.ts imports ocpp-rpc, the simulator never imports src/,
 * tests reach src/ only through the composition root (and `import type`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/built-bridge.js';

interface ImportRef { file: string; spec: string; typeOnly: boolean; target?: string }

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(join(repoRoot, dir))) return out;
  for (const name of readdirSync(join(repoRoot, dir))) {
    const path = join(dir, name);
    if (statSync(join(repoRoot, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts)$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): ImportRef[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const refs: ImportRef[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[2] ?? m[3]!;
    const target = spec.startsWith('.') ? relative(repoRoot, resolve(repoRoot, dirname(file), spec)).replace(/\.js$/, '.ts') : undefined;
    refs.push({ file, spec, typeOnly: Boolean(m[1]), target });
  }
  return refs;
}

const all = ['src', 'firmware-sim', 'test'].flatMap(sourceFiles).filter((f) => !f.endsWith('architecture.test.ts')).flatMap(importsOf);
const inside = (ref: ImportRef, folder: string) => ref.target?.startsWith(folder) ?? false;
const pkg = (ref: ImportRef) => (ref.target ? undefined : ref.spec.startsWith('@') ? ref.spec.split('/').slice(0, 2).join('/') : ref.spec.split('/')[0]);
const isTest = (f: string) => /\.test\.tsx?$/.test(f);

function violations(from: (f: string) => boolean, bad: (r: ImportRef) => boolean): string[] {
  return all.filter((r) => from(r.file) && bad(r)).map((r) => `${r.file} imports ${r.spec}`);
}

describe('architecture (DESIGN.md import table)', () => {
  it('finds the imports it checks', () => {
    expect(all.filter((r) => r.file.startsWith('src/ocpp/')).length).toBeGreaterThan(20);
    expect(all.some((r) => r.file === 'src/ocpp/rpc.ts' && r.spec === 'ocpp-rpc')).toBe(true);
  });

  it('domain/ imports only domain/ (and types of the logger), no framework', () => {
    const frameworks = ['drizzle-orm', 'better-sqlite3', 'ocpp-rpc', 'hono', '@hono/node-server', 'zod', 'pino', 'prom-client', 'yaml'];
    expect(violations((f) => f.startsWith('src/domain/') && !isTest(f), (r) =>
      (r.target !== undefined && !inside(r, 'src/domain/') && !(r.typeOnly && r.target === 'src/log.ts')) || frameworks.includes(pkg(r) ?? ''))).toEqual([]);
  });

  it('store/ imports domain/ and its own folder, drizzle and better-sqlite3 only', () => {
    expect(violations((f) => f.startsWith('src/store/') && !isTest(f), (r) =>
      (r.target !== undefined && !inside(r, 'src/store/') && !inside(r, 'src/domain/')) || ['ocpp-rpc', 'hono', '@hono/node-server'].includes(pkg(r) ?? ''))).toEqual([]);
  });

  it('ocpp/ never imports store, ocpi, status-page or hono; only ocpp/rpc.ts imports ocpp-rpc', () => {
    expect(violations((f) => f.startsWith('src/ocpp/'), (r) =>
      inside(r, 'src/store/') || inside(r, 'src/ocpi/') || inside(r, 'src/status-page/') || ['hono', '@hono/node-server'].includes(pkg(r) ?? ''))).toEqual([]);
    expect(violations((f) => f !== 'src/ocpp/rpc.ts', (r) => pkg(r) === 'ocpp-rpc' && !r.file.startsWith('firmware-sim/') && !r.file.startsWith('test/') && !r.file.startsWith('bench/'))).toEqual([]);
  });

  it('the protocol adapters never import each other', () => {
    expect(violations((f) => f.startsWith('src/ocpp/v16/'), (r) => inside(r, 'src/ocpp/v201/'))).toEqual([]);
    expect(violations((f) => f.startsWith('src/ocpp/v201/'), (r) => inside(r, 'src/ocpp/v16/'))).toEqual([]);
  });

  it('ocpi/ and status-page/ never import ocpp/ or store/ internals', () => {
    for (const folder of ['src/ocpi/', 'src/status-page/']) {
      expect(violations((f) => f.startsWith(folder), (r) => inside(r, 'src/ocpp/') || inside(r, 'src/store/') || pkg(r) === 'ocpp-rpc')).toEqual([]);
    }
    expect(violations((f) => f.startsWith('src/status-page/'), (r) => inside(r, 'src/ocpi/'))).toEqual([]);
  });

  it('config.ts and log.ts import no feature folder', () => {
    expect(violations((f) => ['src/config.ts', 'src/config-errors.ts', 'src/log.ts', 'src/metrics.ts'].includes(f), (r) =>
      r.target !== undefined && !['src/config.ts', 'src/config-errors.ts', 'src/log.ts', 'src/metrics.ts'].includes(r.target))).toEqual([]);
  });

  it('the simulator never imports src/', () => {
    expect(violations((f) => f.startsWith('firmware-sim/'), (r) => inside(r, 'src/'))).toEqual([]);
  });

  it('tests outside src/ reach src/ only through the composition root, config and log, the OCPI schemas (or import type)', () => {
    const entry = ['src/start.ts', 'src/config.ts', 'src/log.ts', 'src/ocpi/schemas/index.ts'];
    expect(violations((f) => f.startsWith('test/'), (r) => inside(r, 'src/') && !r.typeOnly && !entry.includes(r.target!))).toEqual([]);
  });

  it('the OCPI schemas (the wire contract the e2e tests check output against) import only zod and each other', () => {
    expect(violations((f) => f.startsWith('src/ocpi/schemas/') && !isTest(f), (r) => (r.target !== undefined && !inside(r, 'src/ocpi/schemas/')) || (r.target === undefined && pkg(r) !== 'zod'))).toEqual([]);
  });
});
