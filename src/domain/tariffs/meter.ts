/**
 * The meter track of a session: samples sorted by time; energy made non-decreasing (a meter that goes backwards or
 * resets adds 0 Wh for that interval, reported once in the warnings; a negative reading is read as 0 Wh); energy
 * interpolated linearly between samples and held after the last one; one power / current value per sample interval:
 * the reading of the sample that closes the interval, else for power the average from the energy delta; current
 * carries the last reading on.
 * Energy before the first sample rises linearly from 0 Wh at session start (samples are cumulative since start).
 */
import type { MeterSample } from './types.js';

export interface MeterTrack {
  timesMs: number[];
  /** Cleaned cumulative energy, non-decreasing. */
  energyWh: number[];
  /** Power of the interval that ends at index k (k = 0: the sample itself). */
  powerW: number[];
  currentA: Array<number | undefined>;
  /** The interval ending at k delivered energy or reported power > 0. */
  active: boolean[];
  /** True when at least one real sample exists. */
  hasSamples: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const nonNegative = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? undefined : Math.max(0, v));

export function buildMeterTrack(samples: MeterSample[], startMs: number, warnings: string[]): MeterTrack {
  const valid = samples.filter((s) => Number.isFinite(s.at?.getTime()) && Number.isFinite(s.energyWh));
  if (valid.length < samples.length) warnings.push(`${samples.length - valid.length} meter samples without a valid time or energy were ignored`);
  const sorted = valid.slice().sort((a, b) => a.at.getTime() - b.at.getTime());
  const points: Array<{ ms: number; raw: number; powerW?: number; currentA?: number }> = sorted.map((s) => ({
    ms: s.at.getTime(), raw: s.energyWh, powerW: nonNegative(s.powerW), currentA: nonNegative(s.currentA),
  }));
  if (points.length === 0 || points[0].ms > startMs) points.unshift({ ms: startMs, raw: 0 });
  const negative = points.filter((p) => p.raw < 0);
  if (negative.length > 0) warnings.push(`${negative.length} meter sample(s) with negative energy, first at ${iso(negative[0].ms)}; read as 0 Wh`);
  for (const p of negative) p.raw = 0;

  const track: MeterTrack = { timesMs: [], energyWh: [], powerW: [], currentA: [], active: [], hasSamples: sorted.length > 0 };
  let drops = 0;
  let firstDrop = '';
  let cleaned = points[0].raw;
  let current: number | undefined;
  for (let k = 0; k < points.length; k++) {
    const p = points[k];
    let derivedW = 0;
    if (k > 0) {
      const delta = p.raw - points[k - 1].raw;
      if (delta < 0 && drops++ === 0) firstDrop = `at ${iso(p.ms)} (${points[k - 1].raw} Wh -> ${p.raw} Wh)`;
      cleaned += Math.max(0, delta);
      const dtMs = p.ms - points[k - 1].ms;
      if (dtMs > 0) derivedW = (Math.max(0, delta) / dtMs) * 3_600_000;
    }
    current = p.currentA ?? current;
    track.timesMs.push(p.ms);
    track.energyWh.push(cleaned);
    track.powerW.push(p.powerW ?? derivedW);
    track.currentA.push(current);
    track.active.push(k > 0 && (cleaned > track.energyWh[k - 1] || (p.powerW ?? 0) > 0));
  }
  if (drops > 0) warnings.push(`meter went backwards ${drops} time(s), first ${firstDrop}; each drop counted as 0 Wh`);
  return track;
}

/** Largest k with timesMs[k] <= ms, or -1. */
function indexAtOrBefore(track: MeterTrack, ms: number): number {
  let lo = -1;
  let hi = track.timesMs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (track.timesMs[mid] <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Cleaned cumulative energy at an instant (linear between samples, held after the last). */
export function energyAt(track: MeterTrack, ms: number): number {
  const k = indexAtOrBefore(track, ms);
  if (k < 0) return track.energyWh[0];
  if (k === track.timesMs.length - 1) return track.energyWh[k];
  const t0 = track.timesMs[k];
  const t1 = track.timesMs[k + 1];
  const e0 = track.energyWh[k];
  return e0 + ((track.energyWh[k + 1] - e0) * (ms - t0)) / (t1 - t0);
}

/** Power and current of the sample interval containing `ms`; after the last sample nothing flows (0 W). */
export function readingsAt(track: MeterTrack, ms: number): { powerW: number; currentA: number | undefined } {
  const k = indexAtOrBefore(track, ms) + 1;
  if (k >= track.timesMs.length) return { powerW: 0, currentA: track.currentA[track.currentA.length - 1] };
  return { powerW: track.powerW[k], currentA: track.currentA[k] };
}

/** The first instant (ms, rounded up) at which the cleaned energy reaches `targetWh`, if it does. */
export function instantReaching(track: MeterTrack, targetWh: number): number | undefined {
  const e = track.energyWh;
  if (e[e.length - 1] < targetWh) return undefined;
  let lo = 0;
  let hi = e.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (e[mid] >= targetWh) hi = mid;
    else lo = mid + 1;
  }
  if (lo === 0) return track.timesMs[0];
  const t0 = track.timesMs[lo - 1];
  const t1 = track.timesMs[lo];
  return Math.ceil(t0 + ((targetWh - e[lo - 1]) / (e[lo] - e[lo - 1])) * (t1 - t0));
}
