/**
 * Version-neutral commands (domain/ports.ts CommandCatalogue) -> OCPP 2.0.1 calls and back. Each mapping
 * builds a payload valid under the 2.0.1 schema (strict mode rejects anything else before sending).
 * 1.6 names map to their 2.0.1 counterparts: getDiagnostics -> GetLog, Get/ChangeConfiguration ->
 * Get/SetVariables (1.6 keys translated where 2.0.1 has the same setting), ChargePointMaxProfile ->
 * ChargingStationMaxProfile, hard/soft reset -> Immediate/OnIdle.
 */
import type { CommandMappers } from '../adapter.js';
import type { DeviceVariableRef, NeutralChargingProfile } from '../../domain/ports.js';

const iso = (d: Date) => d.toISOString();
const opt = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
/** RequestStart/UpdateFirmware/GetLog need a request id; callers that track one pass it. */
const newRequestId = () => Math.floor(Math.random() * 2 ** 31);

const ID_TOKEN_TYPES = new Set(['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization']);
/** IdTokenEnumType; OCPI token types map as reference/ocpp.md §2 C says (RFID -> ISO14443, others -> Central). */
export function idTokenType(type: string | undefined): string {
  if (type && ID_TOKEN_TYPES.has(type)) return type;
  return type === 'RFID' ? 'ISO14443' : 'Central';
}
const idToken = (tag: string, type?: string) => ({ idToken: tag.slice(0, 36), type: idTokenType(type) });

const purpose = (p: string) => (p === 'ChargePointMaxProfile' ? 'ChargingStationMaxProfile' : p);

export function chargingProfile(p: NeutralChargingProfile): Record<string, unknown> {
  return {
    id: p.id, stackLevel: p.stackLevel, chargingProfilePurpose: purpose(p.purpose), chargingProfileKind: p.kind,
    ...opt('recurrencyKind', p.recurrency),
    ...(p.ocppTransactionId !== undefined && p.purpose === 'TxProfile' ? { transactionId: p.ocppTransactionId } : {}),
    ...opt('validFrom', p.validFrom && iso(p.validFrom)), ...opt('validTo', p.validTo && iso(p.validTo)),
    // 2.0.1 K01: chargingSchedule is a list (1..3), each with its own id; one schedule here, id = the profile's.
    chargingSchedule: [{
      id: p.id, ...opt('startSchedule', p.schedule.startSchedule && iso(p.schedule.startSchedule)), ...opt('duration', p.schedule.durationS),
      chargingRateUnit: p.schedule.rateUnit,
      chargingSchedulePeriod: p.schedule.periods.map((x) => ({ startPeriod: x.startPeriodS, limit: x.limit, ...opt('numberPhases', x.numberPhases) })),
      ...opt('minChargingRate', p.schedule.minRate),
    }],
  };
}

/**
 * 1.6 configuration keys with the same meaning in the 2.0.1 device model (2.0.1 Part 2 appendix, controller
 * components). The transaction message retries are the `TransactionEvent` instance of their variables
 * (MessageAttemptsTransactionEvent, MessageAttemptIntervalTransactionEvent): without it a station answers UnknownVariable.
 */
export const V16_KEYS: Record<string, [component: string, variable: string, variableInstance?: string]> = {
  HeartbeatInterval: ['OCPPCommCtrlr', 'HeartbeatInterval'],
  WebSocketPingInterval: ['OCPPCommCtrlr', 'WebSocketPingInterval'],
  MeterValueSampleInterval: ['SampledDataCtrlr', 'TxUpdatedInterval'],
  MeterValuesSampledData: ['SampledDataCtrlr', 'TxUpdatedMeasurands'],
  StopTxnSampledData: ['SampledDataCtrlr', 'TxEndedMeasurands'],
  ClockAlignedDataInterval: ['AlignedDataCtrlr', 'Interval'],
  MeterValuesAlignedData: ['AlignedDataCtrlr', 'Measurands'],
  ConnectionTimeOut: ['TxCtrlr', 'EVConnectionTimeOut'],
  StopTransactionOnInvalidId: ['TxCtrlr', 'StopTxOnInvalidId'],
  AuthorizeRemoteTxRequests: ['AuthCtrlr', 'AuthorizeRemoteStart'],
  LocalAuthorizeOffline: ['AuthCtrlr', 'LocalAuthorizeOffline'],
  LocalPreAuthorize: ['AuthCtrlr', 'LocalPreAuthorize'],
  AllowOfflineTxForUnknownId: ['AuthCtrlr', 'OfflineTxForUnknownIdEnabled'],
  LocalAuthListEnabled: ['LocalAuthListCtrlr', 'Enabled'],
  ReserveConnectorZeroSupported: ['ReservationCtrlr', 'NonEvseSpecific'],
  TransactionMessageAttempts: ['OCPPCommCtrlr', 'MessageAttempts', 'TransactionEvent'],
  TransactionMessageRetryInterval: ['OCPPCommCtrlr', 'MessageAttemptInterval', 'TransactionEvent'],
};

