/**
 * The Store port (domain/ports.ts) on SQLite. Reads and rare writes use the drizzle query builder; the hot
 * write paths (meter readings, the OCPP message log) use prepared statements, which measured ~10x faster
 * (reference/performance-limits.md §2). Every method is synchronous; callers group writes with transaction().
 */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Store } from '../domain/ports.js';
import type { ChargerRecord, EvseRecord, SignedReadingRecord, TransactionRecord } from '../domain/records.js';
import type { Fault } from '../domain/model.js';
import { openDatabase, type OpenOptions } from './open.js';
import {
  chargers, connectors, evses, faults, idTokens, locations, meterSamples, ocppMessages, settings, signedMeterValues,
  tariffs, transactions,
} from './schema.js';
import { syncSite } from './site-sync.js';
import { createGroupCommit } from './group-commit.js';
import { rawTable } from './raw-table.js';
import { openReportStore } from './report-store.js';

export function openStore(options: OpenOptions & { onCommit?: (seconds: number) => void; onCommitError?: (err: Error) => void }): Store & { sqlite: ReturnType<typeof openDatabase>['sqlite'] } {
  const { db, sqlite } = openDatabase(options);

  const insertReading = sqlite.prepare(
    `INSERT INTO meter_samples (charger_identity, evse_ocpp_id, transaction_row_id, sampled_at_ms, measurand, phase, location, context, value, unit, raw_value, raw_unit)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = sqlite.prepare(
    'INSERT INTO ocpp_messages (charger_identity, direction, kind, action, message_id, payload, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertSigned = sqlite.prepare(
    `INSERT INTO signed_meter_values (charger_identity, evse_ocpp_id, transaction_row_id, sampled_at_ms, context, ocpp_context, raw, encoding_method, signing_method, public_key, received_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  // Hot reads as prepared drizzle queries: the query builder re-renders and re-prepares SQL on every call,
  // which measured as a third of the bridge's CPU per MeterValues (bench/ocpp16-load.mjs).
  const ph = (name: string) => sql.placeholder(name);
  // The per-message rows (charger, EVSE, transaction) go further: raw statements with drizzle's column codecs
  // (raw-table.ts); even prepared drizzle queries map every row field by field (bench/ocpp201-load.mjs).
  const chargerRows = rawTable<ChargerRecord>(sqlite, chargers);
  const evseRows = rawTable<EvseRecord>(sqlite, evses);
  const txRows = rawTable<TransactionRecord>(sqlite, transactions);
  const signedRows = rawTable<SignedReadingRecord>(sqlite, signedMeterValues);
  const chargerByIdentity = chargerRows.select('WHERE identity = ?');
  const evseByKey = evseRows.select('WHERE charger_identity = ? AND ocpp_id = ?');
  const evseById = evseRows.select('WHERE id = ?');
  const txById = txRows.select('WHERE id = ?');
  const txByOcppId = txRows.select('WHERE charger_identity = ? AND ocpp_transaction_id = ?');
  // Asked per 1.6 MeterValues without transactionId and per charging-state StatusNotification: the transactions_evse
  // index (evse_row_id, status) finds the EVSE's active transaction directly.
  const activeTxOnEvse = txRows.select("WHERE evse_row_id = @evse AND status = 'active' ORDER BY id DESC LIMIT 1");
  // transactions_status (status, charger_identity) serves both; 2.0.1 authorization asks per event with a token.
  const activeTxs = txRows.select("WHERE status = 'active' ORDER BY id");
  const activeTxsOf = txRows.select("WHERE status = 'active' AND charger_identity = ? ORDER BY id");
  const setOcppTxId = sqlite.prepare('UPDATE transactions SET ocpp_transaction_id = ? WHERE id = ?');
  const signedOfTx = signedRows.select('WHERE transaction_row_id = ? ORDER BY id');
  // TransactionEvent bookkeeping runs once per 2.0.1 transaction message (bench/ocpp201-load.mjs): prepared like the MeterValues path.
  const insertTxEvent = sqlite.prepare('INSERT INTO transaction_events (transaction_row_id, seq_no, event_type, trigger_reason, at_ms, offline) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const txEventSeqNos = sqlite.prepare('SELECT seq_no FROM transaction_events WHERE transaction_row_id = ? ORDER BY seq_no').pluck();
  const connectorsOfEvse = db.select().from(connectors).where(eq(connectors.evseRowId, ph('evseRowId'))).orderBy(connectors.id).prepare();
  const locationById = db.select().from(locations).where(eq(locations.id, ph('id'))).prepare();
  const allTariffs = db.select().from(tariffs).orderBy(tariffs.id).prepare();
  const tokenById = db.select().from(idTokens).where(eq(idTokens.id, ph('id'))).prepare();
  const duplicateStart = txRows.select('WHERE charger_identity = ? AND evse_row_id IS ? AND id_tag = ? AND started_at_ms = ? AND meter_start_wh = ?');
  const readingsOfTx = sqlite.prepare(`SELECT id, sampled_at_ms AS sampledAtMs, measurand, phase, location, context, value, unit, raw_value AS rawValue, raw_unit AS rawUnit
    FROM meter_samples WHERE transaction_row_id = ? ORDER BY sampled_at_ms, id`);
  const healthWrite = sqlite.prepare("INSERT INTO settings (key, value, updated_at_ms) VALUES ('health_check', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms");
  // Status page reads: the newest transactions ended since a moment (transactions_updated narrows the range, as an
  // ended transaction was updated at or after its end), and a charger's power samples (meter_samples_charger).
  const endedSince = sqlite.prepare(`SELECT id FROM transactions WHERE updated_at_ms >= @since AND status = 'ended' AND ended_at_ms >= @since ORDER BY id DESC LIMIT @limit`).pluck();
  const powerSamples = sqlite.prepare(`SELECT evse_ocpp_id AS evseOcppId, sampled_at_ms AS sampledAtMs,
      COALESCE(MAX(CASE WHEN phase IS NULL THEN value END), SUM(CASE WHEN phase IN ('L1', 'L2', 'L3', 'L1-N', 'L2-N', 'L3-N') THEN value END)) AS powerW
    FROM meter_samples WHERE charger_identity = ? AND sampled_at_ms >= ? AND measurand = 'Power.Active.Import' AND unit = 'W'
    GROUP BY evse_ocpp_id, sampled_at_ms HAVING powerW IS NOT NULL ORDER BY sampled_at_ms LIMIT ?`);
  const messageById = db.select().from(ocppMessages).where(eq(ocppMessages.id, ph('id'))).prepare();
  const updateMeter = sqlite.prepare('UPDATE transactions SET last_meter_wh = COALESCE(?, last_meter_wh), last_power_w = COALESCE(?, last_power_w), updated_at_ms = ? WHERE id = ?');

  const batches = createGroupCommit(sqlite, options);

  const store: Store & { sqlite: typeof sqlite } = {
    sqlite,
    ...openReportStore(sqlite),
    transaction: (fn) => batches.write(fn),
    durable: () => batches.durable(),
    close: () => {
      if (sqlite.open) {
        batches.flush();
        try {
          sqlite.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          sqlite.close();
        }
      }
    },
    checkWritable: (atMs) => {
      // A storage failure of the last write stays reported until a later commit of real writes succeeds.
      const failed = batches.storageError();
      if (failed) throw new Error(failed);
      healthWrite.run(String(atMs), atMs);
    },
    getSetting: (key) => db.select().from(settings).where(eq(settings.key, key)).get()?.value,
    setSetting: (key, value, atMs) => {
      db.insert(settings).values({ key, value, updatedAtMs: atMs }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAtMs: atMs } }).run();
    },

    syncSite: (site, atMs) => batches.write(() => syncSite(db, site, atMs)),
    getCharger: (identity) => chargerByIdentity.get(identity),
    listChargers: () => db.select().from(chargers).orderBy(chargers.identity).all() as ChargerRecord[],
    createUnconfiguredCharger: (identity, locationId, atMs) =>
      db.insert(chargers).values({ identity, locationId, configured: false, createdAtMs: atMs, updatedAtMs: atMs })
        .onConflictDoNothing().returning().get() as ChargerRecord ?? (store.getCharger(identity) as ChargerRecord),
    updateCharger: (identity, patch) => {
      // An empty patch falls through to the builder, which refuses it as before.
      if (!chargerRows.update('identity', identity, patch)) db.update(chargers).set(patch as Partial<typeof chargers.$inferInsert>).where(eq(chargers.identity, identity)).run();
    },
    getEvse: (identity, ocppId) => evseByKey.get(identity, ocppId),
    getEvseByRowId: (id) => evseById.get(id),
    listEvses: (identity) =>
      (identity
        ? db.select().from(evses).where(eq(evses.chargerIdentity, identity)).orderBy(evses.ocppId).all()
        : db.select().from(evses).orderBy(evses.chargerIdentity, evses.ocppId).all()) as EvseRecord[],
    createUnconfiguredEvse: (identity, ocppId, locationId, atMs) =>
      db.insert(evses).values({ chargerIdentity: identity, ocppId, uid: `${identity}*${ocppId}`.slice(0, 36), locationId, configured: false, status: 'Unknown', lastUpdatedMs: atMs })
        .returning().get() as EvseRecord,
    updateEvse: (id, patch) => {
      if (!evseRows.update('id', id, patch)) db.update(evses).set(patch as Partial<typeof evses.$inferInsert>).where(eq(evses.id, id)).run();
    },
    listConnectors: (evseRowId) =>
      evseRowId === undefined
        ? db.select().from(connectors).orderBy(connectors.evseRowId, connectors.id).all()
        : connectorsOfEvse.all({ evseRowId }),
    updateConnector: (id, patch) => {
      db.update(connectors).set(patch).where(eq(connectors.id, id)).run();
    },
    listLocations: () => db.select().from(locations).orderBy(locations.id).all().map((l) => ({ ...l, data: JSON.parse(l.dataJson) })),
    getLocation: (id) => {
      const l = locationById.get({ id });
      return l && { ...l, data: JSON.parse(l.dataJson) };
    },
    listTariffs: () => allTariffs.all().map((t) => ({ ...t, data: JSON.parse(t.dataJson) })),

    getTransaction: (id) => txById.get(id),
    findTransaction: (identity, ocppId) => txByOcppId.get(identity, ocppId),
    findActiveTransactionOnEvse: (evseRowId) => activeTxOnEvse.get({ evse: evseRowId }),
    recordMeter: (id, energyWh, powerW, atMs) => {
      updateMeter.run(energyWh ?? null, powerW ?? null, atMs, id);
    },
    findDuplicateStart: (identity, evseRowId, idTag, startedAtMs, meterStartWh) =>
      duplicateStart.get(identity, evseRowId, idTag, startedAtMs, meterStartWh),
    insertTransaction: (tx) => {
      const values = {
        chargerIdentity: tx.chargerIdentity, evseRowId: tx.evseRowId, connectorRowId: tx.connectorRowId,
        ocppTransactionId: tx.ocppTransactionId ?? `pending-${process.hrtime.bigint()}`, protocol: tx.protocol,
        idTag: tx.idTag, idTokenType: tx.idTokenType, authStatus: tx.authStatus, authMethod: tx.authMethod,
        authorizationReference: tx.authorizationReference, tokenRowId: tx.tokenRowId, platformId: tx.platformId,
        status: tx.status, startedAtMs: tx.startedAtMs, endedAtMs: tx.endedAtMs ?? null, meterStartWh: tx.meterStartWh,
        lastMeterWh: tx.meterStartWh, reservationId: tx.reservationId ?? null, remoteStartId: tx.remoteStartId ?? null,
        orphan: tx.orphan ?? false, offline: tx.offline ?? false, snapshotJson: tx.snapshotJson, createdAtMs: tx.atMs, updatedAtMs: tx.atMs,
      };
      let row = txRows.insertReturning(values);
      if (tx.ocppTransactionId === undefined) {
        // OCPP 1.6 §6.46: the central system assigns the integer transactionId; the row id is unique and never reused.
        setOcppTxId.run(String(row.id), row.id);
        row = { ...row, ocppTransactionId: String(row.id) };
      }
      return row;
    },
    updateTransaction: (id, patch) => {
      if (!txRows.update('id', id, patch)) db.update(transactions).set(patch as Partial<typeof transactions.$inferInsert>).where(eq(transactions.id, id)).run();
    },
    listActiveTransactions: (identity) => (identity ? activeTxsOf.all(identity) : activeTxs.all()),
    listRecentTransactions: (limit) => db.select().from(transactions).orderBy(desc(transactions.id)).limit(limit).all() as TransactionRecord[],
    listTransactionsEndedSince: (sinceMs, limit) => {
      const ids = endedSince.all({ since: sinceMs, limit }) as number[];
      return ids.length ? db.select().from(transactions).where(inArray(transactions.id, ids)).orderBy(desc(transactions.id)).all() as TransactionRecord[] : [];
    },
    listPowerSamples: (identity, sinceMs, limit) =>
      powerSamples.all(identity, sinceMs, limit) as Array<{ evseOcppId: number | null; sampledAtMs: number; powerW: number }>,
    insertReadings: (identity, evseOcppId, txRowId, readings) => {
      for (const r of readings) {
        insertReading.run(identity, evseOcppId, txRowId, r.sampledAt.getTime(), r.measurand, r.phase ?? null, r.location ?? null, r.context ?? null, r.value, r.unit, r.rawValue, r.rawUnit ?? null);
      }
    },
    insertSignedReadings: (identity, evseOcppId, txRowId, readings, atMs) =>
      readings.map((r) => Number(insertSigned.run(identity, evseOcppId, txRowId, r.sampledAt.getTime(), r.context, r.ocppContext ?? null, r.raw, r.encodingMethod ?? null, r.signingMethod ?? null, r.publicKey ?? null, atMs).lastInsertRowid)),
    listSignedReadings: (q) =>
      ('ids' in q
        ? (q.ids.length ? db.select().from(signedMeterValues).where(inArray(signedMeterValues.id, q.ids)).orderBy(signedMeterValues.id).all() : [])
        : signedOfTx.all(q.transactionRowId)) as SignedReadingRecord[],
    setSignedVerification: (id, verification, reason) => {
      db.update(signedMeterValues).set({ verification, verificationReason: reason.slice(0, 1000) }).where(eq(signedMeterValues.id, id)).run();
    },
    listReadings: (txRowId) =>
      (readingsOfTx.all(txRowId) as Array<{ id: number; sampledAtMs: number; measurand: string; phase: string | null; location: string | null; context: string | null; value: number; unit: string; rawValue: string; rawUnit: string | null }>).map((r) => ({
        id: r.id, sampledAt: new Date(r.sampledAtMs), measurand: r.measurand, phase: r.phase ?? undefined, location: r.location ?? undefined,
        context: r.context ?? undefined, value: r.value, unit: r.unit, rawValue: r.rawValue, rawUnit: r.rawUnit ?? undefined,
      })),
    recordTransactionEvent: (txRowId, seqNo, eventType, triggerReason, atMs, offline) =>
      insertTxEvent.run(txRowId, seqNo, eventType, triggerReason, atMs, offline ? 1 : 0).changes > 0,
    listTransactionEventSeqNos: (txRowId) => txEventSeqNos.all(txRowId) as number[],

    getIdToken: (id) => tokenById.get({ id }),

    logOcppMessage: (m) => {
      insertMessage.run(m.chargerIdentity, m.direction, m.kind, m.action, m.messageId, m.payload, m.atMs);
    },
    listOcppMessages: (identity, limit, action) =>
      db.select().from(ocppMessages).where(action ? and(eq(ocppMessages.chargerIdentity, identity), eq(ocppMessages.action, action)) : eq(ocppMessages.chargerIdentity, identity))
        .orderBy(desc(ocppMessages.id)).limit(limit).all(),
    getOcppMessage: (id) => messageById.get({ id }),
    trimOcppMessages: (keep) =>
      sqlite.prepare('DELETE FROM ocpp_messages WHERE id <= (SELECT MAX(id) FROM ocpp_messages) - ?').run(keep).changes,
    raiseFault: (f) =>
      Number(db.insert(faults).values({
        chargerIdentity: f.chargerIdentity ?? null, evseOcppId: f.evseOcppId ?? null, transactionRowId: f.transactionRowId ?? null,
        source: f.source, code: f.code, message: f.message, detailsJson: f.details === undefined ? null : JSON.stringify(f.details), raisedAtMs: f.raisedAtMs,
      }).run().lastInsertRowid),
    clearFaults: (identity, code, evseOcppId, atMs) =>
      db.update(faults).set({ clearedAtMs: atMs }).where(and(
        eq(faults.chargerIdentity, identity), eq(faults.code, code), isNull(faults.clearedAtMs),
        evseOcppId === null ? isNull(faults.evseOcppId) : eq(faults.evseOcppId, evseOcppId),
      )).run().changes,
    clearTransactionFaults: (txRowId, code, atMs) =>
      db.update(faults).set({ clearedAtMs: atMs }).where(and(eq(faults.transactionRowId, txRowId), eq(faults.code, code), isNull(faults.clearedAtMs))).run().changes,
    listFaults: ({ identity, open, limit }) => {
      const conditions = [identity ? eq(faults.chargerIdentity, identity) : undefined, open ? isNull(faults.clearedAtMs) : undefined].filter(Boolean);
      return db.select().from(faults).where(conditions.length ? and(...conditions) : undefined).orderBy(desc(faults.id)).limit(limit).all().map(toFault);
    },
  };
  return store;
}

function toFault(r: typeof faults.$inferSelect): Fault {
  return {
    id: r.id, chargerIdentity: r.chargerIdentity ?? undefined, evseOcppId: r.evseOcppId ?? undefined, transactionRowId: r.transactionRowId ?? undefined,
    source: r.source as Fault['source'], code: r.code, message: r.message, details: r.detailsJson ? JSON.parse(r.detailsJson) : undefined,
    raisedAt: new Date(r.raisedAtMs), clearedAt: r.clearedAtMs === null ? undefined : new Date(r.clearedAtMs),
  };
}
