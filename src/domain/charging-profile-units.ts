/**
 * Charging limits between W and A for an EVSE (OCPI ChargingRateUnit: W is the total power, A is per phase;
 * reference/ocpi-2.2.1.md §3.7, reference/ocpp.md §5): P = I × U × phases, with U the connector's
 * `max_voltage` (phase to neutral for AC) and the phases from its `power_type`. DC has one "phase". Limits keep
 * one decimal (OCPI number(1 decimal), OCPP 1.6 multipleOf 0.1).
 */
import type { NeutralSchedule } from './ports.js';

export interface Electrical {
  phases: number;
  voltageV: number;
}

const PHASES: Record<string, number> = { AC_1_PHASE: 1, AC_2_PHASE: 2, AC_2_PHASE_SPLIT: 2, AC_3_PHASE: 3, DC: 1 };

export function electricalOf(connector: { powerType: string; maxVoltageV: number } | undefined): Electrical | undefined {
  if (!connector || !(connector.maxVoltageV > 0)) return undefined;
  const phases = PHASES[connector.powerType];
  return phases ? { phases, voltageV: connector.maxVoltageV } : undefined;
}

export function convertLimit(limit: number, from: 'A' | 'W', to: 'A' | 'W', e: Electrical): number {
  if (from === to) return round1(limit);
  const perAmpere = e.voltageV * e.phases;
  return round1(from === 'A' ? limit * perAmpere : limit / perAmpere);
}

/** The schedule in `to`; unchanged when it already is, or when the EVSE's electrics are unknown (then undefined). */
export function convertSchedule(s: NeutralSchedule, to: 'A' | 'W', e: Electrical | undefined): NeutralSchedule | undefined {
  if (s.rateUnit === to) return s;
  if (!e) return undefined;
  return {
    ...s, rateUnit: to,
    // A period may say how many phases it uses (OCPP numberPhases); otherwise the connector's.
    periods: s.periods.map((p) => ({ ...p, limit: convertLimit(p.limit, s.rateUnit, to, p.numberPhases ? { ...e, phases: p.numberPhases } : e) })),
    ...(s.minRate !== undefined ? { minRate: convertLimit(s.minRate, s.rateUnit, to, e) } : {}),
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
