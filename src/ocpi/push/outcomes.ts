/**
 * What a push to an eMSP came to, for /status.json and the status page (ocpi_push_status). A success is
 * recorded at most once a second per eMSP (one write per Session or CDR push was a tenth of a burst's time in a
 * CPU profile); a failure always, and the first success after a failure at once.
 */
import type { OcpiStore } from '../../domain/ocpi-ports.js';

export interface PushOutcomes {
  ok(platformId: number, atMs: number): void;
  failed(platformId: number, message: string, atMs: number): void;
}

export function createPushOutcomes(store: Pick<OcpiStore, 'recordPushOutcome'>, module: 'sessions' | 'cdrs'): PushOutcomes {
  const okRecordedAt = new Map<number, number>();
  return {
    ok(platformId, atMs) {
      const last = okRecordedAt.get(platformId);
      if (last !== undefined && atMs - last < 1000) return;
      okRecordedAt.set(platformId, atMs);
      store.recordPushOutcome(platformId, module, 'ok', true, atMs);
    },
    failed(platformId, message, atMs) {
      okRecordedAt.delete(platformId);
      store.recordPushOutcome(platformId, module, message.slice(0, 200), false, atMs);
    },
  };
}
