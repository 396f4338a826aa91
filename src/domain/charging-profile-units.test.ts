import { describe, expect, it } from 'vitest';
import { convertLimit, convertSchedule, electricalOf } from './charging-profile-units.js';

describe('charging limits between W and A', () => {
  const ac3 = electricalOf({ powerType: 'AC_3_PHASE', maxVoltageV: 230 })!;
  const ac1 = electricalOf({ powerType: 'AC_1_PHASE', maxVoltageV: 230 })!;
  const dc = electricalOf({ powerType: 'DC', maxVoltageV: 400 })!;

  it('uses the phases and voltage of the connector (A is per phase, W the total)', () => {
    expect(ac3).toEqual({ phases: 3, voltageV: 230 });
    expect(convertLimit(16, 'A', 'W', ac3)).toBe(11040);
    expect(convertLimit(11040, 'W', 'A', ac3)).toBe(16);
    expect(convertLimit(7400, 'W', 'A', ac1)).toBe(32.2); // one decimal
    expect(convertLimit(125, 'A', 'W', dc)).toBe(50000);
  });

  it('converts a schedule, honouring a period\'s own number of phases, and refuses when the electrics are unknown', () => {
    const s = { rateUnit: 'W' as const, minRate: 1380, periods: [{ startPeriodS: 0, limit: 11040 }, { startPeriodS: 600, limit: 3680, numberPhases: 1 }] };
    expect(convertSchedule(s, 'A', ac3)).toEqual({ rateUnit: 'A', minRate: 2, periods: [{ startPeriodS: 0, limit: 16 }, { startPeriodS: 600, limit: 16, numberPhases: 1 }] });
    expect(convertSchedule(s, 'W', undefined)).toBe(s);
    expect(convertSchedule(s, 'A', undefined)).toBeUndefined();
    expect(electricalOf({ powerType: 'AC_3_PHASE', maxVoltageV: 0 })).toBeUndefined();
    expect(electricalOf(undefined)).toBeUndefined();
  });
});
