/**
 * Certificate requests from the station (2.0.1 A02/A03, M02, M06). The bridge runs no certificate
 * authority and no ISO 15118 / OCSP service, so it says so in the answer the schema allows (Rejected /
 * Failed with a statusInfo), never with a CALLERROR the station would retry.
 */
import type { ActionHandler } from '../adapter.js';

export const signCertificate: ActionHandler = async (identity, p, ctx) => {
  ctx.log.warn({ charger: identity, certificateType: p.certificateType }, 'SignCertificate rejected: no certificate authority configured');
  return { status: 'Rejected', statusInfo: { reasonCode: 'NoCA', additionalInfo: 'this central system has no certificate authority configured' } };
};

export const get15118EVCertificate: ActionHandler = async (identity, p, ctx) => {
  ctx.log.warn({ charger: identity, action: p.action, schema: p.iso15118SchemaVersion }, 'Get15118EVCertificate failed: no certificate service configured');
  return { status: 'Failed', exiResponse: '', statusInfo: { reasonCode: 'NoCertificateService', additionalInfo: 'no ISO 15118 contract certificate service is configured' } };
};

export const getCertificateStatus: ActionHandler = async (identity, _p, ctx) => {
  ctx.log.warn({ charger: identity }, 'GetCertificateStatus failed: no OCSP service configured');
  return { status: 'Failed', statusInfo: { reasonCode: 'NoCertificateService', additionalInfo: 'no OCSP certificate status service is configured' } };
};
