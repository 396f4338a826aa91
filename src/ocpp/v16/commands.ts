/**
 * Version-neutral commands (domain/ports.ts CommandCatalogue) -> OCPP 1.6 calls and back. Each mapping
 * builds a payload valid under the 1.6 schema (strict mode rejects anything else before sending).
 */
import type { CommandMappers } from '../adapter.js';
import type { NeutralChargingProfile } from '../../domain/ports.js';

const iso = (d: Date) => d.toISOString();
const idTag20 = (tag: string) => tag.slice(0, 20); // CiString20; longer OCPI uids are aliased by the caller

function profile(p: NeutralChargingProfile): Record<string, unknown> {
  return {
    chargingProfileId: p.id, stackLevel: p.stackLevel, chargingProfilePurpose: p.purpose, chargingProfileKind: p.kind,
    ...(p.recurrency ? { recurrencyKind: p.recurrency } : {}),
    ...(p.ocppTransactionId !== undefined && p.purpose === 'TxProfile' ? { transactionId: Number(p.ocppTransactionId) } : {}),
    ...(p.validFrom ? { validFrom: iso(p.validFrom) } : {}), ...(p.validTo ? { validTo: iso(p.validTo) } : {}),
    chargingSchedule: {
      ...(p.schedule.durationS !== undefined ? { duration: p.schedule.durationS } : {}),
      ...(p.schedule.startSchedule ? { startSchedule: iso(p.schedule.startSchedule) } : {}),
      chargingRateUnit: p.schedule.rateUnit,
      // 1.6 schema: limit multipleOf 0.1
      chargingSchedulePeriod: p.schedule.periods.map((x) => ({ startPeriod: x.startPeriodS, limit: Math.round(x.limit * 10) / 10, ...(x.numberPhases ? { numberPhases: x.numberPhases } : {}) })),
      ...(p.schedule.minRate !== undefined ? { minChargingRate: Math.round(p.schedule.minRate * 10) / 10 } : {}),
    },
  };
}

