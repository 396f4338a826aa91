/**
 * Transactions reported as a stream of events, version-neutral: "upsert a transaction from an event"
 * (OCPP 2.0.1 TransactionEvent, block E; reference/ocpp.md §2.1). The charger names the transaction and
 * numbers its events (seqNo). Real chargers deliver them late (offline, with old timestamps), out of order
 * or repeated after a reconnect, so: whatever event arrives first creates the record (an Updated or Ended
 * for an unknown transaction still makes a complete one), seqNo decides which event is newest, a repeat
 * changes nothing, and a hole in the seqNos is a fault until the missing event arrives. Energy comes from
 * the Transaction.Begin / Transaction.End registers (there is no meterStart/meterStop). One event is one
 * SQLite transaction; domain events are emitted after it.
 */
import { ensureEvse } from './chargers.js';
import { mergeChargingStates, withChargingState } from './charging-states.js';
import type { AuthorizationResult, IdTokenRef, MeterReading, OcppProtocol, SignedReading } from './model.js';
import type { Store } from './ports.js';
import type { TransactionRecord } from './records.js';
import { powerW } from './readings.js';
import { buildSnapshot } from './snapshot.js';
import type { TransactionServiceOptions } from './transactions.js';

export type TransactionEventKind = 'started' | 'updated' | 'ended';

export interface TransactionEventInput {
  kind: TransactionEventKind;
  /** The charger's id for the transaction (2.0.1: a string it creates). */
  ocppTransactionId: string;
  seqNo: number;
  /** When it happened, by the charger's clock (old for offline events). */
  at: Date;
  /** Why the charger sent it (2.0.1 triggerReason). */
  trigger?: string;
  /** The charger says it happened while offline. */
  offline: boolean;
  evseOcppId?: number;
  connectorOcppId?: number;
  token?: IdTokenRef;
  chargingState?: string;
  /** Only on ended; absent means Local. */
  stoppedReason?: string;
  remoteStartId?: number;
  reservationId?: number;
  readings: MeterReading[];
  signed: SignedReading[];
}

export interface TransactionEventOutcome {
  transaction: TransactionRecord;
  /** The token's authorization, whenever the event carried one (the charger acts on it). */
  auth?: AuthorizationResult;
  created: boolean;
  repeated: boolean;
  /** seqNos not received so far (a gap), empty when complete. */
  missingSeqNos: number[];
}

/** The same dependencies as the transaction service that calls it. */
export type TransactionEventDeps = TransactionServiceOptions;

export const SEQ_GAP_FAULT = 'TransactionEventGap';
const ENERGY = 'Energy.Active.Import.Register';
/** A start older than this when it reaches us happened while the charger was offline (same rule as 1.6). */
const OFFLINE_AFTER_MS = 60_000;

