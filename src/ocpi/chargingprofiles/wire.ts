/**
 * ChargingProfiles on the wire (OCPI 2.2.1 mod_charging_profiles §Object description, §Data types;
 * reference/ocpi-2.2.1.md §3.7) and their translation to and from the neutral OCPP profile: an OCPI profile
 * on a session is an OCPP TxProfile on that session's transaction; with a start_date_time it is Absolute,
 * without one Relative (to the start of charging). OCPI has no numberPhases (erratum).
 */
import { z } from 'zod';
import type { NeutralChargingProfile, NeutralSchedule } from '../../domain/ports.js';
import { ocpiDateTime } from '../envelope.js';
import { responseUrl } from '../commands/wire.js';
import { dateTime } from '../tokens/wire.js';
import { parseDateTime } from '../commands/wire.js';

/** number with at most one decimal (OCPI ChargingProfilePeriod.limit, min_charging_rate). */
const oneDecimal = z.number().nonnegative().refine((n) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9, 'at most one decimal');

export const chargingProfile = z.object({
  start_date_time: dateTime.optional(),
  duration: z.number().int().positive().optional(),
  charging_rate_unit: z.enum(['W', 'A']),
  min_charging_rate: oneDecimal.optional(),
  charging_profile_period: z.array(z.object({ start_period: z.number().int().nonnegative(), limit: oneDecimal })).min(1).max(1024)
    .refine((ps) => ps.length === 0 || ps[0]!.start_period === 0, 'the first period starts at 0')
    .refine((ps) => ps.every((p, i) => i === 0 || p.start_period > ps[i - 1]!.start_period), 'start_period rises'),
});
export type ChargingProfileWire = z.infer<typeof chargingProfile>;

export const setChargingProfile = z.object({ charging_profile: chargingProfile, response_url: responseUrl });

export type ChargingProfileResponseType = 'ACCEPTED' | 'NOT_SUPPORTED' | 'REJECTED' | 'TOO_OFTEN' | 'UNKNOWN_SESSION';
export type ChargingProfileResultType = 'ACCEPTED' | 'REJECTED' | 'UNKNOWN';

/** The OCPP profile a session's OCPI profile becomes (TxProfile on its transaction, one id per session so a new PUT replaces it). */
export function toNeutralProfile(p: ChargingProfileWire, profileId: number, ocppTransactionId: string): NeutralChargingProfile {
  const startMs = p.start_date_time !== undefined ? parseDateTime(p.start_date_time) : undefined;
  const schedule: NeutralSchedule = {
    rateUnit: p.charging_rate_unit,
    ...(startMs !== undefined ? { startSchedule: new Date(startMs) } : {}),
    ...(p.duration !== undefined ? { durationS: p.duration } : {}),
    ...(p.min_charging_rate !== undefined ? { minRate: p.min_charging_rate } : {}),
    periods: p.charging_profile_period.map((x) => ({ startPeriodS: x.start_period, limit: x.limit })),
  };
  return { id: profileId, stackLevel: 0, purpose: 'TxProfile', kind: startMs !== undefined ? 'Absolute' : 'Relative', ocppTransactionId, schedule };
}

/** A composite schedule as an OCPI ActiveChargingProfile (periods relative to its start_date_time). */
export function toActiveChargingProfile(schedule: NeutralSchedule, startedAt: Date) {
  return {
    start_date_time: ocpiDateTime(startedAt),
    charging_profile: {
      start_date_time: ocpiDateTime(startedAt),
      ...(schedule.durationS !== undefined ? { duration: schedule.durationS } : {}),
      charging_rate_unit: schedule.rateUnit,
      ...(schedule.minRate !== undefined ? { min_charging_rate: schedule.minRate } : {}),
      charging_profile_period: schedule.periods.map((p) => ({ start_period: p.startPeriodS, limit: p.limit })),
    },
  };
}
