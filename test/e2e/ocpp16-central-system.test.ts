/**
 * OCPP 1.6J central system over real WebSockets on loopback: the upgrade rules (identity, subprotocol,
 * Basic auth), every charger-initiated message, transaction rules real sites need (retransmitted start,
 * orphan stop, offline replay with old timestamps, salvaged off-schema stops), bad input, and commands.
 * Every probe runs ocpp-rpc in strict mode and the tests fail if the bridge answers off-schema.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';
import { basicAuth, connectProbe, upgradeStatus, type Probe } from '../helpers/ocpp-client.js';

let bridge: TestBridge;
const probes: Probe[] = [];

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([
    { identity: 'CP-1', evses: 2 },
    { identity: 'CP-AUTH', evses: 1, password: 'correct-horse-battery' },
    { identity: 'CP-PENDING', evses: 1, boot_status: 'Pending' },
    { identity: 'CP-REJECTED', evses: 1, boot_status: 'Rejected' },
    { identity: 'CP-2', evses: 2 },
    { identity: 'CP-3', evses: 1 },
  ], { ocpp: { call_timeout_s: 1 } }));
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
  const p = await connectProbe({ url: bridge.ocppUrl, identity, ...extra });
  probes.push(p);
  return p;
}

const boot = { chargePointVendor: 'ACME', chargePointModel: 'Wallbox 22', chargePointSerialNumber: 'SN-1', firmwareVersion: '1.2.3' };
const at = (iso: string) => new Date(iso).getTime();

describe('upgrade', () => {
  it.each([
    ['an unknown identity', 404, 'NOBODY', ['ocpp1.6'], {}],
    ['an empty identity (trailing slash)', 404, '', ['ocpp1.6'], {}],
    ['an over-long identity', 404, 'X'.repeat(49), ['ocpp1.6'], {}],
    ['a path-traversal identity', 404, '..%2F..%2Fetc', ['ocpp1.6'], {}],
    ['no supported subprotocol', 400, 'CP-1', ['ocpp1.5'], {}],
    ['a missing password (profile 1)', 401, 'CP-AUTH', ['ocpp1.6'], {}],
    ['a wrong password (profile 1)', 401, 'CP-AUTH', ['ocpp1.6'], basicAuth('CP-AUTH', 'wrong')],
    ['the right password under another user name', 401, 'CP-AUTH', ['ocpp1.6'], basicAuth('CP-1', 'correct-horse-battery')],
    ['the right password', 101, 'CP-AUTH', ['ocpp1.6'], basicAuth('CP-AUTH', 'correct-horse-battery')],
    ['a known identity without security profile', 101, 'CP-1', ['ocpp1.6'], {}],
  ])('%s gets HTTP %i', async (_name, status, identity, protocols, headers) => {
    expect(await upgradeStatus(`${bridge.ocppUrl}/${identity}`, protocols as string[], headers as Record<string, string>)).toBe(status);
  });

  it('a second connection with the same identity replaces the first', async () => {
    const first = await probe('CP-3');
    const closed = new Promise((resolve) => first.client.once('close', resolve));
    const second = await probe('CP-3');
    await closed;
    expect(first.client.state).toBe(3);
    expect((await second.call('Heartbeat', {})).currentTime).toBeTypeOf('string');
    expect(bridge.store.getCharger('CP-3')?.connected).toBe(true);
  });
});

describe('charger-initiated messages', () => {
  it('BootNotification is Accepted with the configured interval and recorded', async () => {
    const p = await probe('CP-1');
    const res = await p.call('BootNotification', boot);
    expect(res.status).toBe('Accepted');
    expect(res.interval).toBe(300);
    expect(Math.abs(Date.parse(res.currentTime) - Date.now())).toBeLessThan(5000);
    expect(bridge.store.getCharger('CP-1')).toMatchObject({ vendor: 'ACME', model: 'Wallbox 22', serialNumber: 'SN-1', firmwareVersion: '1.2.3', bootStatus: 'Accepted', protocol: 'ocpp1.6', connected: true });
  });

  it.each([['CP-PENDING', 'Pending'], ['CP-REJECTED', 'Rejected']])('BootNotification of %s answers %s with a retry interval', async (identity, status) => {
    const p = await probe(identity);
    const res = await p.call('BootNotification', boot);
    expect(res).toMatchObject({ status, interval: 60 });
  });

  it('Heartbeat answers the current time and records it', async () => {
    const p = await probe('CP-1');
    const res = await p.call('Heartbeat', {});
    expect(Math.abs(Date.parse(res.currentTime) - Date.now())).toBeLessThan(5000);
    expect(bridge.store.getCharger('CP-1')?.lastHeartbeatAtMs).toBeGreaterThan(Date.now() - 5000);
  });

  it('StatusNotification per connector, connector 0 for the whole charger, errors as faults', async () => {
    const p = await probe('CP-1');
    await p.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: '2026-11-25T10:00:00Z' });
    await p.call('StatusNotification', { connectorId: 2, status: 'Faulted', errorCode: 'GroundFailure', info: 'RCD tripped', vendorErrorCode: 'E42', timestamp: '2026-11-25T10:00:00Z' });
    await p.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });
    expect(bridge.store.getEvse('CP-1', 1)).toMatchObject({ status: 'Available', errorCode: 'NoError' });
    expect(bridge.store.getEvse('CP-1', 2)).toMatchObject({ status: 'Faulted', errorCode: 'GroundFailure', statusInfo: 'RCD tripped', vendorErrorCode: 'E42' });
    expect(bridge.store.getCharger('CP-1')?.stationStatus).toBe('Available');
    const faults = bridge.store.listFaults({ identity: 'CP-1', open: true, limit: 10 });
    expect(faults.find((f) => f.code === 'GroundFailure')).toMatchObject({ evseOcppId: 2, message: expect.stringContaining('RCD tripped') });
    // an older report does not overwrite a newer one; a later NoError clears the fault
    await p.call('StatusNotification', { connectorId: 2, status: 'Available', errorCode: 'NoError', timestamp: '2026-11-25T09:00:00Z' });
    expect(bridge.store.getEvse('CP-1', 2)?.status).toBe('Faulted');
    await p.call('StatusNotification', { connectorId: 2, status: 'Available', errorCode: 'NoError', timestamp: '2026-11-25T11:00:00Z' });
    expect(bridge.store.getEvse('CP-1', 2)?.status).toBe('Available');
    expect(bridge.store.listFaults({ identity: 'CP-1', open: true, limit: 10 }).find((f) => f.code === 'GroundFailure')).toBeUndefined();
  });

  it('StatusNotification for a connector the config does not know is kept and flagged', async () => {
    const p = await probe('CP-1');
    await p.call('StatusNotification', { connectorId: 7, status: 'Available', errorCode: 'NoError' });
    expect(bridge.store.getEvse('CP-1', 7)).toMatchObject({ configured: false, status: 'Available' });
    expect(bridge.store.listFaults({ identity: 'CP-1', open: true, limit: 20 }).some((f) => f.code === 'UnknownEvse' && f.evseOcppId === 7)).toBe(true);
  });

  it.each([
    ['a configured valid token', '04A2B3C4D5E6F7', 'Accepted'],
    ['the same token in lower case', '04a2b3c4d5e6f7', 'Accepted'],
    ['a blocked token', 'BLOCKED01', 'Blocked'],
    ['an unknown token', 'DEADBEEF', 'Invalid'],
  ])('Authorize with %s', async (_name, idTag, status) => {
    const p = await probe('CP-1');
    expect((await p.call('Authorize', { idTag })).idTagInfo.status).toBe(status);
  });

  it.each([
    ['DataTransfer', { vendorId: 'com.example' }, { status: 'UnknownVendorId' }],
    ['DiagnosticsStatusNotification', { status: 'Uploaded' }, {}],
    ['FirmwareStatusNotification', { status: 'Installed' }, {}],
    ['SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: '2026-11-25T10:00:00Z' }, {}],
    ['SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----' }, { status: 'Rejected' }],
    ['LogStatusNotification', { status: 'Uploaded', requestId: 1 }, {}],
    ['SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 1 }, {}],
  ])('%s is answered as the spec says', async (action, params, expected) => {
    const p = await probe('CP-1');
    expect(await p.call(action, params)).toEqual(expected);
  });

  it('a firmware failure becomes a fault', async () => {
    const p = await probe('CP-2');
    await p.call('FirmwareStatusNotification', { status: 'InstallationFailed' });
    expect(bridge.store.listFaults({ identity: 'CP-2', open: true, limit: 10 }).some((f) => f.code === 'FirmwareInstallationFailed')).toBe(true);
  });

  it('an action not in the table gets NotImplemented', async () => {
    const p = await probe('CP-1');
    await expect(p.call('CancelReservation', { reservationId: 1 })).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
  });
});

describe('transactions', () => {
  it('a full session from boot to stop is in the database', async () => {
    const p = await probe('CP-2');
    await p.call('BootNotification', boot);
    await p.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    const start = await p.call('StartTransaction', { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: 1000, timestamp: '2026-11-25T10:00:00Z' });
    expect(start.idTagInfo.status).toBe('Accepted');
    expect(Number.isInteger(start.transactionId)).toBe(true);
    await p.call('MeterValues', {
      connectorId: 1, transactionId: start.transactionId,
      meterValue: [{
        timestamp: '2026-11-25T10:15:00Z',
        sampledValue: [
          { value: '3.5', measurand: 'Energy.Active.Import.Register', unit: 'kWh', context: 'Sample.Periodic' },
          { value: '11', measurand: 'Power.Active.Import', unit: 'kW' },
          { value: '16.1', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
          { value: '231.2', measurand: 'Voltage', unit: 'V', phase: 'L1-N' },
          { value: '55', measurand: 'SoC', unit: 'Percent' },
          { value: '21.5', measurand: 'Temperature', unit: 'Celcius' },
          { value: '3400' }, // all defaults: Energy.Active.Import.Register in Wh
        ],
      }],
    });
    const stop = await p.call('StopTransaction', {
      transactionId: start.transactionId, meterStop: 12_000, timestamp: '2026-11-25T11:00:00Z', reason: 'EVDisconnected', idTag: '04A2B3C4D5E6F7',
      transactionData: [{ timestamp: '2026-11-25T11:00:00Z', sampledValue: [{ value: '12000', context: 'Transaction.End', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });
    expect(stop.idTagInfo.status).toBe('Accepted');
    const tx = bridge.store.findTransaction('CP-2', String(start.transactionId))!;
    expect(tx).toMatchObject({
      status: 'ended', idTag: '04A2B3C4D5E6F7', authStatus: 'Accepted', meterStartWh: 1000, meterStopWh: 12_000, stopReason: 'EVDisconnected',
      startedAtMs: at('2026-11-25T10:00:00Z'), endedAtMs: at('2026-11-25T11:00:00Z'), protocol: 'ocpp1.6', orphan: false,
    });
    expect(bridge.store.getEvseByRowId(tx.evseRowId!)).toMatchObject({ chargerIdentity: 'CP-2', ocppId: 1 });
    const readings = bridge.store.listReadings(tx.id);
    const byMeasurand = Object.fromEntries(readings.filter((r) => r.context === 'Sample.Periodic').map((r) => [`${r.measurand}${r.phase ? `/${r.phase}` : ''}:${r.rawValue}`, [r.value, r.unit]]));
    expect(byMeasurand).toEqual({
      'Energy.Active.Import.Register:3.5': [3500, 'Wh'],
      'Power.Active.Import:11': [11_000, 'W'],
      'Current.Import/L1:16.1': [16.1, 'A'],
      'Voltage/L1-N:231.2': [231.2, 'V'],
      'SoC:55': [55, '%'],
      'Temperature:21.5': [21.5, 'Celsius'],
      'Energy.Active.Import.Register:3400': [3400, 'Wh'],
    });
    expect(readings.find((r) => r.context === 'Transaction.End')).toMatchObject({ value: 12_000, unit: 'Wh' });
    const snapshot = JSON.parse(tx.snapshotJson!);
    expect(snapshot).toMatchObject({ locationId: 'LOC-1', evseId: 'DE*EXA*E0005*1', connectorId: '1', timeZone: 'Europe/Berlin' });
    expect(snapshot.tariffs[0]).toMatchObject({ id: 'AC-STANDARD', country_code: 'DE', party_id: 'EXA' });
  });

  it('a StartTransaction retransmitted after a lost response gets the same transactionId', async () => {
    const p = await probe('CP-2');
    const req = { connectorId: 2, idTag: '04A2B3C4D5E6F7', meterStart: 500, timestamp: '2026-11-25T12:00:00Z' };
    const [a, b] = await Promise.all([p.call('StartTransaction', req), p.call('StartTransaction', req)]);
    const c = await p.call('StartTransaction', req);
    expect(b.transactionId).toBe(a.transactionId);
    expect(c.transactionId).toBe(a.transactionId);
    expect(bridge.store.listActiveTransactions('CP-2').filter((t) => t.startedAtMs === at('2026-11-25T12:00:00Z'))).toHaveLength(1);
    const other = await p.call('StartTransaction', { ...req, timestamp: '2026-11-25T12:30:00Z' });
    expect(other.transactionId).not.toBe(a.transactionId);
  });

  it('a StartTransaction with a refused idTag is still recorded (energy may flow)', async () => {
    const p = await probe('CP-2');
    const res = await p.call('StartTransaction', { connectorId: 1, idTag: 'DEADBEEF', meterStart: 0, timestamp: '2026-11-25T13:00:00Z' });
    expect(res.idTagInfo.status).toBe('Invalid');
    expect(bridge.store.findTransaction('CP-2', String(res.transactionId))).toMatchObject({ authStatus: 'Invalid', status: 'active' });
  });

  it('a StopTransaction for an unknown transaction is accepted and kept as an orphan', async () => {
    const p = await probe('CP-2');
    expect(await p.call('StopTransaction', { transactionId: 987_654, meterStop: 4200, timestamp: '2026-11-25T14:00:00Z' })).toEqual({});
    expect(bridge.store.findTransaction('CP-2', '987654')).toMatchObject({ orphan: true, status: 'ended', meterStopWh: 4200, stopReason: 'Local' });
    expect(bridge.logs.some((l) => l.level === 'warn' && l.charger === 'CP-2' && /orphan/.test(l.msg))).toBe(true);
    // a repeat of the same stop is harmless
    expect(await p.call('StopTransaction', { transactionId: 987_654, meterStop: 4200, timestamp: '2026-11-25T14:00:00Z' })).toEqual({});
  });

  it('offline replay: queued start, meter values and stop keep their own timestamps, in order', async () => {
    const p = await probe('CP-2');
    const start = await p.call('StartTransaction', { connectorId: 2, idTag: '04A2B3C4D5E6F7', meterStart: 10_000, timestamp: '2026-11-20T08:00:00Z' });
    await p.call('MeterValues', { connectorId: 2, transactionId: start.transactionId, meterValue: [{ timestamp: '2026-11-20T08:30:00Z', sampledValue: [{ value: '15000' }] }] });
    await p.call('StopTransaction', { transactionId: start.transactionId, meterStop: 20_000, timestamp: '2026-11-20T09:00:00Z' });
    const tx = bridge.store.findTransaction('CP-2', String(start.transactionId))!;
    expect(tx).toMatchObject({ startedAtMs: at('2026-11-20T08:00:00Z'), endedAtMs: at('2026-11-20T09:00:00Z'), offline: true, meterStopWh: 20_000 });
    expect(bridge.store.listReadings(tx.id).map((r) => r.sampledAt.toISOString())).toEqual(['2026-11-20T08:30:00.000Z']);
  });

  it('an off-schema StopTransaction that can be salvaged is acknowledged, recorded, and faulted', async () => {
    const p = await probe('CP-2');
    const start = await p.call('StartTransaction', { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: 0, timestamp: '2026-11-25T15:00:00Z' });
    // an over-long idTag, an unknown unit and an extra field: strict OCA schema violations
    const odd = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-2', strict: false });
    probes.push(odd);
    const res = await odd.call('StopTransaction', {
      transactionId: start.transactionId, meterStop: 7000, timestamp: '2026-11-25T16:00:00Z', idTag: 'X'.repeat(25), vendorExtra: true,
      transactionData: [{ timestamp: '2026-11-25T16:00:00Z', sampledValue: [{ value: '7.0', unit: 'kWhh', context: 'Transaction.End' }] }],
    });
    expect(res).toHaveProperty('idTagInfo');
    expect(bridge.store.findTransaction('CP-2', String(start.transactionId))).toMatchObject({ status: 'ended', meterStopWh: 7000 });
    const fault = bridge.store.listFaults({ identity: 'CP-2', open: true, limit: 50 }).find((f) => f.code === 'SchemaViolation');
    expect(fault?.message).toMatch(/StopTransaction did not match the OCPP schema/);
    expect((fault?.details as any).params.vendorExtra).toBe(true);
  });
});

describe('traffic log', () => {
  it('keeps both directions with the action named on calls and on their results', async () => {
    const p = await probe('CP-1');
    await p.call('Authorize', { idTag: 'LOGGED-TAG' });
    const find = () => {
      const log = bridge.store.listOcppMessages('CP-1', 200, 'Authorize');
      const call = log.find((m) => m.kind === 'call' && m.payload.includes('LOGGED-TAG'));
      return { call, result: call && log.find((m) => m.kind === 'result' && m.messageId === call.messageId) };
    };
    await expect.poll(() => find().result).toBeTruthy();
    expect(find().call).toMatchObject({ direction: 'in', action: 'Authorize' });
    expect(find().result).toMatchObject({ direction: 'out', action: 'Authorize', payload: expect.stringContaining('"Invalid"') });
  });
});

describe('bad input', () => {
  it('a frame that is not JSON, a schema violation and an unknown action each get the OCPP-J error; the charger keeps being served', async () => {
    const raw = new WebSocket(`${bridge.ocppUrl}/CP-1`, ['ocpp1.6']);
    const replies: any[] = [];
    raw.on('message', (m) => replies.push(JSON.parse(m.toString())));
    await new Promise((resolve) => raw.on('open', resolve));
    raw.send('this is not json');
    raw.send(JSON.stringify([2, 'm1', 'BootNotification', { chargePointVendor: 42, chargePointModel: 'M' }]));
    raw.send(JSON.stringify([2, 'm2', 'MadeUpAction', {}]));
    raw.send(JSON.stringify([2, 'm3', 'Heartbeat', {}]));
    await expect.poll(() => replies.length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => replies.find((r) => r[1] === 'm3')).toBeTruthy();
    expect(replies.find((r) => r[1] === 'm1')?.[2]).toBe('TypeConstraintViolation');
    expect(replies.find((r) => r[1] === 'm2')?.[2]).toBe('NotImplemented');
    expect(replies.find((r) => r[1] === 'm3')?.[0]).toBe(3);
    raw.close();
  });

  it('a 10 MB frame closes that connection and nothing else', async () => {
    const other = await probe('CP-3');
    const raw = new WebSocket(`${bridge.ocppUrl}/CP-1`, ['ocpp1.6']);
    await new Promise((resolve) => raw.on('open', resolve));
    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    raw.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: 'A'.repeat(10 * 1024 * 1024) }]));
    expect(await closed).toBe(1009);
    expect((await other.call('Heartbeat', {})).currentTime).toBeTypeOf('string');
  });

  it('1,000 calls in a burst from one charger are all answered', async () => {
    const p = await probe('CP-1', { concurrency: 1000 });
    const results = await Promise.all(Array.from({ length: 1000 }, () => p.call('Heartbeat', {})));
    expect(results.every((r) => typeof r.currentTime === 'string')).toBe(true);
  });
});

describe('commands to the charger', () => {
  it('each command is sent with a valid 1.6 payload and the answer mapped back', async () => {
    const responses: Record<string, Record<string, unknown>> = {
      RemoteStartTransaction: { status: 'Accepted' }, RemoteStopTransaction: { status: 'Accepted' }, UnlockConnector: { status: 'Unlocked' },
      ReserveNow: { status: 'Occupied' }, CancelReservation: { status: 'Rejected' }, SetChargingProfile: { status: 'Accepted' },
      ClearChargingProfile: { status: 'Unknown' }, GetCompositeSchedule: { status: 'Accepted', connectorId: 1, scheduleStart: '2026-11-25T10:00:00Z', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] } },
      Reset: { status: 'Accepted' }, ChangeAvailability: { status: 'Scheduled' }, ChangeConfiguration: { status: 'RebootRequired' },
      GetConfiguration: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: ['Nope'] },
      TriggerMessage: { status: 'Accepted' }, SendLocalList: { status: 'VersionMismatch' }, GetLocalListVersion: { listVersion: 7 }, ClearCache: { status: 'Accepted' },
      UpdateFirmware: {}, GetDiagnostics: { fileName: 'diag.zip' }, DataTransfer: { status: 'Accepted', data: 'pong' },
    };
    const handlers = Object.fromEntries(Object.entries(responses).map(([action, response]) => [action, () => response]));
    const p = await probe('CP-3', { handlers });
    const send = bridge.commands.send.bind(bridge.commands);
    const start = new Date('2026-11-25T10:00:00Z');
    const outcomes = {
      remoteStart: await send('CP-3', 'remoteStart', { evseOcppId: 1, idTag: '04A2B3C4D5E6F7' }),
      remoteStop: await send('CP-3', 'remoteStop', { ocppTransactionId: '42' }),
      unlockConnector: await send('CP-3', 'unlockConnector', { evseOcppId: 1 }),
      reserveNow: await send('CP-3', 'reserveNow', { reservationId: 5, evseOcppId: 1, expiresAt: start, idTag: '04A2B3C4D5E6F7' }),
      cancelReservation: await send('CP-3', 'cancelReservation', { reservationId: 5 }),
      setChargingProfile: await send('CP-3', 'setChargingProfile', { evseOcppId: 1, profile: { id: 1, stackLevel: 1, purpose: 'TxProfile', kind: 'Relative', ocppTransactionId: '42', schedule: { rateUnit: 'A', periods: [{ startPeriodS: 0, limit: 16.04 }] } } }),
      clearChargingProfile: await send('CP-3', 'clearChargingProfile', { profileId: 1 }),
      getCompositeSchedule: await send('CP-3', 'getCompositeSchedule', { evseOcppId: 1, durationS: 3600 }),
      reset: await send('CP-3', 'reset', { kind: 'hard' }),
      changeAvailability: await send('CP-3', 'changeAvailability', { evseOcppId: 0, operative: false }),
      changeConfiguration: await send('CP-3', 'changeConfiguration', { key: 'HeartbeatInterval', value: '60' }),
      getConfiguration: await send('CP-3', 'getConfiguration', { keys: ['HeartbeatInterval', 'Nope'] }),
      triggerMessage: await send('CP-3', 'triggerMessage', { message: 'StatusNotification', evseOcppId: 1 }),
      sendLocalList: await send('CP-3', 'sendLocalList', { version: 3, full: false, entries: [{ idTag: '04A2B3C4D5E6F7', status: 'Accepted' }] }),
      getLocalListVersion: await send('CP-3', 'getLocalListVersion', {}),
      clearCache: await send('CP-3', 'clearCache', {}),
      updateFirmware: await send('CP-3', 'updateFirmware', { location: 'https://fw.example.com/fw.bin', retrieveAt: start }),
      getDiagnostics: await send('CP-3', 'getDiagnostics', { location: 'ftp://diag.example.com/' }),
      dataTransfer: await send('CP-3', 'dataTransfer', { vendorId: 'com.example', messageId: 'ping', data: 'ping' }),
    };
    expect(outcomes).toMatchObject({
      remoteStart: { ok: true, value: { status: 'Accepted' } }, remoteStop: { ok: true, value: { status: 'Accepted' } },
      unlockConnector: { ok: true, value: { status: 'Unlocked' } }, reserveNow: { ok: true, value: { status: 'Occupied' } },
      cancelReservation: { ok: true, value: { status: 'Rejected' } }, setChargingProfile: { ok: true, value: { status: 'Accepted' } },
      clearChargingProfile: { ok: true, value: { status: 'Unknown' } },
      getCompositeSchedule: { ok: true, value: { status: 'Accepted', schedule: { rateUnit: 'A', periods: [{ startPeriodS: 0, limit: 16 }] } } },
      reset: { ok: true, value: { status: 'Accepted' } }, changeAvailability: { ok: true, value: { status: 'Scheduled' } },
      changeConfiguration: { ok: true, value: { status: 'RebootRequired' } },
      getConfiguration: { ok: true, value: { entries: [{ key: 'HeartbeatInterval', value: '300', readonly: false }], unknownKeys: ['Nope'] } },
      triggerMessage: { ok: true, value: { status: 'Accepted' } }, sendLocalList: { ok: true, value: { status: 'VersionMismatch' } },
      getLocalListVersion: { ok: true, value: { version: 7 } }, clearCache: { ok: true, value: { status: 'Accepted' } },
      updateFirmware: { ok: true }, getDiagnostics: { ok: true, value: { fileName: 'diag.zip' } }, dataTransfer: { ok: true, value: { status: 'Accepted', data: 'pong' } },
    });
    const got = Object.fromEntries(p.received.map((r) => [r.action, r.params]));
    expect(got.RemoteStartTransaction).toEqual({ connectorId: 1, idTag: '04A2B3C4D5E6F7' });
    expect(got.RemoteStopTransaction).toEqual({ transactionId: 42 });
    expect(got.SetChargingProfile.csChargingProfiles).toMatchObject({ transactionId: 42, chargingProfilePurpose: 'TxProfile', chargingSchedule: { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] } });
    expect(got.ChangeAvailability).toEqual({ connectorId: 0, type: 'Inoperative' });
    expect(got.Reset).toEqual({ type: 'Hard' });
    expect(got.SendLocalList).toEqual({ listVersion: 3, updateType: 'Differential', localAuthorizationList: [{ idTag: '04A2B3C4D5E6F7', idTagInfo: { status: 'Accepted' } }] });
  });

  it('a command to an offline charger fails at once with a clear reason', async () => {
    const started = Date.now();
    const outcome = await bridge.commands.send('CP-PENDING', 'reset', { kind: 'soft' });
    expect(outcome).toEqual({ ok: false, reason: 'offline', message: 'charger CP-PENDING is not connected' });
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('a charger that never answers gets a timeout outcome, and the next command still goes through', async () => {
    await probe('CP-3', { handlers: { Reset: () => new Promise(() => undefined), ClearCache: () => ({ status: 'Accepted' }) } });
    const started = Date.now();
    expect(await bridge.commands.send('CP-3', 'reset', { kind: 'soft' })).toMatchObject({ ok: false, reason: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await bridge.commands.send('CP-3', 'clearCache', {})).toEqual({ ok: true, value: { status: 'Accepted' } });
  });

  it('a charger answering off the schema gets a failed outcome that says so, and the next command still goes through', async () => {
    await probe('CP-3', { strict: false, handlers: { Reset: () => ({ status: 'Maybe' }), ClearCache: () => ({}), UnlockConnector: () => ({ status: 'Unlocked' }) } });
    for (const [command, args] of [['reset', { kind: 'soft' }], ['clearCache', {}]] as const) {
      const outcome = await bridge.commands.send('CP-3', command, args as never);
      expect(outcome).toMatchObject({ ok: false, reason: 'invalid-answer' });
      expect((outcome as { message: string }).message).toMatch(/its answer does not match the OCPP 1\.6 schema/);
    }
    expect(await bridge.commands.send('CP-3', 'unlockConnector', { evseOcppId: 1, connectorOcppId: 1 })).toMatchObject({ ok: true, value: { status: 'Unlocked' } });
  });

  it('a charger answering NotImplemented maps to not-supported; one that errors maps to rejected-by-charger', async () => {
    await probe('CP-3', { handlers: { Reset: () => { throw new Error('boom'); } } });
    expect(await bridge.commands.send('CP-3', 'clearCache', {})).toMatchObject({ ok: false, reason: 'not-supported' });
    expect(await bridge.commands.send('CP-3', 'reset', { kind: 'soft' })).toMatchObject({ ok: false, reason: 'rejected-by-charger' });
  });
});
