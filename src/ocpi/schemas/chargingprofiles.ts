/**
 * ChargingProfiles module (2.2.1 only): mod_charging_profiles.asciidoc §Object description (ChargingProfileResponse,
 * ActiveChargingProfileResult, ChargingProfileResult, ClearProfileResult, SetChargingProfile) and §Data types
 * (ActiveChargingProfile, ChargingProfile, ChargingProfilePeriod, enums). Reference: shared/reference/ocpi-2.2.1.md §3.7.
 */
import { z } from 'zod';
import { dateTime, int, number, url } from './common.js';

export const chargingRateUnit = z.enum(['W', 'A']);
export const chargingProfileResponseType = z.enum(['ACCEPTED', 'NOT_SUPPORTED', 'REJECTED', 'TOO_OFTEN', 'UNKNOWN_SESSION']);
export const chargingProfileResultType = z.enum(['ACCEPTED', 'REJECTED', 'UNKNOWN']);

/** ChargingProfilePeriod: `start_period` seconds from the profile start, `limit` in the profile's unit (a limit, not a target). */
export const chargingProfilePeriod = z.looseObject({ start_period: int().min(0), limit: number.min(0) });
export const chargingProfile = z.looseObject({
  start_date_time: dateTime.optional(),
  duration: int().min(0).optional(),
  charging_rate_unit: chargingRateUnit,
  min_charging_rate: number.min(0).optional(),
  charging_profile_period: z.array(chargingProfilePeriod).optional(),
});
export const activeChargingProfile = z.looseObject({ start_date_time: dateTime, charging_profile: chargingProfile });

export const chargingProfileResponse = z.looseObject({ result: chargingProfileResponseType, timeout: int().min(0) });
/** `profile` accompanies an ACCEPTED result. */
export const activeChargingProfileResult = z.looseObject({ result: chargingProfileResultType, profile: activeChargingProfile.optional() });
export const chargingProfileResult = z.looseObject({ result: chargingProfileResultType });
export const clearProfileResult = z.looseObject({ result: chargingProfileResultType });
export const setChargingProfile = z.looseObject({ charging_profile: chargingProfile, response_url: url });
