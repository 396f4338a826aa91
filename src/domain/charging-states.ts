/**
 * When the EV of a running transaction was requesting power (TIME) and when not (PARKING_TIME), from what the
 * charger reported: OCPP 1.6 StatusNotification on the transaction's connector and OCPP 2.0.1 TransactionEvent
 * `chargingState`. OCPI 2.2.1 erratum on CdrDimensionType PARKING_TIME: "the vehicle is not requesting power",
 * so an EVSE-side pause (1.6 / 2.0.1 SuspendedEVSE: smart charging, load balancing) stays TIME, while
 * SuspendedEV, Finishing (1.6), EVConnected and Idle (2.0.1) are parking.
 *
 * The changes are kept inside the transaction's snapshot JSON (no extra table): a short list of
 * `{ atMs, state, ocpp }` by the charger's clock, appended in the SQLite transaction of the report.
 */
import type { Store } from './ports.js';
import type { TransactionRecord } from './records.js';
import type { TransactionSnapshot } from './snapshot.js';

export type ChargingState = 'charging' | 'parking';

export interface ChargingStateChange {
  atMs: number;
  state: ChargingState;
  /** What the charger said (1.6 ChargePointStatus or 2.0.1 ChargingStateEnumType), for audits. */
  ocpp: string;
}

/** A flapping charger must not grow the row without bound; the first changes are the ones that bill. */
export const MAX_CHARGING_STATE_CHANGES = 1000;

const STATES = new Map<string, ChargingState>([
  // OCPP 1.6 ChargePointStatus (only those that say something about the EV during a transaction)
  ['Charging', 'charging'],
  ['SuspendedEVSE', 'charging'],
  ['SuspendedEV', 'parking'],
  ['Finishing', 'parking'],
  // OCPP 2.0.1 ChargingStateEnumType (Charging, SuspendedEV, SuspendedEVSE above)
  ['EVConnected', 'parking'],
  ['Idle', 'parking'],
]);

/** The charging state an OCPP status or chargingState stands for; undefined when it says nothing about it. */
export function chargingStateOf(ocpp: string): ChargingState | undefined {
  return STATES.get(ocpp);
}

/** The snapshot JSON with one more change, or undefined when there is nothing to record. */
export function withChargingState(snapshotJson: string | null, atMs: number, ocpp: string): string | undefined {
  const state = chargingStateOf(ocpp);
  if (!state || !Number.isFinite(atMs)) return undefined;
  const data: TransactionSnapshot['data'] = snapshotJson ? JSON.parse(snapshotJson) : { locationId: null, tariffs: [] };
  const changes = data.chargingStates ?? [];
  if (changes.length >= MAX_CHARGING_STATE_CHANGES) return undefined;
  // Only changes are kept: a repeat, a TriggerMessage or a station that names its chargingState in every event
  // says what the report before it (by time) said already.
  let before: ChargingStateChange | undefined;
  for (const c of changes) if (c.atMs <= atMs) before = c;
  if (before?.ocpp === ocpp) return undefined;
  data.chargingStates = [...changes, { atMs, state, ocpp }].sort((a, b) => a.atMs - b.atMs);
  return JSON.stringify(data);
}

/**
 * Records a status report (charger time `at`) of a running transaction's EVSE, received at `nowMs`. Call inside the
 * report's SQLite transaction.
 * Returns true when the transaction changed (the caller tells the session so).
 */
export function recordChargingState(store: Store, tx: TransactionRecord | undefined, at: Date, ocpp: string, nowMs: number): boolean {
  if (!tx || tx.status === 'ended') return false;
  const json = withChargingState(tx.snapshotJson, at.getTime(), ocpp);
  if (json === undefined) return false;
  // The session's periods change with it: its last_updated too (eMSPs pull by date_from).
  store.updateTransaction(tx.id, { snapshotJson: json, updatedAtMs: nowMs });
  return true;
}

/**
 * The intervals in which the EV requested power, for the tariff engine; undefined (let the meter decide) when the
 * charger only ever said Charging during the transaction: that tells nothing about the EV, while the meter still
 * shows when energy stopped flowing. A charger that also reported a pause (SuspendedEV, SuspendedEVSE, ...) is
 * believed for the whole transaction, so a flat meter under SuspendedEVSE stays TIME. Before the first report the
 * transaction counts as charging (1.6 chargers report Charging just after StartTransaction).
 */
export function chargingIntervalsOf(changes: ChargingStateChange[] | undefined, startMs: number, endMs: number): Array<{ from: Date; to: Date }> | undefined {
  if (!changes?.some((c) => c.ocpp !== 'Charging')) return undefined;
  const intervals: Array<{ from: Date; to: Date }> = [];
  let state: ChargingState = 'charging';
  let sinceMs = startMs;
  for (const c of [...changes].sort((a, b) => a.atMs - b.atMs)) {
    const atMs = Math.min(Math.max(c.atMs, startMs), endMs);
    if (c.state === state) continue;
    if (state === 'charging' && atMs > sinceMs) intervals.push({ from: new Date(sinceMs), to: new Date(atMs) });
    state = c.state;
    sinceMs = atMs;
  }
  if (state === 'charging' && endMs > sinceMs) intervals.push({ from: new Date(sinceMs), to: new Date(endMs) });
  return intervals;
}

/** A rebuilt snapshot (`into`) with the charging states recorded in the one it replaces (`from`). */
export function mergeChargingStates(into: string | null, from: string | null): string | null {
  const previous = from ? (JSON.parse(from) as TransactionSnapshot['data']).chargingStates : undefined;
  if (!into || !previous?.length) return into;
  const data = JSON.parse(into) as TransactionSnapshot['data'];
  data.chargingStates = previous;
  return JSON.stringify(data);
}
