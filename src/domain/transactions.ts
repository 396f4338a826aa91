/**
 * Transactions in the version-neutral model: start, meter values, stop, with the rules real sites need —
 * retransmitted starts get the same id, stops are never refused (an unknown one becomes an orphan record),
 * offline messages keep their own timestamps, and the writes for one message are one SQLite transaction.
 * OCPP 2.0.1 TransactionEvent goes through `upsertFromEvent` (its rules live in transaction-events.ts).
 */
import type { Log } from '../log.js';
import type { AuthorizationContext, Authorizer } from './authorization.js';
import type { DomainEvents } from './events.js';
import type { AuthorizationResult, IdTokenRef, MeterReading, OcppProtocol, SignedReading } from './model.js';
import type { Clock, Store } from './ports.js';
import type { TransactionRecord } from './records.js';
import { buildSnapshot } from './snapshot.js';
import { energyRegisterWh, powerW } from './readings.js';
import { upsertTransactionFromEvent, type TransactionEventInput, type TransactionEventOutcome } from './transaction-events.js';

export interface TransactionServiceOptions {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  log: Log;
  authorizer: Authorizer;
  /** Called after a commit that stored signed readings (Eichrecht verification runs outside the OCPP answer path). */
  onSignedReadings?: (identity: string, transactionRowId: number | null, ids: number[]) => void;
}

export type TransactionService = ReturnType<typeof createTransactionService>;

export interface StartRequest {
  evseOcppId: number;
  token: IdTokenRef;
  meterStartWh: number;
  startedAt: Date;
  reservationId?: number;
}

export interface StopRequest {
  ocppTransactionId: string;
  meterStopWh?: number;
  endedAt: Date;
  reason?: string;
  token?: IdTokenRef;
  readings: MeterReading[];
  signed: SignedReading[];
}

export interface MeterValuesRequest {
  evseOcppId: number;
  ocppTransactionId?: string;
  readings: MeterReading[];
  signed: SignedReading[];
}

