/**
 * The 1.6 notifications that only inform: firmware, diagnostics and log upload progress, signed firmware
 * (Security Whitepaper L01, N01) and security events (A04). Each is answered `{}` and logged; failures
 * become faults for the operator. SignCertificate is Rejected: the bridge runs no certificate authority.
 */
import type { ActionHandler } from '../adapter.js';

const FAILED = /Failed|Failure|Invalid|BadMessage|PermissionDenied|Revoked/;

function progress(kind: string): ActionHandler {
  return async (identity, p, ctx) => {
    ctx.log.info({ charger: identity, status: p.status, requestId: p.requestId }, `${kind} status`);
    if (FAILED.test(String(p.status))) ctx.chargers.raiseFault(identity, `${kind}${p.status}`, `${kind} status ${p.status}`, p);
    return {};
  };
}

export const firmwareStatusNotification = progress('Firmware');
export const diagnosticsStatusNotification = progress('Diagnostics');
export const logStatusNotification = progress('Log');
export const signedFirmwareStatusNotification = progress('SignedFirmware');

export const securityEventNotification: ActionHandler = async (identity, p, ctx) => {
  ctx.log.warn({ charger: identity, type: p.type, at: p.timestamp, techInfo: p.techInfo }, 'charger security event');
  if (FAILED.test(String(p.type)) || /Tamper|Attack|Memory|Intrusion/i.test(String(p.type))) {
    ctx.chargers.raiseFault(identity, `SecurityEvent:${String(p.type).slice(0, 50)}`, `security event ${p.type}`, p);
  }
  return {};
};

export const signCertificate: ActionHandler = async (identity, _p, ctx) => {
  ctx.log.warn({ charger: identity }, 'SignCertificate rejected: no certificate service configured');
  return { status: 'Rejected' };
};
