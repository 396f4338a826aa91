// Bad or thin input never throws for data problems, never gives negative energy or cost, and says what it assumed.
import { describe, expect, it } from 'vitest';
import { priceSession } from './price-session.js';
import { selectTariff } from './select-tariff.js';
import { chargeThenPark, loadExample, sessionOf } from './test-helpers/scenarios.js';
import type { PricingSession, Tariff } from './types.js';

const START = '2026-07-01T10:00:00+02:00';
const at = (minutes: number) => new Date(new Date(START).getTime() + minutes * 60_000);
const tariff9 = loadExample('tariff_9_025kwh_start.json'); // FLAT 0.50 + 0.25/kWh

function withSamples(samples: Array<[number, number]>, endMinutes: number): PricingSession {
  return {
    startedAt: at(0), endedAt: at(endMinutes), timeZone: 'Europe/Berlin',
    samples: samples.map(([minutes, energyWh]) => ({ at: at(minutes), energyWh })),
  };
}

describe('meter problems', () => {
  it('a meter that goes backwards adds 0 Wh for the drop and continues from the lower value', () => {
    const priced = priceSession(tariff9, withSamples([[0, 0], [20, 5_000], [40, 3_000], [60, 6_000]], 60));
    expect(priced.total_energy).toBe(8); // 5 kWh + 0 + 3 kWh
    expect(priced.total_cost.excl_vat).toBe(2.5);
    expect(priced.warnings.join()).toMatch(/meter went backwards 1 time\(s\), first at 2026-07-01T08:40:00.000Z \(5000 Wh -> 3000 Wh\)/);
    expect(priced.chargingPeriods.every((p) => p.dimensions.every((d) => d.volume >= 0))).toBe(true);
  });

  it('a meter reset to 0 mid-session and a negative first reading never go negative', () => {
    const priced = priceSession(tariff9, withSamples([[0, -50], [30, 4_000], [31, 0], [60, 2_000]], 60));
    expect(priced.total_energy).toBe(6);
    expect(priced.total_cost.excl_vat).toBeGreaterThan(0);
    expect(priced.warnings).toHaveLength(2);
  });

  it('samples out of order are sorted; samples without valid numbers are dropped with a warning', () => {
    const session = withSamples([[60, 6_000], [0, 0], [30, 3_000]], 60);
    session.samples.push({ at: at(45), energyWh: Number.NaN });
    const priced = priceSession(tariff9, session);
    expect(priced.total_energy).toBe(6);
    expect(priced.warnings).toEqual(['1 meter samples without a valid time or energy were ignored']);
  });
});

describe('thin or inconsistent input', () => {
  it('endedAt before startedAt prices a zero-duration session (the start fee only) and warns', () => {
    const priced = priceSession(tariff9, { startedAt: at(10), endedAt: at(0), timeZone: 'Europe/Berlin', samples: [] });
    expect(priced.total_time).toBe(0);
    expect(priced.total_cost).toEqual({ excl_vat: 0.5, incl_vat: 0.6 });
    expect(priced.chargingPeriods).toHaveLength(1);
    expect(priced.warnings[0]).toMatch(/ends before it starts/);
  });

  it('no samples: no energy, the whole session is charging time (with a warning)', () => {
    const priced = priceSession(loadExample('tariff_1_simple_2hour.json'), { startedAt: at(0), endedAt: at(90), timeZone: 'Europe/Berlin', samples: [] });
    expect(priced.total_cost.excl_vat).toBe(3);
    expect(priced.total_energy).toBe(0);
    expect(priced.warnings).toEqual(['no meter samples and no charging intervals: the whole session is counted as charging time']);
  });

  it('two samples (start and end energy) are enough; parking is derived after the last rise', () => {
    const priced = priceSession(loadExample('tariff_10_025kwh_parking_start.json'), withSamples([[0, 0], [120, 20_000], [160, 20_000]], 160));
    expect(priced.total_cost).toEqual({ excl_vat: 7, incl_vat: 7.9 });
    expect(priced.total_parking_time).toBe(0.6667);
  });

  it('an unknown time zone falls back to UTC with a warning', () => {
    const priced = priceSession(tariff9, { ...chargeThenPark(START, 60, 4_000), timeZone: 'Mars/Olympus' });
    expect(priced.total_cost.excl_vat).toBe(1.5);
    expect(priced.warnings).toEqual(['unknown time zone "Mars/Olympus"; local-time restrictions evaluated in UTC']);
  });

  it('current restrictions without current readings do not apply, and say so', () => {
    const priced = priceSession(loadExample('tariff_4_complex.json'), chargeThenPark('2019-06-03T09:30:00+02:00', 60, 10_000));
    expect(priced.total_time_cost).toBeUndefined();
    expect(priced.warnings.join()).toMatch(/no sample carries currentA/);
  });

  it('an expired reservation prices only the reservation, even when session data is passed', () => {
    const session = chargeThenPark(START, 60, 4_000);
    session.reservation = { from: at(-60), to: at(0), expired: true };
    const priced = priceSession(loadExample('tariff_17_reservation_with_expire_fee.json'), session);
    expect(priced.total_cost).toEqual({ excl_vat: 6, incl_vat: 7.2 });
    expect(priced.total_reservation_cost).toEqual({ excl_vat: 6, incl_vat: 7.2 });
    expect(priced.total_energy).toBe(0);
    expect(priced.warnings.join()).toMatch(/only the reservation is priced/);
  });

  it('currencies are rounded to their own minor unit (JPY: 0 decimals)', () => {
    const yen: Tariff = { id: 'Y', currency: 'JPY', elements: [{ price_components: [{ type: 'ENERGY', price: 55.5, vat: 10, step_size: 1 }] }] };
    const priced = priceSession(yen, sessionOf(START, [{ minutes: 60, energyWh: 7_000 }]));
    expect(priced.total_cost).toEqual({ excl_vat: 389, incl_vat: 427 }); // 388.5 -> 389; 427.35 -> 427
  });
});

