/**
 * A full disk (simulated with SQLite's max_page_count): writes fail, the bridge answers the charger with
 * CALLERROR InternalError instead of acknowledging what it did not store, /healthz says why, and everything
 * works again once space returns — the charger's retry then lands.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let charger: Probe;
const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-FULL', evses: 1 }]));
  charger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-FULL' });
});
afterAll(async () => {
  await charger.close();
  await bridge.close();
});

it('refuses to acknowledge what it could not store, and recovers when space returns', async () => {
  const { transactionId } = await charger.call('StartTransaction', { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: 0, timestamp: '2026-11-25T10:00:00Z' });
  const pages = sqlite().pragma('page_count', { simple: true }) as number;
  sqlite().pragma(`max_page_count = ${pages}`);
  const big = Array.from({ length: 400 }, (_, i) => ({ value: String(i), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }));
  const meterValues = { connectorId: 1, transactionId, meterValue: [{ timestamp: '2026-11-25T10:05:00Z', sampledValue: big }] };
  await expect(charger.call('MeterValues', meterValues)).rejects.toMatchObject({ rpcErrorCode: 'InternalError' });
  const health = await fetch(`${bridge.httpUrl}/healthz`);
  expect(health.status).toBe(503);
  expect(((await health.json()) as { db: string }).db).toMatch(/full/i);
  const tx = bridge.store.findTransaction('CP-FULL', String(transactionId))!;
  expect(bridge.store.listReadings(tx.id)).toEqual([]); // nothing half written
  sqlite().pragma('max_page_count = 1073741823');
  expect(await charger.call('MeterValues', meterValues)).toEqual({});
  expect(bridge.store.listReadings(tx.id)).toHaveLength(400);
  expect((await fetch(`${bridge.httpUrl}/healthz`)).status).toBe(200);
});
