/**
 * What a 2.0.1 station reports about itself is answered per schema and kept for the technician, apart from the
 * OCPP message log that traffic trims: monitors (NotifyMonitoringReport), charging profiles (ReportChargingProfiles,
 * from the simulated station after GetChargingProfiles), customer information (NotifyCustomerInformation), display
 * messages (NotifyDisplayMessages) and the other informing notifications. Multi-page (`tbc`) reports are kept page
 * by page, each page committed before its answer; per charger and kind the newest 50 reports are kept; the charger
 * page shows the newest report of each kind, escaped. Probes run ocpp-rpc in strict mode.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedStation201 } from '../../firmware-sim/station201.js';
import type { NeutralChargingProfile } from '../../src/domain/ports.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
const probes: Probe[] = [];
let station: SimulatedStation201 | undefined;

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([
    { identity: 'CS-REP', evses: 2 }, { identity: 'CS-HOSTILE', evses: 1 }, { identity: 'CS-SIM', evses: 2 },
    { identity: 'CS-BOUND', evses: 1 }, { identity: 'CS-KINDS', evses: 1 },
  ]));
});
afterEach(async () => {
  for (const p of probes.splice(0)) {
    expect(p.strictFailures, 'the bridge answered off-schema').toEqual([]);
    await p.close();
  }
});
afterAll(async () => {
  await station?.close();
  expect(bridge.logs.filter((l) => l.msg === 'the bridge produced an off-schema OCPP message')).toEqual([]);
  await bridge.close();
});

async function probe(identity: string): Promise<Probe> {
  const p = await connectProbe({ url: bridge.ocppUrl, identity, protocol: 'ocpp2.0.1' });
  probes.push(p);
  return p;
}

const generatedAt = new Date().toISOString();
const reports = (identity: string, kind: string, requestId?: number) =>
  bridge.store.listChargerReports(identity, kind as never, { ...(requestId !== undefined ? { requestId } : {}), limit: 1000 }).reverse();
const pageOf = (r: { seqNo: number | null; tbc: boolean; dataJson: string }) => ({ seqNo: r.seqNo, tbc: r.tbc, data: JSON.parse(r.dataJson) });

function authorizedGet(path: string): Promise<Response> {
  const { user, password } = bridge.statusPagePassword!;
  return fetch(bridge.httpUrl + path, { headers: { accept: 'text/html', Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } });
}
async function chargerPage(identity: string): Promise<string> {
  const res = await authorizedGet(`/chargers/${identity}`);
  expect(res.status).toBe(200);
  return res.text();
}
/** The charger page's Reports section. */
function reportsSection(html: string): string {
  const start = html.indexOf('<section id="r-reports"');
  expect(start, 'the charger page has a Reports section').toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}

function monitoringPage(requestId: number, seqNo: number, tbc: boolean) {
  return {
    requestId, seqNo, generatedAt, ...(tbc ? { tbc: true } : {}),
    monitor: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' }, variableMonitoring: [{ id: seqNo + 1, transaction: false, value: 22000 + seqNo, type: 'UpperThreshold', severity: 5 }] }],
  };
}

