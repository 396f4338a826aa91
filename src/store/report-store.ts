/**
 * The ChargerReportStore port (domain/ports.ts) on SQLite: the `charger_reports` table, one row per page of
 * a report a charger sent. Prepared statements, synchronous; the caller runs them inside the Store's
 * transaction() so a page and the pruning it causes commit together.
 */
import type { ChargerReportKind, ChargerReportRecord } from '../domain/charger-reports.js';
import type { ChargerReportStore } from '../domain/ports.js';
import type { SqliteHandle } from './open.js';

const COLUMNS = `id, charger_identity AS chargerIdentity, kind, request_id AS requestId, seq_no AS seqNo, tbc, evse_ocpp_id AS evseOcppId,
  received_at_ms AS receivedAtMs, data_json AS dataJson`;
// A report is the rows of one requestId; a row without one is a report of its own.
const REPORT_KEY = `COALESCE(request_id, 'row:' || id)`;

type Raw = Omit<ChargerReportRecord, 'tbc'> & { tbc: number };
const toRecord = (r: Raw | undefined): ChargerReportRecord | undefined => r && { ...r, tbc: r.tbc === 1 };

export function openReportStore(sqlite: SqliteHandle): ChargerReportStore {
  const pages = sqlite.prepare(`SELECT id, seq_no AS seqNo, tbc FROM charger_reports
    WHERE charger_identity = ? AND kind = ? AND request_id = ? ORDER BY id`);
  const byId = sqlite.prepare(`SELECT ${COLUMNS} FROM charger_reports WHERE id = ?`);
  const insert = sqlite.prepare(`INSERT INTO charger_reports (charger_identity, kind, request_id, seq_no, tbc, evse_ocpp_id, received_at_ms, data_json)
    VALUES (@chargerIdentity, @kind, @requestId, @seqNo, @tbc, @evseOcppId, @receivedAtMs, @dataJson)`);
  const remove = sqlite.prepare('DELETE FROM charger_reports WHERE id IN (SELECT value FROM json_each(?))');
  const pruneReports = sqlite.prepare(`DELETE FROM charger_reports WHERE charger_identity = @identity AND kind = @kind AND ${REPORT_KEY} IN (
    SELECT ${REPORT_KEY} AS report FROM charger_reports WHERE charger_identity = @identity AND kind = @kind
    GROUP BY report ORDER BY MAX(id) DESC LIMIT -1 OFFSET @keep)`);
  const pruneRows = sqlite.prepare(`DELETE FROM charger_reports WHERE id IN (
    SELECT id FROM charger_reports WHERE charger_identity = @identity AND kind = @kind ORDER BY received_at_ms DESC, id DESC LIMIT -1 OFFSET @keep)`);
  const newest = sqlite.prepare(`SELECT ${COLUMNS} FROM charger_reports WHERE charger_identity = ? AND kind = ?
    ORDER BY received_at_ms DESC, id DESC LIMIT ?`);
  const newestOfRequest = sqlite.prepare(`SELECT ${COLUMNS} FROM charger_reports WHERE charger_identity = ? AND kind = ? AND request_id = ?
    ORDER BY received_at_ms DESC, id DESC LIMIT ?`);
  const summary = sqlite.prepare(`SELECT kind, COUNT(DISTINCT ${REPORT_KEY}) AS stored, COUNT(*) AS rows, MAX(received_at_ms) AS lastAtMs
    FROM charger_reports WHERE charger_identity = ? GROUP BY kind ORDER BY kind`);

  return {
    listReportPages: (identity, kind, requestId) =>
      (pages.all(identity, kind, requestId) as Array<{ id: number; seqNo: number | null; tbc: number }>).map((p) => ({ ...p, tbc: p.tbc === 1 })),
    getChargerReport: (id) => toRecord(byId.get(id) as Raw | undefined),
    insertChargerReport: (r) => Number(insert.run({ ...r, tbc: r.tbc ? 1 : 0 }).lastInsertRowid),
    deleteChargerReports: (ids) => {
      if (ids.length) remove.run(JSON.stringify(ids));
    },
    pruneChargerReports: (identity, kind, keepReports, keepRows) =>
      pruneReports.run({ identity, kind, keep: keepReports }).changes + pruneRows.run({ identity, kind, keep: keepRows }).changes,
    listChargerReports: (identity, kind, { requestId, limit }) =>
      ((requestId === undefined ? newest.all(identity, kind, limit) : newestOfRequest.all(identity, kind, requestId, limit)) as Raw[]).map((r) => toRecord(r)!),
    summarizeChargerReports: (identity) => summary.all(identity) as Array<{ kind: ChargerReportKind; stored: number; rows: number; lastAtMs: number }>,
  };
}
