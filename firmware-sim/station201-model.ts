/**
 * The simulated station's device model (2.0.1 Part 2 appendix "Standardized components"): the controller
 * variables a CSMS reads or sets after boot (reference/ocpp.md §8), the EVSE and connector components with
 * their live AvailabilityState, and, when the meters sign, FiscalMetering.PublicKey (what the bridge reads as
 * the meter key) and SampledDataCtrlr.SignReadings.
 */
import { DeviceModel, type Variable } from './device-model201.js';
import type { SimulatedStation201 } from './station201.js';

const MEASURANDS = 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC';
const TX_POINTS = 'ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer';

export function buildDeviceModel(s: SimulatedStation201): DeviceModel {
  const m = new DeviceModel();
  const add = (component: string, variable: string, value: string, mutability: Variable['mutability'] = 'ReadWrite', dataType: Variable['dataType'] = 'string', extra: Partial<Variable> = {}) =>
    m.add({ component, variable, value, mutability, dataType, ...extra });
  const stationState = () => (s.evses.every((e) => e.availability === 'Inoperative') ? 'Unavailable' : 'Available');

  add('ChargingStation', 'AvailabilityState', '', 'ReadOnly', 'OptionList', { read: stationState, valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted' });
  add('ChargingStation', 'Available', 'true', 'ReadOnly', 'boolean');
  add('ChargingStation', 'Model', s.modelName, 'ReadOnly');
  add('ChargingStation', 'VendorName', s.vendor, 'ReadOnly');
  add('ChargingStation', 'SupplyPhases', '3', 'ReadOnly', 'integer');
  for (const e of s.evses) {
    add('EVSE', 'AvailabilityState', '', 'ReadOnly', 'OptionList', { evseId: e.id, read: () => e.connectors[0]!.status, valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted' });
    add('EVSE', 'Power', String(s.powerW(e.id)), 'ReadOnly', 'decimal', { evseId: e.id, unit: 'W', read: () => String(s.powerW(e.id)) });
    add('EVSE', 'SupplyPhases', '3', 'ReadOnly', 'integer', { evseId: e.id });
    for (const c of e.connectors) {
      add('Connector', 'AvailabilityState', '', 'ReadOnly', 'OptionList', { evseId: e.id, connectorId: c.id, read: () => c.status, valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted' });
      add('Connector', 'ConnectorType', 'cType2', 'ReadOnly', 'string', { evseId: e.id, connectorId: c.id });
    }
  }
  add('OCPPCommCtrlr', 'HeartbeatInterval', String(s.heartbeatIntervalS), 'ReadWrite', 'integer', { unit: 's' });
  add('OCPPCommCtrlr', 'OfflineThreshold', '60', 'ReadWrite', 'integer', { unit: 's' });
  add('OCPPCommCtrlr', 'MessageAttempts', '3', 'ReadWrite', 'integer', { variableInstance: 'TransactionEvent' });
  add('OCPPCommCtrlr', 'MessageAttemptInterval', '10', 'ReadWrite', 'integer', { variableInstance: 'TransactionEvent', unit: 's' });
  add('OCPPCommCtrlr', 'MessageTimeout', '30', 'ReadOnly', 'integer', { variableInstance: 'Default', unit: 's' });
  add('OCPPCommCtrlr', 'WebSocketPingInterval', '30', 'ReadWrite', 'integer', { unit: 's' });
  add('OCPPCommCtrlr', 'ResetRetries', '2', 'ReadWrite', 'integer');
  add('OCPPCommCtrlr', 'PublicKeyWithSignedMeterValue', 'OncePerTransaction', 'ReadWrite', 'OptionList', { valuesList: 'Never,OncePerTransaction,EveryMeterValue' });
  add('SampledDataCtrlr', 'Enabled', 'true', 'ReadWrite', 'boolean');
  add('SampledDataCtrlr', 'SignReadings', s.signer ? 'true' : 'false', s.signer ? 'ReadWrite' : 'ReadOnly', 'boolean');
  add('SampledDataCtrlr', 'TxStartedMeasurands', 'Energy.Active.Import.Register', 'ReadWrite', 'MemberList', { valuesList: MEASURANDS });
  add('SampledDataCtrlr', 'TxUpdatedMeasurands', 'Energy.Active.Import.Register,Power.Active.Import', 'ReadWrite', 'MemberList', { valuesList: MEASURANDS });
  add('SampledDataCtrlr', 'TxUpdatedInterval', '60', 'ReadWrite', 'integer', { unit: 's' });
  add('SampledDataCtrlr', 'TxEndedMeasurands', 'Energy.Active.Import.Register', 'ReadWrite', 'MemberList', { valuesList: MEASURANDS });
  add('SampledDataCtrlr', 'TxEndedInterval', '0', 'ReadWrite', 'integer', { unit: 's' });
  add('AlignedDataCtrlr', 'Enabled', 'false', 'ReadWrite', 'boolean');
  add('AlignedDataCtrlr', 'Measurands', 'Energy.Active.Import.Register', 'ReadWrite', 'MemberList', { valuesList: MEASURANDS });
  add('AlignedDataCtrlr', 'Interval', '900', 'ReadWrite', 'integer', { unit: 's' });
  add('TxCtrlr', 'TxStartPoint', 'PowerPathClosed', 'ReadWrite', 'MemberList', { valuesList: TX_POINTS });
  add('TxCtrlr', 'TxStopPoint', 'EVConnected,Authorized', 'ReadWrite', 'MemberList', { valuesList: TX_POINTS });
  add('TxCtrlr', 'EVConnectionTimeOut', '120', 'ReadWrite', 'integer', { unit: 's' });
  add('TxCtrlr', 'StopTxOnInvalidId', 'true', 'ReadWrite', 'boolean');
  add('TxCtrlr', 'StopTxOnEVSideDisconnect', 'true', 'ReadOnly', 'boolean');
  add('AuthCtrlr', 'Enabled', 'true', 'ReadWrite', 'boolean');
  add('AuthCtrlr', 'AuthorizeRemoteStart', 'false', 'ReadWrite', 'boolean');
  add('AuthCtrlr', 'LocalAuthorizeOffline', 'true', 'ReadWrite', 'boolean');
  add('AuthCtrlr', 'LocalPreAuthorize', 'false', 'ReadWrite', 'boolean');
  add('AuthCtrlr', 'OfflineTxForUnknownIdEnabled', 'false', 'ReadWrite', 'boolean');
  add('AuthCacheCtrlr', 'Enabled', 'true', 'ReadWrite', 'boolean');
  add('AuthCacheCtrlr', 'LifeTime', '86400', 'ReadWrite', 'integer', { unit: 's' });
  add('LocalAuthListCtrlr', 'Enabled', 'true', 'ReadWrite', 'boolean');
  add('LocalAuthListCtrlr', 'Entries', '0', 'ReadOnly', 'integer', { read: () => String(s.localList.entries.size) });
  add('LocalAuthListCtrlr', 'ItemsPerMessage', '100', 'ReadOnly', 'integer');
  add('LocalAuthListCtrlr', 'BytesPerMessage', '20000', 'ReadOnly', 'integer');
  add('ReservationCtrlr', 'Enabled', 'true', 'ReadWrite', 'boolean');
  add('ReservationCtrlr', 'NonEvseSpecific', 'true', 'ReadOnly', 'boolean');
  add('SmartChargingCtrlr', 'Enabled', 'true', 'ReadWrite', 'boolean');
  add('SmartChargingCtrlr', 'RateUnit', 'A,W', 'ReadOnly', 'MemberList', { valuesList: 'A,W' });
  add('SmartChargingCtrlr', 'PeriodsPerSchedule', '24', 'ReadOnly', 'integer');
  add('SmartChargingCtrlr', 'ProfileStackLevel', '8', 'ReadOnly', 'integer');
  add('SmartChargingCtrlr', 'Entries', '0', 'ReadOnly', 'integer', { variableInstance: 'ChargingProfiles', read: () => String(s.profiles.installed.length) });
  for (const instance of ['GetReport', 'GetVariables', 'SetVariables']) add('DeviceDataCtrlr', 'ItemsPerMessage', instance === 'GetReport' ? '20' : '50', 'ReadOnly', 'integer', { variableInstance: instance });
  add('ClockCtrlr', 'DateTime', '', 'ReadOnly', 'dateTime', { read: () => new Date().toISOString() });
  add('ClockCtrlr', 'TimeSource', 'Heartbeat', 'ReadWrite', 'SequenceList');
  add('SecurityCtrlr', 'SecurityProfile', s.o.password ? '1' : '0', 'ReadOnly', 'integer');
  add('SecurityCtrlr', 'Identity', s.identity, 'ReadOnly');
  add('SecurityCtrlr', 'OrganizationName', 'Simulated CPO', 'ReadWrite');
  add('SecurityCtrlr', 'BasicAuthPassword', s.o.password ?? '', 'WriteOnly');
  if (s.signer) add('FiscalMetering', 'PublicKey', s.signer.publicKeyHex(), 'ReadOnly');
  return m;
}
