/**
 * StartTransaction (OCPP 1.6 §4.8): the central system assigns the integer transactionId. A retransmission
 * after a lost response (same connector, idTag, timestamp, meterStart) gets the same id. The transaction is
 * recorded even when the idTag is refused: energy may already flow, and the charger decides to stop.
 */
import type { ActionHandler } from '../adapter.js';
import { parseTime } from './map.js';
import { toIdTagInfo } from './id-tag-info.js';

export const startTransaction: ActionHandler = async (identity, p, ctx) => {
  const { transaction, auth } = await ctx.transactions.start(identity, 'ocpp1.6', {
    evseOcppId: p.connectorId, token: { idTag: p.idTag, type: 'ISO14443' }, meterStartWh: p.meterStart,
    startedAt: parseTime(p.timestamp), reservationId: p.reservationId,
  });
  return { transactionId: Number(transaction.ocppTransactionId), idTagInfo: toIdTagInfo(auth) };
};
