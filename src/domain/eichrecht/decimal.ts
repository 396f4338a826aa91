/**
 * Exact decimal arithmetic on meter reading texts (reference §4 check 5, §6.7: energy = end RV - start RV
 * computed on the decimal text, never on floats) and the kWh/Wh conversion of OCMF `RU`.
 */
import type { Decimal } from './types.js';

const DECIMAL = /^\s*([+-]?)([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,3}))?\s*$/;
const DECIMAL_NO_INT = /^\s*([+-]?)()\.([0-9]+)(?:[eE]([+-]?[0-9]{1,3}))?\s*$/;

/** "1234.560" -> {1234560n, 3}; padded strings ("       9.038") and exponents are accepted; anything else undefined. */
export function parseDecimal(text: string): Decimal | undefined {
  if (text.length > 64) return undefined;
  const m = DECIMAL.exec(text) ?? DECIMAL_NO_INT.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  let digits = BigInt((m[2] || '0') + frac);
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (m[1] === '-') digits = -digits;
  return { digits, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale), scale];
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { digits: x - y, scale };
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function abs(a: Decimal): Decimal {
  return { digits: a.digits < 0n ? -a.digits : a.digits, scale: a.scale };
}

/** Shifts the decimal point: value * 10^exp. */
function shift(a: Decimal, exp: number): Decimal {
  const scale = a.scale - exp;
  return scale >= 0 ? { digits: a.digits, scale } : { digits: a.digits * 10n ** BigInt(-scale), scale: 0 };
}

/** Power of ten per energy unit, relative to Wh. Units are case sensitive in OCMF (`kWh`, `Wh`). */
const WH_EXP: Record<string, number> = { Wh: 0, kWh: 3, MWh: 6 };

export function isEnergyUnit(unit: string | undefined): boolean {
  return unit !== undefined && unit in WH_EXP;
}

/** A value in `unit` expressed in Wh; undefined when the unit is not an energy unit. */
export function toWh(value: Decimal, unit: string | undefined): Decimal | undefined {
  if (!isEnergyUnit(unit)) return undefined;
  return shift(value, WH_EXP[unit!]);
}

/** The step of the last written digit, in Wh: 1234.560 kWh -> 1 Wh, 1833 Wh -> 1 Wh, 1.3 kWh -> 100 Wh. */
export function resolutionWh(value: Decimal, unit: string | undefined): Decimal | undefined {
  return toWh({ digits: 1n, scale: value.scale }, unit);
}

/** Canonical text without trailing zeros: {16480000n, 3} -> "16480". */
export function formatDecimal(a: Decimal): string {
  let { digits, scale } = a;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  const neg = digits < 0n;
  const s = (neg ? -digits : digits).toString().padStart(scale + 1, '0');
  const body = scale ? `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}` : s;
  return neg ? `-${body}` : body;
}

export function decimalFromNumber(n: number): Decimal | undefined {
  return Number.isFinite(n) ? parseDecimal(String(n)) : undefined;
}
