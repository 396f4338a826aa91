import { describe, expect, it } from 'vitest';
import { ocpiEvseStatus, reconnectChangesStatus, statusChangedByConnectionAtMs, type ChargerLink } from './ocpi-status.js';

const NOW = 1_000_000_000;
const GRACE = 180_000;
const online: ChargerLink = { connected: true, connectedAtMs: NOW - 60_000, disconnectedAtMs: null, lastBootAtMs: NOW - 60_000, bootStatus: 'Accepted', stationStatus: null };

describe('ocpiEvseStatus: reported status (reference/ocpi-2.2.1.md §5.2)', () => {
  it.each([
    ['1.6 Available', 'Available', 'AVAILABLE'],
    ['1.6 Preparing (plugged, no transaction: in use)', 'Preparing', 'CHARGING'],
    ['1.6 Charging', 'Charging', 'CHARGING'],
    ['1.6 SuspendedEV', 'SuspendedEV', 'CHARGING'],
    ['1.6 SuspendedEVSE', 'SuspendedEVSE', 'CHARGING'],
    ['1.6 Finishing (cable still in)', 'Finishing', 'CHARGING'],
    ['1.6 Reserved', 'Reserved', 'RESERVED'],
    ['1.6 Unavailable (not broken)', 'Unavailable', 'INOPERATIVE'],
    ['1.6 Faulted', 'Faulted', 'OUTOFORDER'],
    ['2.0.1 Occupied', 'Occupied', 'CHARGING'],
    ['no report yet', 'Unknown', 'UNKNOWN'],
    ['a value outside the model', 'Exploded', 'UNKNOWN'],
  ])('%s', (_name, status, expected) => {
    expect(ocpiEvseStatus({ removed: false, status, charger: online, nowMs: NOW, offlineGraceMs: GRACE })).toBe(expected);
  });
});

describe('ocpiEvseStatus: config, connection and charger-wide status', () => {
  it.each<[string, boolean, string, Partial<ChargerLink>, string]>([
    ['decommissioned in the config -> REMOVED (wins over everything)', true, 'Charging', {}, 'REMOVED'],
    ['configured, never connected -> PLANNED', false, 'Unknown', { connected: false, connectedAtMs: null, lastBootAtMs: null }, 'PLANNED'],
    ['offline within the grace period keeps the last status', false, 'Charging', { connected: false, disconnectedAtMs: NOW - GRACE + 1 }, 'CHARGING'],
    ['offline exactly the grace period -> UNKNOWN', false, 'Charging', { connected: false, disconnectedAtMs: NOW - GRACE }, 'UNKNOWN'],
    ['offline longer than the grace period -> UNKNOWN', false, 'Available', { connected: false, disconnectedAtMs: NOW - 10 * GRACE }, 'UNKNOWN'],
    ['connector 0 Unavailable overrides -> INOPERATIVE', false, 'Available', { stationStatus: 'Unavailable' }, 'INOPERATIVE'],
    ['connector 0 Faulted overrides -> OUTOFORDER', false, 'Charging', { stationStatus: 'Faulted' }, 'OUTOFORDER'],
    ['connector 0 Available only lifts the override', false, 'Unavailable', { stationStatus: 'Available' }, 'INOPERATIVE'],
    ['boot answered Pending -> UNKNOWN', false, 'Available', { bootStatus: 'Pending' }, 'UNKNOWN'],
    ['boot answered Rejected -> UNKNOWN', false, 'Available', { bootStatus: 'Rejected' }, 'UNKNOWN'],
    ['offline beats the charger-wide status', false, 'Available', { stationStatus: 'Faulted', connected: false, disconnectedAtMs: NOW - 2 * GRACE }, 'UNKNOWN'],
  ])('%s', (_name, removed, status, charger, expected) => {
    expect(ocpiEvseStatus({ removed, status, charger: { ...online, ...charger }, nowMs: NOW, offlineGraceMs: GRACE })).toBe(expected);
  });
});

describe('statusChangedByConnectionAtMs / reconnectChangesStatus', () => {
  it.each<[string, Partial<ChargerLink>, number | null, boolean]>([
    ['never connected', { connected: false, connectedAtMs: null, lastBootAtMs: null }, null, false],
    ['first connection ends PLANNED', { connectedAtMs: NOW - 5, disconnectedAtMs: null }, NOW - 5, true],
    ['offline, grace not over', { connected: false, disconnectedAtMs: NOW - 1000 }, null, false],
    ['offline, grace over: changed when it ran out', { connected: false, disconnectedAtMs: NOW - GRACE - 5000 }, NOW - 5000, false],
    ['back after a short drop: no change', { connectedAtMs: NOW - 10, disconnectedAtMs: NOW - 20_000 }, null, false],
    ['back after a long outage: changed at reconnect', { connectedAtMs: NOW - 10, disconnectedAtMs: NOW - 10 - GRACE - 1 }, NOW - 10, true],
  ])('%s', (_name, charger, at, reconnect) => {
    const c = { ...online, ...charger };
    expect(statusChangedByConnectionAtMs(c, NOW, GRACE)).toBe(at);
    expect(reconnectChangesStatus(c, GRACE)).toBe(reconnect);
  });
});
