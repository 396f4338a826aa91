/**
 * StopTransaction (OCPP 1.6 §4.10): always accepted, even for an unknown transaction (kept as an orphan);
 * transactionData (Transaction.Begin/End, SignedData) is stored with the transaction. idTagInfo only informs.
 */
import type { AuthorizationStatus } from '../../domain/model.js';
import type { ActionHandler } from '../adapter.js';
import { mapMeterValues, parseTime } from './map.js';
import { toIdTagInfo } from './id-tag-info.js';

export const stopTransaction: ActionHandler = async (identity, p, ctx) => {
  const mapped = mapMeterValues(p.transactionData);
  if (mapped.unreadable.length) ctx.recordSchemaViolation(identity, 'StopTransaction', 'sampled values that are not numbers', mapped.unreadable);
  const { transaction } = ctx.transactions.stop(identity, 'ocpp1.6', {
    ocppTransactionId: String(p.transactionId), meterStopWh: Number.isFinite(p.meterStop) ? p.meterStop : undefined, endedAt: parseTime(p.timestamp),
    reason: p.reason, token: p.idTag ? { idTag: p.idTag } : undefined, readings: mapped.readings, signed: mapped.signed,
  });
  if (!p.idTag) return {};
  // The card that started it: the start's own decision (the eMSP is not asked again for a stop).
  if (transaction.idTag?.toUpperCase() === String(p.idTag).toUpperCase() && transaction.authStatus) {
    return { idTagInfo: toIdTagInfo({ status: transaction.authStatus as AuthorizationStatus, method: 'WHITELIST' }) };
  }
  return { idTagInfo: toIdTagInfo(await ctx.transactions.authorize(identity, { idTag: p.idTag, type: 'ISO14443' }, { purpose: 'event' })) };
};
