/**
 * Reservations the bridge made for eMSPs (OCPI RESERVE_NOW) after the charger accepted them: a reservation is
 * used by the transaction that names it (or starts with its idTag on its charger), cancelled by the eMSP, or
 * expires at its expiry_date. OCPP 1.6 has no "reservation ended" message (reference/ocpp.md §1.4): when one
 * expires the bridge asks the charger for its status, and if the EVSE still reads Reserved shortly after,
 * the bridge releases it itself (status Available, with a fault for the operator), so no EVSE stays RESERVED
 * forever. A one-second sweep of the stored reservations also covers those that expired while the bridge was down.
 * OCPP 2.0.1 stations report the end themselves (ReservationStatusUpdate); one they Removed is reported to the eMSP.
 */
import type { Log } from '../log.js';
import type { DomainEvents } from './events.js';
import type { ChargerCommands, Clock, Store } from './ports.js';
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
}

export type ReservationService = ReturnType<typeof createReservationService>;

const RELEASE_GRACE_MS = 5_000;

export function createReservationService(deps: ReservationServiceDeps) {
  const { store, tokens, chargers, events, clock, log } = deps;
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

  /** A transaction that names a reservation (or starts with its idTag on its charger) uses it up. */
  const off = events.on('transactionStarted', ({ transactionRowId }) => {
    const tx = store.getTransaction(transactionRowId);
    if (!tx) return;
    const evseOcppId = tx.evseRowId !== null ? store.getEvseByRowId(tx.evseRowId)?.ocppId : undefined;
    const tag = tx.idTag?.toUpperCase();
    const r = tokens.listReservations(['active']).find((x) => x.chargerIdentity === tx.chargerIdentity
      && (tx.reservationId !== null ? x.id === tx.reservationId : x.idTag.toUpperCase() === tag && (x.evseOcppId === null || x.evseOcppId === 0 || x.evseOcppId === evseOcppId)));
    if (r) {
      setStatus(r, 'used');
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
    stop(): void {
      stopped = true;
      off();
      offEnded();
      clearInterval(interval);
      for (const t of timers) clearTimeout(t);
    },
  };
}
