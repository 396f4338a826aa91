// Local time (OCPI: restrictions are local to Location.time_zone), DST, time-of-day switches, midnight crossing,
// and period boundaries at the exact instant a duration or kWh threshold is crossed (mod_cdrs.asciidoc: a new
// ChargingPeriod starts whenever another PriceComponent becomes active).
import { describe, expect, it } from 'vitest';
import { priceSession } from './price-session.js';
import { sessionOf } from './test-helpers/scenarios.js';
import type { PriceComponent, Tariff, TariffRestrictions } from './types.js';

function tariffOf(...elements: Array<[PriceComponent['type'], number, TariffRestrictions?]>): Tariff {
  return {
    id: 'T', currency: 'EUR',
    elements: elements.map(([type, price, restrictions]) => ({ price_components: [{ type, price, vat: 19, step_size: 1 }], restrictions })),
  };
}

const starts = (priced: ReturnType<typeof priceSession>) => priced.chargingPeriods.map((p) => p.start_date_time);
const volume = (priced: ReturnType<typeof priceSession>, type: string) =>
  priced.chargingPeriods.map((p) => p.dimensions.find((d) => d.type === type)?.volume);

describe('local time', () => {
  it('DST end (Europe/Berlin 2026-10-25 03:00 CEST -> 02:00 CET): the local hour 02:00-03:00 is priced twice', () => {
    const tariff = tariffOf(['TIME', 10, { start_time: '02:00', end_time: '03:00' }], ['TIME', 1]);
    // 01:30 CEST to 03:30 CET is 3 elapsed hours; 2 of them read 02:xx on the local clock.
    const priced = priceSession(tariff, sessionOf('2026-10-25T01:30:00+02:00', [{ minutes: 180, energyWh: 9_000 }]));
    expect(priced.total_time).toBe(3);
    expect(priced.total_cost.excl_vat).toBe(21); // 0.5 h x 1 + 2 h x 10 + 0.5 h x 1
    expect(starts(priced)).toEqual(['2026-10-24T23:30:00Z', '2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z']);
    expect(volume(priced, 'TIME')).toEqual([0.5, 2, 0.5]);
  });

  it('DST start (2026-03-29 02:00 CET -> 03:00 CEST): the local hour 02:00-03:00 does not exist', () => {
    const tariff = tariffOf(['TIME', 10, { start_time: '02:00', end_time: '03:00' }], ['TIME', 1]);
    const priced = priceSession(tariff, sessionOf('2026-03-29T01:30:00+01:00', [{ minutes: 60, energyWh: 3_000 }]));
    expect(priced.total_cost.excl_vat).toBe(1);
    expect(priced.chargingPeriods).toHaveLength(1);
  });

  it('a price change at 17:00 local splits the period at 17:00 and the energy by interpolation', () => {
    const tariff = tariffOf(['ENERGY', 0.3, { start_time: '17:00' }], ['ENERGY', 0.2]);
    // 16:00-18:00 CEST at a steady 11 kW, sampled every 7 minutes (no sample at 17:00).
    const priced = priceSession(tariff, sessionOf('2026-07-01T16:00:00+02:00', [{ minutes: 120, energyWh: 22_000 }], { sampleEveryS: 420 }));
    expect(starts(priced)).toEqual(['2026-07-01T14:00:00Z', '2026-07-01T15:00:00Z']);
    expect(volume(priced, 'ENERGY')).toEqual([11, 11]);
    expect(priced.total_cost).toEqual({ excl_vat: 5.5, incl_vat: 6.55 }); // 2.20 + 3.30; x 1.19 = 6.545 -> 6.55
  });

  it('a night window 22:00-06:00 crosses midnight; 18:00-00:00 ends at the end of the day', () => {
    const tariff = tariffOf(
      ['ENERGY', 0.1, { start_time: '22:00', end_time: '06:00' }],
      ['ENERGY', 0.4, { start_time: '18:00', end_time: '00:00' }],
      ['ENERGY', 0.3],
    );
    // 21:00 -> 07:00 next day at 1 kWh per hour: 1 x 0.40 + 8 x 0.10 + 1 x 0.30
    const night = priceSession(tariff, sessionOf('2026-07-01T21:00:00+02:00', [{ minutes: 600, energyWh: 10_000 }], { sampleEveryS: 900 }));
    expect(night.total_cost.excl_vat).toBe(1.5);
    expect(starts(night)).toEqual(['2026-07-01T19:00:00Z', '2026-07-01T20:00:00Z', '2026-07-02T04:00:00Z']);
    const evening = tariffOf(['ENERGY', 0.4, { start_time: '18:00', end_time: '00:00' }], ['ENERGY', 0.3]);
    const late = priceSession(evening, sessionOf('2026-07-01T23:30:00+02:00', [{ minutes: 60, energyWh: 2_000 }]));
    expect(volume(late, 'ENERGY')).toEqual([1, 1]);
    expect(late.total_cost.excl_vat).toBe(0.7);
  });

  it('day_of_week and start_date / end_date are local: Sunday 23:30 UTC is already Monday in Berlin', () => {
    const tariff = tariffOf(['TIME', 5, { day_of_week: ['MONDAY'], start_date: '2026-07-06', end_date: '2026-07-07' }], ['TIME', 1]);
    // 2026-07-05 is a Sunday; 23:00Z is Monday 01:00 CEST.
    const priced = priceSession(tariff, sessionOf(new Date('2026-07-05T21:00:00Z'), [{ minutes: 240, energyWh: 8_000 }]));
    expect(starts(priced)).toEqual(['2026-07-05T21:00:00Z', '2026-07-05T22:00:00Z']);
    expect(priced.total_cost.excl_vat).toBe(16); // 1 h x 1 + 3 h x 5
  });

  it('a session longer than 24 h crosses several days and keeps every boundary', () => {
    const tariff = tariffOf(['TIME', 2, { start_time: '08:00', end_time: '20:00' }], ['TIME', 1]);
    const priced = priceSession(tariff, sessionOf('2026-07-01T06:00:00+02:00', [{ minutes: 30 * 60, energyWh: 60_000 }], { sampleEveryS: 300 }));
    expect(priced.total_time).toBe(30);
    expect(volume(priced, 'TIME')).toEqual([2, 12, 12, 4]); // 06-08, 08-20, 20-08, 08-12
    expect(priced.total_cost.excl_vat).toBe(2 + 24 + 12 + 8);
  });
});

