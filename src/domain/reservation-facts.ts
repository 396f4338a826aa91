/**
 * A reservation as the money side sees it (OCPI 2.2.1 mod_tariffs §ReservationRestrictionType, mod_sessions,
 * mod_cdrs): the reservation time is priced by the tariff's elements restricted to RESERVATION, and, when the
 * reservation expires unused, by the RESERVATION_EXPIRES elements first and then the RESERVATION ones (the engine's
 * phases: tariffs/compile-tariff.ts). A reservation that a transaction used is priced with that session
 * (priceReservedSession: tariff_15, tariff_16); one that did not is a session of its own (describeReservation).
 */
import type { Store } from './ports.js';
import type { ReservationSessionRecord } from './session-cdr-ports.js';
import type { SessionFacts, SessionStatus } from './session-facts.js';
import { sessionTokenOf } from './session-token.js';
import type { TransactionSnapshot } from './snapshot.js';
import { priceSession } from './tariffs/price-session.js';
import type { PricedSession, PricingSession, Tariff } from './tariffs/types.js';

/** A session that used a reservation: its reservation time (reservation start to transaction start), then the session. */
export function priceReservedSession(tariff: Tariff, session: PricingSession, rs: ReservationSessionRecord): PricedSession {
  const startMs = session.startedAt.getTime();
  const toMs = Math.max(Math.min(rs.startedAtMs, startMs), Math.min(rs.endedAtMs ?? startMs, startMs));
  return priceSession(tariff, { ...session, reservation: { from: new Date(Math.min(rs.startedAtMs, startMs)), to: new Date(toMs), expired: false } });
}

/** Whether the tariff prices reservations at all (an element restricted to RESERVATION or RESERVATION_EXPIRES). */
export function pricesReservations(tariff: Tariff | undefined): boolean {
  return (tariff?.elements ?? []).some((e) => e.restrictions?.reservation !== undefined);
}

/**
 * The reservation part of a tariff, for a reservation that is not (yet) a charging session: only its reservation
 * elements (the session's start fee must not show in a reservation's cost) and no min_price, which bounds a charging
 * session's total (mod_tariffs: "when the session is cheaper than this"), not a reservation's.
 */
function reservationPart(tariff: Tariff): Tariff {
  const { min_price: _minPrice, ...rest } = tariff;
  return { ...rest, elements: tariff.elements.filter((e) => e.restrictions?.reservation !== undefined) };
}

/** What OCPI says the session is (mod_sessions SessionStatus; reservation rules in §Session object). */
function statusOf(rs: ReservationSessionRecord): SessionStatus {
  if (rs.outcome === null) return 'RESERVATION';
  // "else COMPLETED": a reservation that ended without charging; a cancelled one is not billed (INVALID: "will not be billed").
  return rs.outcome === 'cancelled' ? 'INVALID' : 'COMPLETED';
}

/**
 * The session of a reservation no transaction continues: open (RESERVATION, its cost so far), expired (COMPLETED,
 * priced with RESERVATION_EXPIRES), cancelled (INVALID, 0.00: OCPI names a price only for a reservation's time up to
 * its use or its expiry) or used by a transaction of another eMSP (COMPLETED, 0.00: its time is that session's).
 */
export function describeReservation(store: Store, rs: ReservationSessionRecord, cpo: { countryCode: string; partyId: string }, nowMs: number): SessionFacts {
  const snapshot = JSON.parse(rs.snapshotJson) as TransactionSnapshot['data'];
  const tariff = snapshot.tariffs[0] as unknown as Tariff | undefined;
  const startedAt = new Date(rs.startedAtMs);
  const endMs = Math.max(rs.startedAtMs, rs.endedAtMs ?? nowMs);
  const expired = rs.outcome === 'expired';
  let priced: PricedSession | undefined;
  if (tariff) {
    const end = new Date(endMs);
    priced = priceSession(reservationPart(tariff), { startedAt: end, endedAt: end, timeZone: snapshot.timeZone ?? 'UTC', samples: [], reservation: { from: startedAt, to: end, expired } });
    // Only the reservation's periods: a reservation has no charging part (the engine adds an empty one when not expired).
    priced = { ...priced, chargingPeriods: priced.chargingPeriods.filter((p) => p.dimensions.some((d) => d.type === 'RESERVATION_TIME')) };
    if (rs.outcome === 'cancelled' || rs.outcome === 'used') {
      const zero = { excl_vat: 0, incl_vat: 0 };
      priced = { currency: priced.currency, chargingPeriods: priced.chargingPeriods, total_cost: zero, total_cost_unrounded: zero, total_energy: 0, total_time: 0, warnings: priced.warnings };
    }
  }
  const token = rs.tokenRowId !== null ? store.getIdToken(rs.tokenRowId) : undefined;
  const uid = token?.uid ?? 'UNKNOWN';
  return {
    sessionId: rs.sessionId,
    reservation: rs,
    status: statusOf(rs),
    startedAt,
    reservedFrom: startedAt,
    endedAt: rs.endedAtMs !== null ? new Date(endMs) : undefined,
    energyWh: 0,
    token: sessionTokenOf(token, uid, 'APP_USER', cpo),
    // mod_sessions AuthMethod COMMAND: "Command like StartSession or ReserveNow used to start the Session".
    authMethod: 'COMMAND',
    authorizationReference: rs.authorizationReference ?? undefined,
    snapshot,
    tariff,
    priced,
    currency: tariff?.currency ?? 'EUR',
    platformId: rs.platformId,
    lastUpdatedMs: rs.updatedAtMs,
    warnings: priced?.warnings ?? [],
    stateOfCharge: [],
  };
}
