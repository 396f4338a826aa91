/**
 * A real OCPI app over a real in-memory database for route tests: the test's site config is validated and
 * synced as at start-up, then createOcpiApp is mounted at /ocpi like start.ts does. A settable clock.
 */
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { parseConfig, type Config } from '../../config.js';
import { createLog } from '../../log.js';
import { createMetrics } from '../../metrics.js';
import { createDomainEvents } from '../../domain/events.js';
import type { OcpiStore } from '../../domain/ocpi-ports.js';
import type { Store } from '../../domain/ports.js';
import { openStores } from '../../open-stores.js';
import { siteFromConfig } from '../../site-from-config.js';
import { createOcpiApp } from '../app.js';
import type { OcpiDeps } from '../context.js';
import { hashToken, newToken } from '../tokens.js';

export const T0 = Date.parse('2026-11-01T10:00:00Z');

export interface Fixture {
  app: Hono;
  deps: OcpiDeps;
  config: Config;
  store: Store;
  ocpiStore: OcpiStore;
  clock: { now(): Date; set(ms: number): void; advance(ms: number): void };
  logs: Array<Record<string, any>>;
  /** Registers a platform directly in the store and returns its token C (what the eMSP sends us). */
  registerPlatform(opts?: { version?: '2.2.1' | '2.1.1'; countryCode?: string; partyId?: string; role?: string; endpoints?: Array<{ identifier: string; role?: 'SENDER' | 'RECEIVER'; url: string }>; outboundToken?: string }): { token: string; platformId: number };
  close(): void;
}

/** One location LOC-1, charger CP-1 with `evses` EVSEs (one T2 connector each), tariff AC-STANDARD. */
export function siteYaml(extra: Record<string, unknown> = {}, evses = 2): Record<string, unknown> {
  return {
    cpo: { country_code: 'DE', party_id: 'EXA', name: 'Test CPO' },
    ocpp: {
      offline_grace_s: 180,
      chargers: [{
        identity: 'CP-1', location: 'LOC-1',
        evses: Array.from({ length: evses }, (_, i) => ({
          ocpp_id: i + 1, evse_id: `DE*EXA*E0001*${i + 1}`, capabilities: ['RFID_READER', 'REMOTE_START_STOP_CAPABLE', 'TOKEN_GROUP_CAPABLE'],
          connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000, tariff_ids: ['AC-STANDARD'] }],
        })),
      }],
    },
    locations: [{ id: 'LOC-1', name: 'Test Site', address: 'Example Street 1', city: 'Berlin', postal_code: '10115', country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin', parking_type: 'ON_STREET' }],
    tariffs: [{ id: 'AC-STANDARD', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] }] }],
    ...extra,
  };
}

export function createFixture(site: Record<string, unknown> = siteYaml(), overrides: Partial<OcpiDeps> = {}): Fixture {
  const config = parseConfig(JSON.stringify(site), {}, 'fixture.yaml');
  let now = T0;
  const clock = { now: () => new Date(now), set: (ms: number) => void (now = ms), advance: (ms: number) => void (now += ms) };
  const { store, ocpiStore } = openStores({ path: ':memory:' });
  store.syncSite(siteFromConfig(config), now);
  const logs: Array<Record<string, any>> = [];
  const log = createLog('debug', new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  }));
  const deps: OcpiDeps = {
    publicUrl: 'http://bridge.test', config, store: ocpiStore, events: createDomainEvents(() => undefined), log, metrics: createMetrics(), clock, ...overrides,
  };
  const app = new Hono();
  app.route('/ocpi', createOcpiApp(deps));
  return {
    app, deps, config, store, ocpiStore, clock, logs,
    registerPlatform(opts = {}) {
      const token = newToken();
      const version = opts.version ?? '2.2.1';
      const platform = ocpiStore.createPlatform({
        status: 'registered', inboundTokenHash: hashToken(token), outboundToken: opts.outboundToken ?? newToken(), versionsUrl: 'http://emsp.test/ocpi/versions', version,
        endpoints: opts.endpoints ?? [], tokenEncoding: version === '2.2.1' ? 'base64' : 'plain', name: 'Test eMSP',
        parties: [{ countryCode: opts.countryCode ?? 'NL', partyId: opts.partyId ?? 'EMS', role: opts.role ?? 'EMSP', businessDetails: { name: 'Test eMSP' } }],
      }, now);
      return { token, platformId: platform.id };
    },
    close: () => store.close(),
  };
}

/** The Authorization header an OCPI 2.2.1 client sends (Base64) or a 2.1.1 one (plain). */
export function auth(token: string, encoding: 'base64' | 'plain' = 'base64'): Record<string, string> {
  return { Authorization: `Token ${encoding === 'base64' ? Buffer.from(token).toString('base64') : token}` };
}

/** A response body as JSON (typed loosely for assertions). */
export async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}
