import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, StoreError } from './open.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const EXPECTED_TABLES = [
  'chargers', 'connectors', 'evses', 'faults', 'id_tokens', 'locations', 'meter_samples', 'ocpi_cdrs', 'ocpi_parties', 'ocpi_platforms',
  'ocpi_sessions', 'ocpp_messages', 'signed_meter_values', 'tariffs', 'transactions',
];

function tables(sqlite: Database.Database): string[] {
  return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
}

describe('openDatabase', () => {
  it('applies the migrations on :memory: with foreign keys on', () => {
    const { sqlite } = openDatabase({ path: ':memory:' });
    expect(tables(sqlite)).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => sqlite.prepare("INSERT INTO evses (charger_identity, ocpp_id, uid, status, last_updated_ms) VALUES ('nobody', 1, 'u', 'Unknown', 0)").run()).toThrow(/FOREIGN KEY/);
    sqlite.close();
  });

  it('creates the folder and file, uses WAL, and reopens without re-applying migrations', () => {
    const path = join(tempDir(), 'nested', 'deeper', 'bridge.db');
    const first = openDatabase({ path });
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    first.sqlite.prepare("INSERT INTO settings (key, value, updated_at_ms) VALUES ('k', 'v', 1)").run();
    const applied = first.sqlite.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get();
    first.sqlite.close();
    const second = openDatabase({ path, synchronous: 'NORMAL' });
    expect(second.sqlite.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get()).toEqual(applied);
    expect(second.sqlite.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: 'v' });
    expect(second.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    second.sqlite.close();
  });

  it('refuses a database written by a newer bridge and leaves it untouched', () => {
    const path = join(tempDir(), 'bridge.db');
    openDatabase({ path }).sqlite.close();
    const raw = new Database(path);
    const applied = (raw.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', Date.now() + 10 * 365 * 86_400_000);
    raw.close();
    expect(() => openDatabase({ path })).toThrow(StoreError);
    expect(() => openDatabase({ path })).toThrow(/written by a newer bridge/);
    const after = new Database(path);
    expect((after.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(applied + 1);
    after.close();
  });

  it('refuses a corrupt file with a clear message', () => {
    const path = join(tempDir(), 'bridge.db');
    writeFileSync(path, 'this is not an sqlite database, just text that is long enough to look like a header'.repeat(100));
    let error: unknown;
    try {
      openDatabase({ path });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('corrupt');
    expect((error as Error).message).toMatch(/is not a valid SQLite database/);
  });

  it('refuses an unwritable location (a read-only file system, so it holds for root too)', () => {
    let error: unknown;
    try {
      openDatabase({ path: '/sys/bridge-test.db' });
    } catch (err) {
      error = err;
    }
    expect((error as StoreError).code).toBe('unwritable');
    expect((error as Error).message).toMatch(/\/sys\/bridge-test\.db/);
  });

  it('refuses a path whose folder cannot be created', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    let error: unknown;
    try {
      openDatabase({ path: join(dir, 'file', 'sub', 'bridge.db') });
    } catch (err) {
      error = err;
    }
    expect((error as StoreError).code).toBe('unwritable');
    expect((error as Error).message).toMatch(/cannot create the database folder/);
  });
});
