/**
 * A reservation ended on the CPO side before its expiry (the station removed it): the eMSP that made it gets
 * CANCELED_RESERVATION at the RESERVE_NOW `response_url` (OCPI 2.2.1 mod_commands, diagram
 * command_reservenow_canceled_by_cpo). 2.1.1 has no such result; its eMSP is told REJECTED.
 */
import type { ReservationRecord } from '../../domain/token-ports.js';
import type { OcpiDeps } from '../context.js';
import { postResult } from './result.js';

export function reportCanceledReservation(deps: Pick<OcpiDeps, 'store' | 'config' | 'fetch' | 'log'>, r: ReservationRecord): void {
  const platform = r.platformId !== null ? deps.store.getPlatform(r.platformId) : undefined;
  if (!platform || platform.status !== 'registered' || !r.responseUrl) return;
  const body = platform.version === '2.1.1' ? { result: 'REJECTED' } : { result: 'CANCELED_RESERVATION', message: [{ language: 'en', text: 'the charging station removed the reservation' }] };
  void postResult(deps, {
    platform, url: r.responseUrl, body, deadlineMs: Date.now() + deps.config.ocpi.request_timeout_s * 4000,
    context: { command: 'RESERVE_NOW', charger: r.chargerIdentity, reservation: r.ocpiReservationId, ocppReservationId: r.id },
  });
}
