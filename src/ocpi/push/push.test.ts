import { afterEach, describe, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../../../test/helpers/emsp.js';
import { createFixture, siteYaml, T0, type Fixture } from '../test-helpers/fixture.js';
import { startOcpiPush, type OcpiPush } from './push.js';

let fx: Fixture;
let emsp: TestEmsp;
let push: OcpiPush | undefined;
afterEach(async () => {
  await push?.stop();
  push = undefined;
  fx?.close();
  await emsp?.close();
});

const OUT = 'TOKEN-FOR-THE-EMSP';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(version: '2.2.1' | '2.1.1' = '2.2.1', extra: Record<string, unknown> = {}) {
  fx = createFixture(siteYaml(extra));
  emsp = await startEmsp({ versions: [version] });
  emsp.acceptToken(OUT);
  const base = `${emsp.url}/ocpi/${version}`;
  const endpoints = (['credentials', 'locations', 'tariffs'] as const).map((identifier) => ({
    identifier, ...(version === '2.2.1' ? { role: identifier === 'credentials' ? 'SENDER' as const : 'RECEIVER' as const } : {}), url: `${base}/${identifier}`,
  }));
  const { platformId } = fx.registerPlatform({ version, endpoints, outboundToken: OUT });
  const evses = fx.store.listEvses('CP-1');
  fx.store.updateCharger('CP-1', { connected: true, connectedAtMs: T0, lastBootAtMs: T0, bootStatus: 'Accepted' });
  push = startOcpiPush(fx.deps);
  await push.drain();
  return { platformId, evses };
}

function statusChange(evseRowId: number, status: string) {
  fx.store.updateEvse(evseRowId, { status, lastUpdatedMs: fx.clock.now().getTime() });
  fx.deps.events.emit('evseStatusChanged', { identity: 'CP-1', evseRowId, evseOcppId: 1, status, at: fx.clock.now() });
}

describe('OCPI push (reference §1.8: re-push the latest state, never replay history)', () => {
  it('an EVSE status change is a PATCH {status, last_updated} on the EVSE URL of every Receiver', async () => {
    const { evses } = await setup();
    fx.clock.advance(1000);
    statusChange(evses[0]!.id, 'Charging');
    await push!.drain();
    const [patch] = emsp.pushes();
    expect(patch).toMatchObject({ method: 'PATCH', path: '/ocpi/2.2.1/locations/DE/EXA/LOC-1/DE*EXA*E0001*1', body: { status: 'CHARGING', last_updated: '2026-11-01T10:00:01Z' } });
    expect(patch!.authorization).toBe(`Token ${Buffer.from(OUT).toString('base64')}`);
    expect(fx.ocpiStore.listPushStatus()).toMatchObject([{ module: 'locations', lastOutcome: 'ok' }]);
  });

  it('2.1.1: plain token, no routing headers', async () => {
    const { evses } = await setup('2.1.1');
    statusChange(evses[1]!.id, 'Faulted');
    await push!.drain();
    const [patch] = emsp.pushes();
    expect(patch).toMatchObject({ method: 'PATCH', path: '/ocpi/2.1.1/locations/DE/EXA/LOC-1/DE*EXA*E0001*2', body: { status: 'OUTOFORDER' } });
    expect(patch!.authorization).toBe(`Token ${OUT}`);
    expect(patch!.headers['ocpi-from-party-id']).toBeUndefined();
  });

  it('keeps one queued row per object while the eMSP fails, backs off, then sends only the latest state', async () => {
    const { evses } = await setup();
    emsp.failPushesWith = 503;
    statusChange(evses[0]!.id, 'Preparing');
    await push!.drain();
    expect(emsp.pushes()).toHaveLength(1);
    statusChange(evses[0]!.id, 'Available');
    statusChange(evses[0]!.id, 'Reserved');
    await push!.drain();
    expect(emsp.pushes()).toHaveLength(1); // backing off: nothing sent before the retry time
    expect(fx.ocpiStore.pushQueueDepths().get(1)).toBe(1);
    emsp.failPushesWith = undefined;
    fx.clock.advance(1001);
    await push!.drain();
    expect(emsp.pushes().map((p) => p.body.status)).toEqual(['CHARGING', 'RESERVED']);
    expect(fx.ocpiStore.pushQueueDepths().size).toBe(0);
    const metrics = await fx.deps.metrics.registry.metrics();
    expect(metrics).toContain('bridge_ocpi_pushes_total{party="NL*EMS",module="locations",outcome="retry"} 1');
    expect(metrics).toContain('bridge_ocpi_pushes_total{party="NL*EMS",module="locations",outcome="ok"} 1');
  });

  it('gives up after ocpi.push_retry_max_s (the eMSP resyncs by GET)', async () => {
    const { evses } = await setup('2.2.1', { ocpi: { push_retry_max_s: 60 } });
    emsp.failPushesWith = 500;
    statusChange(evses[0]!.id, 'Charging');
    await push!.drain();
    fx.clock.advance(61_000);
    await push!.drain();
    expect(fx.ocpiStore.pushQueueDepths().size).toBe(0);
    expect(fx.ocpiStore.listPushStatus()[0]!.lastOutcome).toBe('expired');
    expect(await fx.deps.metrics.registry.metrics()).toContain('outcome="expired"} 1');
  });

  it('a refused PATCH becomes a PUT of the whole Location (mod_locations: PATCH failed -> PUT)', async () => {
    const { evses } = await setup();
    emsp.failPushesWith = 404;
    statusChange(evses[0]!.id, 'Charging');
    await push!.drain();
    await push!.drain();
    expect(emsp.pushes().map((p) => `${p.method} ${p.path}`)).toEqual([
      'PATCH /ocpi/2.2.1/locations/DE/EXA/LOC-1/DE*EXA*E0001*1',
      'PUT /ocpi/2.2.1/locations/DE/EXA/LOC-1',
    ]);
    expect(emsp.pushes()[1]!.body).toMatchObject({ id: 'LOC-1', country_code: 'DE', evses: [{ status: 'CHARGING' }, { status: 'UNKNOWN' }] });
    expect(fx.ocpiStore.pushQueueDepths().size).toBe(0); // a refused PUT is not retried
  });

  it('an offline charger turns UNKNOWN when the grace period runs out, and that is pushed', async () => {
    const { evses } = await setup('2.2.1', { ocpp: { ...(siteYaml() as any).ocpp, offline_grace_s: 1 } });
    statusChange(evses[0]!.id, 'Available');
    await push!.drain();
    const at = fx.clock.now();
    fx.store.updateCharger('CP-1', { connected: false, disconnectedAtMs: at.getTime() });
    fx.deps.events.emit('chargerDisconnected', { identity: 'CP-1', at });
    fx.clock.advance(1500);
    await sleep(1200);
    await push!.drain();
    const unknown = emsp.pushes().filter((p) => p.body?.status === 'UNKNOWN');
    expect(unknown.map((p) => p.path)).toEqual(['/ocpi/2.2.1/locations/DE/EXA/LOC-1/DE*EXA*E0001*1', '/ocpi/2.2.1/locations/DE/EXA/LOC-1/DE*EXA*E0001*2']);
    expect(unknown[0]!.body.last_updated).toBe(new Date(at.getTime() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  it('at start, re-queues what changed after the platform watermark (tariff PUT, deleted tariff DELETE, location PUT)', async () => {
    fx = createFixture(siteYaml({ tariffs: [
      { id: 'AC-STANDARD', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, step_size: 1 }] }] },
      { id: 'OLD', currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 1, step_size: 1 }] }] },
    ] }));
    emsp = await startEmsp();
    emsp.acceptToken(OUT);
    const endpoints = (['locations', 'tariffs'] as const).map((identifier) => ({ identifier, role: 'RECEIVER' as const, url: `${emsp.url}/ocpi/2.2.1/${identifier}` }));
    const { platformId } = fx.registerPlatform({ endpoints, outboundToken: OUT });
    fx.ocpiStore.setPushWatermark(platformId, T0);
    fx.clock.advance(10_000);
    const { siteFromConfig } = await import('../../site-from-config.js');
    fx.store.syncSite(siteFromConfig({ ...fx.config, tariffs: fx.config.tariffs.filter((t) => t.id !== 'OLD').map((t) => ({ ...t, currency: 'CHF' })), locations: fx.config.locations.map((l) => ({ ...l, name: 'Renamed' })) }), fx.clock.now().getTime());
    push = startOcpiPush(fx.deps);
    await push.drain();
    expect(emsp.pushes().map((p) => `${p.method} ${p.path}`).sort()).toEqual([
      'DELETE /ocpi/2.2.1/tariffs/DE/EXA/OLD', 'PUT /ocpi/2.2.1/locations/DE/EXA/LOC-1', 'PUT /ocpi/2.2.1/tariffs/DE/EXA/AC-STANDARD',
    ]);
    expect(fx.ocpiStore.getPlatform(platformId)!.pushWatermarkMs).toBe(fx.clock.now().getTime());
  });

  it('sends nothing to platforms without a Receiver endpoint for the module', async () => {
    fx = createFixture();
    emsp = await startEmsp();
    fx.registerPlatform({ endpoints: [{ identifier: 'locations', role: 'SENDER', url: `${emsp.url}/ocpi/2.2.1/locations` }], outboundToken: OUT });
    push = startOcpiPush(fx.deps);
    statusChange(fx.store.listEvses('CP-1')[0]!.id, 'Charging');
    await push.drain();
    expect(emsp.received).toEqual([]);
    expect(fx.ocpiStore.pushQueueDepths().size).toBe(0);
  });
});