describe('thresholds', () => {
  it('max_kwh: the period changes at the interpolated instant the energy reaches 5 kWh', () => {
    const tariff = tariffOf(['ENERGY', 0.1, { max_kwh: 5 }], ['ENERGY', 0.5]);
    const session = sessionOf('2026-07-01T10:00:00+02:00', [
      { minutes: 30, energyWh: 4_000 }, { minutes: 30, energyWh: 4_000 }, { minutes: 30, energyWh: 2_000 },
    ], { sampleEveryS: 900 });
    const priced = priceSession(tariff, session);
    expect(starts(priced)).toEqual(['2026-07-01T08:00:00Z', '2026-07-01T08:37:30Z']);
    expect(volume(priced, 'ENERGY')).toEqual([5, 5]);
    expect(priced.total_cost.excl_vat).toBe(3);
  });

  it('min_kwh is inclusive: an element starting at 5 kWh prices everything after the crossing', () => {
    const tariff = tariffOf(['ENERGY', 1, { min_kwh: 5 }], ['ENERGY', 0]);
    const priced = priceSession(tariff, sessionOf('2026-07-01T10:00:00+02:00', [{ minutes: 60, energyWh: 8_000 }], { sampleEveryS: 420 }));
    expect(volume(priced, 'ENERGY')).toEqual([5, 3]);
    expect(priced.total_cost.excl_vat).toBe(3);
  });

  it('min_duration / max_duration switch at the exact second since session start', () => {
    const tariff = tariffOf(['TIME', 0, { max_duration: 1800 }], ['TIME', 6, { min_duration: 3600 }], ['TIME', 2]);
    const priced = priceSession(tariff, sessionOf('2026-07-01T10:00:10+02:00', [{ minutes: 90, energyWh: 9_000 }], { sampleEveryS: 420 }));
    expect(starts(priced)).toEqual(['2026-07-01T08:00:10Z', '2026-07-01T08:30:10Z', '2026-07-01T09:00:10Z']);
    expect(priced.total_cost.excl_vat).toBe(4); // 0 + 0.5 h x 2 + 0.5 h x 6
  });

  it('min_current / max_power switch at the sample where the reading crosses the limit', () => {
    const tariff = tariffOf(['TIME', 3, { min_current: 32 }], ['TIME', 1, { max_power: 11 }], ['TIME', 2]);
    const priced = priceSession(tariff, sessionOf('2026-07-01T10:00:00+02:00', [
      { minutes: 30, energyWh: 11_000, currentA: 48, powerW: 22_000 },
      { minutes: 30, energyWh: 3_500, currentA: 16, powerW: 7_000 },
      { minutes: 30, energyWh: 5_500, currentA: 24, powerW: 11_000 },
    ]));
    expect(volume(priced, 'TIME')).toEqual([0.5, 0.5, 0.5]);
    expect(volume(priced, 'MAX_CURRENT')).toEqual([48, 16, 24]);
    expect(priced.total_cost.excl_vat).toBe(3); // 1.50 + 0.50 + 1.00
  });
});