export async function upsertTransactionFromEvent(deps: TransactionEventDeps, identity: string, protocol: OcppProtocol, ev: TransactionEventInput): Promise<TransactionEventOutcome> {
  const { store, clock, events, log } = deps;
  // Asked before the write (it may be asynchronous); answered even for a repeat, the charger waits for it.
  const auth = ev.token
    ? await deps.authorizer.authorize(identity, ev.token, { purpose: 'event', evseOcppId: ev.evseOcppId, remoteStartId: ev.remoteStartId, reservationId: ev.reservationId })
    : undefined;
  const at = clock.now();
  const atMs = at.getTime();
  const eventAtMs = ev.at.getTime();
  const registers = ev.readings.filter((r) => r.measurand === ENERGY && !r.phase && r.unit === 'Wh');

  const out = store.transaction(() => {
    const evse = ev.evseOcppId !== undefined && ev.evseOcppId > 0 ? ensureEvse(store, identity, ev.evseOcppId, atMs) : undefined;
    let tx = store.findTransaction(identity, ev.ocppTransactionId);
    const created = !tx;
    if (!tx) {
      const snapshot = evse ? buildSnapshot(store, identity, evse.ocppId, ev.connectorOcppId) : undefined;
      tx = store.insertTransaction({
        chargerIdentity: identity, evseRowId: snapshot?.evseRowId ?? null, connectorRowId: snapshot?.connectorRowId ?? null,
        ocppTransactionId: ev.ocppTransactionId, protocol, idTag: null, idTokenType: null, authStatus: null, authMethod: null,
        authorizationReference: null, tokenRowId: null, platformId: null, status: 'active',
        // Started lost or not yet here: the earliest reading is the best start we know until it arrives.
        startedAtMs: ev.kind === 'started' ? eventAtMs : earliest(ev.readings) ?? eventAtMs, meterStartWh: null,
        orphan: ev.kind !== 'started', offline: false, snapshotJson: snapshot ? JSON.stringify(snapshot.data) : null, atMs,
      });
    }
    if (!store.recordTransactionEvent(tx.id, ev.seqNo, ev.kind, ev.trigger ?? null, eventAtMs, ev.offline)) {
      return { tx, created: false, repeated: true, ended: false, missing: [] as number[], signedIds: [] as number[], gapFaultId: undefined as number | undefined };
    }

    const patch: Partial<TransactionRecord> = { updatedAtMs: atMs };
    const newest = tx.lastSeqNo === null || ev.seqNo > tx.lastSeqNo;
    if (newest) patch.lastSeqNo = ev.seqNo;
    // The EVSE is named once (normally in Started) and remembered.
    if (tx.evseRowId === null && evse) {
      const snapshot = buildSnapshot(store, identity, evse.ocppId, ev.connectorOcppId);
      Object.assign(patch, { evseRowId: snapshot.evseRowId, connectorRowId: snapshot.connectorRowId, snapshotJson: JSON.stringify(snapshot.data) });
    }
    if (ev.kind === 'started') {
      patch.startedAtMs = eventAtMs;
      if (tx.orphan) patch.orphan = false;
    }
    // The token may come with Started, later (cable first, then Authorized) or only at the end; the first one is the session's.
    if (ev.token && tx.idTag === null) {
      Object.assign(patch, {
        idTag: ev.token.idTag, idTokenType: ev.token.type ?? null, authStatus: auth?.status ?? null, authMethod: auth?.method ?? null,
        authorizationReference: auth?.authorizationReference ?? null, tokenRowId: auth?.tokenRowId ?? null, platformId: auth?.platformId ?? null,
      });
    }
    if (ev.remoteStartId !== undefined && tx.remoteStartId === null) patch.remoteStartId = ev.remoteStartId;
    if (ev.reservationId !== undefined && tx.reservationId === null) patch.reservationId = ev.reservationId;
    if (!tx.offline && (ev.offline || (ev.kind === 'started' && eventAtMs < atMs - OFFLINE_AFTER_MS))) patch.offline = true;
    // chargingState is only sent when it changes: the newest event's wins.
    if (ev.chargingState && (newest || tx.chargingState === null)) patch.chargingState = ev.chargingState;

    // Energy: the Transaction.Begin register is the start; without one, the lowest register seen so far.
    const begin = registers.filter((r) => r.context === 'Transaction.Begin');
    if (begin.length) patch.meterStartWh = begin[0]!.value;
    else if (registers.length) {
      const low = Math.min(...registers.map((r) => r.value));
      if (tx.meterStartWh === null || low < tx.meterStartWh) patch.meterStartWh = low;
    }
    const lastRegister = registers.length ? registers[registers.length - 1]!.value : undefined;
    if (lastRegister !== undefined && (newest || tx.lastMeterWh === null)) patch.lastMeterWh = lastRegister;
    const w = powerW(ev.readings);
    if (w !== undefined && newest) patch.lastPowerW = w;

    let ended = false;
    if (ev.kind === 'ended' && tx.status !== 'ended') {
      ended = true;
      const end = registers.filter((r) => r.context === 'Transaction.End');
      const stopWh = end.length ? end[end.length - 1]!.value : lastRegister ?? patch.lastMeterWh ?? tx.lastMeterWh ?? null;
      Object.assign(patch, { status: 'ended', endedAtMs: eventAtMs, meterStopWh: stopWh, stopReason: ev.stoppedReason ?? 'Local' });
      if (stopWh !== null) patch.lastMeterWh = stopWh;
      const startedAtMs = patch.startedAtMs ?? tx.startedAtMs;
      if (startedAtMs !== null && eventAtMs < startedAtMs) {
        store.raiseFault({ chargerIdentity: identity, transactionRowId: tx.id, source: 'ocpp', code: 'StopBeforeStart', message: `transaction ${tx.ocppTransactionId} ended at ${ev.at.toISOString()}, before its start`, raisedAtMs: atMs });
      }
    }
    // The EV's charging state at the event's time (TIME vs PARKING_TIME); a rebuilt snapshot keeps the earlier ones.
    if (patch.snapshotJson !== undefined) patch.snapshotJson = mergeChargingStates(patch.snapshotJson, tx.snapshotJson);
    if (ev.chargingState) {
      const json = withChargingState(patch.snapshotJson ?? tx.snapshotJson, eventAtMs, ev.chargingState);
      if (json !== undefined) patch.snapshotJson = json;
    }
    store.updateTransaction(tx.id, patch);

    const evseOcppId = evse?.ocppId ?? (tx.evseRowId !== null ? store.getEvseByRowId(tx.evseRowId)?.ocppId ?? null : null);
    store.insertReadings(identity, evseOcppId, tx.id, ev.readings);
    const signedIds = ev.signed.length ? store.insertSignedReadings(identity, evseOcppId, tx.id, ev.signed, atMs) : [];

    // An in-order event (seqNo = last + 1) can neither open nor close a gap, nor can the Started that creates
    // the record: only look otherwise (out of order, a repeat after a gap, an event for an unknown transaction).
    const orphan = patch.orphan ?? tx.orphan;
    const inOrder = created ? ev.kind === 'started' : tx.lastSeqNo !== null && ev.seqNo === tx.lastSeqNo + 1;
    const check = inOrder ? { missing: [] as number[], gapFaultId: undefined } : checkSeqGap(store, identity, tx.id, tx.ocppTransactionId, orphan, atMs, !created);
    return { tx: { ...tx, ...patch }, created, repeated: false, ended, missing: check.missing, signedIds, gapFaultId: check.gapFaultId };
  });

  const transaction = out.tx;
  if (out.repeated) {
    log.info({ charger: identity, transactionId: ev.ocppTransactionId, seqNo: ev.seqNo }, 'repeated TransactionEvent acknowledged, nothing changed');
  } else {
    if (out.created && ev.kind !== 'started') {
      log.warn({ charger: identity, transactionId: ev.ocppTransactionId, seqNo: ev.seqNo, kind: ev.kind }, 'transaction event for an unknown transaction created its record');
    }
    if (out.signedIds.length) deps.onSignedReadings?.(identity, transaction.id, out.signedIds);
    if (out.gapFaultId !== undefined) events.emit('faultRaised', { identity, faultId: out.gapFaultId, code: SEQ_GAP_FAULT, source: 'ocpp', at });
    if (out.created) events.emit('transactionStarted', { identity, transactionRowId: transaction.id, at });
    if (out.ended) events.emit('transactionEnded', { identity, transactionRowId: transaction.id, at });
    else if (!out.created) events.emit('transactionUpdated', { identity, transactionRowId: transaction.id, at });
  }
  return { transaction, auth, created: out.created, repeated: out.repeated, missingSeqNos: out.missing };
}

