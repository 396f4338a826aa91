/**
 * The 2.0.1 notifications that only inform, each answered as its schema says and logged: firmware, log and
 * publish-firmware progress (L01, N01, L03; failures become faults), security events (A04), monitoring and
 * charging-profile reports (N02, K09), charging limits (K12, K13), reservation ends (H04), customer
 * information (N09) and display messages (O04). EV charging needs are Rejected: the bridge computes no
 * schedules (K15/K17 let the station fall back to its own); an EV's own schedule is Accepted as given.
 */
import type { ActionHandler } from '../adapter.js';

const FAILED = /Failed|Failure|Invalid|BadMessage|PermissionDenied|Revoked|NotSupportedOperation/;

function progress(kind: string): ActionHandler {
  return async (identity, p, ctx) => {
    ctx.log.info({ charger: identity, status: p.status, requestId: p.requestId }, `${kind} status`);
    if (FAILED.test(String(p.status))) ctx.chargers.raiseFault(identity, `${kind}${p.status}`, `${kind} status ${p.status}`, p);
    return {};
  };
}

function logged(message: string, fields: (p: any) => Record<string, unknown>): ActionHandler {
  return async (identity, p, ctx) => {
    ctx.log.info({ charger: identity, ...fields(p) }, message);
    return {};
  };
}

export const firmwareStatusNotification = progress('Firmware');
export const logStatusNotification = progress('Log');
export const publishFirmwareStatusNotification = progress('PublishFirmware');

export const securityEventNotification: ActionHandler = async (identity, p, ctx) => {
  ctx.log.warn({ charger: identity, type: p.type, at: p.timestamp, techInfo: p.techInfo }, 'charger security event');
  if (FAILED.test(String(p.type)) || /Tamper|Attack|Memory|Intrusion/i.test(String(p.type))) {
    ctx.chargers.raiseFault(identity, `SecurityEvent:${String(p.type).slice(0, 50)}`, `security event ${p.type}`, p);
  }
  return {};
};

export const notifyMonitoringReport = logged('monitoring report page', (p) => ({ requestId: p.requestId, seqNo: p.seqNo, tbc: p.tbc ?? false, monitors: p.monitor?.length ?? 0 }));
export const reportChargingProfiles = logged('charging profiles report', (p) => ({ requestId: p.requestId, evseId: p.evseId, source: p.chargingLimitSource, profiles: p.chargingProfile?.length ?? 0, tbc: p.tbc ?? false }));
export const notifyChargingLimit = logged('charging limit set by an external source', (p) => ({ evseId: p.evseId, source: p.chargingLimit?.chargingLimitSource, gridCritical: p.chargingLimit?.isGridCritical }));
export const clearedChargingLimit = logged('external charging limit cleared', (p) => ({ evseId: p.evseId, source: p.chargingLimitSource }));
/** H03/H04: the station ended a reservation (expired or removed); the domain frees it and tells the eMSP. */
export const reservationStatusUpdate: ActionHandler = async (identity, p, ctx) => {
  ctx.chargers.reservationEnded(identity, p.reservationId, p.reservationUpdateStatus);
  return {};
};
export const notifyCustomerInformation = logged('customer information page', (p) => ({ requestId: p.requestId, seqNo: p.seqNo, tbc: p.tbc ?? false }));
export const notifyDisplayMessages = logged('display messages report', (p) => ({ requestId: p.requestId, messages: p.messageInfo?.length ?? 0, tbc: p.tbc ?? false }));

export const notifyEVChargingNeeds: ActionHandler = async (identity, p, ctx) => {
  ctx.log.info({ charger: identity, evseId: p.evseId, transfer: p.chargingNeeds?.requestedEnergyTransfer }, 'EV charging needs: no schedule from the bridge');
  return { status: 'Rejected', statusInfo: { reasonCode: 'NoSchedule', additionalInfo: 'this central system does not compute charging schedules' } };
};

export const notifyEVChargingSchedule: ActionHandler = async (identity, p, ctx) => {
  ctx.log.info({ charger: identity, evseId: p.evseId, scheduleId: p.chargingSchedule?.id }, 'EV charging schedule');
  return { status: 'Accepted' };
};
