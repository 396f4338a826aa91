/**
 * The 2.0.1 notifications that inform, each answered as its schema says, logged and kept as a charger report
 * (domain/charger-reports.ts; the router answers once the page is committed): firmware, log and
 * publish-firmware progress (L01, N01, L03; failures become faults), security events (A04), monitoring and
 * charging-profile reports (N02, K09), charging limits (K12, K13), reservation ends (H04), customer
 * information (N09) and display messages (O04); reports in pages (`requestId`, `tbc`) are kept page by page.
 * EV charging needs are Rejected: the bridge computes no schedules (K15/K17 let the station fall back to its
 * own); an EV's own schedule is Accepted as given.
 */
import type { ChargerReportKind } from '../../domain/charger-reports.js';
import type { ActionHandler, AdapterContext } from '../adapter.js';

const FAILED = /Failed|Failure|Invalid|BadMessage|PermissionDenied|Revoked|NotSupportedOperation/;

const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** Keeps the message as a report of `kind`; paged reports carry requestId, seqNo (when the message has one) and tbc. */
function keep(identity: string, ctx: AdapterContext, kind: ChargerReportKind, p: any, paged: boolean): void {
  ctx.chargers.storeReport(identity, {
    kind, data: p, evseOcppId: int(p.evseId),
    ...(paged ? { requestId: int(p.requestId), seqNo: int(p.seqNo), tbc: p.tbc === true } : {}),
  });
}

function progress(kind: string, reportKind: ChargerReportKind): ActionHandler {
  return async (identity, p, ctx) => {
    ctx.log.info({ charger: identity, status: p.status, requestId: p.requestId }, `${kind} status`);
    keep(identity, ctx, reportKind, p, false);
    if (FAILED.test(String(p.status))) ctx.chargers.raiseFault(identity, `${kind}${p.status}`, `${kind} status ${p.status}`, p);
    return {};
  };
}

function kept(kind: ChargerReportKind, paged: boolean, message: string, fields: (p: any) => Record<string, unknown>): ActionHandler {
  return async (identity, p, ctx) => {
    ctx.log.info({ charger: identity, ...fields(p) }, message);
    keep(identity, ctx, kind, p, paged);
    return {};
  };
}

export const firmwareStatusNotification = progress('Firmware', 'firmware-status');
export const logStatusNotification = progress('Log', 'log-status');
export const publishFirmwareStatusNotification = progress('PublishFirmware', 'publish-firmware-status');

export const securityEventNotification: ActionHandler = async (identity, p, ctx) => {
  ctx.log.warn({ charger: identity, type: p.type, at: p.timestamp, techInfo: p.techInfo }, 'charger security event');
  keep(identity, ctx, 'security-event', p, false);
  if (FAILED.test(String(p.type)) || /Tamper|Attack|Memory|Intrusion/i.test(String(p.type))) {
    ctx.chargers.raiseFault(identity, `SecurityEvent:${String(p.type).slice(0, 50)}`, `security event ${p.type}`, p);
  }
  return {};
};

export const notifyMonitoringReport = kept('monitoring', true, 'monitoring report page', (p) => ({ requestId: p.requestId, seqNo: p.seqNo, tbc: p.tbc ?? false, monitors: p.monitor?.length ?? 0 }));
export const reportChargingProfiles = kept('charging-profiles', true, 'charging profiles report', (p) => ({ requestId: p.requestId, evseId: p.evseId, source: p.chargingLimitSource, profiles: p.chargingProfile?.length ?? 0, tbc: p.tbc ?? false }));
export const notifyChargingLimit = kept('charging-limit', false, 'charging limit set by an external source', (p) => ({ evseId: p.evseId, source: p.chargingLimit?.chargingLimitSource, gridCritical: p.chargingLimit?.isGridCritical }));
export const clearedChargingLimit = kept('charging-limit-cleared', false, 'external charging limit cleared', (p) => ({ evseId: p.evseId, source: p.chargingLimitSource }));
/** H03/H04: the station ended a reservation (expired or removed); the domain frees it and tells the eMSP. */
export const reservationStatusUpdate: ActionHandler = async (identity, p, ctx) => {
  ctx.chargers.reservationEnded(identity, p.reservationId, p.reservationUpdateStatus);
  return {};
};
export const notifyCustomerInformation = kept('customer-information', true, 'customer information page', (p) => ({ requestId: p.requestId, seqNo: p.seqNo, tbc: p.tbc ?? false }));
export const notifyDisplayMessages = kept('display-messages', true, 'display messages report', (p) => ({ requestId: p.requestId, messages: p.messageInfo?.length ?? 0, tbc: p.tbc ?? false }));

export const notifyEVChargingNeeds: ActionHandler = async (identity, p, ctx) => {
  ctx.log.info({ charger: identity, evseId: p.evseId, transfer: p.chargingNeeds?.requestedEnergyTransfer }, 'EV charging needs: no schedule from the bridge');
  keep(identity, ctx, 'ev-charging-needs', p, false);
  return { status: 'Rejected', statusInfo: { reasonCode: 'NoSchedule', additionalInfo: 'this central system does not compute charging schedules' } };
};

export const notifyEVChargingSchedule: ActionHandler = async (identity, p, ctx) => {
  ctx.log.info({ charger: identity, evseId: p.evseId, scheduleId: p.chargingSchedule?.id }, 'EV charging schedule');
  keep(identity, ctx, 'ev-charging-schedule', p, false);
  return { status: 'Accepted' };
};