/** A 1.6 key, or `Component.Variable` written out, as a device-model variable. */
export function keyToVariable(key: string): DeviceVariableRef {
  const known = V16_KEYS[key];
  if (known) return { component: known[0], variable: known[1], ...opt('variableInstance', known[2]) };
  const dot = key.indexOf('.');
  if (dot > 0) return { component: key.slice(0, dot), variable: key.slice(dot + 1) };
  return { component: 'ChargingStation', variable: key };
}

function wireVariable(v: DeviceVariableRef): Record<string, unknown> {
  return {
    component: {
      name: v.component, ...opt('instance', v.componentInstance),
      ...(v.evseOcppId !== undefined ? { evse: { id: v.evseOcppId, ...opt('connectorId', v.connectorOcppId) } } : {}),
    },
    variable: { name: v.variable, ...opt('instance', v.variableInstance) },
    ...opt('attributeType', v.attribute),
  };
}

function neutralVariable(r: any): DeviceVariableRef {
  return {
    component: r.component?.name, ...opt('componentInstance', r.component?.instance), ...opt('evseOcppId', r.component?.evse?.id),
    ...opt('connectorOcppId', r.component?.evse?.connectorId), variable: r.variable?.name, ...opt('variableInstance', r.variable?.instance),
    ...opt('attribute', r.attributeType),
  };
}

const sameVariable = (a: DeviceVariableRef, b: DeviceVariableRef) => a.component === b.component && a.variable === b.variable && (a.componentInstance ?? '') === (b.componentInstance ?? '') && (a.variableInstance ?? '') === (b.variableInstance ?? '');

/** 2.0.1 SetVariableStatusEnumType -> the 1.6-shaped ChangeConfiguration status. */
function configurationStatus(status: string | undefined): 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported' {
  if (status === 'Accepted' || status === 'Rejected' || status === 'RebootRequired') return status;
  return 'NotSupported';
}

/** TriggerMessage: the 1.6 DiagnosticsStatusNotification became LogStatusNotification (N01). */
const trigger = (m: string) => (m === 'DiagnosticsStatusNotification' ? 'LogStatusNotification' : m);

