/**
 * SessionFacts -> OCPI Session (2.2.1 mod_sessions §Session Object) and CDR (2.2.1 mod_cdrs §CDR Object),
 * and their 2.1.1 forms (reference §4: start_datetime, auth_id, a full Location, total_cost excl. VAT).
 * Energy dimensions in kWh, times in hours (erratum on the examples' Wh). The stored form is 2.2.1.
 */
import { withSessionDimensions, type SessionFacts } from '../../domain/session-facts.js';
import type { ChargingPeriod, Price } from '../../domain/tariffs/types.js';
import { ocpiDateTime } from '../envelope.js';
import { compact } from '../shape.js';

type Json = Record<string, unknown>;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function cdrToken(f: SessionFacts): Json {
  return { country_code: f.token.countryCode, party_id: f.token.partyId, uid: f.token.uid, type: f.token.type, contract_id: f.token.contractId };
}

/**
 * The charging periods a Session shows: the engine's, or one period when no tariff applies: ENERGY/TIME for a
 * transaction, RESERVATION_TIME for a reservation no transaction used. The engine marks a period where a flat fee
 * was billed with a FLAT dimension, a 2.1.1 CdrDimensionType that 2.2.1 dropped (reference §4): not sent (the fee is
 * in total_fixed_cost / total_reservation_cost).
 */
export function chargingPeriods(f: SessionFacts): ChargingPeriod[] {
  if (f.priced?.chargingPeriods.length) {
    return f.priced.chargingPeriods.map((p) => (p.dimensions.some((d) => d.type === 'FLAT') ? { ...p, dimensions: p.dimensions.filter((d) => d.type !== 'FLAT') } : p));
  }
  const endMs = (f.endedAt ?? new Date(f.lastUpdatedMs)).getTime();
  const hours = round4(Math.max(0, endMs - f.startedAt.getTime()) / 3_600_000);
  if (!f.transaction) return [{ start_date_time: ocpiDateTime(f.startedAt), dimensions: [{ type: 'RESERVATION_TIME', volume: hours }] }];
  return [{ start_date_time: ocpiDateTime(f.startedAt), dimensions: [{ type: 'ENERGY', volume: round4(f.energyWh / 1000) }, { type: 'TIME', volume: hours }] }];
}

export function session221(f: SessionFacts, cpo: { countryCode: string; partyId: string }): Json {
  const s = f.snapshot;
  return compact({
    country_code: cpo.countryCode,
    party_id: cpo.partyId,
    id: f.sessionId,
    start_date_time: ocpiDateTime(f.startedAt),
    end_date_time: f.endedAt ? ocpiDateTime(f.endedAt) : undefined,
    kwh: round4(f.energyWh / 1000),
    cdr_token: cdrToken(f),
    auth_method: f.authMethod,
    authorization_reference: f.authorizationReference,
    location_id: s.locationId ?? '#NA',
    evse_uid: s.evseUid ?? '#NA',
    connector_id: s.connectorId ?? '#NA',
    currency: f.currency,
    charging_periods: withSessionDimensions(chargingPeriods(f), f.stateOfCharge, (f.endedAt ?? new Date(f.lastUpdatedMs)).getTime()),
    total_cost: f.priced?.total_cost,
    status: f.status,
    last_updated: ocpiDateTime(f.lastUpdatedMs),
  });
}

export function cdrLocation(f: SessionFacts): Json {
  const loc = (f.snapshot.location ?? {}) as Json;
  const k = f.snapshot.connector;
  return compact({
    id: f.snapshot.locationId ?? '#NA',
    name: loc.name as string | undefined,
    address: (loc.address as string | undefined) ?? '#NA',
    city: (loc.city as string | undefined) ?? '#NA',
    postal_code: loc.postal_code as string | undefined,
    state: loc.state as string | undefined,
    country: (loc.country as string | undefined) ?? 'DEU',
    coordinates: (loc.coordinates as Json | undefined) ?? { latitude: '0.000000', longitude: '0.000000' },
    evse_uid: f.snapshot.evseUid ?? '#NA',
    evse_id: f.snapshot.evseId ?? '#NA',
    connector_id: f.snapshot.connectorId ?? '#NA',
    connector_standard: k?.standard ?? 'IEC_62196_T2',
    connector_format: k?.format ?? 'SOCKET',
    connector_power_type: k?.powerType ?? 'AC_3_PHASE',
  });
}

export interface CdrExtras {
  id: string;
  signedData?: Json;
  /** The verification URL and the meter id from the signed data, when present. */
  meterId?: string;
  remark?: string;
  /** Total energy from the signed readings (Eichrecht), which wins over the OCPP registers. */
  signedEnergyWh?: number;
}

export function cdr221(f: SessionFacts, cpo: { countryCode: string; partyId: string }, x: CdrExtras, atMs: number): Json {
  const p = f.priced;
  const endedAt = f.endedAt ?? new Date(f.lastUpdatedMs);
  const totalHours = Math.max(0, endedAt.getTime() - f.startedAt.getTime()) / 3_600_000;
  const zero: Price = { excl_vat: 0, incl_vat: 0 };
  return compact({
    country_code: cpo.countryCode,
    party_id: cpo.partyId,
    id: x.id,
    // mod_cdrs CDR.start_date_time: the session's start "or in case of a reservation (before the start of a session) the start of the reservation".
    start_date_time: ocpiDateTime(f.reservedFrom ?? f.startedAt),
    end_date_time: ocpiDateTime(endedAt),
    session_id: f.sessionId,
    cdr_token: cdrToken(f),
    auth_method: f.authMethod,
    authorization_reference: f.authorizationReference,
    cdr_location: cdrLocation(f),
    meter_id: x.meterId,
    currency: f.currency,
    tariffs: f.tariff ? [f.tariff] : undefined,
    charging_periods: chargingPeriods(f),
    signed_data: x.signedData,
    total_cost: p?.total_cost ?? zero,
    total_fixed_cost: p?.total_fixed_cost,
    total_energy: round4((x.signedEnergyWh ?? f.energyWh) / 1000),
    total_energy_cost: p?.total_energy_cost,
    total_time: round4(p?.total_time ?? totalHours),
    total_time_cost: p?.total_time_cost,
    total_parking_time: p?.total_parking_time,
    total_parking_cost: p?.total_parking_cost,
    total_reservation_cost: p?.total_reservation_cost,
    remark: x.remark?.slice(0, 255),
    last_updated: ocpiDateTime(atMs),
  });
}

const negate = (p: unknown): Price | undefined => {
  const price = p as Price | undefined;
  return price && { excl_vat: -price.excl_vat, ...(price.incl_vat !== undefined ? { incl_vat: -price.incl_vat } : {}) };
};

/** A credit CDR (mod_cdrs §Credit CDRs): new id, credit true, reference to the original, its data, totals negated. */
export function creditCdr221(original: Json, id: string, atMs: number): Json {
  return compact({
    ...original,
    id,
    credit: true,
    credit_reference_id: original.id as string,
    total_cost: negate(original.total_cost),
    total_fixed_cost: negate(original.total_fixed_cost),
    total_energy_cost: negate(original.total_energy_cost),
    total_time_cost: negate(original.total_time_cost),
    total_parking_cost: negate(original.total_parking_cost),
    total_reservation_cost: negate(original.total_reservation_cost),
    last_updated: ocpiDateTime(atMs),
  });
}
