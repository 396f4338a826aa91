/**
 * TransactionEvent (OCPP 2.0.1 E01-E15): Started, Updated and Ended of a transaction the station names.
 * Always answered with a CALLRESULT (a CALLERROR makes the station retry and finally drop it, reference/
 * ocpp.md §0), also for an unknown transaction, a repeat or an off-schema event that could be salvaged.
 * `idTokenInfo` is in the answer whenever the request carried an idToken (E01, C01): the station acts on it.
 * The rules (order by seqNo, repeats, gaps, energy) are the domain's: domain/transaction-events.ts.
 */
import type { ActionHandler } from '../adapter.js';
import { rpcError } from '../rpc.js';
import { eventKind, isNoAuthorization, mapMeterValues, NO_AUTHORIZATION_INFO, parseTime, toIdTokenInfo, toIdTokenRef } from './map.js';

/** OCPP 2.0.1 Part 2 §2.1: an integer is 32 bit. The schema says only "integer", which 1e17 also is. */
const MAX_INT32 = 2 ** 31 - 1;

export const transactionEvent: ActionHandler = async (identity, p, ctx) => {
  // seqNo places the event in its transaction: one that no 32-bit counter can hold cannot be placed, so it is
  // refused like a missing one (the station keeps the event), never recorded out of order.
  if (!Number.isInteger(p.seqNo) || p.seqNo < 0 || p.seqNo > MAX_INT32) {
    throw rpcError('PropertyConstraintViolation', `seqNo ${p.seqNo} is not an integer from 0 to ${MAX_INT32} (OCPP 2.0.1 Part 2 §2.1)`);
  }
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
