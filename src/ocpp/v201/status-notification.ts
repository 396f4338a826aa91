/**
 * StatusNotification (OCPP 2.0.1 G01): one connector of one EVSE. `Occupied` covers plugged-in and
 * charging alike (the domain combines it with the transaction); there is no errorCode in 2.0.1, faults
 * come through NotifyEvent. evseId 0 is the whole station. The timestamp orders reports.
 */
import type { ActionHandler } from '../adapter.js';
import { parseTime, toEvseStatus } from './map.js';

export const statusNotification: ActionHandler = async (identity, p, ctx) => {
  ctx.chargers.reportStatus(identity, {
    evseOcppId: p.evseId, connectorOcppId: p.evseId === 0 ? undefined : p.connectorId, status: toEvseStatus(p.connectorStatus) ?? 'Unknown', at: parseTime(p.timestamp),
  });
  return {};
};
