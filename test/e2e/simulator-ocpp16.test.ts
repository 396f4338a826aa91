/**
 * The OCPP 1.6 charger simulator against the real bridge: a full session from boot to stop checked in the
 * database, commands that really act (RemoteStart starts a transaction, ChangeAvailability changes status,
 * Reset reboots, TriggerMessage sends the message), local lists, and offline queueing with replay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCharger16 } from '../../firmware-sim/charger16.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let cp: SimulatedCharger16;
const send = (...a: Parameters<TestBridge['commands']['send']>) => bridge.commands.send(...a);

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'SIM-1', evses: 2 }]));
  cp = new SimulatedCharger16({ url: bridge.ocppUrl, identity: 'SIM-1', connectors: 2, powerW: 11_000 });
  await cp.connect();
});
afterAll(async () => {
  await cp.close();
  await bridge.close();
});

describe('simulated 1.6 charger against the bridge', () => {
  it('boots, reports status, and runs a full session that lands in the database', async () => {
    expect(cp.bootStatus).toBe('Accepted');
    expect(bridge.store.getCharger('SIM-1')).toMatchObject({ vendor: 'Simulated', model: 'SIM-16', connected: true });
    const { transactionId, status } = await cp.startTransaction(1, '04A2B3C4D5E6F7');
    expect(status).toBe('Accepted');
    await cp.advance(1, 1800);
    await cp.stopTransaction(1, 'EVDisconnected');
    const tx = bridge.store.findTransaction('SIM-1', String(transactionId))!;
    expect(tx).toMatchObject({ status: 'ended', meterStartWh: 0, meterStopWh: 5500, stopReason: 'EVDisconnected', idTag: '04A2B3C4D5E6F7' });
    expect(bridge.store.listReadings(tx.id).find((r) => r.measurand === 'Energy.Active.Import.Register')?.value).toBe(5500);
    await expect.poll(() => bridge.store.getEvse('SIM-1', 1)?.status).toBe('Available');
  });

  it('a RemoteStartTransaction really starts a transaction, and RemoteStop ends it', async () => {
    expect(await send('SIM-1', 'remoteStart', { evseOcppId: 2, idTag: '04A2B3C4D5E6F7' })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => bridge.store.listActiveTransactions('SIM-1').length).toBe(1);
    const tx = bridge.store.listActiveTransactions('SIM-1')[0]!;
    expect(bridge.store.getEvseByRowId(tx.evseRowId!)?.ocppId).toBe(2);
    expect(await send('SIM-1', 'remoteStop', { ocppTransactionId: tx.ocppTransactionId })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => bridge.store.getTransaction(tx.id)?.stopReason).toBe('Remote');
  });

  it('ChangeAvailability really changes status; TriggerMessage sends the message', async () => {
    expect(await send('SIM-1', 'changeAvailability', { evseOcppId: 1, operative: false })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => bridge.store.getEvse('SIM-1', 1)?.status).toBe('Unavailable');
    expect(await send('SIM-1', 'changeAvailability', { evseOcppId: 1, operative: true })).toMatchObject({ ok: true });
    await expect.poll(() => bridge.store.getEvse('SIM-1', 1)?.status).toBe('Available');
    const before = bridge.store.getCharger('SIM-1')!.lastHeartbeatAtMs ?? 0;
    expect(await send('SIM-1', 'triggerMessage', { message: 'Heartbeat' })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await expect.poll(() => (bridge.store.getCharger('SIM-1')!.lastHeartbeatAtMs ?? 0) > before).toBe(true);
  });

  it('keeps the local list the bridge sends, with versions', async () => {
    expect(await send('SIM-1', 'sendLocalList', { version: 2, full: true, entries: [{ idTag: 'AABBCCDD', status: 'Accepted' }] })).toMatchObject({ value: { status: 'Accepted' } });
    expect(await send('SIM-1', 'sendLocalList', { version: 2, full: false, entries: [] })).toMatchObject({ value: { status: 'VersionMismatch' } });
    expect(await send('SIM-1', 'getLocalListVersion', {})).toEqual({ ok: true, value: { version: 2 } });
    expect(cp.localList.entries.get('AABBCCDD')).toBe('Accepted');
  });

  it('queues transaction messages while offline and replays them in order with their own times', async () => {
    const { transactionId } = await cp.startTransaction(1, '04A2B3C4D5E6F7');
    cp.goOffline();
    await expect.poll(() => bridge.store.getCharger('SIM-1')?.connected).toBe(false);
    const meter = cp.advance(1, 600);
    const stop = cp.stopTransaction(1, 'Local');
    await cp.goOnline();
    await Promise.all([meter, stop]);
    const tx = bridge.store.findTransaction('SIM-1', String(transactionId))!;
    expect(tx.status).toBe('ended');
    expect(tx.meterStopWh).toBe(tx.meterStartWh! + 1833);
  });

  it('a Reset reboots the charger: it disconnects, comes back and boots again', async () => {
    const bootBefore = bridge.store.getCharger('SIM-1')!.lastBootAtMs!;
    const rebooted = new Promise((resolve) => cp.once('rebooted', resolve));
    expect(await send('SIM-1', 'reset', { kind: 'soft' })).toEqual({ ok: true, value: { status: 'Accepted' } });
    await rebooted;
    await expect.poll(() => bridge.store.getCharger('SIM-1')!.lastBootAtMs! > bootBefore).toBe(true);
    expect(bridge.store.getCharger('SIM-1')?.connected).toBe(true);
  });
});
