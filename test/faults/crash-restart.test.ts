/**
 * Durability under `kill -9`: the BUILT bridge runs with a file database while chargers run transactions;
 * it is killed at a random moment, restarted on the same database, and the chargers reconnect and deliver
 * what they had queued (as real chargers do, OCPP 1.6 §3.4). Afterwards the database must hold everything
 * the chargers saw acknowledged, every session must be complete, and nothing may be duplicated.
 */
import Database from 'better-sqlite3';
import { createServer } from 'node:net';
import { join } from 'node:path';
import rpc from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, removeTempDirs, repoRoot, runBuiltBridge, tempDir, type RunningBridge } from '../helpers/built-bridge.js';

beforeAll(() => buildOnce(), 120_000);
afterAll(() => removeTempDirs());

const CHARGERS = 12;
const SESSIONS_PER_CHARGER = 3;
const METER_VALUES_PER_SESSION = 6;

interface Queued { action: string; params: Record<string, any>; sessionKey: string }
interface Acked { action: string; params: Record<string, any>; response: any; sessionKey: string }

/** A charger that queues transaction messages and resends unacknowledged ones after reconnecting. */
class QueueingCharger {
  queue: Queued[] = [];
  acked: Acked[] = [];
  /** sessionKey -> transactionId the central system gave */
  txIds = new Map<string, number>();
  private client?: InstanceType<typeof rpc.RPCClient>;
  constructor(readonly identity: string, readonly port: () => number) {}

  async connect(): Promise<void> {
    for (;;) {
      try {
        const client = new rpc.RPCClient({ endpoint: `ws://127.0.0.1:${this.port()}/ocpp`, identity: this.identity, protocols: ['ocpp1.6'], strictMode: true, reconnect: false, callTimeoutMs: 10_000 } as never);
        await client.connect();
        this.client = client;
        await client.call('BootNotification', { chargePointVendor: 'Crash', chargePointModel: 'Test' });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  plan(): void {
    let wh = 0;
    for (let s = 0; s < SESSIONS_PER_CHARGER; s++) {
      const sessionKey = `${this.identity}#${s}`;
      const startAt = Date.UTC(2026, 10, 25, 8, s * 10);
      this.queue.push({ action: 'StartTransaction', sessionKey, params: { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: wh, timestamp: new Date(startAt).toISOString() } });
      for (let m = 1; m <= METER_VALUES_PER_SESSION; m++) {
        wh += 100;
        this.queue.push({ action: 'MeterValues', sessionKey, params: { connectorId: 1, meterValue: [{ timestamp: new Date(startAt + m * 60_000).toISOString(), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] } });
      }
      this.queue.push({ action: 'StopTransaction', sessionKey, params: { meterStop: wh, timestamp: new Date(startAt + 9 * 60_000).toISOString() } });
    }
  }

  /** Sends queued messages in order until the queue is empty or the connection breaks. */
  async drain(): Promise<boolean> {
    while (this.queue.length) {
      const next = this.queue[0]!;
      const params = { ...next.params };
      if (next.action !== 'StartTransaction') {
        const txId = this.txIds.get(next.sessionKey);
        if (txId === undefined) throw new Error(`no transaction id for ${next.sessionKey}`);
        if (next.action === 'MeterValues') params.transactionId = txId;
        else params.transactionId = txId;
      }
      let response: any;
      try {
        response = await this.client!.call(next.action, params);
      } catch {
        return false; // not acknowledged: stays queued, resent after reconnect
      }
      if (next.action === 'StartTransaction') this.txIds.set(next.sessionKey, response.transactionId);
      this.acked.push({ action: next.action, params, response, sessionKey: next.sessionKey });
      this.queue.shift();
    }
    return true;
  }

  async close(): Promise<void> {
    await this.client?.close({ force: true });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('crash and restart', () => {
  it.each([0.15, 0.4, 0.7])('loses no acknowledged message when killed at %f of the load', async (fraction) => {
    const dir = tempDir('bridge-crash-');
    const ocppPort = await freePort();
    const env = {
      BRIDGE_CONFIG: join(repoRoot, 'config/default.yaml'), BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_HOST: '127.0.0.1',
      BRIDGE_OCPP_PORT: String(ocppPort), BRIDGE_HTTP_PORT: '0', BRIDGE_ACCEPT_UNKNOWN_CHARGERS: 'true', BRIDGE_LOG_LEVEL: 'warn',
    };
    let bridge: RunningBridge = runBuiltBridge(env); // the chargers retry until it listens
    const chargers = Array.from({ length: CHARGERS }, (_, i) => new QueueingCharger(`CRASH-${i}`, () => ocppPort));
    chargers.forEach((c) => c.plan());
    await Promise.all(chargers.map((c) => c.connect()));
    const total = chargers.reduce((n, c) => n + c.queue.length, 0);

    const draining = Promise.all(chargers.map((c) => c.drain()));
    // kill -9 once the chosen share of all messages was acknowledged
    for (;;) {
      const acked = chargers.reduce((n, c) => n + c.acked.length, 0);
      if (acked >= total * fraction) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    bridge.child.kill('SIGKILL');
    await bridge.exit;
    await draining;
    const ackedBeforeCrash = chargers.map((c) => c.acked.length);

    bridge = runBuiltBridge(env);
    await Promise.all(chargers.map((c) => c.connect()));
    const done = await Promise.all(chargers.map((c) => c.drain()));
    expect(done.every(Boolean)).toBe(true);
    await Promise.all(chargers.map((c) => c.close()));
    bridge.child.kill('SIGTERM');
    expect(await bridge.exit).toBe(0);

    const db = new Database(env.BRIDGE_DB, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const [i, c] of chargers.entries()) {
      expect(c.acked.length).toBeGreaterThanOrEqual(ackedBeforeCrash[i]!);
      const txs = db.prepare("SELECT id, ocpp_transaction_id AS txId, status, meter_start_wh AS start, meter_stop_wh AS stop, orphan FROM transactions WHERE charger_identity = ? ORDER BY id").all(c.identity) as Array<Record<string, any>>;
      // exactly one transaction per session, with the id the charger was given, complete, none orphaned
      expect(txs).toHaveLength(SESSIONS_PER_CHARGER);
      for (const [sessionKey, txId] of c.txIds) {
        const tx = txs.find((t) => t.txId === String(txId));
        expect(tx, `${sessionKey} -> ${txId}`).toMatchObject({ status: 'ended', orphan: 0 });
        const readings = db.prepare('SELECT value FROM meter_samples WHERE transaction_row_id = ? ORDER BY sampled_at_ms').all(tx!.id) as Array<{ value: number }>;
        const expected = c.acked.filter((a) => a.sessionKey === sessionKey && a.action === 'MeterValues').map((a) => Number(a.params.meterValue[0].sampledValue[0].value));
        // every acknowledged reading is there once (a retransmitted one may add an identical duplicate row only if it was never acknowledged)
        for (const v of expected) expect(readings.filter((r) => r.value === v).length, `${sessionKey} reading ${v}`).toBeGreaterThanOrEqual(1);
      }
    }
    db.close();
  }, 120_000);
});