export function createTransactionService(o: TransactionServiceOptions) {
  const { store, clock, events, log } = o;

  function applyReadings(identity: string, evseOcppId: number | null, tx: TransactionRecord | undefined, readings: MeterReading[], signed: SignedReading[], atMs: number): number[] {
    store.insertReadings(identity, evseOcppId, tx?.id ?? null, readings);
    const signedIds = signed.length ? store.insertSignedReadings(identity, evseOcppId, tx?.id ?? null, signed, atMs) : [];
    if (tx) {
      const wh = energyRegisterWh(readings);
      const w = powerW(readings);
      if (wh !== undefined || w !== undefined) store.recordMeter(tx.id, wh, w, atMs);
    }
    return signedIds;
  }

  function afterSigned(identity: string, txRowId: number | null, ids: number[]): void {
    if (ids.length) o.onSignedReadings?.(identity, txRowId, ids);
  }

  return {
    /** OCPP 1.6 StartTransaction: returns the integer transactionId the central system assigns. */
    async start(identity: string, protocol: OcppProtocol, req: StartRequest): Promise<{ transaction: TransactionRecord; auth: AuthorizationResult; duplicate: boolean }> {
      const auth = await o.authorizer.authorize(identity, req.token, { purpose: 'start', evseOcppId: req.evseOcppId, reservationId: req.reservationId ?? undefined });
      const at = clock.now();
      const result = store.transaction(() => {
        const evse = store.getEvse(identity, req.evseOcppId);
        const duplicate = store.findDuplicateStart(identity, evse?.id ?? null, req.token.idTag, req.startedAt.getTime(), req.meterStartWh);
        if (duplicate) return { transaction: duplicate, duplicate: true };
        const snapshot = buildSnapshot(store, identity, req.evseOcppId);
        const transaction = store.insertTransaction({
          chargerIdentity: identity, evseRowId: snapshot.evseRowId, connectorRowId: snapshot.connectorRowId, protocol,
          idTag: req.token.idTag, idTokenType: req.token.type ?? null, authStatus: auth.status, authMethod: auth.method,
          authorizationReference: auth.authorizationReference ?? null, tokenRowId: auth.tokenRowId ?? null, platformId: auth.platformId ?? null,
          status: 'active', startedAtMs: req.startedAt.getTime(), meterStartWh: req.meterStartWh, reservationId: req.reservationId ?? null,
          offline: req.startedAt.getTime() < at.getTime() - 60_000, snapshotJson: JSON.stringify(snapshot.data), atMs: at.getTime(),
        });
        return { transaction, duplicate: false };
      });
      if (result.duplicate) log.info({ charger: identity, transactionId: result.transaction.ocppTransactionId }, 'retransmitted StartTransaction answered with the same transactionId');
      else events.emit('transactionStarted', { identity, transactionRowId: result.transaction.id, at });
      return { ...result, auth };
    },

    /** OCPP 1.6 §4.10: a stop cannot be refused. Unknown ids become orphan records; repeats are idempotent. */
    stop(identity: string, protocol: OcppProtocol, req: StopRequest): { transaction: TransactionRecord; orphan: boolean; repeated: boolean } {
      const at = clock.now();
      const atMs = at.getTime();
      const out = store.transaction(() => {
        let tx = store.findTransaction(identity, req.ocppTransactionId);
        let orphan = false;
        if (!tx) {
          // OCPP 1.6 StopTransaction names no connector, so the orphan record has no EVSE.
          orphan = true;
          tx = store.insertTransaction({
            chargerIdentity: identity, evseRowId: null, connectorRowId: null,
            ocppTransactionId: req.ocppTransactionId, protocol, idTag: req.token?.idTag ?? null, idTokenType: req.token?.type ?? null,
            authStatus: null, authMethod: null, authorizationReference: null, tokenRowId: null, platformId: null, status: 'active',
            startedAtMs: firstReadingAt(req.readings), meterStartWh: null, orphan: true, offline: false,
            snapshotJson: null, atMs,
          });
          store.raiseFault({ chargerIdentity: identity, transactionRowId: tx.id, source: 'ocpp', code: 'OrphanStop', message: `stop for unknown transaction ${req.ocppTransactionId}, kept as an orphan record`, raisedAtMs: atMs });
        } else if (tx.status === 'ended') {
          return { transaction: tx, orphan: false, repeated: true };
        }
        const evse = tx.evseRowId !== null ? store.getEvseByRowId(tx.evseRowId) : undefined;
        const signedIds = applyReadings(identity, evse?.ocppId ?? null, tx, req.readings, req.signed, atMs);
        const meterStopWh = req.meterStopWh ?? energyRegisterWh(req.readings) ?? tx.lastMeterWh ?? null;
        if (tx.startedAtMs !== null && req.endedAt.getTime() < tx.startedAtMs) {
          store.raiseFault({ chargerIdentity: identity, transactionRowId: tx.id, source: 'ocpp', code: 'StopBeforeStart', message: `transaction ${tx.ocppTransactionId} stopped at ${req.endedAt.toISOString()}, before its start`, raisedAtMs: atMs });
        }
        store.updateTransaction(tx.id, {
          status: 'ended', endedAtMs: req.endedAt.getTime(), meterStopWh, lastMeterWh: meterStopWh ?? tx.lastMeterWh,
          stopReason: req.reason ?? 'Local', updatedAtMs: atMs,
        });
        return { transaction: { ...store.getTransaction(tx.id)! }, orphan, repeated: false, signedIds };
      });
      if (out.orphan) log.warn({ charger: identity, transactionId: req.ocppTransactionId }, 'StopTransaction for an unknown transaction kept as an orphan record');
      if (!out.repeated) {
        afterSigned(identity, out.transaction.id, 'signedIds' in out ? out.signedIds ?? [] : []);
        events.emit('transactionEnded', { identity, transactionRowId: out.transaction.id, at });
      }
      return out;
    },

    /** MeterValues: linked to the named transaction, or to the one running on that EVSE when the charger leaves the id out. */
    meterValues(identity: string, req: MeterValuesRequest): { transaction?: TransactionRecord } {
      const at = clock.now();
      const { tx, signedIds } = store.transaction(() => {
        let tx = req.ocppTransactionId !== undefined ? store.findTransaction(identity, req.ocppTransactionId) : undefined;
        if (!tx && req.ocppTransactionId === undefined && req.evseOcppId > 0) {
          const evse = store.getEvse(identity, req.evseOcppId);
          tx = evse ? store.findActiveTransactionOnEvse(evse.id) : undefined;
        }
        if (!tx && req.ocppTransactionId !== undefined) {
          store.raiseFault({ chargerIdentity: identity, evseOcppId: req.evseOcppId, source: 'ocpp', code: 'UnknownTransaction', message: `meter values for unknown transaction ${req.ocppTransactionId}`, raisedAtMs: at.getTime() });
        }
        const signedIds = applyReadings(identity, req.evseOcppId, tx, req.readings, req.signed, at.getTime());
        return { tx, signedIds };
      });
      afterSigned(identity, tx?.id ?? null, signedIds);
      if (tx) events.emit('transactionUpdated', { identity, transactionRowId: tx.id, at });
      return { transaction: tx };
    },

    authorize(identity: string, token: IdTokenRef, context: AuthorizationContext = { purpose: 'authorize' }): Promise<AuthorizationResult> {
      return o.authorizer.authorize(identity, token, context);
    },

    /** A transaction reported as events (2.0.1 TransactionEvent): created by whichever arrives first, ordered by seqNo. */
    upsertFromEvent(identity: string, protocol: OcppProtocol, event: TransactionEventInput): Promise<TransactionEventOutcome> {
      return upsertTransactionFromEvent(o, identity, protocol, event);
    },
  };
}

function firstReadingAt(readings: MeterReading[]): number | null {
  const begin = readings.find((r) => r.context === 'Transaction.Begin') ?? readings[0];
  return begin ? begin.sampledAt.getTime() : null;
}
