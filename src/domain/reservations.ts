/**
 * Reservations the bridge made for eMSPs (OCPI RESERVE_NOW) after the charger accepted them: a reservation is
 * used by the transaction that names it (or starts with its idTag on its charger), cancelled by the eMSP, or
 * expires at its expiry_date. OCPP 1.6 has no "reservation ended" message (reference/ocpp.md §1.4): when one
 * expires the bridge asks the charger for its status, and if the EVSE still reads Reserved shortly after,
 * the bridge releases it itself (status Available, with a fault for the operator), so no EVSE stays RESERVED
 * forever. A one-second sweep of the stored reservations also covers those that expired while the bridge was down.
 * OCPP 2.0.1 stations report the end themselves (ReservationStatusUpdate); one they Removed is reported to the eMSP.
 *
 * Each active reservation of an eMSP is also an OCPI Session (mod_commands RESERVE_NOW: "creates a Session";
 * mod_sessions: status RESERVATION, then ACTIVE "when charging starts with the same token", else COMPLETED):
 * opened when the charger accepts it, with the reserved place and tariff of that moment; the transaction that
 * uses it continues the same session id; an expiry ends it COMPLETED (it may bill RESERVATION_EXPIRES), a
 * cancellation INVALID (ocpi/sessions, ocpi/cdrs). Status writes the OCPI commands make themselves (active,
 * cancelled) reach `changed` through `observeReservationWrites`, so every transition goes through one place.
 */
import { createHash } from 'node:crypto';
import type { Log } from '../log.js';
import type { DomainEvents } from './events.js';
import type { ChargerCommands, Clock, Store } from './ports.js';
import type { ReservationSessionStore } from './session-cdr-ports.js';
import { buildSnapshot, type TransactionSnapshot } from './snapshot.js';
import type { EmspTokenStore, ReservationRecord } from './token-ports.js';

export interface ReservationServiceDeps {
  store: Store;
  tokens: EmspTokenStore;
  chargers: ChargerCommands;
  events: DomainEvents;
  clock: Clock;
  log: Log;
  /** After expiry, how long the charger has to report the EVSE no longer Reserved before the bridge releases it. */
  releaseGraceMs?: number;
  sweepIntervalMs?: number;
  /** The charger removed an eMSP's reservation before it expired: the eMSP is told (OCPI CANCELED_RESERVATION). */
  onCancelledByCharger?: (r: ReservationRecord) => void;
  /** Where reservations' OCPI Sessions are kept; without it reservations open no session. */
  sessions?: ReservationSessionStore;
}

/**
 * The token store as the rest of the bridge should see it: every write of a reservation (the OCPI commands set
 * 'requested', 'active', 'cancelled' themselves) is reported to `onWrite` inside the same database transaction.
 */
export function observeReservationWrites(tokens: EmspTokenStore, onWrite: (reservationRowId: number) => void): EmspTokenStore {
  return {
    ...tokens,
    upsertReservation(r, atMs) {
      const row = tokens.upsertReservation(r, atMs);
      onWrite(row.id);
      return row;
    },
    updateReservation(id, patch) {
      tokens.updateReservation(id, patch);
      onWrite(id);
    },
  };
}

/** A stable session id (≤ 36 chars) for one reservation period of a reservation row. */
export function reservationSessionIdOf(reservationRowId: number, startedAtMs: number): string {
  return createHash('sha256').update(`reservation\u0000${reservationRowId}\u0000${startedAtMs}`).digest('hex').slice(0, 32);
}

/**
 * The reserved place at the reservation's start. A reservation of one EVSE has that EVSE's snapshot (its tariffs);
 * one of "any EVSE" at the location (OCPI evse_uid absent; connector 0 in OCPP) has no EVSE ('#NA' on the wire,
 * mod_sessions evse_uid) and the tariff only when every EVSE it could become has the same one: otherwise its price
 * is unknown until a transaction uses it.
 */
