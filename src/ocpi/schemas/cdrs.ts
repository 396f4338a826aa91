/**
 * CDRs module: OCPI 2.2.1 mod_cdrs.asciidoc §Object description (CDR) and §Data types (CdrLocation, SignedData,
 * SignedValue; CdrToken, ChargingPeriod and CdrDimension live in sessions.ts, which uses them first), with the
 * post-d2 erratum SignedValue.plain_data string(5000). 2.1.1 mod_cdrs.md (suffix 211): stop_date_time, auth_id,
 * a full Location, total_cost a number, no credit CDRs, no signed_data, no session_id.
 * Reference: shared/reference/ocpi-2.2.1.md §3.3, §4.
 */
import { z } from 'zod';
import { ciString, countryCode, country, currency, dateTime, int, number, partyId, price, string, string211 } from './common.js';
import { connectorFormat, connectorType, geoLocation, location211, powerType } from './locations.js';
import { authMethod, authMethod211, cdrDimension, cdrToken, CDR_DIMENSION_TYPES, chargingPeriod211 } from './sessions.js';
import { tariff, tariff211 } from './tariffs.js';

/** CdrLocation: the Location, EVSE and Connector as they were at session start (d2 lengths: address 45, state 20). */
export const cdrLocation = z.looseObject({
  id: ciString(36).min(1),
  name: string(255).optional(),
  address: string(45),
  city: string(45),
  postal_code: string(10).optional(),
  state: string(20).optional(),
  country,
  coordinates: geoLocation,
  evse_uid: ciString(36).min(1),
  evse_id: ciString(48).min(1),
  connector_id: ciString(36).min(1),
  connector_standard: connectorType,
  connector_format: connectorFormat,
  connector_power_type: powerType,
});

export const signedValue = z.looseObject({ nature: ciString(32), plain_data: string(5000), signed_data: string(5000) });
export const signedData = z.looseObject({
  encoding_method: ciString(36),
  encoding_method_version: int().optional(),
  public_key: string(512).optional(),
  signed_values: z.array(signedValue).min(1),
  url: string(512).optional(),
});

/** A CDR's ChargingPeriod: the "Session Only" dimension types are not allowed. */
export const cdrChargingPeriod = z.looseObject({
  start_date_time: dateTime,
  dimensions: z.array(cdrDimension.refine((d) => (CDR_DIMENSION_TYPES as readonly string[]).includes(d.type), { message: 'dimension type is for Sessions only', path: ['type'] })).min(1),
  tariff_id: ciString(36).optional(),
});

/** CDR; a credit CDR (`credit: true`) names the CDR it credits in `credit_reference_id`. */
export const cdr = z.looseObject({
  country_code: countryCode,
  party_id: partyId,
  id: ciString(39).min(1),
  start_date_time: dateTime,
  end_date_time: dateTime,
  session_id: ciString(36).optional(),
  cdr_token: cdrToken,
  auth_method: authMethod,
  authorization_reference: ciString(36).optional(),
  cdr_location: cdrLocation,
  meter_id: string(255).optional(),
  currency,
  tariffs: z.array(tariff).optional(),
  charging_periods: z.array(cdrChargingPeriod).min(1),
  signed_data: signedData.optional(),
  total_cost: price,
  total_fixed_cost: price.optional(),
  total_energy: number,
  total_energy_cost: price.optional(),
  total_time: number.min(0),
  total_time_cost: price.optional(),
  total_parking_time: number.min(0).optional(),
  total_parking_cost: price.optional(),
  total_reservation_cost: price.optional(),
  remark: string(255).optional(),
  invoice_reference_id: ciString(39).optional(),
  credit: z.boolean().optional(),
  credit_reference_id: ciString(39).optional(),
  home_charging_compensation: z.boolean().optional(),
  last_updated: dateTime,
}).superRefine((c, ctx) => {
  if (c.credit && !c.credit_reference_id) ctx.addIssue({ code: 'custom', message: 'credit_reference_id: required for a credit CDR', path: ['credit_reference_id'] });
  if (c.total_parking_time !== undefined && c.total_parking_time > c.total_time + 1e-4) ctx.addIssue({ code: 'custom', message: 'total_parking_time exceeds total_time', path: ['total_parking_time'] });
});

// ---- 2.1.1 ----
export const cdr211 = z.looseObject({
  id: ciString(36).min(1),
  start_date_time: dateTime,
  stop_date_time: dateTime,
  auth_id: string211(36).min(1),
  auth_method: authMethod211,
  location: location211,
  meter_id: string211(255).optional(),
  currency: string211(3).regex(/^[A-Z]{3}$/, 'currency: ISO 4217'),
  tariffs: z.array(tariff211).optional(),
  charging_periods: z.array(chargingPeriod211).min(1),
  total_cost: number,
  total_energy: number,
  total_time: number.min(0),
  total_parking_time: number.min(0).optional(),
  remark: string211(255).optional(),
  last_updated: dateTime,
});
