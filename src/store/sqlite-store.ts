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
  const chargerByIdentity = db.select().from(chargers).where(eq(chargers.identity, ph('identity'))).prepare();
  const evseByKey = db.select().from(evses).where(and(eq(evses.chargerIdentity, ph('identity')), eq(evses.ocppId, ph('ocppId')))).prepare();
  const evseById = db.select().from(evses).where(eq(evses.id, ph('id'))).prepare();
  const txById = db.select().from(transactions).where(eq(transactions.id, ph('id'))).prepare();
  const txByOcppId = db.select().from(transactions).where(and(eq(transactions.chargerIdentity, ph('identity')), eq(transactions.ocppTransactionId, ph('ocppId')))).prepare();
  const activeTxOnEvse = db.select().from(transactions).where(and(eq(transactions.status, 'active'), eq(transactions.evseRowId, ph('evseRowId')))).orderBy(desc(transactions.id)).limit(1).prepare();
  // TransactionEvent bookkeeping runs once per 2.0.1 transaction message (bench/ocpp201-load.mjs): prepared like the MeterValues path.
  const insertTxEvent = sqlite.prepare('INSERT INTO transaction_events (transaction_row_id, seq_no, event_type, trigger_reason, at_ms, offline) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const txEventSeqNos = sqlite.prepare('SELECT seq_no FROM transaction_events WHERE transaction_row_id = ? ORDER BY seq_no').pluck();
  const connectorsOfEvse = db.select().from(connectors).where(eq(connectors.evseRowId, ph('evseRowId'))).orderBy(connectors.id).prepare();
  const locationById = db.select().from(locations).where(eq(locations.id, ph('id'))).prepare();
  const allTariffs = db.select().from(tariffs).orderBy(tariffs.id).prepare();
  const tokenById = db.select().from(idTokens).where(eq(idTokens.id, ph('id'))).prepare();
  const tokensByUid = db.select().from(idTokens).where(sql`${idTokens.uid} = ${ph('uid')} COLLATE NOCASE`).prepare();
  const duplicateStart = db.select().from(transactions).where(and(
    eq(transactions.chargerIdentity, ph('identity')), sql`${transactions.evseRowId} IS ${ph('evseRowId')}`,
    eq(transactions.idTag, ph('idTag')), eq(transactions.startedAtMs, ph('startedAtMs')), eq(transactions.meterStartWh, ph('meterStartWh')),
  )).prepare();
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
    getCharger: (identity) => chargerByIdentity.get({ identity }) as ChargerRecord | undefined,
    listChargers: () => db.select().from(chargers).orderBy(chargers.identity).all() as ChargerRecord[],
    createUnconfiguredCharger: (identity, locationId, atMs) =>
      db.insert(chargers).values({ identity, locationId, configured: false, createdAtMs: atMs, updatedAtMs: atMs })
        .onConflictDoNothing().returning().get() as ChargerRecord ?? (store.getCharger(identity) as ChargerRecord),
    updateCharger: (identity, patch) => {
      db.update(chargers).set(patch as Partial<typeof chargers.$inferInsert>).where(eq(chargers.identity, identity)).run();
    },
    getEvse: (identity, ocppId) => evseByKey.get({ identity, ocppId }) as EvseRecord | undefined,
    getEvseByRowId: (id) => evseById.get({ id }) as EvseRecord | undefined,
    listEvses: (identity) =>
      (identity
        ? db.select().from(evses).where(eq(evses.chargerIdentity, identity)).orderBy(evses.ocppId).all()
        : db.select().from(evses).orderBy(evses.chargerIdentity, evses.ocppId).all()) as EvseRecord[],
    createUnconfiguredEvse: (identity, ocppId, locationId, atMs) =>
      db.insert(evses).values({ chargerIdentity: identity, ocppId, uid: `${identity}*${ocppId}`.slice(0, 36), locationId, configured: false, status: 'Unknown', lastUpdatedMs: atMs })
        .returning().get() as EvseRecord,
    updateEvse: (id, patch) => {
      db.update(evses).set(patch as Partial<typeof evses.$inferInsert>).where(eq(evses.id, id)).run();
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

    getTransaction: (id) => txById.get({ id }) as TransactionRecord | undefined,
    findTransaction: (identity, ocppId) => txByOcppId.get({ identity, ocppId }) as TransactionRecord | undefined,
    findActiveTransactionOnEvse: (evseRowId) => activeTxOnEvse.get({ evseRowId }) as TransactionRecord | undefined,
    recordMeter: (id, energyWh, powerW, atMs) => {
      updateMeter.run(energyWh ?? null, powerW ?? null, atMs, id);
    },
    findDuplicateStart: (identity, evseRowId, idTag, startedAtMs, meterStartWh) =>
      duplicateStart.get({ identity, evseRowId, idTag, startedAtMs, meterStartWh }) as TransactionRecord | undefined,
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
      let row = db.insert(transactions).values(values).returning().get() as TransactionRecord;
      if (tx.ocppTransactionId === undefined) {
        // OCPP 1.6 §6.46: the central system assigns the integer transactionId; the row id is unique and never reused.
        db.update(transactions).set({ ocppTransactionId: String(row.id) }).where(eq(transactions.id, row.id)).run();
        row = { ...row, ocppTransactionId: String(row.id) };
      }
      return row;
    },
    updateTransaction: (id, patch) => {
      db.update(transactions).set(patch as Partial<typeof transactions.$inferInsert>).where(eq(transactions.id, id)).run();
    },
    listActiveTransactions: (identity) =>
      db.select().from(transactions).where(identity ? and(eq(transactions.status, 'active'), eq(transactions.chargerIdentity, identity)) : eq(transactions.status, 'active'))
        .orderBy(transactions.id).all() as TransactionRecord[],
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
        : db.select().from(signedMeterValues).where(eq(signedMeterValues.transactionRowId, q.transactionRowId)).orderBy(signedMeterValues.id).all()) as SignedReadingRecord[],
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
    findTokensByUid: (uid) => tokensByUid.all({ uid }),

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
