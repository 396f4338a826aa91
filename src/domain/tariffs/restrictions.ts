/**
 * OCPI 2.2.1 TariffRestrictions, compiled once per tariff and matched against the state of one moment of the
 * session (mod_tariffs.asciidoc §TariffRestrictions class). All present fields are AND-ed. Semantics:
 * start_time inclusive, end_time exclusive, end < start wraps past midnight, end 00:00 = end of day; dates local,
 * start inclusive / end exclusive; min_* inclusive, max_* exclusive (kWh so far, current, power, duration);
 * day_of_week is the local weekday of the moment itself (a night window 22:00-06:00 on FRIDAY therefore does not
 * cover Saturday 02:00: each restriction is evaluated independently, as the spec says they are AND-ed).
 * Current restrictions with no current reading do not match (the caller warns).
 */
import type { LocalClock } from './local-time.js';
import type { DayOfWeek, ReservationRestrictionType, TariffRestrictions } from './types.js';

export interface CompiledRestrictions {
  startMinute?: number;
  endMinute?: number;
  startDate?: number;
  endDate?: number;
  minWh?: number;
  maxWh?: number;
  minCurrentA?: number;
  maxCurrentA?: number;
  minPowerW?: number;
  maxPowerW?: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Bit n set = JS weekday n (0 = Sunday) allowed. */
  weekdays?: number;
  reservation?: ReservationRestrictionType;
}

/** The state of the session at one moment, as restrictions see it. */
export interface MomentState extends LocalClock {
  durationMs: number;
  energyWh: number;
  powerW: number;
  currentA: number | undefined;
}

const WEEKDAY: Record<DayOfWeek, number> = {
  SUNDAY: 0, MONDAY: 1, TUESDAY: 2, WEDNESDAY: 3, THURSDAY: 4, FRIDAY: 5, SATURDAY: 6,
};

function minuteOf(text: string | undefined, field: string, warnings: string[]): number | undefined {
  if (text === undefined) return undefined;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) warnings.push(`restriction ${field} "${text}" is not HH:MM; ignored`);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function dateOf(text: string | undefined, field: string, warnings: string[]): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) warnings.push(`restriction ${field} "${text}" is not YYYY-MM-DD; ignored`);
  return m ? Number(m[1] + m[2] + m[3]) : undefined;
}

const times = (value: number | undefined, factor: number) => (value === undefined ? undefined : value * factor);

export function compileRestrictions(r: TariffRestrictions | undefined, warnings: string[]): CompiledRestrictions {
  if (!r) return {};
  const endMinute = minuteOf(r.end_time, 'end_time', warnings);
  return {
    startMinute: minuteOf(r.start_time, 'start_time', warnings),
    endMinute: endMinute === 0 ? 1440 : endMinute,
    startDate: dateOf(r.start_date, 'start_date', warnings),
    endDate: dateOf(r.end_date, 'end_date', warnings),
    minWh: times(r.min_kwh, 1000),
    maxWh: times(r.max_kwh, 1000),
    minCurrentA: r.min_current,
    maxCurrentA: r.max_current,
    minPowerW: times(r.min_power, 1000),
    maxPowerW: times(r.max_power, 1000),
    minDurationMs: times(r.min_duration, 1000),
    maxDurationMs: times(r.max_duration, 1000),
    weekdays: r.day_of_week?.length ? r.day_of_week.reduce((bits, day) => bits | (1 << (WEEKDAY[day] ?? 7)), 0) : undefined,
    reservation: r.reservation,
  };
}

function timeOfDayMatches(start: number | undefined, end: number | undefined, minute: number): boolean {
  if (start === undefined && end === undefined) return true;
  const from = start ?? 0;
  const to = end ?? 1440;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

const atLeast = (min: number | undefined, value: number) => min === undefined || value >= min;
const below = (max: number | undefined, value: number) => max === undefined || value < max;

export function restrictionsMatch(c: CompiledRestrictions, s: MomentState): boolean {
  if (!timeOfDayMatches(c.startMinute, c.endMinute, s.minuteOfDay)) return false;
  if (!atLeast(c.startDate, s.dateKey) || !below(c.endDate, s.dateKey)) return false;
  if (c.weekdays !== undefined && (c.weekdays & (1 << s.weekday)) === 0) return false;
  if (!atLeast(c.minWh, s.energyWh) || !below(c.maxWh, s.energyWh)) return false;
  if (!atLeast(c.minPowerW, s.powerW) || !below(c.maxPowerW, s.powerW)) return false;
  if (!atLeast(c.minDurationMs, s.durationMs) || !below(c.maxDurationMs, s.durationMs)) return false;
  if (c.minCurrentA !== undefined || c.maxCurrentA !== undefined) {
    if (s.currentA === undefined) return false;
    if (!atLeast(c.minCurrentA, s.currentA) || !below(c.maxCurrentA, s.currentA)) return false;
  }
  return true;
}

export const usesCurrent = (c: CompiledRestrictions) => c.minCurrentA !== undefined || c.maxCurrentA !== undefined;
