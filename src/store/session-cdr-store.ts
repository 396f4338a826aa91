/**
 * SessionCdrStore (domain/session-cdr-ports.ts) on SQLite: prepared statements over ocpi_sessions,
 * ocpi_cdrs and reservation_sessions, keyset pages on (last_updated_ms, id) per platform (indexes ocpi_sessions_page / ocpi_cdrs_page).
 */
import type { Page, PageQuery } from '../domain/ocpi-ports.js';
import type { ReservationSessionRecord, SessionCdrStore, StoredCdr } from '../domain/session-cdr-ports.js';
import type { SqliteHandle } from './open.js';

const END = Number.MAX_SAFE_INTEGER;
const CDR_COLUMNS = `id, transaction_row_id AS transactionRowId, platform_id AS platformId, credit, data_json AS json, last_updated_ms AS lastUpdatedMs,
  delivered_at_ms AS deliveredAtMs, delivered_location AS deliveredLocation, attempts, next_attempt_at_ms AS nextAttemptAtMs, last_error AS lastError`;

/** Every this many rows of a list the pager remembers the key, so an offset page starts near its rows. */
const CHECKPOINT_EVERY = 1000;
/** Offsets below this are walked in the index directly (cheaper than building checkpoints). */
const CHECKPOINT_FROM = 2 * CHECKPOINT_EVERY;