describe('selectTariff', () => {
  const regular: Tariff = { id: 'R', currency: 'EUR', type: 'REGULAR', elements: [], end_date_time: '2026-06-30T23:59:59Z' };
  const next: Tariff = { id: 'N', currency: 'EUR', elements: [], start_date_time: '2026-07-01T00:00:00Z' };
  const cheap: Tariff = { id: 'C', currency: 'EUR', type: 'PROFILE_CHEAP', elements: [] };
  const adHoc: Tariff = { id: 'A', currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [] };
  const tariffs = [regular, next, cheap, adHoc];
  const ids = ['R', 'N', 'C', 'A'];

  it.each([
    ['before the switch: the REGULAR tariff', '2026-06-15T12:00:00Z', undefined, 'R'],
    ['after the old one ended: the untyped new tariff', '2026-07-02T12:00:00Z', undefined, 'N'],
    ['preferred PROFILE_CHEAP', '2026-07-02T12:00:00Z', 'PROFILE_CHEAP', 'C'],
    ['ad-hoc payment', '2026-06-15T12:00:00Z', 'AD_HOC_PAYMENT', 'A'],
    ['PROFILE_FAST unknown: falls back to the untyped tariff', '2026-07-02T12:00:00Z', 'PROFILE_FAST', 'N'],
    ['PROFILE_FAST before the untyped one starts: none', '2026-06-15T12:00:00Z', 'PROFILE_FAST', undefined],
  ] as const)('%s', (_name, start, preferredType, expected) => {
    expect(selectTariff({ tariffIds: ids, tariffs, sessionStart: new Date(start), preferredType })?.id).toBe(expected);
  });

  it('only the connector\'s tariff_ids count', () => {
    expect(selectTariff({ tariffIds: ['C'], tariffs, sessionStart: new Date('2026-06-15T12:00:00Z') })).toBeUndefined();
  });
});

describe('a charger clock that is not believable', () => {
  it('a session from 1970 to 9999 is priced over its last 62 days with all its energy, and says so', () => {
    const priced = priceSession(tariff9, {
      startedAt: new Date('1970-01-01T00:00:00Z'), endedAt: new Date('9999-12-31T23:59:59Z'), timeZone: 'Europe/Berlin',
      samples: [{ at: new Date('1970-01-01T00:00:00Z'), energyWh: 1_000 }, { at: new Date('2026-07-01T10:00:00Z'), energyWh: 4_000 }, { at: new Date('9999-12-31T23:59:59Z'), energyWh: 11_000 }],
    });
    expect(priced.total_energy).toBe(10); // 11,000 - 1,000 Wh: nothing lost to the cut
    expect(priced.total_cost.excl_vat).toBe(3); // 0.50 start + 10 kWh x 0.25
    expect(priced.total_time).toBe(62 * 24);
    expect(priced.warnings.join()).toMatch(/session spans 2932897 days \(1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.000Z\): the charger's clock is not believed; only the last 62 days are priced/);
  });

  it('a session of 61 days is priced whole', () => {
    const priced = priceSession(tariff9, { startedAt: at(0), endedAt: at(61 * 24 * 60), timeZone: 'Europe/Berlin', samples: [{ at: at(0), energyWh: 0 }, { at: at(61 * 24 * 60), energyWh: 2_000 }] });
    expect(priced.total_time).toBe(61 * 24);
    expect(priced.warnings).toEqual([]);
  });
});
