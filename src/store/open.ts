/**
 * Opens the SQLite database: creates its folder, sets the pragmas (WAL, foreign keys, synchronous),
 * refuses a file from a newer schema or a corrupt file with a StoreError, and applies the drizzle
 * migrations in one transaction. May import drizzle-orm, better-sqlite3 and node built-ins only.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;
export type SqliteHandle = Database.Database;

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(message: string, readonly code: 'unwritable' | 'corrupt' | 'newer-schema' | 'migration-failed') {
    super(message);
  }
}

export interface OpenOptions {
  /** File path or ':memory:'. */
  path: string;
  /**
   * WAL with synchronous=FULL: a commit survives power loss, not only a crash of the process. The bridge tells a
   * charger "stored" only after the commit, and the charger then deletes its copy (OCPP 1.6 §3.4, 2.0.1 E12),
   * so an acknowledged transaction message must survive the site losing power. NORMAL (durable against a
   * process crash, may lose the last commits on power loss) is a configurable trade for very large sites.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

export function openDatabase({ path, synchronous = 'FULL' }: OpenOptions): { db: Db; sqlite: SqliteHandle } {
  const memory = path === ':memory:';
  if (!memory) {
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true });
    } catch (err) {
      throw new StoreError(`cannot create the database folder ${dirname(resolve(path))}: ${(err as NodeJS.ErrnoException).code}`, 'unwritable');
    }
  }
  let sqlite: SqliteHandle;
  try {
    sqlite = new Database(path, { timeout: 5000 });
  } catch (err) {
    throw new StoreError(`cannot open the database file ${path}: ${(err as Error).message}`, 'unwritable');
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${synchronous}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    checkWritable(sqlite, path);
    const db = drizzle(sqlite, { schema });
    applyMigrations(db, sqlite, path);
    return { db, sqlite };
  } catch (err) {
    sqlite.close();
    if (err instanceof StoreError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreError(`the database file ${path} is not a valid SQLite database (${code}); restore it from a backup or move it away`, 'corrupt');
    }
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_FULL') {
      throw new StoreError(`the database file ${path} is not writable (${code})`, 'unwritable');
    }
    throw err;
  }
}

function checkWritable(sqlite: SqliteHandle, path: string): void {
  try {
    sqlite.exec('BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS __bridge_write_check (x); DROP TABLE __bridge_write_check; COMMIT');
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw err;
    throw new StoreError(`the database file ${path} is not writable (${code || (err as Error).message})`, 'unwritable');
  }
}

/** The folder of generated migrations, found from this file both in src/ (tests) and in dist/src/ (built). */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new StoreError('cannot find the drizzle/ migrations folder next to the bridge', 'migration-failed');
}

function applyMigrations(db: Db, sqlite: SqliteHandle, path: string): void {
  const folder = migrationsFolder();
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number; tag: string }> };
  const newestKnown = Math.max(...journal.entries.map((e) => e.when));
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (hasTable) {
    const row = sqlite.prepare('SELECT MAX(CAST(created_at AS INTEGER)) AS newest, COUNT(*) AS n FROM __drizzle_migrations').get() as { newest: number | null; n: number };
    if (row.newest !== null && (row.newest > newestKnown || row.n > journal.entries.length)) {
      throw new StoreError(
        `the database ${path} was written by a newer bridge (schema migration ${row.n}, this bridge knows ${journal.entries.length}); upgrade the bridge or restore a backup`,
        'newer-schema',
      );
    }
  }
  try {
    migrate(db, { migrationsFolder: folder });
  } catch (err) {
    throw new StoreError(`applying migrations to ${path} failed and was rolled back: ${(err as Error).message}`, 'migration-failed');
  }
}
