/**
 * The readings of a transaction's records arranged per register (OBIS code `RI`), and the signed energy
 * (reference §1.4, §4 check 5, §6.7). One record may carry several registers (import and export, LEM DCBM;
 * B and E of two registers, OBIS 98.8.0/2.8.0 sample) or a non-energy register (DZG `sec`), so every
 * check on order and monotony runs per register, and energy = last - first of the first energy register.
 */
import { isEnergyUnit, resolutionWh, subtract, toWh, compare } from './decimal.js';
import type { Decimal, OcmfReading, ParsedOcmf } from './types.js';

export interface RegisterPoint {
  /** Index of the record in the caller's list. */
  record: number;
  reading: OcmfReading;
  /** The value in Wh (energy registers only). */
  wh?: Decimal;
}
export interface RegisterSeries {
  /** RI, or '' when the readings name no register. */
  register: string;
  points: RegisterPoint[];
  energy: boolean;
}

export function collectRegisters(records: Array<{ index: number; parsed: ParsedOcmf }>): RegisterSeries[] {
  const byRegister = new Map<string, RegisterSeries>();
  for (const { index, parsed } of records) {
    for (const reading of parsed.payload.readings) {
      const register = reading.RI ?? '';
      let s = byRegister.get(register);
      if (!s) byRegister.set(register, (s = { register, points: [], energy: isEnergyUnit(reading.RU) }));
      const wh = reading.RV?.decimal ? toWh(reading.RV.decimal, reading.RU) : undefined;
      s.points.push({ record: index, reading, wh });
    }
  }
  return [...byRegister.values()];
}

/** The register billed: the first one measured in Wh/kWh. */
export function primaryEnergyRegister(series: RegisterSeries[]): RegisterSeries | undefined {
  return series.find((s) => s.energy);
}

export interface SignedEnergy {
  register: string;
  startWh: Decimal;
  endWh: Decimal;
  energyWh: Decimal;
  /** The coarser of the start and end reading resolutions, in Wh. */
  resolutionWh: Decimal;
}

/** End minus start of an energy register, exactly; undefined when a value or unit is unusable. */
export function signedEnergyOf(series: RegisterSeries): SignedEnergy | undefined {
  const first = series.points[0];
  const last = series.points[series.points.length - 1];
  if (!first?.wh || !last?.wh) return undefined;
  const r1 = resolutionWh(first.reading.RV!.decimal!, first.reading.RU)!;
  const r2 = resolutionWh(last.reading.RV!.decimal!, last.reading.RU)!;
  return {
    register: series.register,
    startWh: first.wh,
    endWh: last.wh,
    energyWh: subtract(last.wh, first.wh),
    resolutionWh: compare(r1, r2) >= 0 ? r1 : r2,
  };
}
