/**
 * A CDR for every ended transaction (mod_cdrs): created once, after a short settle delay for late queued
 * meter values (reference/ocpp.md §5), from the facts as they were at session start (snapshot) plus what the
 * meters said, with `signed_data` built from the stored signed bytes and the signed energy billed when it
 * exists. Immutable once written (a correction is a credit CDR). Delivered only to the token's eMSP; a CDR
 * without an owner stays with the operator. After a crash, ended transactions without a CDR get one at start.
 * A transaction that used a reservation continues its session: same id, the reservation's time priced in its CDR.
 * A reservation that expired unused gets a CDR of its own (mod_commands RESERVE_NOW "may cost money"; mod_cdrs
 * reservation-only CDR: EVSE '#NA' when none was reserved) when its tariff has reservation elements
 * (RESERVATION_EXPIRES, else RESERVATION); without them the expiry costs nothing and no CDR is made: OCPI asks for a
 * CDR of what is billed, and the session already told the eMSP it ended COMPLETED at 0.00. A cancelled reservation
 * is INVALID ("will not be billed") and has none.
 */
import type { Store } from '../../domain/ports.js';
import type { SessionCdrStore } from '../../domain/session-cdr-ports.js';
import { describeReservation, pricesReservations } from '../../domain/reservation-facts.js';
import { describeSession } from '../../domain/session-facts.js';
import type { EichrechtService } from '../../domain/eichrecht-service.js';
import type { OcpiDeps } from '../context.js';
import { receiverUrlOf } from '../sessions/materialize.js';
import { cdr221 } from '../sessions/map.js';

export interface CdrCreator {
  /** Creates the CDR of an ended transaction now, unless it has one; returns its id. */
  create(transactionRowId: number): string | undefined;
  /** Creates the CDR of a reservation that expired unused, when its tariff prices it; returns its id. */
  createForReservation(sessionId: string): string | undefined;
  stop(): void;
}

export function startCdrCreator(deps: OcpiDeps & { domain: Store; sessions: SessionCdrStore; eichrecht: EichrechtService; settleMs: number; onCreated: () => void }): CdrCreator {
  const { domain, sessions, config, clock, log } = deps;
  const cpo = { countryCode: config.cpo.country_code, partyId: config.cpo.party_id };
  const timers = new Set<NodeJS.Timeout>();

  function create(txRowId: number): string | undefined {
    const tx = domain.getTransaction(txRowId);
    if (!tx || tx.status !== 'ended') return undefined;
    const existing = sessions.cdrOfTransaction(txRowId);
    if (existing) return existing.id;
    const nowMs = clock.now().getTime();
    const facts = describeSession(domain, tx, cpo, nowMs, sessions.reservationSessionOfTransaction(txRowId));
    const signed = deps.eichrecht.forCdr(txRowId, config.ocpi.signed_data_url);
    const remark = [tx.stopReason ? `stop reason: ${tx.stopReason}` : undefined, tx.orphan ? 'stop for a transaction the bridge never saw start' : undefined, ...facts.warnings]
      .filter(Boolean).join('; ');
    const json = cdr221(facts, cpo, { id: facts.sessionId, signedData: signed.signedData as Record<string, unknown> | undefined, signedEnergyWh: signed.signedEnergyWh, meterId: signed.meterId, remark: remark || undefined }, nowMs);
    const platform = facts.platformId !== null ? deps.store.getPlatform(facts.platformId) : undefined;
    const deliverAt = receiverUrlOf(platform, 'cdrs') ? nowMs : null;
    domain.transaction(() => sessions.insertCdr({ id: facts.sessionId, transactionRowId: txRowId, platformId: facts.platformId, credit: false, json: JSON.stringify(json), lastUpdatedMs: nowMs }, deliverAt));
    log.info({ charger: tx.chargerIdentity, transaction: tx.ocppTransactionId, cdr: facts.sessionId, party: facts.platformId, total: (json.total_cost as { excl_vat: number }).excl_vat, owner: deliverAt !== null ? 'emsp' : 'operator' }, 'CDR created');
    deps.onCreated();
    return facts.sessionId;
  }

  function createForReservation(sessionId: string): string | undefined {
    const rs = sessions.getReservationSession(sessionId);
    if (!rs || rs.outcome !== 'expired' || rs.transactionRowId !== null) return undefined;
    if (sessions.getCdr(sessionId)) return sessionId;
    const nowMs = clock.now().getTime();
    const facts = describeReservation(domain, rs, cpo, nowMs);
    if (!pricesReservations(facts.tariff)) return undefined;
    const json = cdr221(facts, cpo, { id: facts.sessionId, remark: ['reservation expired unused', ...facts.warnings].join('; ') }, nowMs);
    const platform = facts.platformId !== null ? deps.store.getPlatform(facts.platformId) : undefined;
    const deliverAt = receiverUrlOf(platform, 'cdrs') ? nowMs : null;
    domain.transaction(() => sessions.insertCdr({ id: facts.sessionId, transactionRowId: null, platformId: facts.platformId, credit: false, json: JSON.stringify(json), lastUpdatedMs: nowMs }, deliverAt));
    log.info({ reservation: rs.reservationRowId, cdr: facts.sessionId, party: facts.platformId, total: (json.total_cost as { excl_vat: number }).excl_vat, owner: deliverAt !== null ? 'emsp' : 'operator' }, 'reservation CDR created');
    deps.onCreated();
    return facts.sessionId;
  }

  const offReservation = deps.events.on('reservationSessionChanged', ({ sessionId }) => {
    void domain.durable().then(() => createForReservation(sessionId)).catch((err) => log.error({ session: sessionId, err: (err as Error).message }, 'CDR creation failed'));
  });

  const off = deps.events.on('transactionEnded', ({ transactionRowId }) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void domain.durable().then(() => create(transactionRowId)).catch((err) => log.error({ transaction: transactionRowId, err: (err as Error).message }, 'CDR creation failed'));
    }, deps.settleMs);
    timer.unref();
    timers.add(timer);
  });
  // Transactions that ended while the bridge was down or before their settle delay passed.
  for (const txRowId of sessions.endedTransactionsWithoutCdr(10_000)) {
    try {
      create(txRowId);
    } catch (err) {
      log.error({ transaction: txRowId, err: (err as Error).message }, 'CDR creation failed');
    }
  }
  for (const sessionId of sessions.expiredReservationSessionsWithoutCdr(10_000)) {
    try {
      createForReservation(sessionId);
    } catch (err) {
      log.error({ session: sessionId, err: (err as Error).message }, 'CDR creation failed');
    }
  }

  return {
    create,
    createForReservation,
    stop() {
      off();
      offReservation();
      for (const t of timers) clearTimeout(t);
    },
  };
}
