/**
 * Sessions module: OCPI 2.2.1 mod_sessions.asciidoc §Object description (Session, ChargingPreferences, enums),
 * plus the classes it shares with CDRs from mod_cdrs.asciidoc §Data types (AuthMethod, CdrDimension,
 * CdrDimensionType, CdrToken, ChargingPeriod). 2.1.1 mod_sessions.md (suffix 211): start_datetime, auth_id,
 * a full Location, total_cost a number, no cdr_token / country_code / party_id.
 * Reference: shared/reference/ocpi-2.2.1.md §3.2, §3.3, §4.
 */
import { z } from 'zod';
import { ciString, countryCode, currency, dateTime, number, partyId, price, string, string211 } from './common.js';
import { location211, tokenType } from './locations.js';

export const authMethod = z.enum(['AUTH_REQUEST', 'COMMAND', 'WHITELIST']);
export const sessionStatus = z.enum(['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING', 'RESERVATION']);
export const profileType = z.enum(['CHEAP', 'FAST', 'GREEN', 'REGULAR']);
export const chargingPreferencesResponse = z.enum(['ACCEPTED', 'DEPARTURE_REQUIRED', 'ENERGY_NEED_REQUIRED', 'NOT_POSSIBLE', 'PROFILE_TYPE_NOT_SUPPORTED']);

/** CdrDimensionType; the values marked "Session Only" SHALL NOT appear in CDRs (mod_cdrs §CdrDimensionType). */
export const CDR_DIMENSION_TYPES = ['ENERGY', 'MAX_CURRENT', 'MIN_CURRENT', 'MAX_POWER', 'MIN_POWER', 'PARKING_TIME', 'RESERVATION_TIME', 'TIME'] as const;
export const cdrDimensionType = z.enum([...CDR_DIMENSION_TYPES, 'CURRENT', 'ENERGY_EXPORT', 'ENERGY_IMPORT', 'POWER', 'STATE_OF_CHARGE']);
export const cdrDimension = z.looseObject({ type: cdrDimensionType, volume: number })
  .refine((d) => d.type !== 'STATE_OF_CHARGE' || (d.volume >= 0 && d.volume <= 100), { message: 'STATE_OF_CHARGE: 0 to 100', path: ['volume'] });
export const chargingPeriod = z.looseObject({ start_date_time: dateTime, dimensions: z.array(cdrDimension).min(1), tariff_id: ciString(36).optional() });

/** CdrToken: the token a session was authorized with (country_code / party_id of the eMSP). */
export const cdrToken = z.looseObject({ country_code: countryCode, party_id: partyId, uid: ciString(36).min(1), type: tokenType, contract_id: ciString(36).min(1) });

export const chargingPreferences = z.looseObject({
  profile_type: profileType, departure_time: dateTime.optional(), energy_need: number.min(0).optional(), discharge_allowed: z.boolean().optional(),
});

const sessionFields = {
  country_code: countryCode,
  party_id: partyId,
  id: ciString(36).min(1),
  start_date_time: dateTime,
  end_date_time: dateTime.optional(),
  kwh: number,
  cdr_token: cdrToken,
  auth_method: authMethod,
  authorization_reference: ciString(36).optional(),
  location_id: ciString(36).min(1),
  evse_uid: ciString(36).min(1), // `#NA` for a reservation without an EVSE
  connector_id: ciString(36).min(1),
  meter_id: string(255).optional(),
  currency,
  charging_periods: z.array(chargingPeriod).optional(),
  total_cost: price.optional(),
  status: sessionStatus,
  last_updated: dateTime,
};

/**
 * ENERGY dimensions are kWh (mod_cdrs §CdrDimensionType): the energy of the periods cannot exceed the
 * session's `kwh` (charged so far). This is what exposes volumes sent in Wh (ocpi/ocpi#465). A small
 * tolerance allows for rounding to the 4 decimals OCPI numbers carry.
 */
function energyWithinKwh(s: { kwh?: number; charging_periods?: Array<{ dimensions: Array<{ type: string; volume: number }> }> }): boolean {
  if (s.kwh === undefined || !s.charging_periods) return true;
  const energy = s.charging_periods.flatMap((p) => p.dimensions).filter((d) => d.type === 'ENERGY').reduce((sum, d) => sum + d.volume, 0);
  return energy <= Math.abs(s.kwh) + 0.001 * Math.max(1, s.charging_periods.length);
}
const energyIssue = { message: 'charging_periods: ENERGY volumes exceed kwh (ENERGY is in kWh, not Wh)', path: ['charging_periods'] };

export const session = z.looseObject(sessionFields).refine(energyWithinKwh, energyIssue);

/** PATCH body (mod_sessions §PATCH): any subset, `last_updated` required; its charging_periods are appended. */
export const sessionPatch = z.looseObject(sessionFields).partial().required({ last_updated: true }).refine(energyWithinKwh, energyIssue);

// ---- 2.1.1 ----
export const authMethod211 = z.enum(['AUTH_REQUEST', 'WHITELIST']);
export const sessionStatus211 = z.enum(['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING']);
export const cdrDimensionType211 = z.enum(['ENERGY', 'FLAT', 'MAX_CURRENT', 'MIN_CURRENT', 'PARKING_TIME', 'TIME']);
export const cdrDimension211 = z.looseObject({ type: cdrDimensionType211, volume: number });
export const chargingPeriod211 = z.looseObject({ start_date_time: dateTime, dimensions: z.array(cdrDimension211).min(1) });

const session211Fields = {
  id: string211(36).min(1),
  start_datetime: dateTime,
  end_datetime: dateTime.optional(),
  kwh: number,
  auth_id: string211(36).min(1),
  auth_method: authMethod211,
  location: location211,
  meter_id: string211(255).optional(),
  currency: string211(3).regex(/^[A-Z]{3}$/, 'currency: ISO 4217'),
  charging_periods: z.array(chargingPeriod211).optional(),
  total_cost: number.optional(),
  status: sessionStatus211,
  last_updated: dateTime,
};
export const session211 = z.looseObject(session211Fields).refine(energyWithinKwh, energyIssue);
/** 2.1.1 PATCH body: any subset of the fields (2.1.1 does not require last_updated in a PATCH). */
export const sessionPatch211 = z.looseObject(session211Fields).partial().refine(energyWithinKwh, energyIssue);