/**
 * seqNo starts at the Started event and counts up by one (2.0.1 E01-E04); without a Started the count starts
 * at 0. A hole is a fault on the transaction, replaced when the holes change and cleared when they close.
 */
function checkSeqGap(store: Store, identity: string, txRowId: number, ocppTransactionId: string, orphan: boolean, atMs: number, mayHaveFault: boolean): { missing: number[]; gapFaultId?: number } {
  const seqNos = store.listTransactionEventSeqNos(txRowId);
  const missing: number[] = [];
  const have = new Set(seqNos);
  const first = orphan ? 0 : seqNos[0] ?? 0;
  const last = seqNos[seqNos.length - 1] ?? 0;
  // seqNo is the station's word (up to 2^31): the gap is counted from the seqNos held, and only its first
  // 1,000 are listed, so a wild seqNo costs neither time nor memory. The walk is also capped in steps.
  const missingCount = last - first + 1 - seqNos.filter((n) => n >= first && n <= last).length;
  const wanted = Math.min(missingCount, 1000);
  for (let n = first, steps = 0; n <= last && missing.length < wanted && steps <= seqNos.length + wanted; n++, steps++) if (!have.has(n)) missing.push(n);
  const open = mayHaveFault ? store.listFaults({ identity, open: true, limit: 500 }).find((f) => f.code === SEQ_GAP_FAULT && f.transactionRowId === txRowId) : undefined;
  const openMissing = open ? JSON.stringify((open.details as { missing?: number[] } | undefined)?.missing ?? []) : undefined;
  if (open && openMissing === JSON.stringify(missing)) return { missing };
  if (open) store.clearTransactionFaults(txRowId, SEQ_GAP_FAULT, atMs);
  if (!missing.length) return { missing };
  const shown = missingCount > 10 ? `${missing.slice(0, 10).join(', ')} and ${missingCount - 10} more` : missing.join(', ');
  const gapFaultId = store.raiseFault({
    chargerIdentity: identity, transactionRowId: txRowId, source: 'ocpp', code: SEQ_GAP_FAULT,
    message: `transaction ${ocppTransactionId}: events with seqNo ${shown} not received${orphan ? ' (its Started event is missing)' : ''}`,
    details: { missing, missingCount, received: seqNos.length }, raisedAtMs: atMs,
  });
  return { missing, gapFaultId };
}

function earliest(readings: MeterReading[]): number | undefined {
  let min: number | undefined;
  for (const r of readings) if (min === undefined || r.sampledAt.getTime() < min) min = r.sampledAt.getTime();
  return min;
}
