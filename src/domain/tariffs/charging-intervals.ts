/**
 * Which parts of a session are TIME (the EV requests or receives power) and which are PARKING_TIME (the rest;
 * OCPI 2.2.1 erratum: "not requesting power", so an EVSE-side pause such as OCPP SuspendedEVSE stays TIME).
 * The caller's intervals win (from OCPP status: SuspendedEV starts parking). Without them the meter decides:
 * charging from the start until the end of the last sample interval in which energy rose or power was > 0, parking
 * after that. Pauses in the middle are therefore TIME: without status data they cannot be told from SuspendedEVSE.
 */
import type { MeterTrack } from './meter.js';

export interface Interval {
  fromMs: number;
  toMs: number;
}

/** Clip to [startMs, endMs], sort and merge overlapping intervals. */
function normalise(intervals: Interval[], startMs: number, endMs: number): Interval[] {
  const clipped = intervals
    .map((i) => ({ fromMs: Math.max(startMs, i.fromMs), toMs: Math.min(endMs, i.toMs) }))
    .filter((i) => Number.isFinite(i.fromMs) && Number.isFinite(i.toMs) && i.toMs > i.fromMs)
    .sort((a, b) => a.fromMs - b.fromMs);
  const merged: Interval[] = [];
  for (const i of clipped) {
    const last = merged[merged.length - 1];
    if (last && i.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, i.toMs);
    else merged.push({ ...i });
  }
  return merged;
}

export function chargingIntervals(
  given: Array<{ from: Date; to: Date }> | undefined,
  track: MeterTrack,
  startMs: number,
  endMs: number,
  warnings: string[],
): Interval[] {
  if (given) return normalise(given.map((i) => ({ fromMs: i.from.getTime(), toMs: i.to.getTime() })), startMs, endMs);
  if (endMs <= startMs) return [];
  if (!track.hasSamples) {
    warnings.push('no meter samples and no charging intervals: the whole session is counted as charging time');
    return [{ fromMs: startMs, toMs: endMs }];
  }
  let lastActiveEnd: number | undefined;
  for (let k = 1; k < track.timesMs.length; k++) {
    if (track.active[k] && track.timesMs[k] > startMs && track.timesMs[k - 1] < endMs) lastActiveEnd = track.timesMs[k];
  }
  if (lastActiveEnd === undefined) {
    warnings.push('the meter shows no charging: the whole session is counted as parking time');
    return [];
  }
  return normalise([{ fromMs: startMs, toMs: lastActiveEnd }], startMs, endMs);
}

export function isCharging(intervals: Interval[], ms: number): boolean {
  for (const i of intervals) if (i.fromMs <= ms && ms < i.toMs) return true;
  return false;
}
