/**
 * The bridge's clock jumps (an NTP correction) during a session: the transaction, its CDR and its duration come
 * from the charger's own timestamps, so a jump of an hour backwards or forwards changes none of them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let bridge: TestBridge;
let emsp: TestEmsp;

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-CLOCK', evses: 1 }], { ocpi: { token_a: 'clock-token-a', cdr_settle_s: 0 } }), { clock });
  emsp = await startEmsp();
  await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'clock-token-a');
});
afterAll(async () => {
  await bridge.close();
  await emsp.close();
});

it.each([-3_600_000, 3_600_000])('a clock jump of %i ms mid-session changes neither the transaction nor the CDR', async (jump) => {
  offsetMs = 0;
  const charger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-CLOCK' });
  const start = jump < 0 ? '2026-11-25T08:00:00Z' : '2026-11-25T12:00:00Z';
  const stop = jump < 0 ? '2026-11-25T08:45:00Z' : '2026-11-25T12:45:00Z';
  const { transactionId } = await charger.call('StartTransaction', { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: 1000, timestamp: start });
  offsetMs = jump;
  await charger.call('Heartbeat', {});
  await charger.call('StopTransaction', { transactionId, meterStop: 11_000, timestamp: stop });
  const tx = bridge.store.findTransaction('CP-CLOCK', String(transactionId))!;
  expect(tx).toMatchObject({ status: 'ended', startedAtMs: Date.parse(start), endedAtMs: Date.parse(stop), meterStopWh: 11_000 });
  const sqlite = (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
  await expect.poll(() => sqlite.prepare('SELECT data_json AS j FROM ocpi_cdrs WHERE transaction_row_id = ?').get(tx.id)).toBeTruthy();
  const cdr = JSON.parse((sqlite.prepare('SELECT data_json AS j FROM ocpi_cdrs WHERE transaction_row_id = ?').get(tx.id) as { j: string }).j);
  expect(cdr).toMatchObject({ start_date_time: start.replace('.000', ''), end_date_time: stop, total_time: 0.75, total_energy: 10, total_cost: { excl_vat: 3.9 } });
  await charger.close();
});
