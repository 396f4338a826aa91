/**
 * Unit normalisation shared by both OCPP versions: energy to Wh, power to W, reactive to var/varh,
 * temperatures to Celsius. OCPP 1.6 spells Celsius both "Celsius" and "Celcius" (schema MeterValues).
 */
const FACTORS: Record<string, [number, string]> = {
  Wh: [1, 'Wh'], kWh: [1000, 'Wh'], varh: [1, 'varh'], kvarh: [1000, 'varh'],
  W: [1, 'W'], kW: [1000, 'W'], VA: [1, 'VA'], kVA: [1000, 'VA'], var: [1, 'var'], kvar: [1000, 'var'],
  A: [1, 'A'], V: [1, 'V'], Percent: [1, '%'], '%': [1, '%'], Celsius: [1, 'Celsius'], Celcius: [1, 'Celsius'],
  K: [1, 'K'], Fahrenheit: [1, 'Fahrenheit'], Hz: [1, 'Hz'],
};

/** The measurand's default unit when the charger leaves `unit` out (OCPP 1.6 §7.45: Wh for energy). */
export function defaultUnit(measurand: string): string {
  if (measurand.startsWith('Energy.Reactive')) return 'varh';
  if (measurand.startsWith('Energy')) return 'Wh';
  if (measurand.startsWith('Power.Reactive')) return 'var';
  if (measurand.startsWith('Power.Factor')) return '';
  if (measurand.startsWith('Power')) return 'W';
  if (measurand.startsWith('Current')) return 'A';
  if (measurand === 'Voltage') return 'V';
  if (measurand === 'SoC') return 'Percent';
  if (measurand === 'Temperature') return 'Celsius';
  if (measurand === 'Frequency') return 'Hz';
  return '';
}

/** Normalises a value; unknown units pass through unchanged (kept, never dropped). */
export function normalise(value: number, unit: string): { value: number; unit: string } {
  const factor = FACTORS[unit];
  if (!factor) return { value, unit };
  return { value: value * factor[0], unit: factor[1] };
}
