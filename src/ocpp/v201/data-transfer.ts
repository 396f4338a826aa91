/** DataTransfer (OCPP 2.0.1 P01): no vendor extension is registered, so every vendor gets UnknownVendorId (not a CALLERROR). */
import type { ActionHandler } from '../adapter.js';

export const dataTransfer: ActionHandler = async (identity, p, ctx) => {
  ctx.log.info({ charger: identity, vendorId: p.vendorId, messageId: p.messageId }, 'DataTransfer from charger: unknown vendor');
  return { status: 'UnknownVendorId' };
};
