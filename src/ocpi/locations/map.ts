/**
 * Domain read model -> OCPI Location / EVSE / Connector, 2.2.1 (mod_locations) and 2.1.1 (locations.md).
 * The location body comes from the config in 2.2.1 field names; EVSEs and connectors from the live model,
 * the EVSE status from domain/ocpi-status.ts. `last_updated` of a Location covers its EVSEs and connectors,
 * and an EVSE's covers its connectors and status changes caused by the connection (mod_locations §last_updated).
 * One OCPP 1.6 connector = one OCPI EVSE (OCA note "Multiple Connectors per EVSE in OCPP 1.x").
 */
import type { Config } from '../../config.js';
import type { EvseView, LocationStamp, LocationView } from '../../domain/ocpi-ports.js';
import { evseLastUpdatedMs, ocpiEvseStatus, statusChangedByConnectionAtMs, type OcpiEvseStatus } from '../../domain/ocpi-status.js';
import type { ConnectorRecord } from '../../domain/records.js';
import { ocpiDateTime } from '../envelope.js';
import { compact, deepAscii } from '../shape.js';

export interface MapContext {
  cpo: Config['cpo'];
  nowMs: number;
  offlineGraceMs: number;
}

type Json = Record<string, any>;

export function evseStatus(v: EvseView, ctx: MapContext): OcpiEvseStatus {
  return ocpiEvseStatus({ removed: v.evse.removed, status: v.evse.status, charger: v.charger, nowMs: ctx.nowMs, offlineGraceMs: ctx.offlineGraceMs });
}

export function evseUpdatedMs(v: EvseView, ctx: MapContext): number {
  const connectorsMs = Math.max(0, ...v.connectors.map((k) => k.lastUpdatedMs));
  return evseLastUpdatedMs(v.evse.lastUpdatedMs, connectorsMs, v.charger, ctx.nowMs, ctx.offlineGraceMs);
}

/** The Location's effective last_updated from the cheap per-charger stamps (used to filter and page). */
export function stampUpdatedMs(s: LocationStamp, ctx: MapContext): number {
  let ms = s.lastUpdatedMs;
  for (const c of s.chargers) {
    ms = Math.max(ms, c.evsesMaxMs, c.connectorsMaxMs, statusChangedByConnectionAtMs(c.charger, ctx.nowMs, ctx.offlineGraceMs) ?? 0);
  }
  return ms;
}

/** An EVSE is published only with at least one connector (EVSE.connectors is `+`); unconfigured ones have none. */
export function publishedEvses(view: LocationView): EvseView[] {
  return view.evses.filter((e) => e.connectors.length > 0);
}

export function locationUpdatedMs(view: LocationView, ctx: MapContext): number {
  return Math.max(view.location.lastUpdatedMs, ...publishedEvses(view).map((e) => evseUpdatedMs(e, ctx)));
}

// ---- 2.2.1 ----

export function connector221(k: ConnectorRecord): Json {
  return compact({
    id: k.connectorId, standard: k.standard, format: k.format, power_type: k.powerType,
    max_voltage: k.maxVoltageV, max_amperage: k.maxAmperageA, max_electric_power: k.maxElectricPowerW ?? undefined,
    tariff_ids: parseList(k.tariffIdsJson), terms_and_conditions: k.termsAndConditions ?? undefined, last_updated: ocpiDateTime(k.lastUpdatedMs),
  });
}

export function evse221(v: EvseView, ctx: MapContext): Json {
  const capabilities = v.evse.capabilitiesJson ? parseList(v.evse.capabilitiesJson) : [];
  return compact({
    uid: v.evse.uid, evse_id: v.evse.evseId ?? undefined, status: evseStatus(v, ctx),
    capabilities: capabilities.length ? capabilities : undefined,
    connectors: v.connectors.map(connector221),
    floor_level: v.evse.floorLevel ?? undefined, physical_reference: v.evse.physicalReference ?? undefined,
    last_updated: ocpiDateTime(evseUpdatedMs(v, ctx)),
  });
}

export function location221(view: LocationView, ctx: MapContext): Json {
  const d = view.location.data as Json;
  return compact({
    country_code: ctx.cpo.country_code, party_id: ctx.cpo.party_id, id: view.location.id, publish: view.location.publish,
    name: d.name, address: d.address, city: d.city, postal_code: d.postal_code, state: d.state, country: d.country,
    coordinates: d.coordinates, related_locations: d.related_locations, parking_type: d.parking_type,
    evses: publishedEvses(view).map((e) => evse221(e, ctx)),
    directions: d.directions, operator: d.operator ?? defaultOperator(ctx), suboperator: d.suboperator, owner: d.owner,
    facilities: d.facilities, time_zone: view.location.timeZone, opening_times: d.opening_times,
    charging_when_closed: d.charging_when_closed, images: d.images, energy_mix: d.energy_mix,
    last_updated: ocpiDateTime(locationUpdatedMs(view, ctx)),
  });
}

/** Location.operator defaults to the CPO's own business details (mod_locations; hubs require operator.name). */
function defaultOperator(ctx: MapContext): Json {
  return compact({ name: ctx.cpo.name, website: ctx.cpo.website });
}

// ---- 2.1.1 (reference §4: what differs) ----

