/**
 * The same charging session driven once by an OCPP 1.6 charge point and once by an OCPP 2.0.1 station
 * produces the same version-neutral records: the transaction row (token, authorization, times, energy,
 * stop reason, flags, snapshot) and every reading. Only `protocol` (and 2.0.1's extra chargingState and
 * seqNo bookkeeping) may tell them apart, so nothing downstream (OCPI) can.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import type { TransactionRecord } from '../../src/domain/records.js';

let bridge: TestBridge;

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'SAME-16', evses: 1 }, { identity: 'SAME-201', evses: 1 }]));
});
afterAll(async () => {
  expect(bridge.logs.filter((l) => l.msg === 'the bridge produced an off-schema OCPP message')).toEqual([]);
  await bridge.close();
});

/** One session in neutral terms; each driver says it in its protocol. Recent times: a start older than a minute counts as offline. */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 30_000;
const session = {
  idTag: '04A2B3C4D5E6F7',
  start: { at: T0, wh: 1000 },
  samples: [{ at: T0 + 10_000, wh: 3500, w: 11_000, a: 16 }, { at: T0 + 20_000, wh: 7000, w: 10_500, a: 15.2 }],
  stop: { at: T0 + 30_000, wh: 9000, reason: 'EVDisconnected' },
};
const iso = (ms: number) => new Date(ms).toISOString();