export const v16Commands: CommandMappers = {
  remoteStart: (a) => ({
    action: 'RemoteStartTransaction',
    payload: { idTag: idTag20(a.idTag), ...(a.evseOcppId ? { connectorId: a.evseOcppId } : {}), ...(a.chargingProfile ? { chargingProfile: profile({ ...a.chargingProfile, ocppTransactionId: undefined }) } : {}) },
    result: (r) => ({ status: r.status }),
  }),
  remoteStop: (a) => ({ action: 'RemoteStopTransaction', payload: { transactionId: Number(a.ocppTransactionId) }, result: (r) => ({ status: r.status }) }),
  unlockConnector: (a) => ({ action: 'UnlockConnector', payload: { connectorId: a.evseOcppId }, result: (r) => ({ status: r.status }) }),
  reserveNow: (a) => ({
    action: 'ReserveNow',
    payload: { connectorId: a.evseOcppId ?? 0, expiryDate: iso(a.expiresAt), idTag: idTag20(a.idTag), reservationId: a.reservationId, ...(a.parentIdTag ? { parentIdTag: idTag20(a.parentIdTag) } : {}) },
    result: (r) => ({ status: r.status }),
  }),
  cancelReservation: (a) => ({ action: 'CancelReservation', payload: { reservationId: a.reservationId }, result: (r) => ({ status: r.status }) }),
  setChargingProfile: (a) => ({ action: 'SetChargingProfile', payload: { connectorId: a.evseOcppId, csChargingProfiles: profile(a.profile) }, result: (r) => ({ status: r.status }) }),
  clearChargingProfile: (a) => ({
    action: 'ClearChargingProfile',
    payload: { ...(a.profileId !== undefined ? { id: a.profileId } : {}), ...(a.evseOcppId !== undefined ? { connectorId: a.evseOcppId } : {}), ...(a.purpose ? { chargingProfilePurpose: a.purpose } : {}), ...(a.stackLevel !== undefined ? { stackLevel: a.stackLevel } : {}) },
    result: (r) => ({ status: r.status }),
  }),
  getCompositeSchedule: (a) => ({
    action: 'GetCompositeSchedule',
    payload: { connectorId: a.evseOcppId, duration: a.durationS, ...(a.rateUnit ? { chargingRateUnit: a.rateUnit } : {}) },
    result: (r) => ({
      status: r.status,
      scheduleStart: r.scheduleStart ? new Date(r.scheduleStart) : undefined,
      schedule: r.chargingSchedule && {
        startSchedule: r.chargingSchedule.startSchedule ? new Date(r.chargingSchedule.startSchedule) : undefined, durationS: r.chargingSchedule.duration,
        rateUnit: r.chargingSchedule.chargingRateUnit, minRate: r.chargingSchedule.minChargingRate,
        periods: r.chargingSchedule.chargingSchedulePeriod.map((x: any) => ({ startPeriodS: x.startPeriod, limit: x.limit, numberPhases: x.numberPhases })),
      },
    }),
  }),
  reset: (a) => ({ action: 'Reset', payload: { type: a.kind === 'hard' ? 'Hard' : 'Soft' }, result: (r) => ({ status: r.status }) }),
  changeAvailability: (a) => ({ action: 'ChangeAvailability', payload: { connectorId: a.evseOcppId, type: a.operative ? 'Operative' : 'Inoperative' }, result: (r) => ({ status: r.status }) }),
  getConfiguration: (a) => ({
    action: 'GetConfiguration', payload: a.keys?.length ? { key: a.keys } : {},
    result: (r) => ({ entries: (r.configurationKey ?? []).map((k: any) => ({ key: k.key, value: k.value, readonly: k.readonly })), unknownKeys: r.unknownKey ?? [] }),
  }),
  changeConfiguration: (a) => ({ action: 'ChangeConfiguration', payload: { key: a.key, value: a.value }, result: (r) => ({ status: r.status }) }),
  triggerMessage: (a) => ({
    action: 'TriggerMessage', payload: { requestedMessage: a.message, ...(a.evseOcppId ? { connectorId: a.evseOcppId } : {}) },
    result: (r) => ({ status: r.status }),
  }),
  sendLocalList: (a) => ({
    action: 'SendLocalList',
    payload: {
      listVersion: a.version, updateType: a.full ? 'Full' : 'Differential',
      localAuthorizationList: a.entries.map((e) => ({ idTag: idTag20(e.idTag), ...(e.status ? { idTagInfo: { status: e.status, ...(e.expiresAt ? { expiryDate: iso(e.expiresAt) } : {}) } } : {}) })),
    },
    result: (r) => ({ status: r.status }),
  }),
  getLocalListVersion: () => ({ action: 'GetLocalListVersion', payload: {}, result: (r) => ({ version: r.listVersion }) }),
  clearCache: () => ({ action: 'ClearCache', payload: {}, result: (r) => ({ status: r.status }) }),
  updateFirmware: (a) => ({
    action: 'UpdateFirmware', payload: { location: a.location, retrieveDate: iso(a.retrieveAt), ...(a.retries !== undefined ? { retries: a.retries } : {}), ...(a.retryIntervalS !== undefined ? { retryInterval: a.retryIntervalS } : {}) },
    result: () => ({ status: 'Accepted' }),
  }),
  getDiagnostics: (a) => ({
    action: 'GetDiagnostics', payload: { location: a.location, ...(a.from ? { startTime: iso(a.from) } : {}), ...(a.to ? { stopTime: iso(a.to) } : {}) },
    result: (r) => ({ fileName: r.fileName }),
  }),
  dataTransfer: (a) => ({
    action: 'DataTransfer', payload: { vendorId: a.vendorId, ...(a.messageId ? { messageId: a.messageId } : {}), ...(a.data !== undefined ? { data: a.data } : {}) },
    result: (r) => ({ status: r.status, data: r.data }),
  }),
};
