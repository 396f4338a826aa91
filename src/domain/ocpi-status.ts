/**
 * OCPI EVSE status from the version-neutral model: what the charger last reported for the EVSE, the
 * charger-wide status (1.6 connectorId 0 / 2.0.1 evseId 0), the connection state and the config.
 * Pure and table-driven (reference/ocpi-2.2.1.md §5.2, reference/ocpp.md §4); OCPI 2.2.1 and 2.1.1 share
 * the Status enum, so both versions use it. Also says since when the derived status can have changed
 * because of connection or time alone, for EVSE `last_updated` (OCPI mod_locations: every status change
 * needs a new `last_updated`).
 */
import type { EvseStatus } from './model.js';

export type OcpiEvseStatus =
  | 'AVAILABLE' | 'BLOCKED' | 'CHARGING' | 'INOPERATIVE' | 'OUTOFORDER' | 'PLANNED' | 'REMOVED' | 'RESERVED' | 'UNKNOWN';

/** The charger fields the status depends on (a subset of ChargerRecord). */
export interface ChargerLink {
  connected: boolean;
  connectedAtMs: number | null;
  disconnectedAtMs: number | null;
  lastBootAtMs: number | null;
  bootStatus: string | null;
  /** Charger-wide status from connector/EVSE 0: Available | Unavailable | Faulted, or null. */
  stationStatus: string | null;
}

export interface EvseStatusInput {
  removed: boolean;
  /** The EVSE's neutral status as last reported (domain/model.ts EvseStatus). */
  status: EvseStatus | string;
  charger: ChargerLink;
  nowMs: number;
  /** Config `ocpp.offline_grace_s` in ms: a short WebSocket drop keeps the last status. */
  offlineGraceMs: number;
}

/** Neutral per-EVSE status -> OCPI (reference/ocpi-2.2.1.md §5.2 "recommended" column). */
const BY_REPORTED: Record<string, OcpiEvseStatus> = {
  Available: 'AVAILABLE',
  // Plugged in or authorised, no transaction yet: in use, not free for others. BLOCKED is a physical barrier.
  Preparing: 'CHARGING',
  Charging: 'CHARGING',
  SuspendedEV: 'CHARGING',
  SuspendedEVSE: 'CHARGING',
  // The transaction ended but the cable is still in: not usable by another driver.
  Finishing: 'CHARGING',
  // 2.0.1 Occupied covers "plugged, no transaction" and "charging".
  Occupied: 'CHARGING',
  Reserved: 'RESERVED',
  // OCPI INOPERATIVE: "temporarily not available, not broken"; OUTOFORDER: broken.
  Unavailable: 'INOPERATIVE',
  Faulted: 'OUTOFORDER',
  Unknown: 'UNKNOWN',
};

/** Charger-wide status that overrides every EVSE (1.6 §4.9: connectorId 0 is the whole charge point). */
const BY_STATION: Record<string, OcpiEvseStatus> = { Unavailable: 'INOPERATIVE', Faulted: 'OUTOFORDER' };

function neverConnected(c: ChargerLink): boolean {
  return c.connectedAtMs === null && c.lastBootAtMs === null;
}

/** True when the charger is offline and has been for longer than the grace period. */
export function offlineBeyondGrace(c: ChargerLink, nowMs: number, offlineGraceMs: number): boolean {
  if (c.connected || neverConnected(c)) return false;
  const since = c.disconnectedAtMs ?? c.connectedAtMs ?? c.lastBootAtMs ?? 0;
  return nowMs - since >= offlineGraceMs;
}

export function ocpiEvseStatus(input: EvseStatusInput): OcpiEvseStatus {
  const { charger } = input;
  // OCPI mod_locations "Flow and Lifecycle": an EVSE is never deleted, it becomes REMOVED.
  if (input.removed) return 'REMOVED';
  // Configured but never connected: "planned, will be operating soon".
  if (neverConnected(charger)) return 'PLANNED';
  // OCPI Status UNKNOWN: "no status information available (also used when offline)".
  if (offlineBeyondGrace(charger, input.nowMs, input.offlineGraceMs)) return 'UNKNOWN';
  // A charger we answered Pending/Rejected may not be used (reference/ocpp.md §4).
  if (charger.bootStatus === 'Pending' || charger.bootStatus === 'Rejected') return 'UNKNOWN';
  const station = charger.stationStatus ? BY_STATION[charger.stationStatus] : undefined;
  if (station) return station;
  return BY_REPORTED[input.status] ?? 'UNKNOWN';
}

/**
 * The latest instant at which the derived status may have changed without the EVSE row changing: the
 * moment the grace period of a disconnect ran out, or the reconnect after such an outage (or the first
 * connection, which ends PLANNED). Null when only the EVSE row's own `last_updated` matters.
 */
export function statusChangedByConnectionAtMs(c: ChargerLink, nowMs: number, offlineGraceMs: number): number | null {
  if (neverConnected(c)) return null;
  if (!c.connected) {
    const since = c.disconnectedAtMs ?? c.connectedAtMs ?? c.lastBootAtMs ?? 0;
    return nowMs - since >= offlineGraceMs ? since + offlineGraceMs : null;
  }
  if (c.connectedAtMs === null) return null;
  const outageEndedLongOne = c.disconnectedAtMs === null || c.connectedAtMs - c.disconnectedAtMs >= offlineGraceMs;
  return outageEndedLongOne ? c.connectedAtMs : null;
}

/** Whether a (re)connection at `connectedAtMs` changed the derived status (so a push is due). */
export function reconnectChangesStatus(c: ChargerLink, offlineGraceMs: number): boolean {
  return c.connected && c.connectedAtMs !== null && statusChangedByConnectionAtMs(c, c.connectedAtMs, offlineGraceMs) === c.connectedAtMs;
}

/** EVSE `last_updated`: its own row, its connectors, and status changes caused by the connection alone. */
export function evseLastUpdatedMs(evseRowMs: number, connectorsMaxMs: number, c: ChargerLink, nowMs: number, offlineGraceMs: number): number {
  return Math.max(evseRowMs, connectorsMaxMs, statusChangedByConnectionAtMs(c, nowMs, offlineGraceMs) ?? 0);
}