const PARKING_TO_211: Record<string, string> = {
  ON_STREET: 'ON_STREET', PARKING_GARAGE: 'PARKING_GARAGE', UNDERGROUND_GARAGE: 'UNDERGROUND_GARAGE', PARKING_LOT: 'PARKING_LOT',
  ALONG_MOTORWAY: 'OTHER', ON_DRIVEWAY: 'OTHER',
};
const CAPABILITIES_211 = new Set(['CHARGING_PROFILE_CAPABLE', 'CREDIT_CARD_PAYABLE', 'REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'RFID_READER', 'UNLOCK_CAPABLE']);
const FACILITIES_211 = new Set([
  'HOTEL', 'RESTAURANT', 'CAFE', 'MALL', 'SUPERMARKET', 'SPORT', 'RECREATION_AREA', 'NATURE', 'MUSEUM', 'BUS_STOP', 'TAXI_STAND',
  'TRAIN_STATION', 'AIRPORT', 'CARPOOL_PARKING', 'FUEL_STATION', 'WIFI',
]);
const POWER_TYPES_211 = new Set(['AC_1_PHASE', 'AC_3_PHASE', 'DC']);
const STANDARDS_211 = new Set([
  'CHADEMO', 'DOMESTIC_A', 'DOMESTIC_B', 'DOMESTIC_C', 'DOMESTIC_D', 'DOMESTIC_E', 'DOMESTIC_F', 'DOMESTIC_G', 'DOMESTIC_H', 'DOMESTIC_I',
  'DOMESTIC_J', 'DOMESTIC_K', 'DOMESTIC_L', 'IEC_60309_2_single_16', 'IEC_60309_2_three_16', 'IEC_60309_2_three_32', 'IEC_60309_2_three_64',
  'IEC_62196_T1', 'IEC_62196_T1_COMBO', 'IEC_62196_T2', 'IEC_62196_T2_COMBO', 'IEC_62196_T3A', 'IEC_62196_T3C', 'TESLA_R', 'TESLA_S',
]);

/** A 2.1.1 connector, or undefined when its standard or power type does not exist in 2.1.1. */
export function connector211(k: ConnectorRecord): Json | undefined {
  if (!STANDARDS_211.has(k.standard) || !POWER_TYPES_211.has(k.powerType)) return undefined;
  return deepAscii(compact({
    id: k.connectorId, standard: k.standard, format: k.format, power_type: k.powerType, voltage: k.maxVoltageV, amperage: k.maxAmperageA,
    tariff_id: parseList(k.tariffIdsJson)[0], terms_and_conditions: k.termsAndConditions ?? undefined, last_updated: ocpiDateTime(k.lastUpdatedMs),
  }));
}

/** A 2.1.1 EVSE, or undefined when none of its connectors exists in 2.1.1. */
export function evse211(v: EvseView, ctx: MapContext): Json | undefined {
  const connectors = v.connectors.map(connector211).filter((k): k is Json => k !== undefined);
  if (connectors.length === 0) return undefined;
  const capabilities = (v.evse.capabilitiesJson ? parseList(v.evse.capabilitiesJson) : []).filter((c) => CAPABILITIES_211.has(c));
  return deepAscii(compact({
    uid: v.evse.uid, evse_id: v.evse.evseId ?? undefined, status: evseStatus(v, ctx), capabilities: capabilities.length ? capabilities : undefined,
    connectors, floor_level: v.evse.floorLevel ?? undefined, physical_reference: v.evse.physicalReference ?? undefined,
    last_updated: ocpiDateTime(evseUpdatedMs(v, ctx)),
  }));
}

export function location211(view: LocationView, ctx: MapContext): Json {
  const d = view.location.data as Json;
  const facilities = Array.isArray(d.facilities) ? d.facilities.filter((f: string) => FACILITIES_211.has(f)) : undefined;
  return deepAscii(compact({
    id: view.location.id, type: d.parking_type ? PARKING_TO_211[d.parking_type] ?? 'OTHER' : 'UNKNOWN',
    name: d.name, address: d.address, city: d.city, postal_code: d.postal_code ?? '', country: d.country,
    coordinates: sixDecimals(d.coordinates),
    related_locations: Array.isArray(d.related_locations) ? d.related_locations.map((r: Json) => ({ ...r, ...sixDecimals(r) })) : undefined,
    evses: publishedEvses(view).map((e) => evse211(e, ctx)).filter((e) => e !== undefined),
    directions: d.directions, operator: d.operator ?? defaultOperator(ctx), suboperator: d.suboperator, owner: d.owner,
    facilities: facilities?.length ? facilities : undefined, time_zone: view.location.timeZone,
    opening_times: d.opening_times ? hours211(d.opening_times) : undefined, charging_when_closed: d.charging_when_closed,
    images: d.images, energy_mix: d.energy_mix ? energyMix211(d.energy_mix) : undefined,
    last_updated: ocpiDateTime(locationUpdatedMs(view, ctx)),
  }));
}

/** 2.1.1 GeoLocation has exactly 6 decimals (2.2.1: 5-7). */
function sixDecimals(c: Json | undefined): Json | undefined {
  if (!c) return undefined;
  return { latitude: Number(c.latitude).toFixed(6), longitude: Number(c.longitude).toFixed(6) };
}

/** 2.1.1 Hours: either regular_hours or twentyfourseven (2.2.1 always has twentyfourseven). */
function hours211(h: Json): Json {
  return compact({
    ...(h.twentyfourseven ? { twentyfourseven: true } : { regular_hours: h.regular_hours ?? [] }),
    exceptional_openings: h.exceptional_openings, exceptional_closings: h.exceptional_closings,
  });
}

/** 2.1.1 EnvironmentalImpact names its category `source` (also used for the Tariff's energy_mix). */
export function energyMix211(m: Json): Json {
  return compact({
    ...m, environ_impact: Array.isArray(m.environ_impact) ? m.environ_impact.map((e: Json) => ({ source: e.category ?? e.source, amount: e.amount })) : undefined,
  });
}

function parseList(json: string): string[] {
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) ? v.map(String) : [];
}
