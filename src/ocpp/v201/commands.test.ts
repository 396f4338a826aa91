import { describe, expect, it } from 'vitest';
import type { CommandCatalogue, NeutralChargingProfile } from '../../domain/ports.js';
import { fullSchemaViolation } from '../rpc.js';
import { idTokenType, keyToVariable, v201Commands } from './commands.js';

const at = new Date('2026-11-25T10:00:00Z');
const profile: NeutralChargingProfile = { id: 7, stackLevel: 1, purpose: 'TxProfile', kind: 'Relative', ocppTransactionId: 'tx-abc', schedule: { rateUnit: 'A', periods: [{ startPeriodS: 0, limit: 16.04 }, { startPeriodS: 600, limit: 8, numberPhases: 1 }], minRate: 6 } };

type Row = { [K in keyof CommandCatalogue]: [K, CommandCatalogue[K]['args'], string, Record<string, unknown>] }[keyof CommandCatalogue];

describe('version-neutral commands -> OCPP 2.0.1 calls (each payload valid under the OCA schema)', () => {
  it.each<Row>([
    ['remoteStart', { idTag: '04A2B3C4D5E6F7', idTokenType: 'RFID', remoteStartId: 42, evseOcppId: 1 }, 'RequestStartTransaction', { idToken: { idToken: '04A2B3C4D5E6F7', type: 'ISO14443' }, remoteStartId: 42, evseId: 1 }],
    ['remoteStart', { idTag: 'APP-USER-1', remoteStartId: 1, chargingProfile: { ...profile, purpose: 'TxDefaultProfile' } }, 'RequestStartTransaction', { idToken: { idToken: 'APP-USER-1', type: 'Central' }, remoteStartId: 1, chargingProfile: { chargingProfilePurpose: 'TxProfile' } }],
    ['remoteStop', { ocppTransactionId: 'tx-abc' }, 'RequestStopTransaction', { transactionId: 'tx-abc' }],
    ['unlockConnector', { evseOcppId: 2 }, 'UnlockConnector', { evseId: 2, connectorId: 1 }],
    ['unlockConnector', { evseOcppId: 2, connectorOcppId: 2 }, 'UnlockConnector', { evseId: 2, connectorId: 2 }],
    ['reserveNow', { reservationId: 5, evseOcppId: 1, expiresAt: at, idTag: 'TAG', parentIdTag: 'FLEET' }, 'ReserveNow', { id: 5, evseId: 1, expiryDateTime: '2026-11-25T10:00:00.000Z', idToken: { idToken: 'TAG', type: 'Central' }, groupIdToken: { idToken: 'FLEET', type: 'Central' } }],
    ['reserveNow', { reservationId: 6, expiresAt: at, idTag: 'TAG', idTokenType: 'ISO15693' }, 'ReserveNow', { id: 6, idToken: { idToken: 'TAG', type: 'ISO15693' } }],
    ['cancelReservation', { reservationId: 5 }, 'CancelReservation', { reservationId: 5 }],
    ['setChargingProfile', { evseOcppId: 1, profile }, 'SetChargingProfile', {
      evseId: 1, chargingProfile: { id: 7, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', transactionId: 'tx-abc', chargingSchedule: [{ id: 7, chargingRateUnit: 'A', minChargingRate: 6, chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.04 }, { startPeriod: 600, limit: 8, numberPhases: 1 }] }] },
    }],
    ['setChargingProfile', { evseOcppId: 0, profile: { ...profile, purpose: 'ChargePointMaxProfile', kind: 'Absolute', schedule: { ...profile.schedule, startSchedule: at } } }, 'SetChargingProfile', { evseId: 0, chargingProfile: { chargingProfilePurpose: 'ChargingStationMaxProfile', chargingSchedule: [{ startSchedule: '2026-11-25T10:00:00.000Z' }] } }],
    ['clearChargingProfile', { profileId: 7 }, 'ClearChargingProfile', { chargingProfileId: 7 }],
    ['clearChargingProfile', { evseOcppId: 1, purpose: 'TxProfile', stackLevel: 1 }, 'ClearChargingProfile', { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxProfile', stackLevel: 1 } }],
    ['getCompositeSchedule', { evseOcppId: 1, durationS: 3600, rateUnit: 'W' }, 'GetCompositeSchedule', { evseId: 1, duration: 3600, chargingRateUnit: 'W' }],
    ['reset', { kind: 'hard' }, 'Reset', { type: 'Immediate' }],
    ['reset', { kind: 'soft', evseOcppId: 2 }, 'Reset', { type: 'OnIdle', evseId: 2 }],
    ['changeAvailability', { evseOcppId: 0, operative: false }, 'ChangeAvailability', { operationalStatus: 'Inoperative' }],
    ['changeAvailability', { evseOcppId: 2, operative: true }, 'ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 2 } }],
    ['getConfiguration', { keys: ['HeartbeatInterval', 'SampledDataCtrlr.TxUpdatedMeasurands'] }, 'GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }, { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedMeasurands' } }] }],
    ['changeConfiguration', { key: 'MeterValueSampleInterval', value: '60' }, 'SetVariables', { setVariableData: [{ component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, attributeValue: '60' }] }],
    ['triggerMessage', { message: 'StatusNotification', evseOcppId: 1 }, 'TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 1 } }],
    ['triggerMessage', { message: 'DiagnosticsStatusNotification' }, 'TriggerMessage', { requestedMessage: 'LogStatusNotification' }],
    ['sendLocalList', { version: 3, full: false, entries: [{ idTag: 'TAG', idTokenType: 'RFID', status: 'Accepted', expiresAt: at }, { idTag: 'GONE' }] }, 'SendLocalList', {
      versionNumber: 3, updateType: 'Differential', localAuthorizationList: [{ idToken: { idToken: 'TAG', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: '2026-11-25T10:00:00.000Z' } }, { idToken: { idToken: 'GONE', type: 'Central' } }],
    }],
    ['getLocalListVersion', {}, 'GetLocalListVersion', {}],
    ['clearCache', {}, 'ClearCache', {}],
    ['updateFirmware', { location: 'https://fw.example.com/fw.bin', retrieveAt: at, retries: 3, retryIntervalS: 60, requestId: 9 }, 'UpdateFirmware', { requestId: 9, retries: 3, retryInterval: 60, firmware: { location: 'https://fw.example.com/fw.bin', retrieveDateTime: '2026-11-25T10:00:00.000Z' } }],
    ['getDiagnostics', { location: 'ftp://diag.example.com/', from: at, requestId: 4 }, 'GetLog', { logType: 'DiagnosticsLog', requestId: 4, log: { remoteLocation: 'ftp://diag.example.com/', oldestTimestamp: '2026-11-25T10:00:00.000Z' } }],
    ['dataTransfer', { vendorId: 'com.example', messageId: 'ping', data: 'ping' }, 'DataTransfer', { vendorId: 'com.example', messageId: 'ping', data: 'ping' }],
    ['getChargingProfiles', { requestId: 3, evseOcppId: 1, purpose: 'TxProfile', profileIds: [7] }, 'GetChargingProfiles', { requestId: 3, evseId: 1, chargingProfile: { chargingProfilePurpose: 'TxProfile', chargingProfileId: [7] } }],
    ['getVariables', { items: [{ component: 'EVSE', evseOcppId: 1, variable: 'AvailabilityState' }] }, 'GetVariables', { getVariableData: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } }] }],
    ['setVariables', { items: [{ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', value: '300', attribute: 'Actual' }] }, 'SetVariables', { setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '300', attributeType: 'Actual' }] }],
    ['getBaseReport', { requestId: 1, report: 'FullInventory' }, 'GetBaseReport', { requestId: 1, reportBase: 'FullInventory' }],
    ['setNetworkProfile', { slot: 1, csmsUrl: 'wss://csms.example.com/ocpp/', securityProfile: 2, messageTimeoutS: 30, networkInterface: 'Wired0' }, 'SetNetworkProfile', { configurationSlot: 1, connectionData: { ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: 'wss://csms.example.com/ocpp/', messageTimeout: 30, securityProfile: 2, ocppInterface: 'Wired0' } }],
    ['certificateSigned', { certificateChain: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', certificateType: 'ChargingStationCertificate' }, 'CertificateSigned', { certificateType: 'ChargingStationCertificate' }],
    ['installCertificate', { certificateType: 'CSMSRootCertificate', certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }, 'InstallCertificate', { certificateType: 'CSMSRootCertificate' }],
  ])('%s -> valid %s', (command, args, action, expected) => {
    const mapping = (v201Commands[command] as (a: unknown) => { action: string; payload: Record<string, unknown> })(args);
    expect(mapping.action).toBe(action);
    expect(mapping.payload).toMatchObject(expected);
    expect(fullSchemaViolation('ocpp2.0.1', action, mapping.payload)).toBeUndefined();
  });

  it('the schema check used above does catch a 1.6-shaped payload', () => {
    expect(fullSchemaViolation('ocpp2.0.1', 'Reset', { type: 'Hard' })).toBeDefined();
  });

  it('every command of the catalogue has a 2.0.1 mapping', () => {
    const names: Array<keyof CommandCatalogue> = ['remoteStart', 'remoteStop', 'unlockConnector', 'reserveNow', 'cancelReservation', 'setChargingProfile', 'clearChargingProfile',
      'getCompositeSchedule', 'reset', 'changeAvailability', 'getConfiguration', 'changeConfiguration', 'triggerMessage', 'sendLocalList', 'getLocalListVersion', 'clearCache',
      'updateFirmware', 'getDiagnostics', 'dataTransfer', 'getChargingProfiles', 'getVariables', 'setVariables', 'getBaseReport', 'setNetworkProfile', 'certificateSigned', 'installCertificate'];
    expect(Object.keys(v201Commands).sort()).toEqual([...names].sort());
  });
});

describe('2.0.1 answers -> neutral results', () => {
  it.each<[string, keyof CommandCatalogue, unknown, unknown, unknown]>([
    ['RequestStartTransaction naming a running transaction (F01)', 'remoteStart', { idTag: 'T', remoteStartId: 1 }, { status: 'Accepted', transactionId: 'tx-1' }, { status: 'Accepted', transactionId: 'tx-1' }],
    ['UnlockConnector during an authorized transaction (F05)', 'unlockConnector', { evseOcppId: 1 }, { status: 'OngoingAuthorizedTransaction' }, { status: 'OngoingAuthorizedTransaction' }],
    ['GetCompositeSchedule with a schedule', 'getCompositeSchedule', { evseOcppId: 1, durationS: 60 },
      { status: 'Accepted', schedule: { evseId: 1, duration: 60, scheduleStart: '2026-11-25T10:00:00Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] } },
      { status: 'Accepted', scheduleStart: at, schedule: { startSchedule: at, durationS: 60, rateUnit: 'A', periods: [{ startPeriodS: 0, limit: 16 }] } }],
    ['GetCompositeSchedule Rejected', 'getCompositeSchedule', { evseOcppId: 1, durationS: 60 }, { status: 'Rejected' }, { status: 'Rejected', scheduleStart: undefined, schedule: undefined }],
    ['GetVariables as GetConfiguration, one unknown', 'getConfiguration', { keys: ['HeartbeatInterval', 'Nope'] },
      { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '300', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }, { attributeStatus: 'UnknownVariable', component: { name: 'ChargingStation' }, variable: { name: 'Nope' } }] },
      { entries: [{ key: 'HeartbeatInterval', value: '300' }], unknownKeys: ['Nope'] }],
    ['SetVariables RebootRequired as ChangeConfiguration', 'changeConfiguration', { key: 'HeartbeatInterval', value: '60' }, { setVariableResult: [{ attributeStatus: 'RebootRequired', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] }, { status: 'RebootRequired' }],
    ['SetVariables UnknownVariable as ChangeConfiguration', 'changeConfiguration', { key: 'X.Y', value: '1' }, { setVariableResult: [{ attributeStatus: 'UnknownVariable', component: { name: 'X' }, variable: { name: 'Y' } }] }, { status: 'NotSupported' }],
    ['GetLocalListVersion', 'getLocalListVersion', {}, { versionNumber: 7 }, { version: 7 }],
    ['GetLog with a file name', 'getDiagnostics', { location: 'ftp://x/' }, { status: 'Accepted', filename: 'diag.zip' }, { status: 'Accepted', fileName: 'diag.zip' }],
    ['DataTransfer with JSON data', 'dataTransfer', { vendorId: 'v' }, { status: 'Accepted', data: { pong: 1 } }, { status: 'Accepted', data: '{"pong":1}' }],
    ['SetVariables per item', 'setVariables', { items: [{ component: 'C', variable: 'V', value: '1' }] }, { setVariableResult: [{ attributeStatus: 'Rejected', component: { name: 'C', evse: { id: 1 } }, variable: { name: 'V' } }] }, { results: [{ component: 'C', evseOcppId: 1, variable: 'V', status: 'Rejected' }] }],
  ])('%s', (_case, command, args, response, result) => {
    const mapping = (v201Commands[command] as (a: unknown) => { result: (r: unknown) => unknown })(args);
    expect(mapping.result(response)).toEqual(result);
  });

  it.each([['RFID', 'ISO14443'], ['APP_USER', 'Central'], ['AD_HOC_USER', 'Central'], ['eMAID', 'eMAID'], [undefined, 'Central']])('token type %s -> IdTokenEnumType %s', (type, wire) => {
    expect(idTokenType(type)).toBe(wire);
  });

  it.each([['HeartbeatInterval', 'OCPPCommCtrlr', 'HeartbeatInterval'], ['TxCtrlr.EVConnectionTimeOut', 'TxCtrlr', 'EVConnectionTimeOut'], ['VendorKey', 'ChargingStation', 'VendorKey']])('configuration key %s -> %s.%s', (key, component, variable) => {
    expect(keyToVariable(key)).toEqual({ component, variable });
  });

  it('the 1.6 transaction retry keys are the TransactionEvent instance of their 2.0.1 variables', () => {
    expect(keyToVariable('TransactionMessageAttempts')).toEqual({ component: 'OCPPCommCtrlr', variable: 'MessageAttempts', variableInstance: 'TransactionEvent' });
    expect(keyToVariable('TransactionMessageRetryInterval')).toEqual({ component: 'OCPPCommCtrlr', variable: 'MessageAttemptInterval', variableInstance: 'TransactionEvent' });
  });
});
