// Properties of the engine over random sessions (meters that go backwards included) and random or spec tariffs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceSession } from './price-session.js';
import { loadExample, sessionOf, type Leg } from './test-helpers/scenarios.js';
import type { DayOfWeek, PriceComponent, PricingSession, Tariff, TariffElement, TariffRestrictions } from './types.js';

const RUNS = Number(process.env.TARIFF_PROPERTY_RUNS ?? 200);
const EXAMPLES = [
  'tariff_1_simple_2hour.json', 'tariff_3_alt_url.json', 'tariff_4_complex.json', 'tariff_6_025kwh_start_max_price.json',
  'tariff_10_025kwh_parking_start.json', 'tariff_12_025kwh_min_price.json', 'tariff_13_simple_3hour_5parking.json',
  'tariff_14_step_size.json', 'tariffrestriction_example_max_duration.json', 'tariffrestriction_example_max_power.json',
].map((file) => loadExample(file));

const hhmm = fc.constantFrom('00:00', '06:00', '09:30', '17:00', '20:00', '22:15', '23:59');
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const days: DayOfWeek[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

const restrictions: fc.Arbitrary<TariffRestrictions | undefined> = maybe(fc.record({
  start_time: maybe(hhmm), end_time: maybe(hhmm),
  min_kwh: maybe(fc.integer({ min: 0, max: 40 })), max_kwh: maybe(fc.integer({ min: 1, max: 60 })),
  min_current: maybe(fc.constantFrom(6, 16, 32)), max_current: maybe(fc.constantFrom(16, 32, 63)),
  min_power: maybe(fc.constantFrom(3.7, 11, 50)), max_power: maybe(fc.constantFrom(11, 22, 150)),
  min_duration: maybe(fc.integer({ min: 0, max: 20_000 })), max_duration: maybe(fc.integer({ min: 60, max: 40_000 })),
  day_of_week: maybe(fc.subarray(days, { minLength: 1 })),
}));

const component: fc.Arbitrary<PriceComponent> = fc.record({
  type: fc.constantFrom('ENERGY', 'FLAT', 'TIME', 'PARKING_TIME'),
  price: fc.integer({ min: 0, max: 500 }).map((cents) => cents / 100),
  vat: maybe(fc.constantFrom(0, 7, 19, 20, 5.2)),
  step_size: fc.constantFrom(1, 60, 100, 300, 500, 900, 1800),
});

const randomTariff: fc.Arbitrary<Tariff> = fc
  .array(fc.record({ price_components: fc.array(component, { minLength: 1, maxLength: 3 }), restrictions }), { minLength: 1, maxLength: 5 })
  .map((elements: TariffElement[]) => ({ id: 'R', currency: 'EUR', elements }));

const anyTariff = fc.oneof(fc.constantFrom(...EXAMPLES), randomTariff);

const leg: fc.Arbitrary<Leg> = fc.record({
  minutes: fc.integer({ min: 1, max: 240 }),
  energyWh: fc.integer({ min: -5_000, max: 40_000 }),
  powerW: maybe(fc.integer({ min: 0, max: 150_000 })),
  currentA: maybe(fc.integer({ min: 0, max: 200 })),
  parking: fc.boolean(),
});

const session: fc.Arbitrary<PricingSession> = fc
  .record({
    startMs: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
    legs: fc.array(leg, { minLength: 1, maxLength: 5 }),
    sampleEveryS: fc.constantFrom(30, 60, 300, 900),
    deriveCharging: fc.boolean(),
    timeZone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'),
  })
  .map(({ startMs, legs, ...options }) => sessionOf(new Date(startMs), legs, options));

const unrounded = (t: Tariff, s: PricingSession) => priceSession(t, s).total_cost_unrounded;

describe('engine properties', () => {
  it('cost, sub-totals and volumes are never negative', () => {
    fc.assert(fc.property(anyTariff, session, (tariff, s) => {
      const priced = priceSession(tariff, s);
      const prices = [priced.total_cost, priced.total_energy_cost, priced.total_time_cost, priced.total_parking_cost, priced.total_fixed_cost];
      for (const p of prices) if (p) expect(Math.min(p.excl_vat, p.incl_vat ?? 0)).toBeGreaterThanOrEqual(0);
      for (const p of priced.chargingPeriods) for (const d of p.dimensions) expect(d.volume).toBeGreaterThanOrEqual(0);
      expect(priced.total_energy).toBeGreaterThanOrEqual(0);
    }), { numRuns: RUNS });
  });

  it('inserting an interpolated sample does not change the price beyond rounding', () => {
    fc.assert(fc.property(anyTariff, session, fc.nat(), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (tariff, s, pick, fraction) => {
      const i = pick % (s.samples.length - 1);
      const a = s.samples[i];
      const b = s.samples[i + 1];
      const ms = Math.round(a.at.getTime() + fraction * (b.at.getTime() - a.at.getTime()));
      if (ms <= a.at.getTime() || ms >= b.at.getTime()) return;
      const share = (ms - a.at.getTime()) / (b.at.getTime() - a.at.getTime());
      const inserted = { at: new Date(ms), energyWh: a.energyWh + share * (b.energyWh - a.energyWh), powerW: b.powerW, currentA: b.currentA };
      const split = { ...s, samples: [...s.samples.slice(0, i + 1), inserted, ...s.samples.slice(i + 1)] };
      const before = unrounded(tariff, s);
      const after = unrounded(tariff, split);
      expect(Math.abs(after.excl_vat - before.excl_vat)).toBeLessThanOrEqual(0.01);
      expect(Math.abs((after.incl_vat ?? 0) - (before.incl_vat ?? 0))).toBeLessThanOrEqual(0.01);
    }), { numRuns: RUNS });
  });

  it('a larger step_size never lowers the price', () => {
    fc.assert(fc.property(anyTariff, session, (tariff, s) => {
      const unit: Tariff = structuredClone(tariff);
      for (const e of unit.elements) for (const c of e.price_components) c.step_size = 1;
      const stepped = unrounded(tariff, s);
      const exact = unrounded(unit, s);
      expect(stepped.excl_vat).toBeGreaterThanOrEqual(exact.excl_vat);
      expect(stepped.incl_vat ?? 0).toBeGreaterThanOrEqual(exact.incl_vat ?? 0);
    }), { numRuns: RUNS });
  });
});
