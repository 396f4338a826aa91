/**
 * The OCPP 2.0.1 station simulator against the real bridge: boot and the device-model report the bridge asks
 * for, a full transaction (Started / Updated / Ended, seqNo, meter values) checked in the database, cable-first
 * authorization, commands that really act (RequestStartTransaction with its remoteStartId, RequestStop,
 * reservations that show Reserved and expire with ReservationStatusUpdate, a charging profile that limits the
 * power, local lists, ChangeAvailability, TriggerMessage, Reset), and the offline queue replayed in order with
 * `offline: true`. The station runs ocpp-rpc strict mode: anything off-schema either way fails the test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedStation201 } from '../../firmware-sim/station201.js';
import { connectProbe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const TOKEN = '04A2B3C4D5E6F7';
let bridge: TestBridge;
let cs: SimulatedStation201;
const ID = 'SIM-201';
const send: TestBridge['commands']['send'] = (identity, command, args) => bridge.commands.send(identity, command, args);
const events = (transactionId: string) => cs.sent.filter((m) => m.action === 'TransactionEvent' && m.params.transactionInfo.transactionId === transactionId).map((m) => m.params);
const evseStatus = (evseId: number) => bridge.store.getEvse(ID, evseId)?.status;

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: ID, evses: 2 }, { identity: 'SIM-201-PENDING', evses: 1, boot_status: 'Pending' }, { identity: 'SIM-201-RECONNECT', evses: 1 }]));
  cs = new SimulatedStation201({ url: bridge.ocppUrl, identity: ID, evses: 2, powerW: 11_000 });
  await cs.connect();
});
afterEach(() => {
  expect(cs.strictFailures, 'off-schema message between bridge and station').toEqual([]);
});
afterAll(async () => {
  expect(bridge.logs.filter((l) => l.msg === 'the bridge produced an off-schema OCPP message')).toEqual([]);
  await cs.close();
  await bridge.close();
});

describe('simulated 2.0.1 station against the bridge', () => {
  it('boots (reason PowerUp), answers the device-model report in pages and takes the heartbeat interval', async () => {
    expect(cs.bootStatus).toBe('Accepted');
    expect(bridge.store.getCharger(ID)).toMatchObject({ vendor: 'Simulated', model: 'SIM-201', serialNumber: `SIM201-${ID}`, protocol: 'ocpp2.0.1', bootReason: 'PowerUp', connected: true });
    await expect.poll(() => cs.received.find((r) => r.action === 'SetVariables')?.response.setVariableResult[0].attributeStatus).toBe('Accepted');
    await expect.poll(() => bridge.store.getCharger(ID)?.configurationJson ?? null).not.toBeNull();
    const model = JSON.parse(bridge.store.getCharger(ID)!.configurationJson!);
    await expect.poll(() => cs.sent.some((m) => m.action === 'NotifyReport' && m.params.tbc === undefined)).toBe(true); // logged once answered
    const pages = cs.sent.filter((m) => m.action === 'NotifyReport');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.map((p) => p.params.seqNo)).toEqual(pages.map((_, i) => i));
    expect(pages.slice(0, -1).every((p) => p.params.tbc === true) && pages[pages.length - 1]!.params.tbc === undefined).toBe(true);
    expect(model.missingPages).toEqual([]);
    expect(model.variables.map((v: any) => `${v.component.name}.${v.variable.name}`)).toEqual(expect.arrayContaining(['TxCtrlr.TxStartPoint', 'EVSE.AvailabilityState', 'OCPPCommCtrlr.HeartbeatInterval']));
    expect(cs.model.get('OCPPCommCtrlr', 'HeartbeatInterval')).toBe('300');
    expect(evseStatus(1)).toBe('Available');
    expect(evseStatus(2)).toBe('Available');
  });

  it('a station left Pending answers the device-model report but sends no status and no transaction until accepted (B02)', async () => {
    const pending = new SimulatedStation201({ url: bridge.ocppUrl, identity: 'SIM-201-PENDING' });
    try {
      await pending.connect();
      expect(pending.bootStatus).toBe('Pending');
      expect(bridge.store.getCharger('SIM-201-PENDING')?.bootStatus).toBe('Pending');
      await expect.poll(() => pending.sent.some((m) => m.action === 'NotifyReport')).toBe(true);
      await pending.plugIn(1);
      expect(pending.sent.map((m) => m.action).filter((a) => a !== 'NotifyReport')).toEqual(['BootNotification']);
      expect(pending.strictFailures).toEqual([]);
    } finally {
      await pending.close();
    }
  });

  it('a transaction: Started with the token, Updated with meter values, Ended; seqNo 0..2 and the energy in the database', async () => {
    const { transactionId, status } = await cs.startTransaction(1, TOKEN);
    expect(status).toBe('Accepted');
    expect(evseStatus(1)).toBe('Occupied');
    // C01: the token was authorised before the transaction started
    const authorize = cs.sent.findIndex((m) => m.action === 'Authorize' && m.params.idToken.idToken === TOKEN);
    expect(authorize).toBeGreaterThanOrEqual(0);
    expect(authorize).toBeLessThan(cs.sent.findIndex((m) => m.action === 'TransactionEvent' && m.params.transactionInfo.transactionId === transactionId));
    await cs.advance(1, 1800);
    const tx = () => bridge.store.findTransaction(ID, transactionId)!;
    expect(tx()).toMatchObject({ status: 'active', idTag: TOKEN, protocol: 'ocpp2.0.1', chargingState: 'Charging', lastMeterWh: 5500, lastPowerW: 11_000 });
    await cs.stopTransaction(1, { reason: 'EVDisconnected' });
    expect(tx()).toMatchObject({ status: 'ended', meterStartWh: 0, meterStopWh: 5500, stopReason: 'EVDisconnected', lastSeqNo: 2, orphan: false, offline: false });
    expect(bridge.store.listTransactionEventSeqNos(tx().id)).toEqual([0, 1, 2]);
    expect(events(transactionId).map((e) => [e.eventType, e.triggerReason, e.seqNo])).toEqual([['Started', 'Authorized', 0], ['Updated', 'MeterValuePeriodic', 1], ['Ended', 'EVDeparted', 2]]);
    const energy = bridge.store.listReadings(tx().id).filter((r) => r.measurand === 'Energy.Active.Import.Register').map((r) => [r.context, r.value]);
    expect(energy).toEqual([['Transaction.Begin', 0], ['Sample.Periodic', 5500], ['Transaction.End', 5500]]);
    await expect.poll(() => evseStatus(1)).toBe('Available');
  });

  it('a token the bridge refuses at Authorize starts nothing', async () => {
    expect(await cs.startTransaction(2, 'BLOCKED01')).toEqual({ transactionId: '', status: 'Blocked' });
    expect(bridge.store.listActiveTransactions(ID)).toEqual([]);
    expect(evseStatus(2)).toBe('Available');
  });

  it('a broken EVSE reports NotifyEvent Problem and Faulted, which the bridge keeps as a fault until the repair clears it', async () => {
    const problem = () => bridge.store.listFaults({ identity: ID, open: true, limit: 50 }).filter((f) => f.code === 'EVSE.Problem' && f.evseOcppId === 2);
    await cs.setFaulted(2, true, 'contactor welded');
    expect(evseStatus(2)).toBe('Faulted');
    expect(problem()).toHaveLength(1);
    expect(problem()[0]!.message).toContain('contactor welded');
    expect(await send(ID, 'reserveNow', { reservationId: 90, evseOcppId: 2, expiresAt: new Date(Date.now() + 3_600_000), idTag: TOKEN })).toEqual({ ok: true, value: { status: 'Faulted' } });
    await cs.setFaulted(2, false);
    expect(problem()).toEqual([]);
    expect(evseStatus(2)).toBe('Available');
  });

  it('cable first (TxStartPoint EVConnected, set through the bridge): Started without a token, the token follows in Updated', async () => {
    const set = await send(ID, 'setVariables', { items: [{ component: 'TxCtrlr', variable: 'TxStartPoint', value: 'EVConnected' }] });
    expect(set).toMatchObject({ ok: true, value: { results: [{ status: 'Accepted' }] } });
    await cs.plugIn(2);
    const tx = bridge.store.listActiveTransactions(ID)[0]!;
    expect(tx).toMatchObject({ idTag: null, chargingState: 'EVConnected' });
    const { transactionId, status } = await cs.startTransaction(2, TOKEN);
    expect(status).toBe('Accepted');
    expect(transactionId).toBe(tx.ocppTransactionId);
    expect(bridge.store.getTransaction(tx.id)).toMatchObject({ idTag: TOKEN, chargingState: 'Charging' });
    expect(events(transactionId).map((e) => [e.eventType, e.triggerReason, e.idToken?.idToken])).toEqual([['Started', 'CablePluggedIn', undefined], ['Updated', 'Authorized', TOKEN]]);
    await cs.stopTransaction(2);
    await send(ID, 'setVariables', { items: [{ component: 'TxCtrlr', variable: 'TxStartPoint', value: 'PowerPathClosed' }] });
  });

  it('RequestStartTransaction via the bridge starts a transaction carrying the remoteStartId; RequestStopTransaction ends it', async () => {
    expect(await send(ID, 'remoteStart', { evseOcppId: 2, idTag: TOKEN, idTokenType: 'RFID', remoteStartId: 4242 })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => bridge.store.listActiveTransactions(ID).length).toBe(1);
    const tx = bridge.store.listActiveTransactions(ID)[0]!;
    expect(tx).toMatchObject({ remoteStartId: 4242, idTag: TOKEN });
    expect(bridge.store.getEvseByRowId(tx.evseRowId!)?.ocppId).toBe(2);
    // the station logs its message once the answer is back, which can be a moment after the bridge stored it
    await expect.poll(() => events(tx.ocppTransactionId).length).toBe(1);
    const [started] = events(tx.ocppTransactionId);
    expect(started).toMatchObject({ eventType: 'Started', triggerReason: 'RemoteStart', transactionInfo: { remoteStartId: 4242 }, idToken: { idToken: TOKEN, type: 'ISO14443' } });
    // the EVSE is taken: a second remote start there is refused
    expect(await send(ID, 'remoteStart', { evseOcppId: 2, idTag: TOKEN })).toEqual({ ok: true, value: { status: 'Rejected' } });
    expect(await send(ID, 'remoteStop', { ocppTransactionId: tx.ocppTransactionId })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => bridge.store.getTransaction(tx.id)?.stopReason).toBe('Remote');
    await expect.poll(() => events(tx.ocppTransactionId).at(-1)).toMatchObject({ eventType: 'Ended', triggerReason: 'RemoteStop' });
    expect(await send(ID, 'remoteStop', { ocppTransactionId: tx.ocppTransactionId })).toEqual({ ok: true, value: { status: 'Rejected' } });
  });

  it('ReserveNow makes the EVSE Reserved until cancelled; one that expires is reported with ReservationStatusUpdate', async () => {
    const reserve = (reservationId: number, expiresInMs: number) => send(ID, 'reserveNow', { reservationId, evseOcppId: 1, expiresAt: new Date(Date.now() + expiresInMs), idTag: TOKEN });
    expect(await reserve(77, 3_600_000)).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => evseStatus(1)).toBe('Reserved');
    expect(await send(ID, 'cancelReservation', { reservationId: 77 })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => evseStatus(1)).toBe('Available');
    expect(await send(ID, 'cancelReservation', { reservationId: 77 })).toEqual({ ok: true, value: { status: 'Rejected' } });

    expect(await reserve(78, 300)).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => cs.sent.find((m) => m.action === 'ReservationStatusUpdate')?.params).toEqual({ reservationId: 78, reservationUpdateStatus: 'Expired' });
    await expect.poll(() => evseStatus(1)).toBe('Available');
  });

  it('a reservation is used by the transaction of its token (reservationId in Started), and refuses other tokens', async () => {
    expect(await send(ID, 'reserveNow', { reservationId: 79, evseOcppId: 1, expiresAt: new Date(Date.now() + 3_600_000), idTag: TOKEN })).toMatchObject({ value: { status: 'Accepted' } });
    await expect.poll(() => evseStatus(1)).toBe('Reserved');
    expect(await send(ID, 'remoteStart', { evseOcppId: 1, idTag: 'SOMEONEELSE' })).toEqual({ ok: true, value: { status: 'Rejected' } });
    const { transactionId } = await cs.startTransaction(1, TOKEN);
    expect(events(transactionId)[0]).toMatchObject({ eventType: 'Started', reservationId: 79 });
    expect(bridge.store.findTransaction(ID, transactionId)?.reservationId).toBe(79);
    await cs.stopTransaction(1);
  });

  it('a TxProfile set through the bridge limits the power; GetCompositeSchedule shows it; clearing it lifts the limit', async () => {
    const { transactionId } = await cs.startTransaction(1, TOKEN);
    const profile = { id: 501, stackLevel: 1, purpose: 'TxProfile' as const, kind: 'Relative' as const, ocppTransactionId: transactionId, schedule: { rateUnit: 'A' as const, periods: [{ startPeriodS: 0, limit: 8 }] } };
    expect(await send(ID, 'setChargingProfile', { evseOcppId: 1, profile })).toEqual({ ok: true, value: { status: 'Accepted' } });
    // no transaction on EVSE 2: a TxProfile there is refused
    expect(await send(ID, 'setChargingProfile', { evseOcppId: 2, profile: { ...profile, id: 502 } })).toEqual({ ok: true, value: { status: 'Rejected' } });
    const composite = await send(ID, 'getCompositeSchedule', { evseOcppId: 1, durationS: 600, rateUnit: 'A' });
    expect(composite).toMatchObject({ ok: true, value: { status: 'Accepted', schedule: { rateUnit: 'A', durationS: 600, periods: [{ startPeriodS: 0, limit: 8 }] } } });
    await cs.advance(1, 60);
    expect(bridge.store.findTransaction(ID, transactionId)?.lastPowerW).toBe(8 * 230 * 3);
    // a limit of 0 suspends charging (SuspendedEVSE); lifting it resumes
    expect(await send(ID, 'setChargingProfile', { evseOcppId: 1, profile: { ...profile, id: 503, stackLevel: 2, schedule: { rateUnit: 'W' as const, periods: [{ startPeriodS: 0, limit: 0 }] } } })).toMatchObject({ value: { status: 'Accepted' } });
    await cs.advance(1, 60);
    expect(bridge.store.findTransaction(ID, transactionId)).toMatchObject({ chargingState: 'SuspendedEVSE', lastPowerW: 0 });
    expect(events(transactionId).at(-1)).toMatchObject({ triggerReason: 'ChargingStateChanged', transactionInfo: { chargingState: 'SuspendedEVSE' } });
    expect(await send(ID, 'clearChargingProfile', { profileId: 503 })).toEqual({ ok: true, value: { status: 'Accepted' } });
    expect(await send(ID, 'clearChargingProfile', { profileId: 501 })).toEqual({ ok: true, value: { status: 'Accepted' } });
    expect(await send(ID, 'clearChargingProfile', { profileId: 501 })).toEqual({ ok: true, value: { status: 'Unknown' } });
    await cs.advance(1, 60);
    expect(bridge.store.findTransaction(ID, transactionId)).toMatchObject({ chargingState: 'Charging', lastPowerW: 11_000 });
    // the car is full: SuspendedEV, nothing drawn
    await cs.suspendByEv(1, true);
    expect(bridge.store.findTransaction(ID, transactionId)).toMatchObject({ chargingState: 'SuspendedEV', lastPowerW: 0 });
    await cs.stopTransaction(1);
  });

  it('UnlockConnector, GetChargingProfiles, ClearCache, DataTransfer, UpdateFirmware, GetLog and triggered messages are answered and followed up', async () => {
    const { transactionId } = await cs.startTransaction(1, TOKEN);
    // F05: not during an authorised transaction
    expect(await send(ID, 'unlockConnector', { evseOcppId: 1, connectorOcppId: 1 })).toEqual({ ok: true, value: { status: 'OngoingAuthorizedTransaction' } });
    expect(await send(ID, 'unlockConnector', { evseOcppId: 2, connectorOcppId: 1 })).toEqual({ ok: true, value: { status: 'Unlocked' } });
    expect(await send(ID, 'unlockConnector', { evseOcppId: 2, connectorOcppId: 7 })).toEqual({ ok: true, value: { status: 'UnknownConnector' } });
    const profile = { id: 601, stackLevel: 0, purpose: 'TxDefaultProfile' as const, kind: 'Absolute' as const, schedule: { rateUnit: 'W' as const, startSchedule: new Date(), periods: [{ startPeriodS: 0, limit: 7000 }] } };
    expect(await send(ID, 'setChargingProfile', { evseOcppId: 2, profile })).toEqual({ ok: true, value: { status: 'Accepted' } });
    expect(await send(ID, 'getChargingProfiles', { requestId: 31, evseOcppId: 2 })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => cs.sent.find((m) => m.action === 'ReportChargingProfiles' && m.params.requestId === 31)?.params).toMatchObject({ evseId: 2, chargingLimitSource: 'CSO', chargingProfile: [{ id: 601, chargingProfilePurpose: 'TxDefaultProfile' }] });
    expect(await send(ID, 'getChargingProfiles', { requestId: 32, evseOcppId: 1, purpose: 'ChargePointMaxProfile' })).toEqual({ ok: true, value: { status: 'NoProfiles' } });
    expect(await send(ID, 'clearChargingProfile', { evseOcppId: 2, purpose: 'TxDefaultProfile' })).toEqual({ ok: true, value: { status: 'Accepted' } });
    expect(await send(ID, 'clearCache', {})).toEqual({ ok: true, value: { status: 'Accepted' } });
    expect(cs.authCache.size).toBe(0);
    expect(await send(ID, 'dataTransfer', { vendorId: 'com.example', messageId: 'x' })).toEqual({ ok: true, value: { status: 'UnknownVendorId' } });
    expect(await send(ID, 'updateFirmware', { location: 'https://fw.example.com/sim-2.0.bin', retrieveAt: new Date(), requestId: 41 })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => cs.sent.filter((m) => m.action === 'FirmwareStatusNotification').map((m) => m.params.status)).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']);
    expect(await send(ID, 'getDiagnostics', { location: 'https://logs.example.com/upload', requestId: 42 })).toEqual({ ok: true, value: { status: 'Accepted', fileName: `${ID}-DiagnosticsLog.log` } });
    await expect.poll(() => cs.sent.filter((m) => m.action === 'LogStatusNotification').map((m) => [m.params.status, m.params.requestId])).toEqual([['Uploading', 42], ['Uploaded', 42]]);
    const before = cs.sent.length;
    expect(await send(ID, 'triggerMessage', { message: 'TransactionEvent', evseOcppId: 1 })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => cs.sent.slice(before).find((m) => m.action === 'TransactionEvent')?.params).toMatchObject({ eventType: 'Updated', triggerReason: 'Trigger', transactionInfo: { transactionId } });
    expect(await send(ID, 'triggerMessage', { message: 'MeterValues', evseOcppId: 2 })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => cs.sent.slice(before).find((m) => m.action === 'MeterValues')?.params).toMatchObject({ evseId: 2, meterValue: [{ sampledValue: [{ context: 'Trigger' }, { context: 'Trigger' }] }] });
    await cs.stopTransaction(1);
    expect(bridge.store.listFaults({ identity: ID, open: true, limit: 50 })).toEqual([]);
  });

  it('keeps the local list the bridge sends, with versions', async () => {
    const entries = [{ idTag: 'AABBCCDD', idTokenType: 'RFID', status: 'Accepted' }, { idTag: 'EEFF0011', status: 'Blocked' }];
    expect(await send(ID, 'sendLocalList', { version: 3, full: true, entries })).toEqual({ ok: true, value: { status: 'Accepted' } });
    expect(await send(ID, 'sendLocalList', { version: 3, full: false, entries: [] })).toEqual({ ok: true, value: { status: 'VersionMismatch' } });
    expect(await send(ID, 'sendLocalList', { version: 4, full: false, entries: [{ idTag: 'EEFF0011' }] })).toEqual({ ok: true, value: { status: 'Accepted' } });
    expect(await send(ID, 'getLocalListVersion', {})).toEqual({ ok: true, value: { version: 4 } });
    expect([...cs.localList.entries.values()].map((e) => [e.idToken, e.idTokenInfo?.status])).toEqual([[{ idToken: 'AABBCCDD', type: 'ISO14443' }, 'Accepted']]);
  });

  it('GetVariables / SetVariables on the device model, with per-item results', async () => {
    const got = await send(ID, 'getVariables', { items: [{ component: 'AuthCtrlr', variable: 'AuthorizeRemoteStart' }, { component: 'EVSE', evseOcppId: 1, variable: 'AvailabilityState' }, { component: 'Nope', variable: 'X' }] });
    expect(got).toEqual({ ok: true, value: { results: [
      { component: 'AuthCtrlr', variable: 'AuthorizeRemoteStart', status: 'Accepted', value: 'false' },
      { component: 'EVSE', evseOcppId: 1, variable: 'AvailabilityState', status: 'Accepted', value: 'Available' },
      { component: 'Nope', variable: 'X', status: 'UnknownComponent' },
    ] } });
    const set = await send(ID, 'setVariables', { items: [{ component: 'SecurityCtrlr', variable: 'Identity', value: 'X' }, { component: 'SampledDataCtrlr', variable: 'TxUpdatedInterval', value: 'soon' }, { component: 'SampledDataCtrlr', variable: 'TxUpdatedInterval', value: '30' }] });
    expect(set.ok && set.value.results.map((r) => r.status)).toEqual(['Rejected', 'Rejected', 'Accepted']);
    expect(cs.model.get('SampledDataCtrlr', 'TxUpdatedInterval')).toBe('30');
    // 1.6-style configuration keys read through the device model, including the TransactionEvent-instance variables
    expect(await send(ID, 'getConfiguration', { keys: ['HeartbeatInterval', 'TransactionMessageAttempts', 'NoSuchKey'] })).toEqual({ ok: true, value: {
      entries: [{ key: 'HeartbeatInterval', value: '300' }, { key: 'TransactionMessageAttempts', value: '3' }], unknownKeys: ['NoSuchKey'],
    } });
  });

  it('ChangeAvailability really changes status (Scheduled during a transaction); TriggerMessage sends the message', async () => {
    expect(await send(ID, 'changeAvailability', { evseOcppId: 2, operative: false })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => evseStatus(2)).toBe('Unavailable');
    expect(await send(ID, 'changeAvailability', { evseOcppId: 2, operative: true })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => evseStatus(2)).toBe('Available');
    await cs.startTransaction(1, TOKEN);
    expect(await send(ID, 'changeAvailability', { evseOcppId: 1, operative: false })).toEqual({ ok: true, value: { status: 'Scheduled' } });
    await cs.stopTransaction(1);
    await expect.poll(() => evseStatus(1)).toBe('Unavailable');
    await send(ID, 'changeAvailability', { evseOcppId: 1, operative: true });
    await expect.poll(() => evseStatus(1)).toBe('Available');

    const before = bridge.store.getCharger(ID)!.lastHeartbeatAtMs ?? 0;
    expect(await send(ID, 'triggerMessage', { message: 'Heartbeat' })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => (bridge.store.getCharger(ID)!.lastHeartbeatAtMs ?? 0) > before).toBe(true);
    expect(await send(ID, 'triggerMessage', { message: 'TransactionEvent' })).toEqual({ ok: true, value: { status: 'Rejected' } });
  });

  it('queues TransactionEvents while offline and replays them in order with offline: true', async () => {
    const { transactionId } = await cs.startTransaction(1, TOKEN);
    cs.goOffline();
    await expect.poll(() => bridge.store.getCharger(ID)?.connected).toBe(false);
    await cs.advance(1, 600);
    await cs.stopTransaction(1, { reason: 'Local' });
    expect(cs.queued).toBe(2);
    const tx = () => bridge.store.findTransaction(ID, transactionId)!;
    expect(tx().status).toBe('active');
    await cs.goOnline();
    expect(cs.queued).toBe(0);
    expect(tx()).toMatchObject({ status: 'ended', stopReason: 'Local', offline: true, lastSeqNo: 2 });
    expect(tx().meterStopWh! - tx().meterStartWh!).toBeCloseTo(1833, -1); // 10 minutes at 11 kW, whole Wh on the wire
    expect(events(transactionId).map((e) => [e.seqNo, e.eventType, e.offline])).toEqual([[0, 'Started', undefined], [1, 'Updated', true], [2, 'Ended', true]]);
    expect(bridge.store.listFaults({ identity: ID, open: true, limit: 50 }).filter((f) => f.code === 'TransactionEventGap')).toEqual([]);
  });

  it('a station that loses its connection (here: replaced by another one of its identity) reconnects by itself, reports its statuses and replays its queue', async () => {
    const lively = new SimulatedStation201({ url: bridge.ocppUrl, identity: 'SIM-201-RECONNECT', reconnectDelayMs: 50 });
    try {
      await lively.connect();
      const { transactionId } = await lively.startTransaction(1, TOKEN);
      const reconnected = new Promise((resolve) => lively.once('reconnected', resolve));
      const intruder = await connectProbe({ url: bridge.ocppUrl, identity: 'SIM-201-RECONNECT', protocol: 'ocpp2.0.1' });
      await expect.poll(() => lively.isOnline).toBe(false);
      await lively.advance(1, 60); // queued while the connection is down
      await reconnected;
      await intruder.close();
      expect(lively.queued).toBe(0);
      expect(bridge.store.getCharger('SIM-201-RECONNECT')?.connected).toBe(true);
      expect(bridge.store.findTransaction('SIM-201-RECONNECT', transactionId)).toMatchObject({ status: 'active', lastSeqNo: 1, lastMeterWh: 183 });
      expect(lively.sent.filter((m) => m.action === 'BootNotification')).toHaveLength(1); // no restart, no new boot
      await lively.stopTransaction(1);
      expect(lively.strictFailures).toEqual([]);
    } finally {
      await lively.close();
    }
  });

  it('a soft Reset during a transaction is Scheduled (OnIdle) and reboots once the transaction ends', async () => {
    const { transactionId } = await cs.startTransaction(1, TOKEN);
    expect(await send(ID, 'reset', { kind: 'soft' })).toEqual({ ok: true, value: { status: 'Scheduled' } });
    expect(bridge.store.findTransaction(ID, transactionId)?.status).toBe('active');
    const rebooted = new Promise((resolve) => cs.once('rebooted', resolve));
    await cs.stopTransaction(1);
    await rebooted;
    expect(bridge.store.getCharger(ID)).toMatchObject({ connected: true, bootReason: 'RemoteReset' });
  });

  it('a hard Reset ends the running transaction (ImmediateReset) before the reboot', async () => {
    const { transactionId } = await cs.startTransaction(2, TOKEN);
    const rebooted = new Promise((resolve) => cs.once('rebooted', resolve));
    expect(await send(ID, 'reset', { kind: 'hard' })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await rebooted;
    expect(bridge.store.findTransaction(ID, transactionId)).toMatchObject({ status: 'ended', stopReason: 'ImmediateReset' });
    expect(events(transactionId).at(-1)).toMatchObject({ eventType: 'Ended', triggerReason: 'ResetCommand' });
  });

  it('a Reset reboots the station: it disconnects, comes back and boots again with reason RemoteReset', async () => {
    const bootBefore = bridge.store.getCharger(ID)!.lastBootAtMs!;
    const rebooted = new Promise((resolve) => cs.once('rebooted', resolve));
    expect(await send(ID, 'reset', { kind: 'soft' })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await rebooted;
    await expect.poll(() => bridge.store.getCharger(ID)!.lastBootAtMs! > bootBefore).toBe(true);
    expect(bridge.store.getCharger(ID)).toMatchObject({ connected: true, bootReason: 'RemoteReset' });
  });
});
