/**
 * OCPP 2.0.1 central system over real WebSockets on loopback: every charger-initiated message answered per
 * spec and recorded, TransactionEvent as real stations send it (cable first and authorization first, out of
 * order, repeated, offline replay, Ended for an unknown transaction, unknown EVSE, seqNo gaps, salvaged
 * off-schema events), signed meter values kept byte for byte and verified, and every command both ways.
 * Every probe runs ocpp-rpc in strict mode; the tests fail if the bridge sends or answers anything off-schema.
 * (firmware-sim/ has no 2.0.1 support yet, so the probe is a plain ocpp-rpc RPCClient.)
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import type { NeutralChargingProfile } from '../../src/domain/ports.js';

let bridge: TestBridge;
const probes: Probe[] = [];

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([
    { identity: 'CS-1', evses: 2 },
    { identity: 'CS-PENDING', evses: 1, boot_status: 'Pending' },
    { identity: 'CS-REJECTED', evses: 1, boot_status: 'Rejected' },
    { identity: 'CS-TX', evses: 2 },
    { identity: 'CS-CMD', evses: 1 },
    { identity: 'CS-SIGNED', evses: 1 },
    { identity: 'CP-16', evses: 1 },
  ], { ocpp: { call_timeout_s: 2 } }));
});
afterEach(async () => {
  for (const p of probes.splice(0)) {
    expect(p.strictFailures, 'the bridge sent an off-schema message').toEqual([]);
    await p.close();
  }
});
afterAll(async () => {
  // ocpp-rpc on the bridge side reports what the bridge itself sent off-schema: that is always a bug.
  expect(bridge.logs.filter((l) => l.msg === 'the bridge produced an off-schema OCPP message')).toEqual([]);
  await bridge.close();
});

async function probe(identity: string, extra: Partial<Parameters<typeof connectProbe>[0]> = {}): Promise<Probe> {
  const p = await connectProbe({ url: bridge.ocppUrl, identity, protocol: 'ocpp2.0.1', ...extra });
  probes.push(p);
  return p;
}

const boot = { chargingStation: { vendorName: 'ACME', model: 'Station 2', serialNumber: 'SN-201', firmwareVersion: '2.0.1-r7', modem: { iccid: '8949000000000000001', imsi: '262010000000001' } }, reason: 'PowerUp' };
const TOKEN = { idToken: '04A2B3C4D5E6F7', type: 'ISO14443' };
/** Times near now: a Started more than a minute old counts as offline (the same rule as 1.6). */
const BASE = Date.now();
const ts = (s: number) => new Date(BASE + s * 1000).toISOString();
const at = (iso: string) => new Date(iso).getTime();
const openFaults = (identity: string) => bridge.store.listFaults({ identity, open: true, limit: 200 });

