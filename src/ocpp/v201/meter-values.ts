/**
 * MeterValues (OCPP 2.0.1 J01): readings outside TransactionEvent (clock-aligned, triggered); evseId 0 is
 * the main meter. Values scaled by their multiplier and normalised; signed values kept byte for byte.
 * Linked to the transaction running on that EVSE, if any.
 */
import type { ActionHandler } from '../adapter.js';
import { mapMeterValues } from './map.js';

export const meterValues: ActionHandler = async (identity, p, ctx) => {
  const mapped = mapMeterValues(p.meterValue);
  if (mapped.unreadable.length) ctx.recordSchemaViolation(identity, 'MeterValues', 'sampled values that are not numbers', mapped.unreadable);
  ctx.transactions.meterValues(identity, { evseOcppId: p.evseId ?? 0, readings: mapped.readings, signed: mapped.signed });
  return {};
};