export const v201Commands: CommandMappers = {
  remoteStart: (a) => ({
    action: 'RequestStartTransaction',
    payload: {
      idToken: idToken(a.idTag, a.idTokenType), remoteStartId: a.remoteStartId ?? newRequestId(), ...opt('evseId', a.evseOcppId || undefined),
      ...(a.chargingProfile ? { chargingProfile: chargingProfile({ ...a.chargingProfile, purpose: 'TxProfile', ocppTransactionId: undefined }) } : {}),
    },
    // F01: when a transaction already runs (cable first), the station names it.
    result: (r) => ({ status: r.status, ...opt('transactionId', r.transactionId) }),
  }),
  remoteStop: (a) => ({ action: 'RequestStopTransaction', payload: { transactionId: a.ocppTransactionId }, result: (r) => ({ status: r.status }) }),
  unlockConnector: (a) => ({ action: 'UnlockConnector', payload: { evseId: a.evseOcppId, connectorId: a.connectorOcppId ?? 1 }, result: (r) => ({ status: r.status }) }),
  reserveNow: (a) => ({
    action: 'ReserveNow',
    payload: {
      id: a.reservationId, expiryDateTime: iso(a.expiresAt), idToken: idToken(a.idTag, a.idTokenType), ...opt('evseId', a.evseOcppId || undefined),
      ...(a.parentIdTag ? { groupIdToken: idToken(a.parentIdTag, 'Central') } : {}),
    },
    result: (r) => ({ status: r.status }),
  }),
  cancelReservation: (a) => ({ action: 'CancelReservation', payload: { reservationId: a.reservationId }, result: (r) => ({ status: r.status }) }),
  setChargingProfile: (a) => ({ action: 'SetChargingProfile', payload: { evseId: a.evseOcppId, chargingProfile: chargingProfile(a.profile) }, result: (r) => ({ status: r.status }) }),
  clearChargingProfile: (a) => {
    const criteria = { ...opt('evseId', a.evseOcppId), ...opt('chargingProfilePurpose', a.purpose && purpose(a.purpose)), ...opt('stackLevel', a.stackLevel) };
    return {
      action: 'ClearChargingProfile',
      payload: { ...opt('chargingProfileId', a.profileId), ...(Object.keys(criteria).length ? { chargingProfileCriteria: criteria } : {}) },
      result: (r) => ({ status: r.status }),
    };
  },
  getCompositeSchedule: (a) => ({
    action: 'GetCompositeSchedule',
    payload: { evseId: a.evseOcppId, duration: a.durationS, ...opt('chargingRateUnit', a.rateUnit) },
    result: (r) => ({
      status: r.status,
      scheduleStart: r.schedule?.scheduleStart ? new Date(r.schedule.scheduleStart) : undefined,
      schedule: r.schedule && {
        startSchedule: new Date(r.schedule.scheduleStart), durationS: r.schedule.duration, rateUnit: r.schedule.chargingRateUnit,
        periods: r.schedule.chargingSchedulePeriod.map((x: any) => ({ startPeriodS: x.startPeriod, limit: x.limit, ...opt('numberPhases', x.numberPhases) })),
      },
    }),
  }),
  reset: (a) => ({ action: 'Reset', payload: { type: a.kind === 'hard' ? 'Immediate' : 'OnIdle', ...opt('evseId', a.evseOcppId || undefined) }, result: (r) => ({ status: r.status }) }),
  changeAvailability: (a) => ({
    action: 'ChangeAvailability',
    payload: { operationalStatus: a.operative ? 'Operative' : 'Inoperative', ...(a.evseOcppId ? { evse: { id: a.evseOcppId } } : {}) },
    result: (r) => ({ status: r.status }),
  }),
  getConfiguration: (a) => {
    // GetVariables needs at least one variable: without keys, ask for the settings 1.6 keys map to.
    const keys = a.keys?.length ? a.keys : Object.keys(V16_KEYS);
    const refs = keys.map((key) => ({ key, ref: keyToVariable(key) }));
    return {
      action: 'GetVariables',
      payload: { getVariableData: refs.map(({ ref }) => wireVariable(ref)) },
      result: (r) => {
        const results: any[] = r.getVariableResult ?? [];
        const entries: Array<{ key: string; value?: string }> = [];
        const unknownKeys: string[] = [];
        for (const { key, ref } of refs) {
          const found = results.find((x) => sameVariable(neutralVariable(x), ref));
          if (found?.attributeStatus === 'Accepted') entries.push({ key, ...opt('value', found.attributeValue) });
          else unknownKeys.push(key);
        }
        return { entries, unknownKeys };
      },
    };
  },
  changeConfiguration: (a) => ({
    action: 'SetVariables',
    payload: { setVariableData: [{ ...wireVariable(keyToVariable(a.key)), attributeValue: a.value }] },
    result: (r) => ({ status: configurationStatus(r.setVariableResult?.[0]?.attributeStatus) }),
  }),
  triggerMessage: (a) => ({
    action: 'TriggerMessage', payload: { requestedMessage: trigger(a.message), ...(a.evseOcppId ? { evse: { id: a.evseOcppId } } : {}) },
    result: (r) => ({ status: r.status }),
  }),
  sendLocalList: (a) => ({
    action: 'SendLocalList',
    payload: {
      versionNumber: a.version, updateType: a.full ? 'Full' : 'Differential',
      // The schema wants at least one entry when the list is present (minItems 1): an empty update leaves it out (D01/D02).
      ...(a.entries.length ? {
        localAuthorizationList: a.entries.map((e) => ({
          idToken: idToken(e.idTag, e.idTokenType),
          ...(e.status ? { idTokenInfo: { status: e.status, ...opt('cacheExpiryDateTime', e.expiresAt && iso(e.expiresAt)) } } : {}),
        })),
      } : {}),
    },
    result: (r) => ({ status: r.status }),
  }),
  getLocalListVersion: () => ({ action: 'GetLocalListVersion', payload: {}, result: (r) => ({ version: r.versionNumber }) }),
  clearCache: () => ({ action: 'ClearCache', payload: {}, result: (r) => ({ status: r.status }) }),
  updateFirmware: (a) => ({
    action: 'UpdateFirmware',
    payload: { requestId: a.requestId ?? newRequestId(), firmware: { location: a.location, retrieveDateTime: iso(a.retrieveAt) }, ...opt('retries', a.retries), ...opt('retryInterval', a.retryIntervalS) },
    result: (r) => ({ status: r.status }),
  }),
  getDiagnostics: (a) => ({
    action: 'GetLog',
    payload: { logType: 'DiagnosticsLog', requestId: a.requestId ?? newRequestId(), log: { remoteLocation: a.location, ...opt('oldestTimestamp', a.from && iso(a.from)), ...opt('latestTimestamp', a.to && iso(a.to)) } },
    result: (r) => ({ status: r.status, ...opt('fileName', r.filename) }),
  }),
  dataTransfer: (a) => ({
    action: 'DataTransfer', payload: { vendorId: a.vendorId, ...opt('messageId', a.messageId), ...opt('data', a.data) },
    // 2.0.1 data is any JSON; the neutral result carries text.
    result: (r) => ({ status: r.status, ...opt('data', r.data === undefined || typeof r.data === 'string' ? r.data : JSON.stringify(r.data)) }),
  }),

  getChargingProfiles: (a) => ({
    action: 'GetChargingProfiles',
    payload: {
      requestId: a.requestId, ...opt('evseId', a.evseOcppId),
      chargingProfile: {
        ...opt('chargingProfilePurpose', a.purpose && purpose(a.purpose)), ...opt('stackLevel', a.stackLevel),
        ...opt('chargingProfileId', a.profileIds?.length ? a.profileIds : undefined), ...opt('chargingLimitSource', a.sources?.length ? a.sources : undefined),
      },
    },
    result: (r) => ({ status: r.status }),
  }),
  getVariables: (a) => ({
    action: 'GetVariables', payload: { getVariableData: a.items.map(wireVariable) },
    result: (r) => ({ results: (r.getVariableResult ?? []).map((x: any) => ({ ...neutralVariable(x), status: x.attributeStatus, ...opt('value', x.attributeValue) })) }),
  }),
  setVariables: (a) => ({
    action: 'SetVariables', payload: { setVariableData: a.items.map((i) => ({ ...wireVariable(i), attributeValue: i.value })) },
    result: (r) => ({ results: (r.setVariableResult ?? []).map((x: any) => ({ ...neutralVariable(x), status: x.attributeStatus })) }),
  }),
  getBaseReport: (a) => ({ action: 'GetBaseReport', payload: { requestId: a.requestId, reportBase: a.report }, result: (r) => ({ status: r.status }) }),
  setNetworkProfile: (a) => ({
    action: 'SetNetworkProfile',
    payload: {
      configurationSlot: a.slot,
      connectionData: { ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: a.csmsUrl, messageTimeout: a.messageTimeoutS, securityProfile: a.securityProfile, ocppInterface: a.networkInterface },
    },
    result: (r) => ({ status: r.status }),
  }),
  certificateSigned: (a) => ({ action: 'CertificateSigned', payload: { certificateChain: a.certificateChain, ...opt('certificateType', a.certificateType) }, result: (r) => ({ status: r.status }) }),
  installCertificate: (a) => ({ action: 'InstallCertificate', payload: { certificateType: a.certificateType, certificate: a.certificate }, result: (r) => ({ status: r.status }) }),
};
