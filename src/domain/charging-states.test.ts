import { describe, expect, it } from 'vitest';
import { chargingIntervalsOf, chargingStateOf, mergeChargingStates, withChargingState, type ChargingStateChange } from './charging-states.js';

const M = 60_000;
const ch = (min: number, ocpp: string): ChargingStateChange => ({ atMs: min * M, state: chargingStateOf(ocpp)!, ocpp });
const asMinutes = (i: Array<{ from: Date; to: Date }> | undefined) => i?.map((x) => [x.from.getTime() / M, x.to.getTime() / M]);

describe('charging states', () => {
  it.each([
    ['Charging', 'charging'], ['SuspendedEVSE', 'charging'], ['SuspendedEV', 'parking'], ['Finishing', 'parking'],
    ['EVConnected', 'parking'], ['Idle', 'parking'], ['Preparing', undefined], ['Faulted', undefined], ['Occupied', undefined], ['toString', undefined],
  ])('%s -> %s (OCPI 2.2.1 erratum: parking = the EV does not request power)', (ocpp, state) => {
    expect(chargingStateOf(ocpp)).toBe(state);
  });

  it.each([
    ['no reports: the meter decides', [], undefined],
    ['only Charging reports: the meter decides', [ch(0, 'Charging'), ch(40, 'Charging')], undefined],
    ['SuspendedEVSE to the end: still charging time, whatever the meter says', [ch(0, 'Charging'), ch(10, 'SuspendedEVSE')], [[0, 100]]],
    ['charging, then parking to the end', [ch(0, 'Charging'), ch(30, 'SuspendedEV')], [[0, 30]]],
    ['a pause in the middle', [ch(30, 'SuspendedEV'), ch(45, 'Charging'), ch(75, 'Finishing')], [[0, 30], [45, 75]]],
    ['parking from the start (2.0.1 EVConnected first)', [ch(0, 'EVConnected'), ch(5, 'Charging')], [[5, 100]]],
    ['reports before the start and after the end are clipped', [ch(-5, 'SuspendedEV'), ch(20, 'Charging'), ch(150, 'SuspendedEV')], [[20, 100]]],
    ['repeated states change nothing', [ch(10, 'SuspendedEV'), ch(20, 'Finishing'), ch(30, 'Charging'), ch(40, 'Charging')], [[0, 10], [30, 100]]],
    ['only parking', [ch(0, 'SuspendedEV')], []],
  ])('%s', (_name, changes, expected) => {
    expect(asMinutes(chargingIntervalsOf(changes as ChargingStateChange[], 0, 100 * M))).toEqual(expected);
  });

  it('records a change once, in time order, and keeps the snapshot around it', () => {
    const snapshot = JSON.stringify({ locationId: 'LOC-1', tariffs: [{ id: 'T' }] });
    const one = withChargingState(snapshot, 20 * M, 'SuspendedEV')!;
    const two = withChargingState(one, 10 * M, 'Charging')!;
    expect(withChargingState(two, 20 * M, 'SuspendedEV')).toBeUndefined();
    expect(withChargingState(two, 30 * M, 'Preparing')).toBeUndefined();
    // a state that is no change (every 2.0.1 event naming it, a repeat) is not kept, so the list cannot fill up
    expect(withChargingState(two, 25 * M, 'SuspendedEV')).toBeUndefined();
    expect(withChargingState(two, 15 * M, 'Charging')).toBeUndefined();
    let many = snapshot;
    for (let i = 0; i < 2000; i++) many = withChargingState(many, i * M, 'Charging') ?? many;
    expect(JSON.parse(withChargingState(many, 3000 * M, 'SuspendedEV')!).chargingStates).toEqual([ch(0, 'Charging'), ch(3000, 'SuspendedEV')]);
    expect(JSON.parse(two)).toEqual({ locationId: 'LOC-1', tariffs: [{ id: 'T' }], chargingStates: [ch(10, 'Charging'), ch(20, 'SuspendedEV')] });
    const rebuilt = mergeChargingStates(JSON.stringify({ locationId: 'LOC-2', tariffs: [] }), two);
    expect(JSON.parse(rebuilt!)).toEqual({ locationId: 'LOC-2', tariffs: [], chargingStates: [ch(10, 'Charging'), ch(20, 'SuspendedEV')] });
  });
});
