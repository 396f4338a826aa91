/**
 * `npm run backup -- <file>`: an online backup of the bridge's database with SQLite's backup API, safe
 * while the bridge runs (WAL readers do not block it). Reads BRIDGE_CONFIG / BRIDGE_DB like the bridge.
 * Exit codes: 0 done, 1 failed, 2 usage or bad config.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target || target.startsWith('-')) {
    console.error('usage: npm run backup -- <backup file>');
    return 2;
  }
  let dbPath: string;
  try {
    dbPath = loadConfig(process.env.BRIDGE_CONFIG || 'config/default.yaml', process.env).database.path;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`invalid configuration: ${err.message}`);
      return 2;
    }
    throw err;
  }
  if (!existsSync(dbPath)) {
    console.error(`no database at ${resolve(dbPath)}`);
    return 1;
  }
  if (resolve(target) === resolve(dbPath)) {
    console.error('the backup file must not be the database itself');
    return 2;
  }
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const started = Date.now();
    const result = await db.backup(target);
    console.log(JSON.stringify({ msg: 'backup written', file: resolve(target), pages: result.totalPages, ms: Date.now() - started }));
    return 0;
  } catch (err) {
    console.error(`backup failed: ${(err as Error).message}`);
    return 1;
  } finally {
    db.close();
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(`backup failed: ${(err as Error).message}`);
  process.exit(1);
});
