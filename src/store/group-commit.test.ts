import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.js';

let dir: string;
let db: Database.Database;
let other: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  db = new Database(join(dir, 'g.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE t (x INTEGER NOT NULL, p INTEGER REFERENCES parent(id))');
  other = new Database(join(dir, 'g.db'), { readonly: true }); // a second connection sees only committed data
});
afterEach(() => {
  other.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
const committed = () => (other.prepare('SELECT x FROM t ORDER BY x').all() as Array<{ x: number }>).map((r) => r.x);

describe('group commit', () => {
  it('writes of one turn share one commit; durable() resolves after it', async () => {
    let commits = 0;
    const g = createGroupCommit(db, { onCommit: () => commits++ });
    g.write(() => db.prepare('INSERT INTO t (x) VALUES (1)').run());
    g.write(() => db.prepare('INSERT INTO t (x) VALUES (2)').run());
    expect(committed()).toEqual([]); // not yet visible to anyone else
    await g.durable();
    expect(committed()).toEqual([1, 2]);
    expect(commits).toBe(1);
  });

  it('a failing write rolls back alone and the rest of the batch commits', async () => {
    const g = createGroupCommit(db, {});
    g.write(() => db.prepare('INSERT INTO t (x) VALUES (1)').run());
    expect(() => g.write(() => {
      db.prepare('INSERT INTO t (x) VALUES (2)').run();
      db.prepare('INSERT INTO t (x) VALUES (NULL)').run(); // NOT NULL violation: the whole unit goes
    })).toThrow(/NOT NULL/);
    g.write(() => db.prepare('INSERT INTO t (x) VALUES (3)').run());
    await g.durable();
    expect(committed()).toEqual([1, 3]);
  });

  it('a failed commit rejects every waiter of that batch and commits nothing of it', async () => {
    const errors: Error[] = [];
    const g = createGroupCommit(db, { onCommitError: (e) => errors.push(e) });
    db.pragma('defer_foreign_keys = ON');
    g.write(() => db.prepare('INSERT INTO t (x) VALUES (1)').run());
    g.write(() => db.prepare('INSERT INTO t (x, p) VALUES (2, 99)').run()); // checked only at COMMIT
    await expect(g.durable()).rejects.toThrow(/FOREIGN KEY/);
    expect(errors).toHaveLength(1);
    expect(committed()).toEqual([]);
    expect(db.inTransaction).toBe(false);
    g.write(() => db.prepare('INSERT INTO t (x) VALUES (5)').run());
    await g.durable();
    expect(committed()).toEqual([5]);
  });

  it('durable() with nothing pending resolves at once', async () => {
    await expect(createGroupCommit(db, {}).durable()).resolves.toBeUndefined();
  });
});
