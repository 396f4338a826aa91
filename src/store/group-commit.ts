/**
 * Group commit: the writes of every message handled in one turn of the event loop share one SQLite
 * transaction, committed on the next `setImmediate`; each write is its own savepoint, so a failing
 * message rolls back alone. A caller that acknowledges something to the outside (an OCPP answer) first
 * awaits `durable()`, which resolves once the batch holding its writes is committed — with
 * synchronous=FULL that is one fsync per batch instead of one per message.
 * If the commit fails, every waiter of that batch is rejected and nothing of it is acknowledged.
 */
import type Database from 'better-sqlite3';

export interface GroupCommit {
  /** Runs `fn` inside the current batch (opening one if needed) as a savepoint: all or nothing. */
  write<T>(fn: () => T): T;
  /** Resolves when everything written so far is committed; rejects if that commit failed. */
  durable(): Promise<void>;
  /** Commits the open batch now (shutdown, backups). */
  flush(): void;
  /** The last storage failure (disk full, I/O error, read-only) since the last successful commit, for /healthz. */
  storageError(): string | undefined;
}

const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/;

export function createGroupCommit(sqlite: Database.Database, hooks: { onCommit?: (seconds: number) => void; onCommitError?: (err: Error) => void }): GroupCommit {
  let open = false;
  let waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  let scheduled = false;
  let storageError: string | undefined;
  const noteStorage = (err: unknown) => {
    const code = (err as { code?: string }).code ?? '';
    if (STORAGE_CODES.test(code)) storageError = `${code}: ${(err as Error).message}`;
  };

  function commit(): void {
    scheduled = false;
    if (!open) return settle(undefined);
    open = false;
    const started = performance.now();
    try {
      sqlite.exec('COMMIT');
      storageError = undefined;
      hooks.onCommit?.((performance.now() - started) / 1000);
      settle(undefined);
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      noteStorage(err);
      hooks.onCommitError?.(err as Error);
      settle(err as Error);
    }
  }

  function settle(err: Error | undefined): void {
    const batch = waiters;
    waiters = [];
    for (const w of batch) (err ? w.reject(err) : w.resolve());
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(commit);
  }

  // One transaction wrapper for every write (building one per call cost ~5 % of the bridge's CPU under load).
  const inSavepoint = sqlite.transaction((fn: () => unknown) => fn());

  return {
    write(fn) {
      if (!open && !sqlite.inTransaction) {
        sqlite.exec('BEGIN IMMEDIATE');
        open = true;
        schedule();
      }
      // Inside an open transaction better-sqlite3 runs this as SAVEPOINT / RELEASE / ROLLBACK TO.
      try {
        return inSavepoint(fn) as ReturnType<typeof fn>;
      } catch (err) {
        noteStorage(err);
        throw err;
      }
    },
    durable() {
      if (!open) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    flush() {
      if (open) commit();
    },
    storageError: () => storageError,
  };
}
