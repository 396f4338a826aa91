/**
 * Starts the real bridge in-process for a test: a temporary SQLite file, OCPP and HTTP on port 0, a config
 * built from the YAML text the test gives (merged over a small default site), logs collected in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../src/config.js';
import { createLog } from '../../src/log.js';
import { startBridge, type Bridge, type StartOptions } from '../../src/start.js';

export interface TestBridge extends Bridge {
  config: Config;
  dir: string;
  dbPath: string;
  logs: Array<Record<string, any>>;
  /** ws://127.0.0.1:PORT/ocpp */
  ocppUrl: string;
  httpUrl: string;
  close(): Promise<void>;
}

/** A site with one location, one tariff and the chargers the test names (1.6 connectors / 2.0.1 EVSEs 1..n). */
export function siteConfig(chargers: Array<{ identity: string; evses?: number; password?: string; security_profile?: number; boot_status?: string }>, extra: Record<string, any> = {}): Record<string, any> {
  return {
    cpo: { country_code: 'DE', party_id: 'EXA', name: 'Test CPO' },
    ocpp: {
      heartbeat_interval: 300,
      tokens: [{ uid: '04A2B3C4D5E6F7', type: 'RFID' }, { uid: 'BLOCKED01', type: 'RFID', valid: false }],
      chargers: chargers.map((c, n) => ({
        identity: c.identity, location: 'LOC-1',
        ...(c.password ? { password: c.password } : {}), ...(c.security_profile !== undefined ? { security_profile: c.security_profile } : {}),
        ...(c.boot_status ? { boot_status: c.boot_status } : {}),
        evses: Array.from({ length: c.evses ?? 2 }, (_, i) => ({
          ocpp_id: i + 1, evse_id: `DE*EXA*E${String(n + 1).padStart(4, '0')}*${i + 1}`,
          connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['AC-STANDARD'] }],
        })),
      })),
      ...(extra.ocpp ?? {}),
    },
    locations: [{ id: 'LOC-1', name: 'Test Site', address: 'Example Street 1', city: 'Berlin', postal_code: '10115', country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin' }],
    tariffs: [{ id: 'AC-STANDARD', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] }] }],
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'ocpp')),
  };
}

export async function startTestBridge(site: Record<string, any>, options: StartOptions = {}): Promise<TestBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-test-'));
  const dbPath = join(dir, 'bridge.db');
  const raw = { ...site, http: { host: '127.0.0.1', port: 0, ...(site.http ?? {}) }, database: { path: dbPath, synchronous: 'NORMAL', ...(site.database ?? {}) }, ocpp: { port: 0, ...(site.ocpp ?? {}) } };
  const config = parseConfig(stringify(raw), {}, 'test-config.yaml');
  const logs: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const log = createLog(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'info', sink);
  const bridge = await startBridge(config, log, options);
  return {
    ...bridge, config, dir, dbPath, logs,
    ocppUrl: `ws://127.0.0.1:${bridge.ports.ocpp}/ocpp`,
    httpUrl: `http://127.0.0.1:${bridge.ports.http}`,
    async close() {
      await bridge.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
