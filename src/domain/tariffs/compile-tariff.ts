/**
 * A Tariff prepared once for pricing: prices as exact nano-units, VAT factors, step sizes checked, restrictions
 * compiled, the element order for each phase, and every threshold that can switch an element on or off (local
 * times of day, durations, kWh), which the timeline turns into period boundaries.
 * Phases (mod_tariffs.asciidoc §ReservationRestrictionType): the charging session sees only elements without a
 * `reservation` restriction; a reservation sees only RESERVATION elements; an expired reservation sees the
 * RESERVATION_EXPIRES elements first and then the RESERVATION ones (the spec's note: an expired reservation's time is
 * priced by the RESERVATION_EXPIRES element when both have TIME; tariff_17 takes its TIME from RESERVATION).
 */
import { scaledDecimal, vatFactor } from './money.js';
import { compileRestrictions, usesCurrent, type CompiledRestrictions } from './restrictions.js';
import type { Tariff, TariffDimensionType } from './types.js';

export type Phase = 'charging' | 'parking' | 'reservation' | 'expired-reservation';

export interface CompiledComponent {
  /** Unique per tariff: element index * 1000 + component index. */
  code: number;
  type: TariffDimensionType;
  priceNano: bigint;
  /** incl = excl x vatFactor / VAT_SCALE. */
  vatFactor: bigint;
  /** ms for TIME / PARKING_TIME, mWh for ENERGY, 1 for FLAT. */
  stepUnits: number;
}

export interface CompiledElement {
  restrictions: CompiledRestrictions;
  byType: Partial<Record<TariffDimensionType, CompiledComponent>>;
}

export interface CompiledTariff {
  id: string;
  currency: string;
  elements: CompiledElement[];
  order: Record<'session' | 'reservation' | 'expired', number[]>;
  minutesOfDay: number[];
  durationsMs: number[];
  energiesWh: number[];
  usesCurrent: boolean;
}

const STEP_UNIT: Record<TariffDimensionType, number> = { ENERGY: 1000, TIME: 1000, PARKING_TIME: 1000, FLAT: 1 };

export function compileTariff(tariff: Tariff, warnings: string[]): CompiledTariff {
  const elements: CompiledElement[] = (tariff.elements ?? []).map((element, e) => {
    const byType: CompiledElement['byType'] = {};
    (element.price_components ?? []).forEach((pc, c) => {
      if (byType[pc.type] || !(pc.type in STEP_UNIT)) {
        warnings.push(`tariff ${tariff.id} element ${e}: extra or unknown ${pc.type} component ignored`);
        return;
      }
      if (!(pc.price >= 0)) warnings.push(`tariff ${tariff.id} element ${e}: ${pc.type} price ${pc.price} is not >= 0; priced as 0`);
      const step = Number.isFinite(pc.step_size) && pc.step_size >= 1 ? Math.round(pc.step_size) : 1;
      byType[pc.type] = {
        code: e * 1000 + c,
        type: pc.type,
        priceNano: pc.price >= 0 ? scaledDecimal(pc.price, 9) : 0n,
        vatFactor: vatFactor(pc.vat),
        stepUnits: step * STEP_UNIT[pc.type],
      };
    });
    return { restrictions: compileRestrictions(element.restrictions, warnings), byType };
  });
  const indices = elements.map((_, i) => i);
  const kind = (i: number) => elements[i].restrictions.reservation;
  const all = elements.map((e) => e.restrictions);
  const defined = (values: Array<number | undefined>) => [...new Set(values.filter((v): v is number => v !== undefined))];
  return {
    id: tariff.id,
    currency: tariff.currency,
    elements,
    order: {
      session: indices.filter((i) => kind(i) === undefined),
      reservation: indices.filter((i) => kind(i) === 'RESERVATION'),
      expired: [...indices.filter((i) => kind(i) === 'RESERVATION_EXPIRES'), ...indices.filter((i) => kind(i) === 'RESERVATION')],
    },
    minutesOfDay: defined(all.flatMap((r) => [r.startMinute, r.endMinute])),
    durationsMs: defined(all.flatMap((r) => [r.minDurationMs, r.maxDurationMs])),
    energiesWh: defined(all.flatMap((r) => [r.minWh, r.maxWh])),
    usesCurrent: all.some(usesCurrent),
  };
}
