/**
 * Connection faults: a charger whose WebSocket stops answering pings is dropped within two ping intervals and
 * marked offline; a charger that opens 1,000 connections ends with one live connection (each new one replaces
 * the old), and the bridge keeps serving another charger throughout; a charger that disconnects mid-call
 * leaves nothing half written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectProbe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-PING', evses: 1 }, { identity: 'CP-MANY', evses: 1 }, { identity: 'CP-OTHER', evses: 1 }], { ocpp: { ping_interval_s: 1 } }));
});
afterAll(async () => {
  await bridge.close();
});

function open(identity: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${bridge.ocppUrl}/${identity}`, ['ocpp1.6'], options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('connection faults', () => {
  it('a charger that stops answering pings is dropped and marked offline', async () => {
    const ws = await open('CP-PING', { autoPong: false });
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await expect.poll(() => bridge.store.getCharger('CP-PING')?.connected).toBe(true);
    const started = Date.now();
    await closed;
    expect(Date.now() - started).toBeLessThan(3500);
    await expect.poll(() => bridge.store.getCharger('CP-PING')?.connected).toBe(false);
  });

  it('1,000 connections of one identity end with one, and another charger is served throughout', async () => {
    const other = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-OTHER' });
    const sockets: WebSocket[] = [];
    for (let batch = 0; batch < 10; batch++) {
      sockets.push(...(await Promise.all(Array.from({ length: 100 }, () => open('CP-MANY')))));
      expect((await other.call('Heartbeat', {})).currentTime).toBeTypeOf('string');
    }
    await expect.poll(() => sockets.filter((s) => s.readyState === WebSocket.OPEN).length, { timeout: 10_000 }).toBe(1);
    expect(sockets[sockets.length - 1]!.readyState).toBe(WebSocket.OPEN);
    expect(bridge.store.getCharger('CP-MANY')?.connected).toBe(true);
    sockets.forEach((s) => s.terminate());
    await other.close();
  }, 30_000);

  it('a charger that disconnects in the middle of a call leaves no half-written transaction', async () => {
    const ws = await open('CP-OTHER');
    ws.send(JSON.stringify([2, 'mid-1', 'StartTransaction', { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: 5, timestamp: '2026-11-25T11:11:11Z' }]));
    ws.terminate();
    await new Promise((r) => setTimeout(r, 200));
    const txs = bridge.store.listActiveTransactions('CP-OTHER').filter((t) => t.startedAtMs === Date.parse('2026-11-25T11:11:11Z'));
    expect(txs.length).toBeLessThanOrEqual(1);
    for (const tx of txs) expect(tx).toMatchObject({ meterStartWh: 5, idTag: '04A2B3C4D5E6F7', evseRowId: expect.any(Number) });
    const probe = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-OTHER' });
    const retry = await probe.call('StartTransaction', { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: 5, timestamp: '2026-11-25T11:11:11Z' });
    expect(bridge.store.listActiveTransactions('CP-OTHER').filter((t) => t.startedAtMs === Date.parse('2026-11-25T11:11:11Z')).map((t) => Number(t.ocppTransactionId))).toEqual([retry.transactionId]);
    await probe.close();
  });
});