async function drive16(p: Probe): Promise<string> {
  await p.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'Wallbox 22' });
  await p.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
  const { transactionId } = await p.call('StartTransaction', { connectorId: 1, idTag: session.idTag, meterStart: session.start.wh, timestamp: iso(session.start.at) });
  await p.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(session.start.at), sampledValue: [{ value: String(session.start.wh), context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
  for (const s of session.samples) {
    await p.call('MeterValues', {
      connectorId: 1, transactionId,
      meterValue: [{ timestamp: iso(s.at), sampledValue: [
        { value: String(s.wh / 1000), measurand: 'Energy.Active.Import.Register', unit: 'kWh', context: 'Sample.Periodic' },
        { value: String(s.w), measurand: 'Power.Active.Import', unit: 'W', context: 'Sample.Periodic' },
        { value: String(s.a), measurand: 'Current.Import', unit: 'A', phase: 'L1', context: 'Sample.Periodic' },
      ] }],
    });
  }
  await p.call('StopTransaction', {
    transactionId, idTag: session.idTag, meterStop: session.stop.wh, timestamp: iso(session.stop.at), reason: session.stop.reason,
    transactionData: [{ timestamp: iso(session.stop.at), sampledValue: [{ value: String(session.stop.wh), context: 'Transaction.End', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
  });
  return String(transactionId);
}

async function drive201(p: Probe): Promise<string> {
  const transactionId = 'same-session-201';
  const base = (eventType: string, seqNo: number, at: number, triggerReason: string, { info, ...extra }: Record<string, unknown> = {}) =>
    ({ eventType, seqNo, timestamp: iso(at), triggerReason, transactionInfo: { transactionId, ...(info as object) }, ...extra });
  const idToken = { idToken: session.idTag, type: 'ISO14443' };
  await p.call('BootNotification', { chargingStation: { vendorName: 'ACME', model: 'Station 2' }, reason: 'PowerUp' });
  await p.call('StatusNotification', { timestamp: iso(session.start.at), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
  await p.call('TransactionEvent', base('Started', 0, session.start.at, 'Authorized', {
    idToken, evse: { id: 1, connectorId: 1 }, info: { chargingState: 'Charging' },
    meterValue: [{ timestamp: iso(session.start.at), sampledValue: [{ value: session.start.wh, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }] }],
  }));
  let seqNo = 1;
  for (const s of session.samples) {
    await p.call('TransactionEvent', base('Updated', seqNo++, s.at, 'MeterValuePeriodic', {
      // the same register said the 2.0.1 way: Wh with multiplier 3 (value × 10^3)
      meterValue: [{ timestamp: iso(s.at), sampledValue: [
        { value: s.wh / 1000, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh', multiplier: 3 }, context: 'Sample.Periodic' },
        { value: s.w, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' }, context: 'Sample.Periodic' },
        { value: s.a, measurand: 'Current.Import', unitOfMeasure: { unit: 'A' }, phase: 'L1', context: 'Sample.Periodic' },
      ] }],
    }));
  }
  await p.call('TransactionEvent', base('Ended', seqNo, session.stop.at, 'EVDeparted', {
    idToken, info: { stoppedReason: session.stop.reason },
    meterValue: [{ timestamp: iso(session.stop.at), sampledValue: [{ value: session.stop.wh, context: 'Transaction.End', measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }] }],
  }));
  return transactionId;
}

/** What OCPI and the status page read from a transaction (identity, row ids and protocol bookkeeping left out). */
function neutral(tx: TransactionRecord) {
  const snapshot = JSON.parse(tx.snapshotJson!);
  return {
    status: tx.status, idTag: tx.idTag, idTokenType: tx.idTokenType, authStatus: tx.authStatus, authMethod: tx.authMethod,
    authorizationReference: tx.authorizationReference, tokenRowId: tx.tokenRowId, platformId: tx.platformId,
    startedAtMs: tx.startedAtMs, endedAtMs: tx.endedAtMs, meterStartWh: tx.meterStartWh, meterStopWh: tx.meterStopWh,
    energyWh: tx.meterStopWh! - tx.meterStartWh!, lastMeterWh: tx.lastMeterWh, lastPowerW: tx.lastPowerW, stopReason: tx.stopReason,
    reservationId: tx.reservationId, orphan: tx.orphan, offline: tx.offline,
    evseOcppId: bridge.store.getEvseByRowId(tx.evseRowId!)?.ocppId,
    snapshot: { locationId: snapshot.locationId, connectorId: snapshot.connectorId, connector: snapshot.connector, timeZone: snapshot.timeZone, tariffs: snapshot.tariffs },
    readings: bridge.store.listReadings(tx.id).map((r) => ({
      sampledAt: r.sampledAt.toISOString(), measurand: r.measurand, phase: r.phase ?? null, location: r.location, context: r.context, value: r.value, unit: r.unit,
    })),
  };
}

const expected = {
  status: 'ended', idTag: '04A2B3C4D5E6F7', idTokenType: 'ISO14443', authStatus: 'Accepted', authMethod: 'WHITELIST', authorizationReference: null,
  startedAtMs: session.start.at, endedAtMs: session.stop.at, meterStartWh: 1000, meterStopWh: 9000, energyWh: 8000, lastMeterWh: 9000, lastPowerW: 10_500,
  stopReason: 'EVDisconnected', reservationId: null, orphan: false, offline: false, evseOcppId: 1,
  readings: [
    { sampledAt: iso(session.start.at), measurand: 'Energy.Active.Import.Register', phase: null, location: 'Outlet', context: 'Transaction.Begin', value: 1000, unit: 'Wh' },
    ...session.samples.flatMap((s) => [
      { sampledAt: iso(s.at), measurand: 'Energy.Active.Import.Register', phase: null, location: 'Outlet', context: 'Sample.Periodic', value: s.wh, unit: 'Wh' },
      { sampledAt: iso(s.at), measurand: 'Power.Active.Import', phase: null, location: 'Outlet', context: 'Sample.Periodic', value: s.w, unit: 'W' },
      { sampledAt: iso(s.at), measurand: 'Current.Import', phase: 'L1', location: 'Outlet', context: 'Sample.Periodic', value: s.a, unit: 'A' },
    ]),
    { sampledAt: iso(session.stop.at), measurand: 'Energy.Active.Import.Register', phase: null, location: 'Outlet', context: 'Transaction.End', value: 9000, unit: 'Wh' },
  ],
};

const results = new Map<string, ReturnType<typeof neutral>>();

describe('the same session over both protocols', () => {
  it.each([
    ['ocpp1.6', 'SAME-16', drive16],
    ['ocpp2.0.1', 'SAME-201', drive201],
  ] as const)('over %s it is stored as the version-neutral session', async (protocol, identity, drive) => {
    const p = await connectProbe({ url: bridge.ocppUrl, identity, protocol });
    try {
      const transactionId = await drive(p);
      expect(p.strictFailures).toEqual([]);
      const tx = bridge.store.findTransaction(identity, transactionId)!;
      expect(tx.protocol).toBe(protocol);
      const record = neutral(tx);
      expect(record).toMatchObject(expected);
      expect(record.snapshot).toMatchObject({ locationId: 'LOC-1', connectorId: '1', timeZone: 'Europe/Berlin', tariffs: [{ id: 'AC-STANDARD' }] });
      results.set(protocol, record);
    } finally {
      await p.close();
    }
  });

  it('and the two records are identical', () => {
    expect(results.size).toBe(2);
    expect(results.get('ocpp2.0.1')).toEqual(results.get('ocpp1.6'));
  });
});
