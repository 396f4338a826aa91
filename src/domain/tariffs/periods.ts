/**
 * OCPI ChargingPeriods from the priced segments (mod_cdrs.asciidoc §ChargingPeriod): consecutive segments with the
 * same set of active PriceComponents (and the same phase) form one period; a new one starts whenever the set changes
 * (e.g. at 17:00, or when the current crosses a threshold). Volumes are the measured ones (step_size rounding shows
 * only in the costs), in OCPI units: ENERGY kWh, TIME / PARKING_TIME / RESERVATION_TIME hours, current A, power kW,
 * rounded to 4 decimals (OCPI number). A period carries FLAT (volume 1) where a flat fee was billed.
 */
import type { Segment } from './timeline.js';
import type { CdrDimension, ChargingPeriod } from './types.js';

interface Accumulator {
  startMs: number;
  key: string;
  chargingMs: number;
  parkingMs: number;
  reservationMs: number;
  energyMwh: number;
  flat: boolean;
  /** [min, max] over the charging segments; undefined when none / no reading. */
  powerW?: [number, number];
  currentA?: [number, number];
}

const widen = (range: [number, number] | undefined, v: number): [number, number] =>
  range ? [Math.min(range[0], v), Math.max(range[1], v)] : [v, v];

const HOUR_MS = 3_600_000;
export const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** OCPI DateTime: UTC, `Z`, milliseconds only when there are any. */
export function ocpiDateTime(ms: number): string {
  return new Date(Math.round(ms)).toISOString().replace('.000Z', 'Z');
}

function dimensionsOf(a: Accumulator): CdrDimension[] {
  const dims: CdrDimension[] = [];
  const add = (type: CdrDimension['type'], volume: number) => dims.push({ type, volume: round4(volume) });
  if (a.flat) add('FLAT', 1);
  if (a.reservationMs > 0 || a.key.startsWith('reservation') || a.key.startsWith('expired')) {
    add('RESERVATION_TIME', a.reservationMs / HOUR_MS);
  } else {
    if (a.chargingMs > 0 || a.energyMwh > 0 || a.parkingMs === 0) add('ENERGY', a.energyMwh / 1e6);
    if (a.chargingMs > 0 || a.parkingMs === 0) add('TIME', a.chargingMs / HOUR_MS);
    if (a.parkingMs > 0) add('PARKING_TIME', a.parkingMs / HOUR_MS);
  }
  if (a.currentA) {
    add('MAX_CURRENT', a.currentA[1]);
    add('MIN_CURRENT', a.currentA[0]);
  }
  if (a.powerW) {
    add('MAX_POWER', a.powerW[1] / 1000);
    add('MIN_POWER', a.powerW[0] / 1000);
  }
  return dims;
}

export function chargingPeriods(segments: Segment[], flatBilledIn: Set<Segment>, tariffId: string): ChargingPeriod[] {
  const periods: ChargingPeriod[] = [];
  let acc: Accumulator | undefined;
  const flush = () => {
    if (acc) periods.push({ start_date_time: ocpiDateTime(acc.startMs), dimensions: dimensionsOf(acc), tariff_id: tariffId });
  };
  for (const s of segments) {
    if (!acc || acc.key !== s.key) {
      flush();
      acc = { startMs: s.fromMs, key: s.key, chargingMs: 0, parkingMs: 0, reservationMs: 0, energyMwh: 0, flat: false };
    }
    const ms = s.toMs - s.fromMs;
    if (s.phase === 'charging') {
      acc.chargingMs += ms;
      acc.powerW = widen(acc.powerW, s.powerW);
      if (s.currentA !== undefined) acc.currentA = widen(acc.currentA, s.currentA);
    } else if (s.phase === 'parking') acc.parkingMs += ms;
    else acc.reservationMs += ms;
    acc.energyMwh += s.energyMwh;
    if (flatBilledIn.has(s)) acc.flat = true;
  }
  flush();
  return periods;
}
