/**
 * Smoke test of the BUILT bridge under plain node: starts on port 0 with a temp database, logs the URLs a
 * person needs, answers /healthz and /metrics, accepts an OCPP 1.6 charger, stops on SIGTERM with exit 0.
 * And every start-up failure exits non-zero with one clear log line, leaving no half-written database.
 */
import Database from 'better-sqlite3';
import { createServer } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import rpc from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, removeTempDirs, repoRoot, runBuiltBridge, tempDir } from '../helpers/built-bridge.js';

const defaultConfig = join(repoRoot, 'config', 'default.yaml');

beforeAll(() => buildOnce(), 120_000);
afterAll(() => removeTempDirs());

describe('built bridge under node', () => {
  it('starts, serves health and metrics, takes a charger, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'bridge.db');
    const bridge = runBuiltBridge({ BRIDGE_CONFIG: defaultConfig, BRIDGE_DB: dbPath, BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0' });
    const started = await bridge.waitFor((l) => l.msg === 'bridge started');
    expect(started.ports.http).toBeGreaterThan(0);
    expect(started.ports.ocpp).toBeGreaterThan(0);
    expect(started.urls.ocpiVersions).toBe(`http://localhost:${started.ports.http}/ocpi/versions`);
    const messages = bridge.lines.map((l) => String(l.msg));
    expect(messages.some((m) => m.startsWith('chargers: point OCPP'))).toBe(true);
    expect(messages.some((m) => m.startsWith('register an eMSP'))).toBe(true);
    expect(messages.some((m) => m.startsWith('technicians: status page'))).toBe(true);
    expect(existsSync(dbPath)).toBe(true);

    const base = `http://127.0.0.1:${started.ports.http}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', db: 'ok', ocpp: 'listening' });

    const client = new rpc.RPCClient({
      endpoint: `ws://127.0.0.1:${started.ports.ocpp}/ocpp`, identity: 'CP-001', protocols: ['ocpp1.6'], strictMode: true,
      password: 'change-me-please-16', reconnect: false,
    } as never);
    await client.connect();
    const boot = (await client.call('BootNotification', { chargePointVendor: 'Smoke', chargePointModel: 'Test' })) as Record<string, unknown>;
    expect(boot).toMatchObject({ status: 'Accepted', interval: 300 });

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toMatch(/bridge_ocpp_connected_chargers\{protocol="ocpp1\.6"\} 1/);
    expect(metrics).toMatch(/bridge_ocpp_messages_total\{action="BootNotification",direction="in",outcome="ok"\} 1/);
    expect(metrics).toContain('bridge_db_write_seconds_bucket');

    const closed = new Promise<{ code: number }>((resolve) => client.once('close', resolve));
    bridge.child.kill('SIGTERM');
    expect(await bridge.exit).toBe(0);
    expect((await closed).code).toBe(1001); // going away
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT vendor, boot_status FROM chargers WHERE identity = 'CP-001'").get()).toEqual({ vendor: 'Smoke', boot_status: 'Accepted' });
    db.close();
  });

  it('stops on SIGTERM even when nobody reads its log any more (broken stdout pipe)', async () => {
    const dir = tempDir();
    const bridge = runBuiltBridge({ BRIDGE_CONFIG: defaultConfig, BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0' });
    await bridge.waitFor((l) => l.msg === 'bridge started');
    bridge.child.stdout!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    bridge.child.kill('SIGTERM');
    expect(await bridge.exit).toBe(0);
  });

  it('exits 2 with the key path on a bad config, before touching the database', async () => {
    const dir = tempDir();
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'ocpp:\n  heartbeat_intervall: 30\n');
    const bridge = runBuiltBridge({ BRIDGE_CONFIG: config, BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0' });
    expect(await bridge.exit).toBe(2);
    const fatal = bridge.lines.filter((l) => l.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toContain('ocpp.heartbeat_intervall: unknown key (did you mean "heartbeat_interval"?)');
    expect(existsSync(join(dir, 'bridge.db'))).toBe(false);
  });

  it('exits 2 when the config file is missing', async () => {
    const dir = tempDir();
    const bridge = runBuiltBridge({ BRIDGE_CONFIG: join(dir, 'nope.yaml'), BRIDGE_DB: join(dir, 'bridge.db') });
    expect(await bridge.exit).toBe(2);
    expect(bridge.lines.find((l) => l.level === 'fatal')?.msg).toMatch(/nope\.yaml: cannot read config file \(ENOENT\)/);
  });

  it('exits 1 naming the port when it is in use, and closes the database cleanly', async () => {
    const dir = tempDir();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const bridge = runBuiltBridge({ BRIDGE_CONFIG: defaultConfig, BRIDGE_DB: join(dir, 'bridge.db'), BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: String(port) });
      expect(await bridge.exit).toBe(1);
      const fatal = bridge.lines.filter((l) => l.level === 'fatal');
      expect(fatal).toHaveLength(1);
      expect(fatal[0]!.msg).toContain(`port already in use`);
      expect(fatal[0]!.msg).toContain(String(port));
      const db = new Database(join(dir, 'bridge.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    } finally {
      blocker.close();
    }
  });

  it.each([
    ['a corrupt database file', (path: string) => writeFileSync(path, 'garbage'.repeat(1000)), /is not a valid SQLite database/],
    ['a database from a newer schema', (path: string) => {
      const db = new Database(path);
      db.exec('CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
      db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('from-the-future', 9_999_999_999_999);
      db.close();
    }, /written by a newer bridge/],
  ])('exits 1 on %s', async (_name, prepare, message) => {
    const dir = tempDir();
    const path = join(dir, 'bridge.db');
    prepare(path);
    const bridge = runBuiltBridge({ BRIDGE_CONFIG: defaultConfig, BRIDGE_DB: path, BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0' });
    expect(await bridge.exit).toBe(1);
    const fatal = bridge.lines.filter((l) => l.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(message);
  });

  it('exits 1 when the database path is not writable', async () => {
    const bridge = runBuiltBridge({ BRIDGE_CONFIG: defaultConfig, BRIDGE_DB: '/sys/bridge-smoke.db', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '0' });
    expect(await bridge.exit).toBe(1);
    expect(bridge.lines.find((l) => l.level === 'fatal')?.msg).toMatch(/\/sys\/bridge-smoke\.db/);
  });
});
