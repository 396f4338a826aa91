/**
 * MeterValues (OCPP 1.6 §4.7): every sampled value normalised and kept with its raw form; SignedData kept
 * byte for byte. connectorId 0 is the main meter. Values that are not numbers are kept in a fault.
 */
import type { ActionHandler } from '../adapter.js';
import { mapMeterValues } from './map.js';

export const meterValues: ActionHandler = async (identity, p, ctx) => {
  const mapped = mapMeterValues(p.meterValue);
  if (mapped.unreadable.length) ctx.recordSchemaViolation(identity, 'MeterValues', 'sampled values that are not numbers', mapped.unreadable);
  ctx.transactions.meterValues(identity, {
    evseOcppId: p.connectorId, ocppTransactionId: p.transactionId === undefined ? undefined : String(p.transactionId),
    readings: mapped.readings, signed: mapped.signed,
  });
  return {};
};
