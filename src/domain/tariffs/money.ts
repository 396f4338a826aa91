/**
 * Exact money for the tariff engine. Amounts are bigint "atoms" of 1 / 3.6e16 currency unit: with prices read as
 * nano-units (1e-9) and quantities as whole milliseconds or milli-watt-hours, every cost is an exact integer
 * (ms per hour = 3.6e6, mWh per kWh = 1e6, so 1e9 x 3.6e7 = 3.6e16 covers both). Amounts incl. VAT carry an extra
 * factor VAT_SCALE (100 % = 1e8, VAT read in micro-percent). Nothing is rounded until the final totals (roundMoney).
 */

export const NANO = 1_000_000_000n;
/** Atoms per currency unit. */
export const ATOMS = 36_000_000_000_000_000n;
/** incl-VAT amounts are atoms x VAT_SCALE; 100 % = VAT_SCALE. */
export const VAT_SCALE = 100_000_000n;

/**
 * A JSON number as an integer scaled by 10^digits, read from its decimal text (0.35 stays 0.35, not
 * 0.34999...). Digits beyond `digits` are rounded half away from zero.
 */
export function scaledDecimal(value: number, digits: number): bigint {
  if (!Number.isFinite(value) || value === 0) return 0n;
  const negative = value < 0;
  if (Math.abs(value) >= 1e15) return BigInt(Math.round(value)) * 10n ** BigInt(digits);
  let text = Math.abs(value).toString();
  if (text.includes('e')) text = Math.abs(value).toFixed(Math.min(100, digits + 2));
  const [intPart, fracPart = ''] = text.split('.');
  const padded = (fracPart + '0'.repeat(digits + 1)).slice(0, digits + 1);
  let scaled = BigInt(intPart + padded.slice(0, digits));
  if (Number(padded[digits]) >= 5) scaled += 1n;
  return negative ? -scaled : scaled;
}

/** Price per hour x milliseconds, in atoms. */
export function timeAtoms(priceNano: bigint, ms: number): bigint {
  return priceNano * BigInt(ms) * 10n;
}

/** Price per kWh x milli-watt-hours, in atoms. */
export function energyAtoms(priceNano: bigint, mWh: number): bigint {
  return priceNano * BigInt(mWh) * 36n;
}

/** A fixed price, in atoms. */
export function flatAtoms(priceNano: bigint): bigint {
  return priceNano * (ATOMS / NANO);
}

/** The factor an excl-VAT amount is multiplied by to give its incl-VAT amount (x VAT_SCALE); undefined vat = none. */
export function vatFactor(vatPercent: number | undefined): bigint {
  return vatPercent === undefined ? VAT_SCALE : VAT_SCALE + scaledDecimal(vatPercent, 6);
}

/** A Price bound (min_price / max_price) in atoms (excl) and atoms x VAT_SCALE (incl). */
export function priceBound(price: { excl_vat: number; incl_vat?: number }): { excl: bigint; incl?: bigint } {
  const excl = flatAtoms(scaledDecimal(price.excl_vat, 9));
  const incl = price.incl_vat === undefined ? undefined : flatAtoms(scaledDecimal(price.incl_vat, 9)) * VAT_SCALE;
  return { excl, incl };
}

/** Round half up (amounts are never negative here) to `digits` decimals: the only rounding of money. */
export function roundMoney(amount: bigint, unit: bigint, digits: number): number {
  const scale = 10n ** BigInt(digits);
  const positive = amount < 0n ? 0n : amount;
  const minor = (2n * positive * scale + unit) / (2n * unit);
  return Number(minor) / Number(scale);
}

const digitsByCurrency = new Map<string, number>();

/** Minor-unit decimals of an ISO 4217 currency (EUR 2, JPY 0, KWD 3), from ICU; 2 when unknown. */
export function currencyDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      const format = new Intl.NumberFormat('en', { style: 'currency', currency });
      digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}
