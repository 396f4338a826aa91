/**
 * Hot-path reads and writes of one drizzle table as plain better-sqlite3 statements, with drizzle's own column
 * codecs (booleans stored as 0/1, ...), so the rows and values are exactly what the query builder would give and
 * take. The builder renders and prepares SQL on every call and its prepared queries map each row field by field:
 * for the per-message transaction reads and writes that was about half of the bridge's CPU per 2.0.1
 * TransactionEvent (bench/ocpp201-load.mjs; reference/performance-limits.md §2: keep the builder off hot paths).
 */
import type Database from 'better-sqlite3';
import { Column, getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Distinct patch shapes are few (one per call site); the bound only guards against a caller building keys dynamically. */
const MAX_CACHED_SHAPES = 256;

export interface RawTable<Row> {
  /** `"column" AS "field", ...` in the table's field order: a raw SELECT of it yields the builder's row shape. */
  readonly columns: string;
  readonly name: string;
  /** Prepares `SELECT <columns> FROM <table> <rest>`; rows come back decoded like the builder's. */
  select(rest: string): { get(...params: unknown[]): Row | undefined; all(...params: unknown[]): Row[] };
  /** UPDATE ... SET <the fields of patch that are columns and not undefined> WHERE <keyField> = ?; false when nothing was to set. */
  update(keyField: string, key: unknown, patch: Record<string, unknown>): boolean;
  /** INSERT of one row (fields left undefined get the column default, else NULL, as the builder does) RETURNING the row. */
  insertReturning(values: Record<string, unknown>): Row;
}

export function rawTable<Row>(sqlite: Database.Database, table: SQLiteTable): RawTable<Row> {
  const fields = Object.entries(getTableColumns(table)) as Array<[string, SQLiteColumn]>;
  const byField = new Map(fields);
  const name = getTableName(table);
  const columns = fields.map(([field, c]) => `${quote(c.name)} AS ${quote(field)}`).join(', ');
  // Only columns whose codec is not the identity (booleans, JSON, timestamps) need work per row.
  const decoded = fields.filter(([, c]) => c.mapFromDriverValue !== Column.prototype.mapFromDriverValue);
  const encode = (c: SQLiteColumn, v: unknown) => (v === null ? null : c.mapToDriverValue(v));
  if (fields.some(([, c]) => c.onUpdateFn !== undefined || c.defaultFn !== undefined)) {
    // The builder would call these per statement; this module does not: refuse rather than differ silently.
    throw new Error(`rawTable(${name}): columns with $onUpdate/$defaultFn are not supported`);
  }

  function decode(row: Record<string, unknown> | undefined): Row | undefined {
    if (row) {
      for (const [field, c] of decoded) {
        const v = row[field];
        if (v !== null && v !== undefined) row[field] = c.mapFromDriverValue(v);
      }
    }
    return row as Row | undefined;
  }

  const updates = new Map<string, Database.Statement>();
  // As the builder: generated columns are not inserted (shouldDisableInsert is drizzle-internal, hence the cast).
  const insertColumns = fields.filter(([, c]) => !(c as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert());
  let insert: Database.Statement | undefined;

  return {
    columns,
    name,
    select(rest) {
      const stmt = sqlite.prepare(`SELECT ${columns} FROM ${quote(name)} ${rest}`);
      return {
        get: (...params) => decode(stmt.get(...params) as Record<string, unknown> | undefined),
        all: (...params) => (stmt.all(...params) as Array<Record<string, unknown>>).map((r) => decode(r)!),
      };
    },
    update(keyField, key, patch) {
      const keyColumn = byField.get(keyField);
      if (!keyColumn) throw new Error(`rawTable(${name}): no field ${keyField}`);
      const set: string[] = [];
      const values: unknown[] = [];
      for (const field in patch) {
        const v = patch[field];
        const c = byField.get(field);
        // Like the builder's update: undefined fields and fields that are not columns are left out.
        if (v === undefined || !c) continue;
        set.push(field);
        values.push(encode(c, v));
      }
      if (!set.length) return false;
      const shape = `${keyField}:${set.join(',')}`;
      let stmt = updates.get(shape);
      if (!stmt) {
        if (updates.size >= MAX_CACHED_SHAPES) updates.clear();
        stmt = sqlite.prepare(`UPDATE ${quote(name)} SET ${set.map((f) => `${quote(byField.get(f)!.name)} = ?`).join(', ')} WHERE ${quote(keyColumn.name)} = ?`);
        updates.set(shape, stmt);
      }
      values.push(encode(keyColumn, key));
      stmt.run(...values);
      return true;
    },
    insertReturning(row) {
      insert ??= sqlite.prepare(
        `INSERT INTO ${quote(name)} (${insertColumns.map(([, c]) => quote(c.name)).join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')}) RETURNING ${columns}`,
      );
      const values = insertColumns.map(([field, c]) => {
        const v = row[field];
        if (v !== undefined) return encode(c, v);
        if (c.default === undefined || c.default === null) return null;
        // An SQL expression as default would need the builder; none of the tables this is used for has one.
        if (typeof c.default === 'object') throw new Error(`rawTable(${name}): SQL default of ${c.name} is not supported`);
        return encode(c, c.default);
      });
      return decode(insert.get(...values) as Record<string, unknown>)!;
    },
  };
}
