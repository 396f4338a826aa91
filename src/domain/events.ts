/**
 * Domain events: what happened in the model, for the OCPI push client, the status page's live updates and
 * metrics. Emitted after the SQLite transaction committed, so a listener never sees a change that rolls back.
 * Listeners must not throw into the OCPP path: a throwing listener is logged and skipped.
 */
import { EventEmitter } from 'node:events';
import type { OcppProtocol } from './model.js';

export interface DomainEventMap {
  chargerConnected: { identity: string; protocol: OcppProtocol; at: Date };
  chargerDisconnected: { identity: string; at: Date };
  chargerBooted: { identity: string; status: string; at: Date };
  evseStatusChanged: { identity: string; evseRowId: number; evseOcppId: number; status: string; at: Date };
  transactionStarted: { identity: string; transactionRowId: number; at: Date };
  transactionUpdated: { identity: string; transactionRowId: number; at: Date };
  transactionEnded: { identity: string; transactionRowId: number; at: Date };
  /** OCPP 2.0.1 ReservationStatusUpdate: the station ended a reservation itself (H03/H04). */
  reservationEnded: { identity: string; reservationId: number; status: 'Expired' | 'Removed'; at: Date };
  /** A reservation's OCPI Session opened, or ended (used, expired, cancelled): domain/reservations.ts. */
  reservationSessionChanged: { sessionId: string; at: Date };
  faultRaised: { identity?: string; faultId: number; code: string; source: string; at: Date };
  ocppMessage: { identity: string; direction: 'in' | 'out'; kind: string; action?: string; at: Date };
}

export type DomainEventName = keyof DomainEventMap;

export interface DomainEvents {
  emit<K extends DomainEventName>(name: K, event: DomainEventMap[K]): void;
  on<K extends DomainEventName>(name: K, listener: (event: DomainEventMap[K]) => void): () => void;
}

export function createDomainEvents(onListenerError: (name: string, err: unknown) => void): DomainEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(1000); // one per open status page, plus the push client
  return {
    emit(name, event) {
      for (const listener of emitter.listeners(name)) {
        try {
          (listener as (e: unknown) => void)(event);
        } catch (err) {
          onListenerError(name, err);
        }
      }
    },
    on(name, listener) {
      emitter.on(name, listener);
      return () => emitter.off(name, listener);
    },
  };
}
