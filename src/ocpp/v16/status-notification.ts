/**
 * StatusNotification (OCPP 1.6 §4.9): connectorId 0 is the whole charge point; a non-NoError errorCode is
 * kept as a fault (also with a non-Faulted status: a warning). The timestamp, when given, orders reports.
 */
import type { ActionHandler } from '../adapter.js';
import type { EvseStatus } from '../../domain/model.js';
import { parseTime } from './map.js';

export const statusNotification: ActionHandler = async (identity, p, ctx) => {
  ctx.chargers.reportStatus(identity, {
    evseOcppId: p.connectorId, status: p.status as EvseStatus, errorCode: p.errorCode, info: p.info, vendorId: p.vendorId,
    vendorErrorCode: p.vendorErrorCode, at: parseTime(p.timestamp),
  });
  return {};
};