describe('paged reports', () => {
  it('NotifyMonitoringReport: every page is answered {} only once it is stored; a repeated page is kept once; a reused requestId starts afresh', async () => {
    const p = await probe('CS-REP');
    const pages = [monitoringPage(42, 0, true), monitoringPage(42, 1, true), monitoringPage(42, 2, false)];
    expect(await p.call('NotifyMonitoringReport', pages[0]!)).toEqual({});
    // The answer came after the commit: the first page is there, marked as announcing more.
    expect(reports('CS-REP', 'monitoring', 42).map(pageOf)).toEqual([{ seqNo: 0, tbc: true, data: pages[0] }]);
    for (const page of pages.slice(1)) expect(await p.call('NotifyMonitoringReport', page)).toEqual({});
    expect(reports('CS-REP', 'monitoring', 42).map(pageOf)).toEqual([
      { seqNo: 0, tbc: true, data: pages[0] }, { seqNo: 1, tbc: true, data: pages[1] }, { seqNo: 2, tbc: false, data: pages[2] },
    ]);

    // The last page again (its answer was lost on the way): still three pages.
    expect(await p.call('NotifyMonitoringReport', pages[2]!)).toEqual({});
    expect(reports('CS-REP', 'monitoring', 42).map((r) => r.seqNo)).toEqual([0, 1, 2]);

    const html = reportsSection(await chargerPage('CS-REP'));
    expect(html).toContain('Monitors (NotifyMonitoringReport)');
    expect(html).toContain('request 42 · 3 pages');
    expect(html).toContain('&quot;value&quot;: 22002');

    // A later report under the same requestId (the counter restarted): the old pages give way to it.
    const again = monitoringPage(42, 0, false);
    again.monitor[0]!.variableMonitoring[0]!.value = 11000;
    expect(await p.call('NotifyMonitoringReport', again)).toEqual({});
    expect(reports('CS-REP', 'monitoring', 42).map(pageOf)).toEqual([{ seqNo: 0, tbc: false, data: again }]);
  });

  it('NotifyCustomerInformation and NotifyDisplayMessages in pages are kept, and the charger page shows what they say escaped', async () => {
    const p = await probe('CS-HOSTILE');
    const info = [
      { requestId: 7, seqNo: 0, tbc: true, generatedAt, data: 'Customer 04A2B3C4: <script>alert(1)</script>' },
      { requestId: 7, seqNo: 1, generatedAt, data: 'last session 2026-11-30 </pre></details><b>bold</b>' },
    ];
    for (const page of info) expect(await p.call('NotifyCustomerInformation', page)).toEqual({});
    const display = [
      { requestId: 8, tbc: true, messageInfo: [{ id: 1, priority: 'AlwaysFront', message: { format: 'HTML', content: '<img src=x onerror=alert(2)>' } }] },
      { requestId: 8, messageInfo: [{ id: 2, priority: 'NormalCycle', message: { format: 'UTF8', content: 'Welcome & charge' } }] },
    ];
    for (const page of display) expect(await p.call('NotifyDisplayMessages', page)).toEqual({});

    expect(reports('CS-HOSTILE', 'customer-information', 7).map(pageOf)).toEqual([{ seqNo: 0, tbc: true, data: info[0] }, { seqNo: 1, tbc: false, data: info[1] }]);
    // NotifyDisplayMessages has no seqNo: pages are numbered in arrival order.
    expect(reports('CS-HOSTILE', 'display-messages', 8).map(pageOf)).toEqual([{ seqNo: 0, tbc: true, data: display[0] }, { seqNo: 1, tbc: false, data: display[1] }]);

    const html = reportsSection(await chargerPage('CS-HOSTILE'));
    expect(html).toContain('Customer information (NotifyCustomerInformation)');
    expect(html).toContain('Display messages (NotifyDisplayMessages)');
    expect(html).toContain('request 7 · 2 pages');
    expect(html).toContain('request 8 · 2 pages');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;/details&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('Welcome &amp; charge');
    expect(html).not.toMatch(/<script>alert|<img src=x|<b>bold/);

    // Everything kept of a kind, as a download (JSON, never HTML); an unknown kind is not found.
    const download = await authorizedGet('/chargers/CS-HOSTILE/reports/customer-information.json');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^application\/json/);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="CS-HOSTILE-customer-information.json"');
    expect(((await download.json()) as Array<{ page: number; message: unknown }>).map((x) => [x.page, x.message])).toEqual([[1, info[1]], [0, info[0]]]);
    expect((await authorizedGet('/chargers/CS-HOSTILE/reports/toString.json')).status).toBe(404);
  });

  it('ReportChargingProfiles: the simulated station answers GetChargingProfiles with one page per EVSE (tbc), all kept', async () => {
    station = new SimulatedStation201({ url: bridge.ocppUrl, identity: 'CS-SIM', evses: 2 });
    await station.connect();
    const profile = (id: number, limit: number): NeutralChargingProfile => ({
      id, stackLevel: 1, purpose: 'TxDefaultProfile', kind: 'Absolute', schedule: { rateUnit: 'A', periods: [{ startPeriodS: 0, limit }] },
    });
    expect(await bridge.commands.send('CS-SIM', 'setChargingProfile', { evseOcppId: 1, profile: profile(11, 16) })).toMatchObject({ ok: true, value: { status: 'Accepted' } });
    expect(await bridge.commands.send('CS-SIM', 'setChargingProfile', { evseOcppId: 2, profile: profile(12, 10) })).toMatchObject({ ok: true, value: { status: 'Accepted' } });
    expect(await bridge.commands.send('CS-SIM', 'getChargingProfiles', { requestId: 77, purpose: 'TxDefaultProfile' })).toEqual({ ok: true, value: { status: 'Accepted' } });

    // The station sends its pages after answering; the last one is stored once it has its answer.
    await expect.poll(() => station!.sent.filter((m) => m.action === 'ReportChargingProfiles' && m.response !== undefined && !m.params.tbc).length, { timeout: 10_000 }).toBe(1);
    const sent = station.sent.filter((m) => m.action === 'ReportChargingProfiles');
    expect(sent.map((m) => m.response)).toEqual([{}, {}]);
    const kept = reports('CS-SIM', 'charging-profiles', 77);
    expect(kept.map((r) => ({ evse: r.evseOcppId, tbc: r.tbc, data: JSON.parse(r.dataJson) }))).toEqual(sent.map((m) => ({ evse: m.params.evseId, tbc: m.params.tbc === true, data: m.params })));
    expect(kept.map((r) => [r.evseOcppId, JSON.parse(r.dataJson).chargingProfile.map((x: { id: number }) => x.id)])).toEqual([[1, [11]], [2, [12]]]);
    expect(reportsSection(await chargerPage('CS-SIM'))).toContain('request 77 · 2 pages');
    expect(station.strictFailures).toEqual([]);
  });
});

