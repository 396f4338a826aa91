/**
 * TransactionEvent (OCPP 2.0.1 E01-E15): Started, Updated and Ended of a transaction the station names.
 * Always answered with a CALLRESULT (a CALLERROR makes the station retry and finally drop it, reference/
 * ocpp.md §0), also for an unknown transaction, a repeat or an off-schema event that could be salvaged.
 * `idTokenInfo` is in the answer whenever the request carried an idToken (E01, C01): the station acts on it.
 * The rules (order by seqNo, repeats, gaps, energy) are the domain's: domain/transaction-events.ts.
 */
import type { ActionHandler } from '../adapter.js';
import { eventKind, isNoAuthorization, mapMeterValues, NO_AUTHORIZATION_INFO, parseTime, toIdTokenInfo, toIdTokenRef } from './map.js';

export const transactionEvent: ActionHandler = async (identity, p, ctx) => {
  const mapped = mapMeterValues(p.meterValue);
  if (mapped.unreadable.length) ctx.recordSchemaViolation(identity, 'TransactionEvent', 'sampled values that are not numbers', mapped.unreadable);
  const info = p.transactionInfo ?? {};
  const { auth } = await ctx.transactions.upsertFromEvent(identity, 'ocpp2.0.1', {
    kind: eventKind(p.eventType), ocppTransactionId: String(info.transactionId), seqNo: p.seqNo, at: parseTime(p.timestamp),
    trigger: p.triggerReason, offline: p.offline === true, evseOcppId: p.evse?.id, connectorOcppId: p.evse?.connectorId,
    token: p.idToken && !isNoAuthorization(p.idToken) ? toIdTokenRef(p.idToken) : undefined, chargingState: info.chargingState, stoppedReason: info.stoppedReason,
    remoteStartId: info.remoteStartId, reservationId: p.reservationId, readings: mapped.readings, signed: mapped.signed,
  });
  if (isNoAuthorization(p.idToken)) return { idTokenInfo: NO_AUTHORIZATION_INFO };
  return auth ? { idTokenInfo: toIdTokenInfo(auth) } : {};
};
