/**
 * Stored 2.2.1 Sessions / CDRs -> OCPI 2.1.1 (reference §4): start_datetime / stop_date_time, auth_id
 * (= the token's contract id), a Location object holding only the session's EVSE and connector, total_cost
 * as a number excl. VAT, COMMAND -> AUTH_REQUEST, only the dimension types 2.1.1 knows.
 */
import type { LocationReader } from '../locations/read.js';
import { compact } from '../shape.js';
import { tariffObject211 } from '../tariffs/map.js';

type Json = Record<string, any>;
const DIMENSIONS_211 = new Set(['ENERGY', 'FLAT', 'MAX_CURRENT', 'MIN_CURRENT', 'PARKING_TIME', 'TIME']);

function location211For(reader: LocationReader, locationId: string, evseUid: string, connectorId: string): Json | undefined {
  // Not find('2.1.1', ...): that hides unpublished locations from 2.1.1 lists, but a Session / CDR always needs its
  // full Location (2.1.1 sessions.md, cdrs.md: location (1)); CDRs may concern unpublished (home) locations.
  const view = reader.find('2.2.1', locationId);
  if (!view) return undefined;
  const location = reader.serialize('2.1.1', view) as Json;
  const evses = (location.evses as Json[] | undefined ?? [])
    .filter((e) => e.uid === evseUid)
    .map((e) => ({ ...e, connectors: (e.connectors as Json[]).filter((k) => k.id === connectorId) }));
  return { ...location, evses };
}

/**
 * 2.1.1 knows no RESERVATION_TIME: a reservation's period has nothing left to show and is dropped (its price is in
 * total_cost); a CDR needs one period at least (cdrs.md: charging_periods +), so a reservation-only CDR keeps one
 * with zero charging TIME.
 */
function periods211(periods: Json[] | undefined, required = false): Json[] | undefined {
  const kept = periods?.map((p) => ({ start_date_time: p.start_date_time, dimensions: (p.dimensions as Json[]).filter((d) => DIMENSIONS_211.has(d.type)) }))
    .filter((p) => p.dimensions.length > 0);
  if (required && periods?.length && !kept?.length) return [{ start_date_time: periods[0]!.start_date_time, dimensions: [{ type: 'TIME', volume: 0 }] }];
  return kept;
}

const authMethod211 = (m: string) => (m === 'COMMAND' ? 'AUTH_REQUEST' : m);

export function session211(s: Json, reader: LocationReader): Json {
  return compact({
    id: s.id, start_datetime: s.start_date_time, end_datetime: s.end_date_time, kwh: s.kwh, auth_id: s.cdr_token?.contract_id,
    auth_method: authMethod211(s.auth_method), location: location211For(reader, s.location_id, s.evse_uid, s.connector_id) ?? { id: s.location_id },
    meter_id: s.meter_id, currency: s.currency, charging_periods: periods211(s.charging_periods), total_cost: s.total_cost?.excl_vat,
    status: s.status === 'RESERVATION' ? 'PENDING' : s.status, last_updated: s.last_updated,
  });
}

export function cdr211(c: Json, reader: LocationReader): Json {
  const l = c.cdr_location as Json;
  return compact({
    id: c.id, start_date_time: c.start_date_time, stop_date_time: c.end_date_time, auth_id: c.cdr_token?.contract_id, auth_method: authMethod211(c.auth_method),
    location: location211For(reader, l.id, l.evse_uid, l.connector_id) ?? { id: l.id }, meter_id: c.meter_id, currency: c.currency,
    tariffs: (c.tariffs as Json[] | undefined)?.map(tariffObject211),
    charging_periods: periods211(c.charging_periods, true), total_cost: c.total_cost?.excl_vat, total_energy: c.total_energy, total_time: c.total_time,
    total_parking_time: c.total_parking_time, remark: c.remark, last_updated: c.last_updated,
  });
}