describe('bounded', () => {
  it('per charger and kind the newest 50 reports are kept; older ones go as new ones arrive, other kinds and chargers untouched', async () => {
    const p = await probe('CS-BOUND');
    expect(await p.call('NotifyMonitoringReport', monitoringPage(1, 0, false))).toEqual({});
    for (let i = 0; i < 55; i++) {
      const requestId = 1000 + i;
      expect(await p.call('NotifyDisplayMessages', { requestId, messageInfo: [{ id: i, priority: 'NormalCycle', message: { format: 'ASCII', content: `message ${i}` } }] })).toEqual({});
    }
    const kept = reports('CS-BOUND', 'display-messages');
    expect(kept.map((r) => r.requestId)).toEqual(Array.from({ length: 50 }, (_, i) => 1005 + i));
    expect(bridge.store.summarizeChargerReports('CS-BOUND').map(({ kind, stored, rows }) => ({ kind, stored, rows }))).toEqual([
      { kind: 'display-messages', stored: 50, rows: 50 }, { kind: 'monitoring', stored: 1, rows: 1 },
    ]);
    expect(reports('CS-REP', 'monitoring').length).toBeGreaterThan(0);
    const html = reportsSection(await chargerPage('CS-BOUND'));
    expect(html).toContain('request 1054 · 1 page');
    expect(html).toContain('50 kept');
  });
});

describe('the other informing notifications are kept too', () => {
  it.each([
    ['NotifyChargingLimit', 'charging-limit', { evseId: 1, chargingLimit: { chargingLimitSource: 'SO', isGridCritical: true } }, {}],
    ['ClearedChargingLimit', 'charging-limit-cleared', { chargingLimitSource: 'SO', evseId: 1 }, {}],
    ['NotifyEVChargingNeeds', 'ev-charging-needs', { evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'DC', dcChargingParameters: { evMaxCurrent: 200, evMaxVoltage: 800 } } },
      { status: 'Rejected', statusInfo: { reasonCode: 'NoSchedule', additionalInfo: expect.any(String) } }],
    ['NotifyEVChargingSchedule', 'ev-charging-schedule', { evseId: 1, timeBase: generatedAt, chargingSchedule: { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 50000 }] } }, { status: 'Accepted' }],
    ['SecurityEventNotification', 'security-event', { type: 'SettingSystemTime', timestamp: generatedAt, techInfo: '<b>clock</b>' }, {}],
    ['FirmwareStatusNotification', 'firmware-status', { status: 'Downloaded', requestId: 3 }, {}],
    ['LogStatusNotification', 'log-status', { status: 'Uploaded', requestId: 4 }, {}],
    ['PublishFirmwareStatusNotification', 'publish-firmware-status', { status: 'Published', location: ['http://lc.local/fw.bin'], requestId: 5 }, {}],
  ])('%s is answered per spec and kept as %s', async (action, kind, params, answer) => {
    const p = await probe('CS-KINDS');
    expect(await p.call(action, params)).toEqual(answer);
    const [row] = reports('CS-KINDS', kind);
    expect(row && JSON.parse(row.dataJson)).toEqual(params);
    expect(row!.evseOcppId).toBe((params as { evseId?: number }).evseId ?? null);
    expect(reportsSection(await chargerPage('CS-KINDS'))).toContain(`data-report="${kind}"`);
  });
});
