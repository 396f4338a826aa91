/**
 * Sessions and CDRs end to end: an OCPP 1.6 charger charges with an eMSP's token; the eMSP (a real HTTP server
 * registered through the credentials handshake) receives the Session pushes and one priced CDR, can pull its
 * own sessions and CDRs, never sees another eMSP's, and still receives every CDR exactly once after being down.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, repoRoot } from '../helpers/built-bridge.js';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let emsp: TestEmsp;
let other: TestEmsp;
let charger: Probe;
let platformId: number;

const sqlite = () => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;

/** Places a token the way the Tokens module does when the eMSP pushes one (owner = the eMSP's platform). */
function emspToken(uid: string, platform: number): void {
  sqlite().prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', 'EMS', ?, 'RFID', ?, 1, 'ALWAYS', 'emsp', ?, ?)`).run(uid, `NL-EMS-C${uid}`, platform, Date.now());
}

let minute = 0;
async function chargeSession(idTag: string, kWh: number): Promise<number> {
  const start = new Date(Date.UTC(2026, 10, 24, 9, 0) + minute++ * 3_600_000);
  const { transactionId } = await charger.call('StartTransaction', { connectorId: 1, idTag, meterStart: 100_000, timestamp: start.toISOString() });
  await charger.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: new Date(start.getTime() + 15 * 60_000).toISOString(), sampledValue: [
    { value: String(100_000 + kWh * 500), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
  ] }] });
  await charger.call('StopTransaction', { transactionId, meterStop: 100_000 + kWh * 1000, timestamp: new Date(start.getTime() + 30 * 60_000).toISOString(), reason: 'EVDisconnected' });
  return transactionId;
}

beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-MONEY', evses: 1 }], {
    ocpi: { token_a: 'registration-token-a-1', cdr_settle_s: 0, session_push_interval_s: 1 },
    ocpp: { accept_unknown_tokens: true },
  }));
  emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  other = await startEmsp({ countryCode: 'BE', partyId: 'OTH' });
  const versionsUrl = `${bridge.httpUrl}/ocpi/versions`;
  expect((await emsp.register(versionsUrl, 'registration-token-a-1')).body.status_code).toBe(1000);
  platformId = (sqlite().prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered' ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
  emspToken('EMSP-TOKEN-1', platformId);
  const tokenA2 = 'registration-token-a-2';
  sqlite().prepare('INSERT INTO ocpi_registration_tokens (token_hash, created_at_ms) VALUES (?, ?)').run(
    (await import('node:crypto')).createHash('sha256').update(tokenA2).digest('hex'), Date.now());
  expect((await other.register(versionsUrl, tokenA2)).body.status_code).toBe(1000);
  charger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-MONEY' });
  await charger.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
});
afterAll(async () => {
  await charger?.close();
  await bridge?.close();
  await emsp?.close();
  await other?.close();
});