function pager(sqlite: SqliteHandle, table: 'ocpi_sessions' | 'ocpi_cdrs') {
  const where = `platform_id = @platform AND last_updated_ms >= @from AND last_updated_ms < @to`;
  const count = sqlite.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${where}`).pluck();
  // An offset page skips its rows in the covering page index first and reads data_json only for the rows it returns
  // (a plain OFFSET read every skipped row's JSON).
  const at = sqlite.prepare(`SELECT data_json AS json, last_updated_ms AS ms, id FROM ${table}
    WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} ORDER BY last_updated_ms, id LIMIT @limit OFFSET @offset) ORDER BY last_updated_ms, id`);
  const atAfter = sqlite.prepare(`SELECT data_json AS json, last_updated_ms AS ms, id FROM ${table}
    WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} AND (last_updated_ms, id) > (@afterMs, @afterId) ORDER BY last_updated_ms, id LIMIT @limit OFFSET @offset)
    ORDER BY last_updated_ms, id`);
  const after = sqlite.prepare(`SELECT data_json AS json, last_updated_ms AS ms, id FROM ${table} WHERE ${where} AND (last_updated_ms, id) > (@afterMs, @afterId) ORDER BY last_updated_ms, id LIMIT @limit`);
  const keys = sqlite.prepare(`SELECT last_updated_ms AS ms, id FROM ${table} WHERE ${where} ORDER BY last_updated_ms, id`).raw();
  const otherWriters = sqlite.prepare('SELECT data_version FROM pragma_data_version').pluck();
  // X-Total-Count costs a scan of the platform's index range; a client paging through 100,000 sessions asks
  // for it on every page, so it is remembered for a second per filter (a count at most a second old).
  const counts = new Map<string, { n: number; atMs: number }>();
  const total = (filter: { platform: number; from: number; to: number }): number => {
    const key = `${filter.platform}|${filter.from}|${filter.to}`;
    const hit = counts.get(key);
    if (hit && Date.now() - hit.atMs < 1000) return hit.n;
    if (counts.size > 1000) counts.clear();
    const n = count.get(filter) as number;
    counts.set(key, { n, atMs: Date.now() });
    return n;
  };

  // A page at an arbitrary offset (OCPI pagination is offset-based; Link uses a keyset) would walk every row before
  // it. Instead the key of every 1,000th row of the list is remembered, and the page starts from the checkpoint
  // below its offset. The checkpoints are exact until the table changes: every write through this store (`changed`)
  // and every commit of another process (data_version) drops them.
  let writes = 0;
  const checkpoints = new Map<string, { stamp: string; keys: Array<[number, string]> }>();
  function checkpointsFor(filter: { platform: number; from: number; to: number }): Array<[number, string]> {
    const stamp = `${writes}:${otherWriters.get() as number}`;
    const key = `${filter.platform}|${filter.from}|${filter.to}`;
    const hit = checkpoints.get(key);
    if (hit && hit.stamp === stamp) return hit.keys;
    const list: Array<[number, string]> = [];
    let n = 0;
    for (const row of keys.iterate(filter) as IterableIterator<[number, string]>) {
      if (++n % CHECKPOINT_EVERY === 0) list.push(row);
    }
    if (checkpoints.size > 100) checkpoints.clear();
    checkpoints.set(key, { stamp, keys: list });
    return list;
  }

  function atOffset(filter: { platform: number; from: number; to: number }, limit: number, offset: number) {
    if (offset < CHECKPOINT_FROM) return at.all({ ...filter, limit, offset });
    const marks = checkpointsFor(filter);
    // marks[k] is the key of row (k + 1) * CHECKPOINT_EVERY (1-based): the page continues after it.
    const k = Math.min(Math.floor(offset / CHECKPOINT_EVERY), marks.length);
    if (k === 0) return at.all({ ...filter, limit, offset });
    const [afterMs, afterId] = marks[k - 1]!;
    return atAfter.all({ ...filter, from: Math.max(filter.from, afterMs), afterMs, afterId, limit, offset: offset - k * CHECKPOINT_EVERY });
  }

  const page = (platformId: number, q: PageQuery): Page<string> => {
    const filter = { platform: platformId, from: q.fromMs ?? -END, to: q.toMs ?? END };
    const key = q.after?.match(/^(\d+)\|(.+)$/);
    const rows = (key
      // the keyset position also narrows the index range, so a page deep in the list does not walk the rows before it
      ? after.all({ ...filter, from: Math.max(filter.from, Number(key[1])), afterMs: Number(key[1]), afterId: key[2], limit: q.limit })
      : atOffset(filter, q.limit, q.offset)) as Array<{ json: string; ms: number; id: string }>;
    const last = rows[rows.length - 1];
    return { items: rows.map((r) => r.json), total: total(filter), lastKey: last ? `${last.ms}|${last.id}` : undefined };
  };
  return { page, changed: () => void writes++ };
}

export function openSessionCdrStore(sqlite: SqliteHandle): SessionCdrStore {
  const upsertSession = sqlite.prepare(`
    INSERT INTO ocpi_sessions (id, transaction_row_id, platform_id, status, data_json, last_updated_ms) VALUES (@id, @transactionRowId, @platformId, @status, @json, @lastUpdatedMs)
    ON CONFLICT (id) DO UPDATE SET transaction_row_id = COALESCE(excluded.transaction_row_id, transaction_row_id), platform_id = excluded.platform_id, status = excluded.status, data_json = excluded.data_json, last_updated_ms = excluded.last_updated_ms`);
  const getSession = sqlite.prepare('SELECT id, transaction_row_id AS transactionRowId, platform_id AS platformId, status, data_json AS json, last_updated_ms AS lastUpdatedMs FROM ocpi_sessions WHERE id = ?');
  const insertCdr = sqlite.prepare(`
    INSERT INTO ocpi_cdrs (id, transaction_row_id, platform_id, credit, data_json, last_updated_ms, attempts, next_attempt_at_ms)
    VALUES (@id, @transactionRowId, @platformId, @credit, @json, @lastUpdatedMs, 0, @next) ON CONFLICT (id) DO NOTHING`);
  const getCdr = sqlite.prepare(`SELECT ${CDR_COLUMNS} FROM ocpi_cdrs WHERE id = ?`);
  const cdrOfTx = sqlite.prepare(`SELECT ${CDR_COLUMNS} FROM ocpi_cdrs WHERE transaction_row_id = ? AND credit = 0 ORDER BY last_updated_ms LIMIT 1`);
  const due = sqlite.prepare(`SELECT ${CDR_COLUMNS} FROM ocpi_cdrs WHERE delivered_at_ms IS NULL AND next_attempt_at_ms IS NOT NULL AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms, id LIMIT ?`);
  const delivered = sqlite.prepare('UPDATE ocpi_cdrs SET delivered_at_ms = ?, delivered_location = ?, last_error = NULL, next_attempt_at_ms = NULL WHERE id = ?');
  const retry = sqlite.prepare('UPDATE ocpi_cdrs SET attempts = ?, next_attempt_at_ms = ?, last_error = ? WHERE id = ?');
  const undelivered = sqlite.prepare('SELECT COUNT(*) AS count, MIN(last_updated_ms) AS oldestMs FROM ocpi_cdrs WHERE delivered_at_ms IS NULL AND next_attempt_at_ms IS NOT NULL');
  const withoutCdr = sqlite.prepare(`SELECT t.id FROM transactions t WHERE t.status = 'ended' AND NOT EXISTS (SELECT 1 FROM ocpi_cdrs c WHERE c.transaction_row_id = t.id) ORDER BY t.id LIMIT ?`).pluck();
  const RS_COLUMNS = `session_id AS sessionId, reservation_row_id AS reservationRowId, platform_id AS platformId, started_at_ms AS startedAtMs, ended_at_ms AS endedAtMs,
    outcome, transaction_row_id AS transactionRowId, token_row_id AS tokenRowId, authorization_reference AS authorizationReference, snapshot_json AS snapshotJson, updated_at_ms AS updatedAtMs`;
  const insertRs = sqlite.prepare(`INSERT INTO reservation_sessions (session_id, reservation_row_id, platform_id, started_at_ms, ended_at_ms, outcome, transaction_row_id, token_row_id, authorization_reference, snapshot_json, updated_at_ms)
    VALUES (@sessionId, @reservationRowId, @platformId, @startedAtMs, @endedAtMs, @outcome, @transactionRowId, @tokenRowId, @authorizationReference, @snapshotJson, @updatedAtMs)`);
  const getRs = sqlite.prepare(`SELECT ${RS_COLUMNS} FROM reservation_sessions WHERE session_id = ?`);
  const openRs = sqlite.prepare(`SELECT ${RS_COLUMNS} FROM reservation_sessions WHERE reservation_row_id = ? AND outcome IS NULL ORDER BY started_at_ms DESC LIMIT 1`);
  const rsOfTx = sqlite.prepare(`SELECT ${RS_COLUMNS} FROM reservation_sessions WHERE transaction_row_id = ?`);
  const endRs = sqlite.prepare('UPDATE reservation_sessions SET outcome = @outcome, ended_at_ms = @endedAtMs, transaction_row_id = @transactionRowId, updated_at_ms = @updatedAtMs WHERE session_id = @sessionId AND outcome IS NULL');
  // Only those whose tariff prices reservations (domain/reservation-facts.ts pricesReservations): the others never get
  // a CDR and would be looked at again on every start.
  const expiredWithoutCdr = sqlite.prepare(`SELECT r.session_id FROM reservation_sessions r WHERE r.outcome = 'expired'
    AND NOT EXISTS (SELECT 1 FROM ocpi_cdrs c WHERE c.id = r.session_id)
    AND EXISTS (SELECT 1 FROM json_each(r.snapshot_json, '$.tariffs[0].elements') e WHERE json_extract(e.value, '$.restrictions.reservation') IS NOT NULL)
    ORDER BY r.ended_at_ms LIMIT ?`).pluck();
  const toCdr = (row: any): StoredCdr | undefined => (row ? { ...row, credit: Boolean(row.credit) } : undefined);

  const sessionPager = pager(sqlite, 'ocpi_sessions');
  const cdrPager = pager(sqlite, 'ocpi_cdrs');

  return {
    upsertSession: (s) => {
      upsertSession.run(s);
      sessionPager.changed();
    },
    getSession: (id) => getSession.get(id) as ReturnType<SessionCdrStore['getSession']>,
    sessionPage: sessionPager.page,
    insertCdr: (c, deliverAtMs) => {
      cdrPager.changed();
      return insertCdr.run({ ...c, credit: c.credit ? 1 : 0, next: deliverAtMs }).changes > 0;
    },
    getCdr: (id) => toCdr(getCdr.get(id)),
    cdrOfTransaction: (txRowId) => toCdr(cdrOfTx.get(txRowId)),
    cdrPage: cdrPager.page,
    dueCdrs: (nowMs, limit) => (due.all(nowMs, limit) as any[]).map((r) => toCdr(r)!),
    cdrDelivered: (id, location, atMs) => {
      delivered.run(atMs, location, id);
    },
    cdrRetry: (id, attempts, next, error) => {
      retry.run(attempts, next, error.slice(0, 500), id);
    },
    undeliveredCdrs: () => undelivered.get() as { count: number; oldestMs: number | null },
    endedTransactionsWithoutCdr: (limit) => withoutCdr.all(limit) as number[],
    insertReservationSession: (r) => {
      insertRs.run(r);
    },
    getReservationSession: (id) => getRs.get(id) as ReservationSessionRecord | undefined,
    openReservationSession: (reservationRowId) => openRs.get(reservationRowId) as ReservationSessionRecord | undefined,
    reservationSessionOfTransaction: (txRowId) => rsOfTx.get(txRowId) as ReservationSessionRecord | undefined,
    endReservationSession: (sessionId, end) => {
      endRs.run({ sessionId, ...end });
    },
    expiredReservationSessionsWithoutCdr: (limit) => expiredWithoutCdr.all(limit) as string[],
  };
}
