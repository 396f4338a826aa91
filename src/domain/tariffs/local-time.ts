/**
 * Local time of the Location for tariff restrictions (OCPI 2.2.1 TariffRestrictions: start_time, end_time,
 * start_date, end_date and day_of_week are local to Location.time_zone). The UTC offset comes from ICU (Intl) and
 * is modelled as pieces of constant offset over the priced range, found by probing every 6 h (on a fixed grid whose
 * offsets are remembered) and bisecting to the millisecond. A DST change during a session therefore gives two pieces: on Europe/Berlin 2026-10-25
 * (03:00 CEST -> 02:00 CET) the local time 02:30 occurs twice, and both instants become boundaries.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const PROBE_MS = 6 * 3_600_000;

export interface OffsetPiece {
  fromMs: number;
  toMs: number;
  offsetMs: number;
}

export interface LocalClock {
  /** Minutes since local midnight, with fractions. */
  minuteOfDay: number;
  /** Local date as yyyymmdd. */
  dateKey: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local minus UTC at an instant, in ms (Europe/Berlin in summer: +7,200,000). */
export function utcOffsetMs(timeZone: string, epochMs: number): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const f: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(whole))) f[part.type] = Number(part.value);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - whole;
}

/**
 * The offset at the probe grid (multiples of PROBE_MS since the epoch), remembered: a session that has run for days
 * is priced again at every refresh, and each ICU call costs microseconds (600 of them for a 5-month range).
 */
const gridOffsets = new Map<string, number>();
const GRID_CACHE_MAX = 100_000;

function gridOffsetMs(timeZone: string, gridMs: number): number {
  const key = `${timeZone}|${gridMs}`;
  let offset = gridOffsets.get(key);
  if (offset === undefined) {
    offset = utcOffsetMs(timeZone, gridMs);
    if (gridOffsets.size >= GRID_CACHE_MAX) gridOffsets.clear();
    gridOffsets.set(key, offset);
  }
  return offset;
}

/** Pieces of constant UTC offset covering [fromMs, toMs] (at least one piece). */
export function offsetPieces(timeZone: string, fromMs: number, toMs: number): OffsetPiece[] {
  const pieces: OffsetPiece[] = [];
  let pieceStart = fromMs;
  let offset = utcOffsetMs(timeZone, fromMs);
  let probe = fromMs;
  while (probe < toMs) {
    // Probe at the grid (cached), at most PROBE_MS apart as before, and exactly at the end.
    const grid = (Math.floor(probe / PROBE_MS) + 1) * PROBE_MS;
    const next = Math.min(toMs, grid);
    if ((next === grid ? gridOffsetMs(timeZone, next) : utcOffsetMs(timeZone, next)) === offset) {
      probe = next;
      continue;
    }
    let lo = probe;
    let hi = next;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (utcOffsetMs(timeZone, mid) === offset) lo = mid;
      else hi = mid;
    }
    pieces.push({ fromMs: pieceStart, toMs: hi, offsetMs: offset });
    pieceStart = hi;
    offset = utcOffsetMs(timeZone, hi);
    probe = hi;
  }
  pieces.push({ fromMs: pieceStart, toMs, offsetMs: offset });
  return pieces;
}

function offsetAt(pieces: OffsetPiece[], epochMs: number): number {
  for (const piece of pieces) if (epochMs < piece.toMs) return piece.offsetMs;
  return pieces[pieces.length - 1].offsetMs;
}

export function localClock(pieces: OffsetPiece[], epochMs: number): LocalClock {
  const local = epochMs + offsetAt(pieces, epochMs);
  const days = Math.floor(local / DAY_MS);
  const date = new Date(days * DAY_MS);
  return {
    minuteOfDay: (local - days * DAY_MS) / MINUTE_MS,
    dateKey: date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate(),
    weekday: (((days + 4) % 7) + 7) % 7, // 1970-01-01 was a Thursday
  };
}

/** Every instant strictly inside the pieces where the local clock reads one of `minutesOfDay` (0 = midnight). */
export function localBoundaries(pieces: OffsetPiece[], minutesOfDay: Iterable<number>): number[] {
  const minutes = [...new Set([0, ...minutesOfDay].map((m) => m % 1440))];
  const out: number[] = [];
  for (const piece of pieces) {
    const firstDay = Math.floor((piece.fromMs + piece.offsetMs) / DAY_MS);
    const lastDay = Math.floor((piece.toMs + piece.offsetMs) / DAY_MS);
    for (let day = firstDay; day <= lastDay; day++) {
      for (const minute of minutes) {
        const at = day * DAY_MS + minute * MINUTE_MS - piece.offsetMs;
        if (at > piece.fromMs && at < piece.toMs) out.push(at);
      }
    }
  }
  return out;
}
