import { describe, expect, it } from 'vitest';
import type { MeterReading } from './model.js';
import type { TransactionRecord } from './records.js';
import { pricingSamples, stateOfChargeOf, withSessionDimensions } from './session-facts.js';

const T0 = Date.UTC(2026, 10, 24, 9, 0);
const at = (min: number) => new Date(T0 + min * 60_000);
const reading = (min: number, measurand: string, value: number, unit: string, phase?: string): MeterReading => ({ sampledAt: at(min), measurand, value, unit, phase, rawValue: String(value) });
const tx = { startedAtMs: T0, endedAtMs: at(30).getTime(), meterStartWh: 0, meterStopWh: 3000, lastMeterWh: 3000 } as TransactionRecord;

describe('session facts from meter values', () => {
  it.each([
    ['per phase: summed, the neutral left out', [reading(10, 'Current.Import', 16, 'A', 'L1'), reading(10, 'Current.Import', 15, 'A', 'L2'), reading(10, 'Current.Import', 14, 'A', 'L3'), reading(10, 'Current.Import', 2, 'A', 'N')], 45],
    ['only a total (no phase): taken as the sum', [reading(10, 'Current.Import', 31, 'A')], 31],
    ['a total beside the phases: the phases win', [reading(10, 'Current.Import', 99, 'A'), reading(10, 'Current.Import', 10, 'A', 'L1'), reading(10, 'Current.Import', 11, 'A', 'L2')], 21],
  ])('Current.Import %s', (_name, readings, expected) => {
    const { samples } = pricingSamples(tx, readings, at(60).getTime());
    expect(samples.find((s) => s.at.getTime() === at(10).getTime())?.currentA).toBe(expected);
  });

  it('STATE_OF_CHARGE: the last SoC up to each period end, none before the first report, clamped to 0..100', () => {
    const soc = stateOfChargeOf([reading(12, 'SoC', 35, '%'), reading(25, 'SoC', 104, '%'), reading(40, 'SoC', 50, '%'), reading(20, 'Voltage', 230, 'V')], T0, at(30).getTime());
    expect(soc).toEqual([{ atMs: at(12).getTime(), percent: 35 }, { atMs: at(25).getTime(), percent: 100 }]);
    const periods = [0, 10, 20].map((m) => ({ start_date_time: at(m).toISOString(), dimensions: [{ type: 'TIME' as const, volume: 1 / 6 }] }));
    expect(withSessionDimensions(periods, soc, at(30).getTime()).map((p) => p.dimensions.find((d) => d.type === 'STATE_OF_CHARGE')?.volume)).toEqual([undefined, 35, 100]);
    expect(withSessionDimensions(periods, [], at(30).getTime())).toEqual(periods);
  });

  it('POWER: the average kW while charging (ENERGY / TIME), not for a parking period', () => {
    const periods = [
      { start_date_time: at(0).toISOString(), dimensions: [{ type: 'ENERGY' as const, volume: 5.5 }, { type: 'TIME' as const, volume: 0.5 }] },
      { start_date_time: at(30).toISOString(), dimensions: [{ type: 'PARKING_TIME' as const, volume: 0.25 }] },
    ];
    expect(withSessionDimensions(periods, [], at(45).getTime()).map((p) => p.dimensions.find((d) => d.type === 'POWER')?.volume)).toEqual([11, undefined]);
  });
});