function energy(wh: number, context: string, time: string, extra: Record<string, unknown> = {}) {
  return { timestamp: time, sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' }, ...extra }] };
}

function event(eventType: 'Started' | 'Updated' | 'Ended', transactionId: string, seqNo: number, extra: Record<string, any> = {}) {
  const { info, ...rest } = extra;
  const triggerReason = eventType === 'Started' ? 'CablePluggedIn' : eventType === 'Ended' ? 'EVDeparted' : 'MeterValuePeriodic';
  return { eventType, timestamp: ts(seqNo), triggerReason, seqNo, transactionInfo: { transactionId, ...info }, ...rest };
}

describe('charger-initiated messages', () => {
  it('BootNotification is Accepted with the interval, recorded with its reason; then the device model is read and the heartbeat interval set', async () => {
    let requestId = -1;
    const p = await probe('CS-1', {
      handlers: {
        GetBaseReport: (params) => {
          requestId = params.requestId;
          return { status: 'Accepted' };
        },
        SetVariables: (params) => ({ setVariableResult: params.setVariableData.map((d: any) => ({ attributeStatus: 'Accepted', component: d.component, variable: d.variable })) }),
      },
    });
    const res = await p.call('BootNotification', boot);
    expect(res).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(Math.abs(Date.parse(res.currentTime) - Date.now())).toBeLessThan(5000);
    expect(bridge.store.getCharger('CS-1')).toMatchObject({
      vendor: 'ACME', model: 'Station 2', serialNumber: 'SN-201', firmwareVersion: '2.0.1-r7', bootStatus: 'Accepted', bootReason: 'PowerUp', protocol: 'ocpp2.0.1', connected: true,
    });
    await expect.poll(() => p.received.map((r) => r.action)).toEqual(['GetBaseReport', 'SetVariables']);
    expect(p.received[0]!.params).toEqual({ requestId, reportBase: 'FullInventory' });
    expect(p.received[1]!.params).toEqual({ setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '300' }] });

    // B07: the report arrives in pages, tbc on all but the last
    const item = (component: Record<string, unknown>, variable: string, value: string) => ({ component, variable: { name: variable }, variableAttribute: [{ type: 'Actual', value, mutability: 'ReadOnly' }] });
    expect(await p.call('NotifyReport', { requestId, generatedAt: ts(0), seqNo: 0, tbc: true, reportData: [item({ name: 'OCPPCommCtrlr' }, 'HeartbeatInterval', '300'), item({ name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState', 'Available')] })).toEqual({});
    expect(bridge.store.getCharger('CS-1')?.configurationJson ?? null).toBeNull();
    expect(await p.call('NotifyReport', { requestId, generatedAt: ts(0), seqNo: 1, reportData: [item({ name: 'FiscalMetering' }, 'PublicKey', 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE')] })).toEqual({});
    const charger = bridge.store.getCharger('CS-1')!;
    const model = JSON.parse(charger.configurationJson!);
    expect(model).toMatchObject({ protocol: 'ocpp2.0.1', requestId, missingPages: [] });
    expect(model.variables.map((v: any) => `${v.component.name}.${v.variable.name}`)).toEqual(['OCPPCommCtrlr.HeartbeatInterval', 'EVSE.AvailabilityState', 'FiscalMetering.PublicKey']);
    expect(charger.meterPublicKey).toBe('MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE');
  });

  it.each([['CS-PENDING', 'Pending'], ['CS-REJECTED', 'Rejected']])('BootNotification of %s answers %s with a retry interval', async (identity, status) => {
    const p = await probe(identity);
    expect(await p.call('BootNotification', { ...boot, reason: 'Watchdog' })).toMatchObject({ status, interval: 60 });
    expect(bridge.store.getCharger(identity)).toMatchObject({ bootStatus: status, bootReason: 'Watchdog' });
  });

  it('Heartbeat answers the current time and records it', async () => {
    const p = await probe('CS-1');
    const res = await p.call('Heartbeat', {});
    expect(Math.abs(Date.parse(res.currentTime) - Date.now())).toBeLessThan(5000);
    expect(bridge.store.getCharger('CS-1')?.lastHeartbeatAtMs).toBeGreaterThan(Date.now() - 5000);
  });

  it('StatusNotification per EVSE and connector: Occupied is kept neutral, evseId 0 is the station, older reports lose, connectors of one EVSE aggregate', async () => {
    const p = await probe('CS-1');
    await p.call('StatusNotification', { timestamp: ts(10), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
    await p.call('StatusNotification', { timestamp: ts(10), connectorStatus: 'Available', evseId: 2, connectorId: 1 });
    await p.call('StatusNotification', { timestamp: ts(10), connectorStatus: 'Available', evseId: 0, connectorId: 0 });
    expect(bridge.store.getEvse('CS-1', 1)).toMatchObject({ status: 'Occupied', statusAtMs: at(ts(10)) });
    expect(bridge.store.getEvse('CS-1', 2)?.status).toBe('Available');
    expect(bridge.store.getCharger('CS-1')?.stationStatus).toBe('Available');
    // a second connector of EVSE 1 reports Available: the EVSE is still in use by the first
    await p.call('StatusNotification', { timestamp: ts(11), connectorStatus: 'Available', evseId: 1, connectorId: 2 });
    expect(bridge.store.getEvse('CS-1', 1)?.status).toBe('Occupied');
    // an older report for connector 1 does not overwrite the newer one
    await p.call('StatusNotification', { timestamp: ts(5), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
    expect(bridge.store.getEvse('CS-1', 1)?.status).toBe('Occupied');
    await p.call('StatusNotification', { timestamp: ts(12), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
    expect(bridge.store.getEvse('CS-1', 1)?.status).toBe('Available');
  });

  it('StatusNotification for an EVSE the config does not know is kept and flagged', async () => {
    const p = await probe('CS-1');
    await p.call('StatusNotification', { timestamp: ts(10), connectorStatus: 'Unavailable', evseId: 9, connectorId: 1 });
    expect(bridge.store.getEvse('CS-1', 9)).toMatchObject({ configured: false, status: 'Unavailable' });
    expect(openFaults('CS-1').some((f) => f.code === 'UnknownEvse' && f.evseOcppId === 9)).toBe(true);
  });

  it('NotifyEvent: AvailabilityState is a status; Problem=true is a fault raised once and cleared by `cleared`', async () => {
    const p = await probe('CS-1');
    const ev = (eventId: number, time: string, component: Record<string, unknown>, variable: string, actualValue: string, extra: Record<string, unknown> = {}) =>
      ({ eventId, timestamp: time, trigger: 'Delta', actualValue, component, variable: { name: variable }, eventNotificationType: 'HardWiredNotification', ...extra });
    const connector = { name: 'Connector', evse: { id: 2, connectorId: 1 } };
    await p.call('NotifyEvent', { generatedAt: ts(20), seqNo: 0, eventData: [ev(1, ts(20), connector, 'AvailabilityState', 'Faulted'), ev(2, ts(20), connector, 'Problem', 'true', { techCode: 'E42', techInfo: 'lock motor stalled' })] });
    expect(bridge.store.getEvse('CS-1', 2)?.status).toBe('Faulted');
    const problem = () => openFaults('CS-1').filter((f) => f.code === 'Connector.Problem');
    expect(problem()).toHaveLength(1);
    expect(problem()[0]).toMatchObject({ evseOcppId: 2, message: expect.stringContaining('lock motor stalled') });
    // reported again (periodic): still one fault
    await p.call('NotifyEvent', { generatedAt: ts(21), seqNo: 1, eventData: [ev(3, ts(21), connector, 'Problem', 'true', { trigger: 'Periodic' })] });
    expect(problem()).toHaveLength(1);
    // a StatusNotification carries no errorCode in 2.0.1 and does not clear it; `cleared` does
    await p.call('StatusNotification', { timestamp: ts(22), connectorStatus: 'Available', evseId: 2, connectorId: 1 });
    expect(problem()).toHaveLength(1);
    await p.call('NotifyEvent', { generatedAt: ts(23), seqNo: 2, eventData: [ev(4, ts(23), connector, 'Problem', 'false', { cleared: true })] });
    expect(problem()).toHaveLength(0);
    // a monitor in Alerting on any variable is a problem too; the station-wide AvailabilityState is the station status
    await p.call('NotifyEvent', { generatedAt: ts(24), seqNo: 3, eventData: [ev(5, ts(24), { name: 'EVSE', evse: { id: 1 } }, 'Power', '23000', { trigger: 'Alerting', eventNotificationType: 'CustomMonitor' }), ev(6, ts(24), { name: 'ChargingStation' }, 'AvailabilityState', 'Unavailable')] });
    expect(openFaults('CS-1').some((f) => f.code === 'EVSE.Power' && f.evseOcppId === 1)).toBe(true);
    expect(bridge.store.getCharger('CS-1')?.stationStatus).toBe('Unavailable');
    await p.call('StatusNotification', { timestamp: ts(25), connectorStatus: 'Available', evseId: 0, connectorId: 0 });
  });

  it.each([
    ['a configured valid token', TOKEN, 'Accepted'],
    ['the same token in lower case (idTokens are case-insensitive)', { idToken: '04a2b3c4d5e6f7', type: 'ISO14443' }, 'Accepted'],
    ['a blocked token', { idToken: 'BLOCKED01', type: 'ISO14443' }, 'Blocked'],
    ['an unknown token', { idToken: 'DEADBEEF', type: 'ISO14443' }, 'Invalid'],
    ['an unknown eMAID', { idToken: 'DE-EXA-C12345678-9', type: 'eMAID' }, 'Invalid'],
    ['NoAuthorization (a station without a reader: nothing to refuse)', { idToken: '', type: 'NoAuthorization' }, 'Accepted'],
  ])('Authorize with %s', async (_name, idToken, status) => {
    const p = await probe('CS-1');
    expect(await p.call('Authorize', { idToken })).toEqual({ idTokenInfo: { status } });
  });

  const certFailure = { reasonCode: 'NoCertificateService', additionalInfo: expect.stringContaining('no') };
  it.each([
    ['SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: ts(0) }, {}],
    ['SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----', certificateType: 'ChargingStationCertificate' }, { status: 'Rejected', statusInfo: { reasonCode: 'NoCA', additionalInfo: expect.any(String) } }],
    ['FirmwareStatusNotification', { status: 'Installed', requestId: 1 }, {}],
    ['LogStatusNotification', { status: 'Uploaded', requestId: 1 }, {}],
    ['PublishFirmwareStatusNotification', { status: 'Published', location: ['http://lc.local/fw.bin'], requestId: 2 }, {}],
    ['NotifyMonitoringReport', { requestId: 3, seqNo: 0, generatedAt: ts(0), monitor: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' }, variableMonitoring: [{ id: 1, transaction: false, value: 22000, type: 'UpperThreshold', severity: 5 }] }] }, {}],
    ['ReportChargingProfiles', { requestId: 4, chargingLimitSource: 'CSO', evseId: 1, chargingProfile: [{ id: 1, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 32 }] }] }] }, {}],
    ['NotifyEVChargingNeeds', { evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'DC', dcChargingParameters: { evMaxCurrent: 200, evMaxVoltage: 800 } } }, { status: 'Rejected', statusInfo: { reasonCode: 'NoSchedule', additionalInfo: expect.any(String) } }],
    ['NotifyEVChargingSchedule', { evseId: 1, timeBase: ts(0), chargingSchedule: { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 50000 }] } }, { status: 'Accepted' }],
    ['NotifyChargingLimit', { evseId: 1, chargingLimit: { chargingLimitSource: 'SO', isGridCritical: true } }, {}],
    ['ClearedChargingLimit', { chargingLimitSource: 'SO', evseId: 1 }, {}],
    ['ReservationStatusUpdate', { reservationId: 5, reservationUpdateStatus: 'Expired' }, {}],
    ['NotifyCustomerInformation', { data: 'no data held', seqNo: 0, generatedAt: ts(0), requestId: 6 }, {}],
    ['NotifyDisplayMessages', { requestId: 7, messageInfo: [{ id: 1, priority: 'NormalCycle', message: { format: 'UTF8', content: 'Hello' } }] }, {}],
    ['Get15118EVCertificate', { iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Install', exiRequest: 'gAAAAA==' }, { status: 'Failed', exiResponse: '', statusInfo: certFailure }],
    ['GetCertificateStatus', { ocspRequestData: { hashAlgorithm: 'SHA256', issuerNameHash: 'aa', issuerKeyHash: 'bb', serialNumber: '01', responderURL: 'http://ocsp.example.com' } }, { status: 'Failed', statusInfo: certFailure }],
    ['DataTransfer', { vendorId: 'com.example', messageId: 'ping', data: { any: ['json'] } }, { status: 'UnknownVendorId' }],
    ['MeterValues', { evseId: 0, meterValue: [energy(5_000_000, 'Sample.Clock', ts(0))] }, {}],
  ])('%s is answered as the spec says', async (action, params, expected) => {
    const p = await probe('CS-1');
    expect(await p.call(action, params)).toEqual(expected);
  });

  it('failures reported by firmware, log upload and security events become faults', async () => {
    const p = await probe('CS-1');
    await p.call('FirmwareStatusNotification', { status: 'InvalidSignature', requestId: 8 });
    await p.call('LogStatusNotification', { status: 'UploadFailure', requestId: 9 });
    await p.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: ts(0), techInfo: 'housing opened' });
    const codes = openFaults('CS-1').map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['FirmwareInvalidSignature', 'LogUploadFailure', 'SecurityEvent:TamperDetectionActivated']));
  });

  it('an action not in the table gets NotImplemented', async () => {
    const p = await probe('CS-1');
    await expect(p.call('CostUpdated', { totalCost: 1.5, transactionId: 'x' })).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
  });
});

describe('transactions', () => {
  const tx = (id: string) => bridge.store.findTransaction('CS-TX', id)!;
  const readingsOf = (id: string) => bridge.store.listReadings(tx(id).id);
  const gapFaults = (id: string) => openFaults('CS-TX').filter((f) => f.code === 'TransactionEventGap' && f.transactionRowId === tx(id).id);

  it('cable first: Started without a token, authorized later, charging, ended; all of it in the database', async () => {
    const p = await probe('CS-TX');
    const id = 'cable-first-0001';
    const started = await p.call('TransactionEvent', event('Started', id, 0, {
      evse: { id: 1, connectorId: 1 }, info: { chargingState: 'EVConnected' }, meterValue: [energy(1000, 'Transaction.Begin', ts(0))],
    }));
    expect(started).toEqual({}); // no idToken in the request: no idTokenInfo in the answer
    expect(tx(id)).toMatchObject({ status: 'active', idTag: null, protocol: 'ocpp2.0.1', startedAtMs: at(ts(0)), meterStartWh: 1000, chargingState: 'EVConnected', orphan: false, offline: false, lastSeqNo: 0 });
    expect(bridge.store.getEvseByRowId(tx(id).evseRowId!)).toMatchObject({ chargerIdentity: 'CS-TX', ocppId: 1 });

    const authorized = await p.call('TransactionEvent', event('Updated', id, 1, { triggerReason: 'Authorized', idToken: TOKEN }));
    expect(authorized).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(tx(id)).toMatchObject({ idTag: '04A2B3C4D5E6F7', idTokenType: 'ISO14443', authStatus: 'Accepted', authMethod: 'WHITELIST' });

    await p.call('TransactionEvent', event('Updated', id, 2, {
      triggerReason: 'ChargingStateChanged', info: { chargingState: 'Charging' },
      meterValue: [{
        timestamp: ts(2), sampledValue: [
          { value: 3.5, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } },
          { value: 11, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } },
          { value: 16.1, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } },
          { value: 55, measurand: 'SoC', unitOfMeasure: { unit: 'Percent' } },
          { value: 3.6, measurand: 'Energy.Active.Import.Register', location: 'Inlet', unitOfMeasure: { unit: 'Wh', multiplier: 3 } },
        ],
      }],
    }));
    expect(tx(id)).toMatchObject({ chargingState: 'Charging', lastMeterWh: 3600, lastPowerW: 11_000 });
    // MeterValues outside TransactionEvent (clock-aligned) are linked to the transaction running on that EVSE
    await p.call('MeterValues', { evseId: 1, meterValue: [energy(3700, 'Sample.Clock', ts(2.5))] });

    const ended = await p.call('TransactionEvent', event('Ended', id, 3, {
      triggerReason: 'EVDeparted', idToken: TOKEN, info: { stoppedReason: 'EVDisconnected', chargingState: 'Idle' }, meterValue: [energy(12_000, 'Transaction.End', ts(3))],
    }));
    expect(ended).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(tx(id)).toMatchObject({
      status: 'ended', idTag: '04A2B3C4D5E6F7', authStatus: 'Accepted', meterStartWh: 1000, meterStopWh: 12_000, lastMeterWh: 12_000, stopReason: 'EVDisconnected',
      chargingState: 'Idle', startedAtMs: at(ts(0)), endedAtMs: at(ts(3)), orphan: false, offline: false, lastSeqNo: 3,
    });
    const readings = readingsOf(id).map((r) => [r.context, r.measurand, r.phase ?? '', r.location, r.value, r.unit, r.rawValue, r.rawUnit ?? '']);
    expect(readings).toEqual([
      ['Transaction.Begin', 'Energy.Active.Import.Register', '', 'Outlet', 1000, 'Wh', '1000', 'Wh'],
      ['Sample.Periodic', 'Energy.Active.Import.Register', '', 'Outlet', 3500, 'Wh', '3.5', 'kWh'],
      ['Sample.Periodic', 'Power.Active.Import', '', 'Outlet', 11_000, 'W', '11', 'kW'],
      ['Sample.Periodic', 'Current.Import', 'L1', 'Outlet', 16.1, 'A', '16.1', 'A'],
      ['Sample.Periodic', 'SoC', '', 'Outlet', 55, '%', '55', 'Percent'],
      ['Sample.Periodic', 'Energy.Active.Import.Register', '', 'Inlet', 3600, 'Wh', '3.6', 'Wh*10^3'],
      ['Sample.Clock', 'Energy.Active.Import.Register', '', 'Outlet', 3700, 'Wh', '3700', 'Wh'],
      ['Transaction.End', 'Energy.Active.Import.Register', '', 'Outlet', 12_000, 'Wh', '12000', 'Wh'],
    ]);
    expect(bridge.store.listTransactionEventSeqNos(tx(id).id)).toEqual([0, 1, 2, 3]);
    expect(gapFaults(id)).toEqual([]);
    const snapshot = JSON.parse(tx(id).snapshotJson!);
    expect(snapshot).toMatchObject({ locationId: 'LOC-1', evseId: 'DE*EXA*E0004*1', connectorId: '1', timeZone: 'Europe/Berlin' });
    expect(snapshot.tariffs[0]).toMatchObject({ id: 'AC-STANDARD' });
  });

  it('authorization first: Authorize, then Started with the token, remoteStartId and reservationId, then a remote stop', async () => {
    const p = await probe('CS-TX');
    expect((await p.call('Authorize', { idToken: TOKEN })).idTokenInfo.status).toBe('Accepted');
    const id = 'auth-first-0001';
    const started = await p.call('TransactionEvent', event('Started', id, 0, {
      triggerReason: 'RemoteStart', idToken: TOKEN, reservationId: 77, evse: { id: 2, connectorId: 1 },
      info: { chargingState: 'Charging', remoteStartId: 4711 }, meterValue: [energy(20_000, 'Transaction.Begin', ts(0))],
    }));
    expect(started).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(tx(id)).toMatchObject({ idTag: '04A2B3C4D5E6F7', authStatus: 'Accepted', remoteStartId: 4711, reservationId: 77, meterStartWh: 20_000, chargingState: 'Charging' });
    await p.call('TransactionEvent', event('Ended', id, 1, { triggerReason: 'RemoteStop', info: { stoppedReason: 'Remote' }, meterValue: [energy(27_500, 'Transaction.End', ts(1))] }));
    expect(tx(id)).toMatchObject({ status: 'ended', stopReason: 'Remote', meterStartWh: 20_000, meterStopWh: 27_500 });
    expect(bridge.store.getEvseByRowId(tx(id).evseRowId!)?.ocppId).toBe(2);
  });

  it('a refused token is answered in idTokenInfo and the transaction is still recorded (energy may flow)', async () => {
    const p = await probe('CS-TX');
    const res = await p.call('TransactionEvent', event('Started', 'refused-0001', 0, { triggerReason: 'Authorized', idToken: { idToken: 'DEADBEEF', type: 'ISO14443' }, evse: { id: 1 } }));
    expect(res).toEqual({ idTokenInfo: { status: 'Invalid' } });
    expect(tx('refused-0001')).toMatchObject({ status: 'active', idTag: 'DEADBEEF', authStatus: 'Invalid' });
  });

  it('a station without a reader (NoAuthorization) is answered Accepted and its session keeps no token', async () => {
    const p = await probe('CS-TX');
    const res = await p.call('TransactionEvent', event('Started', 'free-vend-0001', 0, { triggerReason: 'Authorized', idToken: { idToken: '', type: 'NoAuthorization' }, evse: { id: 2 } }));
    expect(res).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(tx('free-vend-0001')).toMatchObject({ status: 'active', idTag: null, authStatus: null });
  });

  it('Ended without stoppedReason means Local; an Ended with no End register takes the last register', async () => {
    const p = await probe('CS-TX');
    await p.call('TransactionEvent', event('Started', 'local-0001', 0, { evse: { id: 1 }, meterValue: [energy(500, 'Transaction.Begin', ts(0))] }));
    await p.call('TransactionEvent', event('Updated', 'local-0001', 1, { meterValue: [energy(900, 'Sample.Periodic', ts(1))] }));
    await p.call('TransactionEvent', event('Ended', 'local-0001', 2));
    expect(tx('local-0001')).toMatchObject({ status: 'ended', stopReason: 'Local', meterStartWh: 500, meterStopWh: 900 });
  });

  it('out of order and repeated: seqNo decides, a repeat changes nothing, a gap that closes clears its fault', async () => {
    const p = await probe('CS-TX');
    const id = 'shuffled-0001';
    await p.call('TransactionEvent', event('Started', id, 0, { evse: { id: 2 }, idToken: TOKEN, meterValue: [energy(1000, 'Transaction.Begin', ts(0))] }));
    // seqNo 2 arrives before 1
    await p.call('TransactionEvent', event('Updated', id, 2, { triggerReason: 'ChargingStateChanged', info: { chargingState: 'SuspendedEV' }, meterValue: [energy(5000, 'Sample.Periodic', ts(2))] }));
    expect(gapFaults(id).map((f) => (f.details as any).missing)).toEqual([[1]]);
    await p.call('TransactionEvent', event('Updated', id, 1, { triggerReason: 'ChargingStateChanged', info: { chargingState: 'Charging' }, meterValue: [energy(3000, 'Sample.Periodic', ts(1))] }));
    expect(gapFaults(id)).toEqual([]);
    // the newest state wins, not the last to arrive
    expect(tx(id)).toMatchObject({ chargingState: 'SuspendedEV', lastMeterWh: 5000, lastSeqNo: 2 });
    const before = readingsOf(id).length;
    // the station repeats events after a reconnect: acknowledged, nothing stored twice
    const repeat = await p.call('TransactionEvent', event('Updated', id, 2, { idToken: TOKEN, info: { chargingState: 'SuspendedEV' }, meterValue: [energy(5000, 'Sample.Periodic', ts(2))] }));
    expect(repeat).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(readingsOf(id)).toHaveLength(before);
    await p.call('TransactionEvent', event('Ended', id, 3, { meterValue: [energy(6000, 'Transaction.End', ts(3))] }));
    await p.call('TransactionEvent', event('Ended', id, 3, { meterValue: [energy(6000, 'Transaction.End', ts(3))] }));
    // a late Updated after Ended does not reopen it
    await p.call('TransactionEvent', event('Updated', id, 1, { meterValue: [energy(3000, 'Sample.Periodic', ts(1))] }));
    expect(tx(id)).toMatchObject({ status: 'ended', meterStartWh: 1000, meterStopWh: 6000, lastSeqNo: 3 });
    expect(readingsOf(id).map((r) => r.value)).toEqual([1000, 3000, 5000, 6000]);
    expect(bridge.store.listTransactionEventSeqNos(tx(id).id)).toEqual([0, 1, 2, 3]);
    expect(bridge.logs.some((l) => l.msg === 'repeated TransactionEvent acknowledged, nothing changed' && l.transactionId === id)).toBe(true);
  });

  it('two events for a new transaction at once make one record', async () => {
    const p = await probe('CS-TX', { concurrency: 2 });
    const id = 'concurrent-0001';
    await Promise.all([
      p.call('TransactionEvent', event('Started', id, 0, { evse: { id: 1 }, idToken: TOKEN })),
      p.call('TransactionEvent', event('Updated', id, 1, { evse: { id: 1 } })),
    ]);
    expect(bridge.store.listTransactionEventSeqNos(tx(id).id)).toEqual([0, 1]);
    expect(tx(id)).toMatchObject({ orphan: false, idTag: '04A2B3C4D5E6F7' });
  });

  it('offline replay: events flagged offline keep their old timestamps and arrive back to back', async () => {
    const p = await probe('CS-TX');
    const id = 'offline-0001';
    const old = (m: number) => new Date(Date.UTC(2026, 10, 20, 8, m)).toISOString();
    await p.call('TransactionEvent', { ...event('Started', id, 0, { offline: true, evse: { id: 2 }, idToken: TOKEN, meterValue: [energy(10_000, 'Transaction.Begin', old(0))] }), timestamp: old(0) });
    await p.call('TransactionEvent', { ...event('Updated', id, 1, { offline: true, meterValue: [energy(15_000, 'Sample.Periodic', old(30))] }), timestamp: old(30) });
    await p.call('TransactionEvent', { ...event('Ended', id, 2, { offline: true, info: { stoppedReason: 'EVDisconnected' }, meterValue: [energy(20_000, 'Transaction.End', old(60))] }), timestamp: old(60) });
    expect(tx(id)).toMatchObject({ offline: true, status: 'ended', startedAtMs: at(old(0)), endedAtMs: at(old(60)), meterStartWh: 10_000, meterStopWh: 20_000 });
    expect(readingsOf(id).map((r) => r.sampledAt.toISOString())).toEqual([old(0), old(30), old(60)].map((t) => new Date(t).toISOString()));
  });

  it('an Ended for an unknown transaction still creates a complete record, flagged with the missing events', async () => {
    const p = await probe('CS-TX');
    const id = 'lost-start-0001';
    const res = await p.call('TransactionEvent', event('Ended', id, 4, {
      evse: { id: 1, connectorId: 1 }, idToken: TOKEN, info: { stoppedReason: 'StoppedByEV' },
      meterValue: [energy(40_000, 'Transaction.Begin', ts(-100)), energy(48_000, 'Transaction.End', ts(4))],
    }));
    expect(res).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(tx(id)).toMatchObject({
      status: 'ended', orphan: true, idTag: '04A2B3C4D5E6F7', authStatus: 'Accepted', startedAtMs: at(ts(-100)), endedAtMs: at(ts(4)),
      meterStartWh: 40_000, meterStopWh: 48_000, stopReason: 'StoppedByEV',
    });
    expect(bridge.store.getEvseByRowId(tx(id).evseRowId!)?.ocppId).toBe(1);
    expect(JSON.parse(tx(id).snapshotJson!)).toMatchObject({ locationId: 'LOC-1', evseId: 'DE*EXA*E0004*1' });
    expect(gapFaults(id)).toHaveLength(1);
    expect(gapFaults(id)[0]).toMatchObject({ message: expect.stringContaining('Started event is missing'), details: { missing: [0, 1, 2, 3] } });
    expect(bridge.logs.some((l) => l.msg === 'transaction event for an unknown transaction created its record' && l.transactionId === id)).toBe(true);
  });

  it('an Updated for an unknown transaction creates a running record; its Started arriving late completes it', async () => {
    const p = await probe('CS-TX');
    const id = 'late-start-0001';
    await p.call('TransactionEvent', event('Updated', id, 1, { meterValue: [energy(2000, 'Sample.Periodic', ts(1))] }));
    expect(tx(id)).toMatchObject({ status: 'active', orphan: true, evseRowId: null, meterStartWh: 2000 });
    await p.call('TransactionEvent', event('Started', id, 0, { evse: { id: 2 }, meterValue: [energy(1500, 'Transaction.Begin', ts(0))] }));
    expect(tx(id)).toMatchObject({ status: 'active', orphan: false, startedAtMs: at(ts(0)), meterStartWh: 1500, lastMeterWh: 2000 });
    expect(bridge.store.getEvseByRowId(tx(id).evseRowId!)?.ocppId).toBe(2);
    expect(gapFaults(id)).toEqual([]);
  });

  it('an EVSE id the config does not know is accepted, recorded and flagged', async () => {
    const p = await probe('CS-TX');
    await p.call('TransactionEvent', event('Started', 'evse7-0001', 0, { evse: { id: 7, connectorId: 1 }, idToken: TOKEN }));
    expect(bridge.store.getEvse('CS-TX', 7)).toMatchObject({ configured: false });
    expect(bridge.store.getEvseByRowId(tx('evse7-0001').evseRowId!)?.ocppId).toBe(7);
    expect(openFaults('CS-TX').some((f) => f.code === 'UnknownEvse' && f.evseOcppId === 7)).toBe(true);
  });

  it('a seqNo gap that stays open is a fault on the transaction', async () => {
    const p = await probe('CS-TX');
    const id = 'gap-0001';
    await p.call('TransactionEvent', event('Started', id, 0, { evse: { id: 1 } }));
    await p.call('TransactionEvent', event('Updated', id, 1));
    await p.call('TransactionEvent', event('Updated', id, 3));
    await p.call('TransactionEvent', event('Ended', id, 4));
    expect(tx(id).status).toBe('ended');
    expect(gapFaults(id)).toHaveLength(1);
    expect(gapFaults(id)[0]).toMatchObject({ message: expect.stringContaining('seqNo 2 not received'), details: { missing: [2] } });
  });

  it('a seqNo of 2^31 - 1 is a gap counted, not walked: the fault names the first seqNos and how many more', async () => {
    const p = await probe('CS-TX');
    const id = 'gap-wild-0001';
    await p.call('TransactionEvent', event('Started', id, 0, { evse: { id: 1 } }));
    await p.call('TransactionEvent', event('Updated', id, 2 ** 31 - 1));
    const [fault] = gapFaults(id);
    expect(fault?.message).toContain(`seqNo 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and ${2 ** 31 - 2 - 10} more not received`);
    expect((fault?.details as { missing: number[]; missingCount: number }).missing).toHaveLength(1000);
    expect(fault?.details).toMatchObject({ missingCount: 2 ** 31 - 2, received: 2 });
    expect((await p.call('Heartbeat', {})).currentTime).toBeTypeOf('string');
  });

  it('a seqNo no 32-bit counter holds (2^31, 2^53 + 2) is refused with a CALLERROR and records nothing', async () => {
    const p = await probe('CS-TX');
    const id = 'seq-huge-0001';
    for (const seqNo of [2 ** 31, 2 ** 53 + 2]) {
      await expect(p.call('TransactionEvent', { ...event('Started', id, 0, { evse: { id: 1 } }), seqNo })).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation', message: expect.stringContaining('OCPP 2.0.1 Part 2') });
    }
    expect(bridge.store.findTransaction('CS-TX', id)).toBeUndefined();
    expect((await p.call('Heartbeat', {})).currentTime).toBeTypeOf('string');
  });

  it('a salvageable off-schema TransactionEvent is acknowledged, recorded and faulted; an unsalvageable one gets the CALLERROR', async () => {
    const odd = await probe('CS-TX', { strict: false });
    const id = 'odd-0001';
    // an over-long idToken, a triggerReason outside the enum and a vendor field: strict OCA schema violations
    const res = await odd.call('TransactionEvent', event('Started', id, 0, {
      triggerReason: 'CableConnected', vendorExtra: true, idToken: { idToken: 'X'.repeat(40), type: 'ISO14443' }, evse: { id: 2 },
      meterValue: [energy(100, 'Transaction.Begin', ts(0))],
    }));
    expect(res).toEqual({ idTokenInfo: { status: 'Invalid' } });
    expect(tx(id)).toMatchObject({ status: 'active', idTag: 'X'.repeat(40), meterStartWh: 100 });
    const fault = openFaults('CS-TX').find((f) => f.code === 'SchemaViolation' && (f.details as any).params?.transactionInfo?.transactionId === id);
    expect(fault?.message).toMatch(/TransactionEvent did not match the OCPP schema/);
    expect((fault?.details as any).params.vendorExtra).toBe(true);
    // without seqNo it cannot be placed: strict mode refuses it (the station keeps it and retries);
    // 2.0.1 Part 4 spells the code with one "r"
    const { seqNo: _drop, ...noSeq } = event('Updated', id, 1);
    await expect(odd.call('TransactionEvent', noSeq)).rejects.toMatchObject({ rpcErrorCode: 'OccurenceConstraintViolation' });
  });

  it('signed meter values are kept byte for byte and verified (shared OCMF samples over 2.0.1)', async () => {
    const samples = new URL('../fixtures/ocmf-samples/generated/ocpp201/', import.meta.url);
    const sample = (name: string) => JSON.parse(readFileSync(new URL(`TransactionEvent.${name}.json`, samples), 'utf8'))[3] as Record<string, any>;
    const p = await probe('CS-SIGNED');
    const messages = ['tx-1-begin', 'tx-2-intermediate', 'tx-3-intermediate-tariff', 'tx-4-end'].map(sample);
    for (const m of messages) expect(await p.call('TransactionEvent', m)).toEqual(m.idToken ? { idTokenInfo: { status: expect.any(String) } } : {});
    const record = bridge.store.findTransaction('CS-SIGNED', messages[0]!.transactionInfo.transactionId)!;
    expect(record).toMatchObject({ status: 'ended', meterStartWh: 1_234_560, meterStopWh: 1_251_040 });
    const sent = messages.flatMap((m) => m.meterValue.flatMap((mv: any) => mv.sampledValue.map((sv: any) => sv.signedMeterValue)));
    await expect.poll(() => bridge.store.listSignedReadings({ transactionRowId: record.id }).every((r) => r.verification !== null)).toBe(true);
    const stored = bridge.store.listSignedReadings({ transactionRowId: record.id });
    expect(stored.map((r) => [r.raw, r.encodingMethod, r.signingMethod, r.publicKey])).toEqual(sent.map((s) => [s.signedMeterData, s.encodingMethod, s.signingMethod, s.publicKey]));
    expect(stored.map((r) => r.context)).toEqual(['begin', 'intermediate', 'intermediate', 'end']);
    expect(stored.map((r) => r.verification)).toEqual(['verified', 'verified', 'verified', 'verified']);
  });
});

describe('traffic log', () => {
  it('keeps TransactionEvent calls and their results', async () => {
    const p = await probe('CS-TX');
    await p.call('TransactionEvent', event('Started', 'logged-0001', 0, { evse: { id: 1 }, idToken: TOKEN }));
    const find = () => {
      const log = bridge.store.listOcppMessages('CS-TX', 500, 'TransactionEvent');
      const call = log.find((m) => m.kind === 'call' && m.payload.includes('logged-0001'));
      return { call, result: call && log.find((m) => m.kind === 'result' && m.messageId === call.messageId) };
    };
    await expect.poll(() => find().result).toBeTruthy();
    expect(find().result).toMatchObject({ direction: 'out', payload: expect.stringContaining('"Accepted"') });
  });
});

describe('commands to the station', () => {
  it('each command is sent with a valid 2.0.1 payload and the answer mapped back', async () => {
    const responses: Record<string, (params: any) => Record<string, unknown>> = {
      RequestStartTransaction: () => ({ status: 'Accepted', transactionId: 'tx-running-1' }),
      RequestStopTransaction: () => ({ status: 'Accepted' }),
      UnlockConnector: () => ({ status: 'OngoingAuthorizedTransaction' }),
      ReserveNow: () => ({ status: 'Occupied' }),
      CancelReservation: () => ({ status: 'Rejected' }),
      SetChargingProfile: () => ({ status: 'Accepted' }),
      ClearChargingProfile: () => ({ status: 'Unknown' }),
      GetCompositeSchedule: () => ({ status: 'Accepted', schedule: { evseId: 1, duration: 3600, scheduleStart: '2026-11-25T10:00:00Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] } }),
      Reset: () => ({ status: 'Scheduled' }),
      ChangeAvailability: () => ({ status: 'Accepted' }),
      GetVariables: (p) => ({
        getVariableResult: p.getVariableData.map((d: any) => (d.variable.name === 'Nope'
          ? { attributeStatus: 'UnknownVariable', component: d.component, variable: d.variable }
          : { attributeStatus: 'Accepted', attributeValue: '300', component: d.component, variable: d.variable })),
      }),
      SetVariables: (p) => ({ setVariableResult: p.setVariableData.map((d: any) => ({ attributeStatus: 'RebootRequired', component: d.component, variable: d.variable })) }),
      TriggerMessage: () => ({ status: 'Accepted' }),
      SendLocalList: () => ({ status: 'VersionMismatch' }),
      GetLocalListVersion: () => ({ versionNumber: 7 }),
      ClearCache: () => ({ status: 'Accepted' }),
      UpdateFirmware: () => ({ status: 'Accepted' }),
      GetLog: () => ({ status: 'Accepted', filename: 'diag.zip' }),
      DataTransfer: () => ({ status: 'Accepted', data: { pong: true } }),
      GetChargingProfiles: () => ({ status: 'NoProfiles' }),
      GetBaseReport: () => ({ status: 'EmptyResultSet' }),
      SetNetworkProfile: () => ({ status: 'Accepted' }),
      CertificateSigned: () => ({ status: 'Rejected' }),
      InstallCertificate: () => ({ status: 'Failed' }),
    };
    const p = await probe('CS-CMD', { handlers: responses });
    const send = bridge.commands.send.bind(bridge.commands);
    const start = new Date('2026-11-25T10:00:00Z');
    const profile: NeutralChargingProfile = { id: 1, stackLevel: 1, purpose: 'TxProfile', kind: 'Relative', ocppTransactionId: 'tx-running-1', schedule: { rateUnit: 'A', periods: [{ startPeriodS: 0, limit: 16.04 }] } };
    const outcomes = {
      remoteStart: await send('CS-CMD', 'remoteStart', { evseOcppId: 1, idTag: '04A2B3C4D5E6F7', idTokenType: 'RFID', remoteStartId: 4711 }),
      remoteStop: await send('CS-CMD', 'remoteStop', { ocppTransactionId: 'tx-running-1' }),
      unlockConnector: await send('CS-CMD', 'unlockConnector', { evseOcppId: 1 }),
      reserveNow: await send('CS-CMD', 'reserveNow', { reservationId: 5, evseOcppId: 1, expiresAt: start, idTag: '04A2B3C4D5E6F7' }),
      cancelReservation: await send('CS-CMD', 'cancelReservation', { reservationId: 5 }),
      setChargingProfile: await send('CS-CMD', 'setChargingProfile', { evseOcppId: 1, profile }),
      clearChargingProfile: await send('CS-CMD', 'clearChargingProfile', { profileId: 1 }),
      getCompositeSchedule: await send('CS-CMD', 'getCompositeSchedule', { evseOcppId: 1, durationS: 3600 }),
      reset: await send('CS-CMD', 'reset', { kind: 'soft' }),
      changeAvailability: await send('CS-CMD', 'changeAvailability', { evseOcppId: 0, operative: false }),
      getConfiguration: await send('CS-CMD', 'getConfiguration', { keys: ['HeartbeatInterval', 'Nope'] }),
      changeConfiguration: await send('CS-CMD', 'changeConfiguration', { key: 'HeartbeatInterval', value: '60' }),
      triggerMessage: await send('CS-CMD', 'triggerMessage', { message: 'StatusNotification', evseOcppId: 1 }),
      sendLocalList: await send('CS-CMD', 'sendLocalList', { version: 3, full: false, entries: [{ idTag: '04A2B3C4D5E6F7', status: 'Accepted' }] }),
      getLocalListVersion: await send('CS-CMD', 'getLocalListVersion', {}),
      clearCache: await send('CS-CMD', 'clearCache', {}),
      updateFirmware: await send('CS-CMD', 'updateFirmware', { location: 'https://fw.example.com/fw.bin', retrieveAt: start, requestId: 11 }),
      getDiagnostics: await send('CS-CMD', 'getDiagnostics', { location: 'ftp://diag.example.com/', requestId: 12 }),
      dataTransfer: await send('CS-CMD', 'dataTransfer', { vendorId: 'com.example', messageId: 'ping', data: 'ping' }),
      getChargingProfiles: await send('CS-CMD', 'getChargingProfiles', { requestId: 13, evseOcppId: 1 }),
      getVariables: await send('CS-CMD', 'getVariables', { items: [{ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }] }),
      setVariables: await send('CS-CMD', 'setVariables', { items: [{ component: 'SecurityCtrlr', variable: 'BasicAuthPassword', value: 'a-sixteen-char-password' }] }),
      getBaseReport: await send('CS-CMD', 'getBaseReport', { requestId: 14, report: 'SummaryInventory' }),
      setNetworkProfile: await send('CS-CMD', 'setNetworkProfile', { slot: 1, csmsUrl: 'wss://csms.example.com/ocpp/', securityProfile: 2, messageTimeoutS: 30, networkInterface: 'Wired0' }),
      certificateSigned: await send('CS-CMD', 'certificateSigned', { certificateChain: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }),
      installCertificate: await send('CS-CMD', 'installCertificate', { certificateType: 'CSMSRootCertificate', certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' }),
    };
    expect(outcomes).toEqual({
      remoteStart: { ok: true, value: { status: 'Accepted', transactionId: 'tx-running-1' } }, remoteStop: { ok: true, value: { status: 'Accepted' } },
      unlockConnector: { ok: true, value: { status: 'OngoingAuthorizedTransaction' } }, reserveNow: { ok: true, value: { status: 'Occupied' } },
      cancelReservation: { ok: true, value: { status: 'Rejected' } }, setChargingProfile: { ok: true, value: { status: 'Accepted' } },
      clearChargingProfile: { ok: true, value: { status: 'Unknown' } },
      getCompositeSchedule: { ok: true, value: { status: 'Accepted', scheduleStart: start, schedule: { startSchedule: start, durationS: 3600, rateUnit: 'A', periods: [{ startPeriodS: 0, limit: 16 }] } } },
      reset: { ok: true, value: { status: 'Scheduled' } }, changeAvailability: { ok: true, value: { status: 'Accepted' } },
      getConfiguration: { ok: true, value: { entries: [{ key: 'HeartbeatInterval', value: '300' }], unknownKeys: ['Nope'] } },
      changeConfiguration: { ok: true, value: { status: 'RebootRequired' } },
      triggerMessage: { ok: true, value: { status: 'Accepted' } }, sendLocalList: { ok: true, value: { status: 'VersionMismatch' } },
      getLocalListVersion: { ok: true, value: { version: 7 } }, clearCache: { ok: true, value: { status: 'Accepted' } },
      updateFirmware: { ok: true, value: { status: 'Accepted' } }, getDiagnostics: { ok: true, value: { status: 'Accepted', fileName: 'diag.zip' } },
      dataTransfer: { ok: true, value: { status: 'Accepted', data: '{"pong":true}' } },
      getChargingProfiles: { ok: true, value: { status: 'NoProfiles' } },
      getVariables: { ok: true, value: { results: [{ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', status: 'Accepted', value: '300' }] } },
      setVariables: { ok: true, value: { results: [{ component: 'SecurityCtrlr', variable: 'BasicAuthPassword', status: 'RebootRequired' }] } },
      getBaseReport: { ok: true, value: { status: 'EmptyResultSet' } }, setNetworkProfile: { ok: true, value: { status: 'Accepted' } },
      certificateSigned: { ok: true, value: { status: 'Rejected' } }, installCertificate: { ok: true, value: { status: 'Failed' } },
    });
    const got = Object.fromEntries(p.received.map((r) => [r.action, r.params]));
    expect(got.RequestStartTransaction).toEqual({ idToken: { idToken: '04A2B3C4D5E6F7', type: 'ISO14443' }, remoteStartId: 4711, evseId: 1 });
    expect(got.RequestStopTransaction).toEqual({ transactionId: 'tx-running-1' });
    expect(got.UnlockConnector).toEqual({ evseId: 1, connectorId: 1 });
    expect(got.SetChargingProfile).toEqual({ evseId: 1, chargingProfile: { id: 1, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', transactionId: 'tx-running-1', chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.04 }] }] } });
    expect(got.ChangeAvailability).toEqual({ operationalStatus: 'Inoperative' });
    expect(got.Reset).toEqual({ type: 'OnIdle' });
    expect(got.SendLocalList).toEqual({ versionNumber: 3, updateType: 'Differential', localAuthorizationList: [{ idToken: { idToken: '04A2B3C4D5E6F7', type: 'Central' }, idTokenInfo: { status: 'Accepted' } }] });
    expect(got.GetLog).toEqual({ logType: 'DiagnosticsLog', requestId: 12, log: { remoteLocation: 'ftp://diag.example.com/' } });
  });

  it('a station answering NotImplemented maps to not-supported; a 1.6 charger is not asked a 2.0.1-only command', async () => {
    await probe('CS-CMD');
    expect(await bridge.commands.send('CS-CMD', 'reserveNow', { reservationId: 1, expiresAt: new Date(), idTag: 'T' })).toMatchObject({ ok: false, reason: 'not-supported' });
    await connectProbe({ url: bridge.ocppUrl, identity: 'CP-16', protocol: 'ocpp1.6' }).then((p) => probes.push(p));
    expect(await bridge.commands.send('CP-16', 'getBaseReport', { requestId: 1, report: 'FullInventory' })).toEqual({ ok: false, reason: 'not-supported', message: 'getBaseReport is not available over ocpp1.6' });
    expect(bridge.commands.protocolOf('CS-CMD')).toBe('ocpp2.0.1');
  });

  it('a command to an offline station fails at once with a clear reason', async () => {
    expect(await bridge.commands.send('CS-PENDING', 'reset', { kind: 'hard' })).toEqual({ ok: false, reason: 'offline', message: 'charger CS-PENDING is not connected' });
  });
});
