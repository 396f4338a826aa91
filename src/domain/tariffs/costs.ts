/**
 * Costs of the priced segments, exact until the end (money.ts), then min_price / max_price and one rounding.
 * step_size (mod_cdrs.asciidoc §step_size, with the post-d2 erratum of the tariff_14 example) is applied once per
 * session and group, never at a switch between elements: the group's LAST RELEVANT component (the one pricing the
 * last segment that has a billable volume in the group) decides; the total billable volume of that component's
 * dimension over the whole session is rounded up to its step_size, and the rounded-up remainder is billed at that
 * component's price. Groups: ENERGY; TIME and PARKING_TIME together (so charging followed by parking rounds only
 * the parking total: tariff_13, tariff_4, tariff_14 #1 and #3); reservation TIME on its own (tariff_16, tariff_17).
 * Volumes with no active component are free and count in no total (tariff_14 #3: 8 of 20 parking minutes billable).
 * FLAT: one fee per session and one per reservation, from the first segment where a FLAT component is active.
 */
import type { CompiledComponent, CompiledTariff } from './compile-tariff.js';
import { ATOMS, VAT_SCALE, currencyDigits, energyAtoms, flatAtoms, priceBound, roundMoney, timeAtoms } from './money.js';
import type { Segment } from './timeline.js';
import type { Price, PricedSession, Tariff, TariffDimensionType } from './types.js';

type Category = 'fixed' | 'energy' | 'time' | 'parking' | 'reservation';
type Line = { component: CompiledComponent; category: Category; quantity: number };
type Billed = { segment: Segment; type: TariffDimensionType; category: Category; quantity: number };
type Money = { excl: bigint; incl: bigint };
export type CostTotals = Pick<PricedSession, 'total_cost' | 'total_cost_unrounded' | 'total_fixed_cost' | 'total_energy_cost'
  | 'total_time_cost' | 'total_parking_cost' | 'total_reservation_cost'>;

const isReservation = (s: Segment) => s.phase === 'reservation' || s.phase === 'expired-reservation';

/** What each segment bills before step_size, grouped for the step rule. */
function billedVolumes(segments: Segment[]): Record<'energy' | 'time' | 'reservation', Billed[]> {
  const groups: Record<'energy' | 'time' | 'reservation', Billed[]> = { energy: [], time: [], reservation: [] };
  for (const segment of segments) {
    const ms = segment.toMs - segment.fromMs;
    if (isReservation(segment)) {
      if (segment.active.TIME && ms > 0) groups.reservation.push({ segment, type: 'TIME', category: 'reservation', quantity: ms });
      continue;
    }
    if (segment.active.ENERGY && segment.energyMwh > 0) {
      groups.energy.push({ segment, type: 'ENERGY', category: 'energy', quantity: segment.energyMwh });
    }
    if (ms > 0 && segment.phase === 'charging' && segment.active.TIME) {
      groups.time.push({ segment, type: 'TIME', category: 'time', quantity: ms });
    } else if (ms > 0 && segment.phase === 'parking' && segment.active.PARKING_TIME) {
      groups.time.push({ segment, type: 'PARKING_TIME', category: 'parking', quantity: ms });
    }
  }
  return groups;
}

function addLines(lines: Map<number, Line>, billed: Billed[]): void {
  for (const b of billed) {
    const component = b.segment.active[b.type]!;
    const line = lines.get(component.code) ?? { component, category: b.category, quantity: 0 };
    line.quantity += b.quantity;
    lines.set(component.code, line);
  }
  const last = billed[billed.length - 1];
  if (!last) return;
  const component = last.segment.active[last.type]!;
  const total = billed.filter((b) => b.type === last.type).reduce((sum, b) => sum + b.quantity, 0);
  const extra = (component.stepUnits - (total % component.stepUnits)) % component.stepUnits;
  lines.get(component.code)!.quantity += extra;
}

function lineCost({ component, quantity }: Line): Money {
  const excl = component.type === 'ENERGY' ? energyAtoms(component.priceNano, quantity)
    : component.type === 'FLAT' ? flatAtoms(component.priceNano) * BigInt(quantity)
    : timeAtoms(component.priceNano, quantity);
  return { excl, incl: excl * component.vatFactor };
}

export function computeCosts(segments: Segment[], flats: Segment[], tariff: Tariff, compiled: CompiledTariff): CostTotals {
  const lines = new Map<number, Line>();
  const groups = billedVolumes(segments);
  addLines(lines, groups.energy);
  addLines(lines, groups.time);
  addLines(lines, groups.reservation);
  for (const s of flats) {
    const component = s.active.FLAT!;
    const line = lines.get(component.code) ?? { component, category: isReservation(s) ? 'reservation' : 'fixed', quantity: 0 };
    line.quantity += 1;
    lines.set(component.code, line);
  }
  const byCategory = new Map<Category, Money>();
  const total: Money = { excl: 0n, incl: 0n };
  for (const line of lines.values()) {
    const cost = lineCost(line);
    const sum = byCategory.get(line.category) ?? { excl: 0n, incl: 0n };
    byCategory.set(line.category, { excl: sum.excl + cost.excl, incl: sum.incl + cost.incl });
    total.excl += cost.excl;
    total.incl += cost.incl;
  }
  if (tariff.min_price) {
    const min = priceBound(tariff.min_price);
    if (total.excl < min.excl) total.excl = min.excl;
    if (min.incl !== undefined && total.incl < min.incl) total.incl = min.incl;
  }
  if (tariff.max_price) {
    const max = priceBound(tariff.max_price);
    if (total.excl > max.excl) total.excl = max.excl;
    if (max.incl !== undefined && total.incl > max.incl) total.incl = max.incl;
  }
  const digits = currencyDigits(compiled.currency);
  const price = (m: Money, d = digits): Price => ({
    excl_vat: roundMoney(m.excl, ATOMS, d),
    incl_vat: roundMoney(m.incl, ATOMS * VAT_SCALE, d),
  });
  const sub = (c: Category) => (byCategory.has(c) ? price(byCategory.get(c)!) : undefined);
  return {
    total_cost: price(total),
    total_cost_unrounded: price(total, 9),
    total_fixed_cost: sub('fixed'),
    total_energy_cost: sub('energy'),
    total_time_cost: sub('time'),
    total_parking_cost: sub('parking'),
    total_reservation_cost: sub('reservation'),
  };
}