export function reservationSnapshot(store: Store, r: ReservationRecord): TransactionSnapshot['data'] {
  if (r.evseOcppId !== null && r.evseOcppId !== 0) return buildSnapshot(store, r.chargerIdentity, r.evseOcppId).data;
  const each = store.listEvses(r.chargerIdentity).map((e) => buildSnapshot(store, r.chargerIdentity, e.ocppId).data);
  const first = each[0];
  const ids = new Set(each.map((d) => String(d.tariffs[0]?.id ?? '')));
  return {
    locationId: r.locationId ?? first?.locationId ?? null, location: first?.location, timeZone: first?.timeZone,
    tariffs: ids.size === 1 && first?.tariffs[0] ? [first.tariffs[0]] : [],
  };
}

export type ReservationService = ReturnType<typeof createReservationService>;

const RELEASE_GRACE_MS = 5_000;

export function createReservationService(deps: ReservationServiceDeps) {
  const { store, tokens, chargers, events, clock, log, sessions } = deps;
  const graceMs = deps.releaseGraceMs ?? RELEASE_GRACE_MS;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const now = () => clock.now().getTime();

  function setStatus(r: ReservationRecord, status: ReservationRecord['status']): void {
    store.transaction(() => tokens.updateReservation(r.id, { status, updatedAtMs: now() }));
  }

  function sweep(): void {
    const due = tokens.listReservations(['active']).filter((r) => r.expiresAtMs <= now());
    for (const r of due) {
      setStatus(r, 'expired');
      log.info({ charger: r.chargerIdentity, reservationId: r.id, ocpiReservationId: r.ocpiReservationId, platform: r.platformId }, 'reservation expired');
      void releaseIfStillReserved(r);
    }
  }

  async function releaseIfStillReserved(r: ReservationRecord): Promise<void> {
    const reserved = () => store.listEvses(r.chargerIdentity).filter((e) => e.status === 'Reserved' && (r.evseOcppId === null || r.evseOcppId === 0 || e.ocppId === r.evseOcppId)
      && !tokens.listReservations(['active']).some((o) => o.chargerIdentity === r.chargerIdentity && (o.evseOcppId === null || o.evseOcppId === 0 || o.evseOcppId === e.ocppId)));
    if (!reserved().length) return;
    // Ask first: a charger that dropped the reservation reports Available.
    for (const evse of reserved()) void chargers.send(r.chargerIdentity, 'triggerMessage', { message: 'StatusNotification', evseOcppId: evse.ocppId });
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, graceMs);
      t.unref();
      timers.add(t);
    });
    if (stopped) return;
    const at = clock.now();
    for (const evse of reserved()) {
      store.transaction(() => {
        store.updateEvse(evse.id, { status: 'Available', statusAtMs: at.getTime(), lastUpdatedMs: at.getTime() });
        store.raiseFault({
          chargerIdentity: r.chargerIdentity, evseOcppId: evse.ocppId, source: 'ocpi', code: 'ReservationNotReleased',
          message: `reservation ${r.id} expired at ${new Date(r.expiresAtMs).toISOString()} but the charger still reported the EVSE Reserved; released by the bridge`, raisedAtMs: at.getTime(),
        });
      });
      log.warn({ charger: r.chargerIdentity, evse: evse.ocppId, reservationId: r.id }, 'reservation expired but the EVSE still read Reserved: released by the bridge');
      events.emit('evseStatusChanged', { identity: r.chargerIdentity, evseRowId: evse.id, evseOcppId: evse.ocppId, status: 'Available', at });
    }
  }

  /** Listeners are told after the writer's transaction: a microtask runs once the synchronous write returned. */
  const sessionChanged = (sessionId: string) => queueMicrotask(() => events.emit('reservationSessionChanged', { sessionId, at: clock.now() }));

  /**
   * Called for every write of a reservation (observeReservationWrites), inside the writer's transaction: opens the
   * reservation's session when the charger accepted it, ends it when it expired or was cancelled. 'requested' (a
   * replacement on its way to the charger) leaves an open session open: a replaced reservation is the same one.
   */
  function changed(reservationRowId: number): void {
    if (!sessions) return;
    const r = tokens.getReservationById(reservationRowId);
    if (!r || r.platformId === null) return;
    store.transaction(() => {
      const open = sessions.openReservationSession(r.id);
      const at = now();
      if (r.status === 'active') {
        if (open) return sessionChanged(open.sessionId); // replaced: new expiry, same session
        const sessionId = reservationSessionIdOf(r.id, at);
        sessions.insertReservationSession({
          sessionId, reservationRowId: r.id, platformId: r.platformId, startedAtMs: at, endedAtMs: null, outcome: null, transactionRowId: null,
          tokenRowId: r.tokenRowId, authorizationReference: r.authorizationReference, snapshotJson: JSON.stringify(reservationSnapshot(store, r)), updatedAtMs: at,
        });
        log.info({ charger: r.chargerIdentity, reservationId: r.id, session: sessionId, platform: r.platformId }, 'reservation session opened');
        return sessionChanged(sessionId);
      }
      if (!open || r.status === 'requested') return;
      // An expired reservation is billed until its expiry_date, not until the sweep noticed it.
      const outcome = r.status === 'expired' ? 'expired' : r.status === 'used' ? 'used' : 'cancelled';
      const endedAtMs = Math.max(open.startedAtMs, outcome === 'expired' ? Math.min(r.expiresAtMs, at) : at);
      sessions.endReservationSession(open.sessionId, { outcome, endedAtMs, transactionRowId: null, updatedAtMs: at });
      sessionChanged(open.sessionId);
    });
  }

  /**
   * A transaction that names a reservation (or starts with its idTag on its charger) uses it up, and continues its
   * session (mod_sessions: RESERVATION -> ACTIVE, the same Session): the reservation part ends at the transaction's start.
   */
  const off = events.on('transactionStarted', ({ transactionRowId }) => {
    const tx = store.getTransaction(transactionRowId);
    if (!tx) return;
    const evseOcppId = tx.evseRowId !== null ? store.getEvseByRowId(tx.evseRowId)?.ocppId : undefined;
    const tag = tx.idTag?.toUpperCase();
    const r = tokens.listReservations(['active']).find((x) => x.chargerIdentity === tx.chargerIdentity
      && (tx.reservationId !== null ? x.id === tx.reservationId : x.idTag.toUpperCase() === tag && (x.evseOcppId === null || x.evseOcppId === 0 || x.evseOcppId === evseOcppId)));
    if (r) {
      store.transaction(() => {
        const open = sessions?.openReservationSession(r.id);
        // Another eMSP's transaction never continues this eMSP's session (it ends 'used' without one).
        if (open && (tx.platformId === null || tx.platformId === open.platformId)) {
          const at = now();
          sessions!.endReservationSession(open.sessionId, { outcome: 'used', endedAtMs: Math.max(open.startedAtMs, tx.startedAtMs ?? at), transactionRowId: tx.id, updatedAtMs: at });
          sessionChanged(open.sessionId);
        }
        setStatus(r, 'used');
      });
      log.info({ charger: r.chargerIdentity, reservationId: r.id, transaction: tx.ocppTransactionId }, 'reservation used by a transaction');
    }
  });

  /** 2.0.1 ReservationStatusUpdate: Expired ends it like the sweep does; Removed is a cancellation by the CPO side. */
  const offEnded = events.on('reservationEnded', ({ identity, reservationId, status }) => {
    const r = tokens.getReservationById(reservationId);
    if (!r || r.chargerIdentity !== identity || (r.status !== 'active' && r.status !== 'requested')) {
      log.info({ charger: identity, reservationId, status }, 'ReservationStatusUpdate for a reservation the bridge does not hold open');
      return;
    }
    setStatus(r, status === 'Expired' ? 'expired' : 'cancelled');
    if (status === 'Removed' && r.platformId !== null) deps.onCancelledByCharger?.(r);
  });

  const interval = setInterval(() => {
    try {
      sweep();
    } catch (err) {
      log.error({ err: (err as Error).message }, 'reservation sweep failed');
    }
  }, deps.sweepIntervalMs ?? 1000);
  interval.unref();

  return {
    sweep,
    changed,
    stop(): void {
      stopped = true;
      off();
      offEnded();
      clearInterval(interval);
      for (const t of timers) clearTimeout(t);
    },
  };
}
