/**
 * Locations module: OCPI 2.2.1 mod_locations.asciidoc §Object description (Location, EVSE, Connector) and
 * §Data types (AdditionalGeoLocation, BusinessDetails, EnergyMix, ExceptionalPeriod, GeoLocation, Hours,
 * Image, PublishTokenType, RegularHours, StatusSchedule and the enums), with the post-d2 erratum lengths
 * (Location.address 255, state 45). 2.1.1 variants from 2.1.1 mod_locations.md (suffix 211): id string(39),
 * `type` instead of `parking_type`, voltage/amperage/tariff_id, 6-decimal coordinates, Hours as a choice,
 * EnvironmentalImpact.source, fewer enum values, ASCII strings. Reference: shared/reference/ocpi-2.2.1.md §3.1, §4.
 */
import { z } from 'zod';
import { ciString, country, countryCode, dateTime, displayText, displayText211, int, number, partyId, string, string211, url } from './common.js';

// ---- enums (2.2.1) ----
export const evseStatus = z.enum(['AVAILABLE', 'BLOCKED', 'CHARGING', 'INOPERATIVE', 'OUTOFORDER', 'PLANNED', 'REMOVED', 'RESERVED', 'UNKNOWN']);
export const capability = z.enum([
  'CHARGING_PROFILE_CAPABLE', 'CHARGING_PREFERENCES_CAPABLE', 'CHIP_CARD_SUPPORT', 'CONTACTLESS_CARD_SUPPORT', 'CREDIT_CARD_PAYABLE', 'DEBIT_CARD_PAYABLE',
  'PED_TERMINAL', 'REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'RFID_READER', 'START_SESSION_CONNECTOR_REQUIRED', 'TOKEN_GROUP_CAPABLE', 'UNLOCK_CAPABLE',
]);
export const connectorFormat = z.enum(['SOCKET', 'CABLE']);
const CONNECTOR_TYPES_211 = [
  'CHADEMO', 'DOMESTIC_A', 'DOMESTIC_B', 'DOMESTIC_C', 'DOMESTIC_D', 'DOMESTIC_E', 'DOMESTIC_F', 'DOMESTIC_G', 'DOMESTIC_H', 'DOMESTIC_I', 'DOMESTIC_J',
  'DOMESTIC_K', 'DOMESTIC_L', 'IEC_60309_2_single_16', 'IEC_60309_2_three_16', 'IEC_60309_2_three_32', 'IEC_60309_2_three_64', 'IEC_62196_T1',
  'IEC_62196_T1_COMBO', 'IEC_62196_T2', 'IEC_62196_T2_COMBO', 'IEC_62196_T3A', 'IEC_62196_T3C', 'TESLA_R', 'TESLA_S',
] as const;
export const connectorType = z.enum([
  ...CONNECTOR_TYPES_211, 'CHAOJI', 'DOMESTIC_M', 'DOMESTIC_N', 'DOMESTIC_O', 'GBT_AC', 'GBT_DC', 'NEMA_5_20', 'NEMA_6_30', 'NEMA_6_50', 'NEMA_10_30',
  'NEMA_10_50', 'NEMA_14_30', 'NEMA_14_50', 'PANTOGRAPH_BOTTOM_UP', 'PANTOGRAPH_TOP_DOWN',
]);
export const powerType = z.enum(['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC']);
export const parkingType = z.enum(['ALONG_MOTORWAY', 'PARKING_GARAGE', 'PARKING_LOT', 'ON_DRIVEWAY', 'ON_STREET', 'UNDERGROUND_GARAGE']);
export const parkingRestriction = z.enum(['EV_ONLY', 'PLUGGED', 'DISABLED', 'CUSTOMERS', 'MOTORCYCLES']);
const FACILITIES_211 = [
  'HOTEL', 'RESTAURANT', 'CAFE', 'MALL', 'SUPERMARKET', 'SPORT', 'RECREATION_AREA', 'NATURE', 'MUSEUM', 'BUS_STOP', 'TAXI_STAND', 'TRAIN_STATION',
  'AIRPORT', 'CARPOOL_PARKING', 'FUEL_STATION', 'WIFI',
] as const;
export const facility = z.enum([...FACILITIES_211, 'BIKE_SHARING', 'PARKING_LOT', 'TRAM_STOP', 'METRO_STATION']);
export const imageCategory = z.enum(['CHARGER', 'ENTRANCE', 'LOCATION', 'NETWORK', 'OPERATOR', 'OTHER', 'OWNER']);
export const energySourceCategory = z.enum(['NUCLEAR', 'GENERAL_FOSSIL', 'COAL', 'GAS', 'GENERAL_GREEN', 'SOLAR', 'WIND', 'WATER']);
export const environmentalImpactCategory = z.enum(['NUCLEAR_WASTE', 'CARBON_DIOXIDE']);
export const tokenType = z.enum(['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID']);

