/**
 * Reading helpers on normalised meter values: the session's energy register and power. A value without a
 * phase is the total; per-phase registers are never added to it (reference/ocpp.md §1.8).
 */
import type { MeterReading } from './model.js';

const ENERGY = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';

/** The last total active-import energy register in the list, in Wh. */
export function energyRegisterWh(readings: MeterReading[]): number | undefined {
  let found: number | undefined;
  for (const r of readings) if (r.measurand === ENERGY && !r.phase && r.unit === 'Wh') found = r.value;
  return found;
}

/** The last total active-import power in the list, in W (the sum of phases when only per-phase values came). */
export function powerW(readings: MeterReading[]): number | undefined {
  let total: number | undefined;
  let phaseSum = 0;
  let phases = 0;
  for (const r of readings) {
    if (r.measurand !== POWER || r.unit !== 'W') continue;
    if (!r.phase) total = r.value;
    else if (/^L[123](-N)?$/.test(r.phase)) {
      phaseSum += r.value;
      phases++;
    }
  }
  return total ?? (phases ? phaseSum : undefined);
}