describe('sessions and CDRs', () => {
  it('the owning eMSP receives the session pushes and one priced CDR', async () => {
    await chargeSession('EMSP-TOKEN-1', 20);
    await expect.poll(() => emsp.cdrs().length, { timeout: 10_000 }).toBe(1);
    const cdr = emsp.cdrs()[0];
    expect(cdr).toMatchObject({
      country_code: 'DE', party_id: 'EXA', currency: 'EUR', total_energy: 20, total_time: 0.5,
      total_cost: { excl_vat: 7.8, incl_vat: 9.28 }, // 20 kWh x 0.39 EUR, 19 % VAT (AC-STANDARD)
      cdr_token: { country_code: 'NL', party_id: 'EMS', uid: 'EMSP-TOKEN-1', type: 'RFID', contract_id: 'NL-EMS-CEMSP-TOKEN-1' },
      cdr_location: { id: 'LOC-1', evse_uid: 'DE*EXA*E0001*1', evse_id: 'DE*EXA*E0001*1', connector_id: '1', connector_standard: 'IEC_62196_T2', country: 'DEU' },
      start_date_time: '2026-11-24T09:00:00Z', end_date_time: '2026-11-24T09:30:00Z', remark: 'stop reason: EVDisconnected',
      tariffs: [expect.objectContaining({ id: 'AC-STANDARD' })],
    });
    expect(cdr.charging_periods[0].dimensions).toEqual(expect.arrayContaining([{ type: 'ENERGY', volume: 20 }]));
    const sessionPushes = emsp.received.filter((r) => r.module === 'sessions' && ['PUT', 'PATCH'].includes(r.method));
    expect(sessionPushes.length).toBeGreaterThanOrEqual(1);
    const last = sessionPushes[sessionPushes.length - 1]!;
    expect(last.method).toBe('PUT');
    expect(last.path).toBe(`/ocpi/2.2.1/sessions/DE/EXA/${cdr.session_id}`);
    expect(last.body).toMatchObject({ id: cdr.session_id, status: 'COMPLETED', kwh: 20, cdr_token: { uid: 'EMSP-TOKEN-1' }, location_id: 'LOC-1' });
    expect(last.headers['ocpi-to-party-id']).toBe('EMS');
  });

  it('the eMSP pulls its sessions and CDRs; another eMSP sees none of them', async () => {
    const sessions = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions`);
    expect(sessions.items.length).toBeGreaterThanOrEqual(1);
    expect(sessions.items.every((s) => s.cdr_token.party_id === 'EMS')).toBe(true);
    const cdrs = await emsp.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/cdrs`);
    expect(cdrs.items.map((c) => c.id)).toEqual(emsp.cdrs().map((c) => c.id));
    expect((await other.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/sessions`)).items).toEqual([]);
    expect((await other.pullAll(`${bridge.httpUrl}/ocpi/2.2.1/cdrs`)).items).toEqual([]);
    expect(other.cdrs()).toEqual([]);
  });

  it('a session with a token no eMSP owns gets a CDR kept for the operator, pushed to nobody', async () => {
    const before = emsp.cdrs().length;
    const txId = await chargeSession('LOCAL-ONLY', 5);
    const tx = bridge.store.findTransaction('CP-MONEY', String(txId))!;
    await expect.poll(() => sqlite().prepare('SELECT platform_id AS p, next_attempt_at_ms AS n FROM ocpi_cdrs WHERE transaction_row_id = ?').get(tx.id)).toEqual({ p: null, n: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(emsp.cdrs().length).toBe(before);
  });

  it('an eMSP that is down for a while still receives every CDR exactly once, and /metrics shows the backlog', async () => {
    const before = emsp.cdrs().length;
    emsp.failCdrsWith = 503;
    await chargeSession('EMSP-TOKEN-1', 3);
    await chargeSession('EMSP-TOKEN-1', 4);
    await expect.poll(async () => (await (await fetch(`${bridge.httpUrl}/metrics`)).text()).match(/bridge_ocpi_undelivered_cdrs (\d+)/)?.[1], { timeout: 10_000 }).toBe('2');
    expect(emsp.cdrs().length).toBe(before);
    emsp.failCdrsWith = undefined;
    await expect.poll(() => emsp.cdrs().length, { timeout: 15_000 }).toBe(before + 2);
    await new Promise((r) => setTimeout(r, 1500));
    const ids = emsp.cdrs().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(emsp.cdrs().slice(before).map((c) => c.total_energy)).toEqual([3, 4]);
    const stored = sqlite().prepare('SELECT delivered_location AS location FROM ocpi_cdrs WHERE id = ?').get(ids[ids.length - 1]) as { location: string };
    expect(stored.location).toMatch(/\/ocpi\/2\.2\.1\/cdrs\//);
  }, 40_000);

  it('npm run ocpi -- credit-cdr <id> --reissue credits a CDR and issues a corrected one, both delivered to its eMSP', async () => {
    buildOnce();
    const original = emsp.cdrs()[0];
    const configPath = join(bridge.dir, 'cli-config.yaml');
    writeFileSync(configPath, stringify(bridge.config));
    const run = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/ocpi.js'), 'credit-cdr', original.id, '--reissue'], {
      cwd: repoRoot, env: { ...process.env, BRIDGE_CONFIG: configPath, BRIDGE_DB: bridge.dbPath }, encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Credit CDR ${original.id}-C created, corrected CDR ${original.id}-R1 issued`);
    await expect.poll(() => emsp.cdrs().filter((c) => c.id.startsWith(`${original.id}-`)).length, { timeout: 10_000 }).toBe(2);
    const credit = emsp.cdrs().find((c) => c.id === `${original.id}-C`);
    expect(credit).toMatchObject({ credit: true, credit_reference_id: original.id, total_cost: { excl_vat: -7.8, incl_vat: -9.28 }, total_energy: 20, session_id: original.session_id });
    expect(emsp.cdrs().find((c) => c.id === `${original.id}-R1`)).toMatchObject({ total_cost: { excl_vat: 7.8 }, remark: `corrects ${original.id}` });
    const again = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/ocpi.js'), 'credit-cdr', original.id], { cwd: repoRoot, env: { ...process.env, BRIDGE_CONFIG: configPath, BRIDGE_DB: bridge.dbPath }, encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already credited');
  }, 60_000);
});