// ---- classes (2.2.1) ----
/** GeoLocation: latitude string(10) `-?[0-9]{1,2}\.[0-9]{5,7}`, longitude string(11) `-?[0-9]{1,3}\.[0-9]{5,7}` (WGS 84). */
export const latitude = string(10).regex(/^-?[0-9]{1,2}\.[0-9]{5,7}$/, 'latitude: -?[0-9]{1,2}.[0-9]{5,7}');
export const longitude = string(11).regex(/^-?[0-9]{1,3}\.[0-9]{5,7}$/, 'longitude: -?[0-9]{1,3}.[0-9]{5,7}');
export const geoLocation = z.looseObject({ latitude, longitude });
export const additionalGeoLocation = z.looseObject({ latitude, longitude, name: displayText.optional() });

export const image = z.looseObject({
  url, thumbnail: url.optional(), category: imageCategory, type: ciString(4), width: int(5).optional(), height: int(5).optional(),
});
export const businessDetails = z.looseObject({ name: string(100), website: url.optional(), logo: image.optional() });

const hhmm = string(5).regex(/^([0-1][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM, 24h, leading zeros');
/** RegularHours: weekday 1 (Monday) .. 7 (Sunday), period_begin / period_end `HH:MM` local time, the end later than the begin. */
export const regularHours = z.looseObject({ weekday: int(1).min(1).max(7), period_begin: hhmm, period_end: hhmm })
  .refine((r) => r.period_end > r.period_begin, { message: 'period_end: must be later than period_begin', path: ['period_end'] });
export const exceptionalPeriod = z.looseObject({ period_begin: dateTime, period_end: dateTime });
/** Hours: `twentyfourseven` always; `regular_hours` only when it is false, and then at least one entry. */
export const hours = z.looseObject({
  twentyfourseven: z.boolean(),
  regular_hours: z.array(regularHours).optional(),
  exceptional_openings: z.array(exceptionalPeriod).optional(),
  exceptional_closings: z.array(exceptionalPeriod).optional(),
}).refine((h) => (h.twentyfourseven ? (h.regular_hours?.length ?? 0) === 0 : (h.regular_hours?.length ?? 0) > 0), {
  message: 'regular_hours: at least one when twentyfourseven is false, none when it is true', path: ['regular_hours'],
});

export const energySource = z.looseObject({ source: energySourceCategory, percentage: number.min(0).max(100) });
export const environmentalImpact = z.looseObject({ category: environmentalImpactCategory, amount: number });
export const energyMix = z.looseObject({
  is_green_energy: z.boolean(),
  energy_sources: z.array(energySource).optional(),
  environ_impact: z.array(environmentalImpact).optional(),
  supplier_name: string(64).optional(),
  energy_product_name: string(64).optional(),
});

export const statusSchedule = z.looseObject({ period_begin: dateTime, period_end: dateTime.optional(), status: evseStatus });

/** PublishTokenType: at least one of uid / visual_number / group_id; `uid` needs `type`, `visual_number` needs `issuer`. */
export const publishTokenType = z.looseObject({
  uid: ciString(36).optional(), type: tokenType.optional(), visual_number: string(64).optional(), issuer: string(64).optional(), group_id: ciString(36).optional(),
}).superRefine((p, ctx) => {
  if (p.uid === undefined && p.visual_number === undefined && p.group_id === undefined) ctx.addIssue({ code: 'custom', message: 'one of uid, visual_number, group_id is required' });
  if (p.uid !== undefined && p.type === undefined) ctx.addIssue({ code: 'custom', message: 'type is required with uid', path: ['type'] });
  if (p.visual_number !== undefined && p.issuer === undefined) ctx.addIssue({ code: 'custom', message: 'issuer is required with visual_number', path: ['issuer'] });
});

// ---- objects (2.2.1) ----
export const connectorFields = {
  id: ciString(36).min(1),
  standard: connectorType,
  format: connectorFormat,
  power_type: powerType,
  max_voltage: int(),
  max_amperage: int(),
  max_electric_power: int().optional(),
  tariff_ids: z.array(ciString(36)).optional(),
  terms_and_conditions: url.optional(),
  last_updated: dateTime,
};
export const connector = z.looseObject(connectorFields);

export const evseFields = {
  uid: ciString(36).min(1),
  evse_id: ciString(48).optional(),
  status: evseStatus,
  status_schedule: z.array(statusSchedule).optional(),
  capabilities: z.array(capability).optional(),
  connectors: z.array(connector).min(1),
  floor_level: string(4).optional(),
  coordinates: geoLocation.optional(),
  physical_reference: string(16).optional(),
  directions: z.array(displayText).optional(),
  parking_restrictions: z.array(parkingRestriction).optional(),
  images: z.array(image).optional(),
  last_updated: dateTime,
};
export const evse = z.looseObject(evseFields);

export const locationFields = {
  country_code: countryCode,
  party_id: partyId,
  id: ciString(36).min(1),
  publish: z.boolean(),
  publish_allowed_to: z.array(publishTokenType).optional(),
  name: string(255).optional(),
  address: string(255), // d2: string(45); erratum post-d2: string(255)
  city: string(45),
  postal_code: string(10).optional(),
  state: string(45).optional(), // d2: string(20); erratum post-d2: string(45)
  country,
  coordinates: geoLocation,
  related_locations: z.array(additionalGeoLocation).optional(),
  parking_type: parkingType.optional(),
  evses: z.array(evse).optional(),
  directions: z.array(displayText).optional(),
  operator: businessDetails.optional(),
  suboperator: businessDetails.optional(),
  owner: businessDetails.optional(),
  facilities: z.array(facility).optional(),
  time_zone: string(255).regex(/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/, 'time_zone: an IANA tz name such as Europe/Berlin'),
  opening_times: hours.optional(),
  charging_when_closed: z.boolean().optional(),
  images: z.array(image).optional(),
  energy_mix: energyMix.optional(),
  last_updated: dateTime,
};
/** `publish_allowed_to` may only be used when `publish` is false. */
export const location = z.looseObject(locationFields)
  .refine((l) => !(l.publish && l.publish_allowed_to?.length), { message: 'publish_allowed_to: only when publish is false', path: ['publish_allowed_to'] });

/** PATCH bodies (transport_and_format §PATCH): any subset of the fields, `last_updated` required in 2.2.1. */
export const locationPatch = z.looseObject(locationFields).partial().required({ last_updated: true });
export const evsePatch = z.looseObject(evseFields).partial().required({ last_updated: true });
export const connectorPatch = z.looseObject(connectorFields).partial().required({ last_updated: true });

// ---- 2.1.1 ----
export const capability211 = z.enum(['CHARGING_PROFILE_CAPABLE', 'CREDIT_CARD_PAYABLE', 'REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'RFID_READER', 'UNLOCK_CAPABLE']);
export const connectorType211 = z.enum(CONNECTOR_TYPES_211);
export const powerType211 = z.enum(['AC_1_PHASE', 'AC_3_PHASE', 'DC']);
export const facility211 = z.enum(FACILITIES_211);
export const locationType211 = z.enum(['ON_STREET', 'PARKING_GARAGE', 'UNDERGROUND_GARAGE', 'PARKING_LOT', 'OTHER', 'UNKNOWN']);

/** 2.1.1 GeoLocation: exactly six decimals. */
export const geoLocation211 = z.looseObject({
  latitude: string211(10).regex(/^-?[0-9]{1,2}\.[0-9]{6}$/, 'latitude: -?[0-9]{1,2}.[0-9]{6}'),
  longitude: string211(11).regex(/^-?[0-9]{1,3}\.[0-9]{6}$/, 'longitude: -?[0-9]{1,3}.[0-9]{6}'),
});
export const additionalGeoLocation211 = geoLocation211.extend({ name: displayText211.optional() });
export const image211 = z.looseObject({
  url, thumbnail: url.optional(), category: imageCategory, type: string211(4), width: int(5).optional(), height: int(5).optional(),
});
export const businessDetails211 = z.looseObject({ name: string211(100), website: url.optional(), logo: image211.optional() });
/** 2.1.1 Hours: a choice of `regular_hours` or `twentyfourseven: true`, plus exceptions. */
export const hours211 = z.looseObject({
  regular_hours: z.array(regularHours).optional(),
  twentyfourseven: z.boolean().optional(),
  exceptional_openings: z.array(exceptionalPeriod).optional(),
  exceptional_closings: z.array(exceptionalPeriod).optional(),
}).refine((h) => (h.regular_hours !== undefined) !== (h.twentyfourseven !== undefined), { message: 'Hours: exactly one of regular_hours and twentyfourseven' });
/** 2.1.1 EnvironmentalImpact names its category `source`. */
export const energyMix211 = z.looseObject({
  is_green_energy: z.boolean(),
  energy_sources: z.array(energySource).optional(),
  environ_impact: z.array(z.looseObject({ source: environmentalImpactCategory, amount: number })).optional(),
  supplier_name: string211(64).optional(),
  energy_product_name: string211(64).optional(),
});

const connector211Fields = {
  id: string211(36).min(1),
  standard: connectorType211,
  format: connectorFormat,
  power_type: powerType211,
  voltage: int(),
  amperage: int(),
  tariff_id: string211(36).optional(),
  terms_and_conditions: url.optional(),
  last_updated: dateTime,
};
export const connector211 = z.looseObject(connector211Fields);
const evse211Fields = {
  uid: string211(39).min(1),
  evse_id: string211(48).optional(),
  status: evseStatus,
  status_schedule: z.array(statusSchedule).optional(),
  capabilities: z.array(capability211).optional(),
  connectors: z.array(connector211).min(1),
  floor_level: string211(4).optional(),
  coordinates: geoLocation211.optional(),
  physical_reference: string211(16).optional(),
  directions: z.array(displayText211).optional(),
  parking_restrictions: z.array(parkingRestriction).optional(),
  images: z.array(image211).optional(),
  last_updated: dateTime,
};
export const evse211 = z.looseObject(evse211Fields);
const location211Fields = {
  id: string211(39).min(1),
  type: locationType211,
  name: string211(255).optional(),
  address: string211(45),
  city: string211(45),
  postal_code: string211(10),
  country: string211(3).regex(/^[A-Z]{3}$/, 'country: ISO 3166-1 alpha-3'),
  coordinates: geoLocation211,
  related_locations: z.array(additionalGeoLocation211).optional(),
  evses: z.array(evse211).optional(),
  directions: z.array(displayText211).optional(),
  operator: businessDetails211.optional(),
  suboperator: businessDetails211.optional(),
  owner: businessDetails211.optional(),
  facilities: z.array(facility211).optional(),
  time_zone: string211(255).optional(),
  opening_times: hours211.optional(),
  charging_when_closed: z.boolean().optional(),
  images: z.array(image211).optional(),
  energy_mix: energyMix211.optional(),
  last_updated: dateTime,
};
export const location211 = z.looseObject(location211Fields);
/** 2.1.1 PATCH bodies: any subset of the fields (no last_updated rule in 2.1.1). */
export const locationPatch211 = z.looseObject(location211Fields).partial();
export const evsePatch211 = z.looseObject(evse211Fields).partial();
export const connectorPatch211 = z.looseObject(connector211Fields).partial();
