/**
 * eMSPs that misbehave: one that answers too slowly (it holds every request; `ocpi.request_timeout_s` is set to
 * 0.5 s so the bridge's timeout is reached at once instead of after 30 s), one that answers garbage (HTML, plain
 * text, JSON that is not an OCPI envelope), one that answers HTTP 500, and one whose endpoint host does not resolve
 * (a `.invalid` name, RFC 6761). Each test runs a real bridge and a real in-test eMSP behind a small proxy that
 * misbehaves on the Receiver endpoints (sessions, CDRs, locations, tariffs) on demand. For each: the bridge does
 * not crash, keeps serving its charger, records and logs the failure with the eMSP's party, shows it on
 * /status.json and /metrics, keeps the CDR queued and retries it, and once the eMSP recovers delivers that CDR
 * exactly once and the final Session. Exactly once holds when the eMSP did not store what it failed to answer: one
 * that stores a CDR and answers after the timeout gets it again, identical (at-least-once; OCPI has no idempotency
 * key, the CDR id is how the eMSP recognises it).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startEmsp, type TestEmsp } from '../helpers/emsp.js';
import { connectProbe, type Probe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

type Mode = 'pass' | 'slow' | 'late' | 'garbage' | 'http-500' | 'dns';

interface Proxy {
  url: string;
  mode: Mode;
  /** Requests on Receiver endpoints that got the misbehaviour. */
  misbehaved: number;
  close(): Promise<void>;
}

const RECEIVER = /^\/ocpi\/2\.2\.1\/(sessions|cdrs|locations|tariffs)(\/|$|\?)/;
const GARBAGE: Array<{ type: string; body: string }> = [
  { type: 'text/html', body: '<html><head><title>Maintenance</title></head><body><h1>We are down for maintenance</h1></body></html>' },
  { type: 'text/plain', body: 'OK' },
  { type: 'application/json', body: '{"data":{},"status":"OK"}' },
  { type: 'application/json', body: '{"status_code":"1000","timestamp":"now"}' },
  { type: 'application/json', body: '' },
];

/** Forwards to the eMSP, rewriting its URLs to ours; misbehaves on Receiver endpoints as `mode` says. */
async function startProxy(target: string): Promise<Proxy> {
  const held = new Set<ServerResponse>();
  let garbage = 0;
  const read = (req: IncomingMessage) => new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const url = req.url ?? '/';
    if (RECEIVER.test(url) && (proxy.mode === 'slow' || proxy.mode === 'garbage' || proxy.mode === 'http-500')) {
      proxy.misbehaved++;
      if (proxy.mode === 'slow') {
        held.add(res); // answers after 30 s, long after the bridge gave up (a request the eMSP never processed)
        const timer = setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status_code":1000,"timestamp":"2026-01-01T00:00:00Z"}'), 30_000);
        res.on('close', () => {
          clearTimeout(timer);
          held.delete(res);
        });
        return;
      }
      if (proxy.mode === 'garbage') {
        const g = GARBAGE[garbage++ % GARBAGE.length]!;
        res.writeHead(200, { 'Content-Type': g.type }).end(g.body);
        return;
      }
      res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body>500 Internal Server Error</body></html>');
      return;
    }
    if (RECEIVER.test(url) && proxy.mode === 'late') {
      // The eMSP gets and stores the request, but its answer reaches the bridge only after the bridge gave up.
      proxy.misbehaved++;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)).map(([k, v]) => [k, String(v)]));
      await fetch(`${target}${url}`, { method: req.method, headers, body: body.length ? body : undefined });
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)).map(([k, v]) => [k, String(v)]));
    const answer = await fetch(`${target}${url}`, { method: req.method, headers, body: body.length ? body : undefined });
    let text = await answer.text();
    // Version details while "dns": every endpoint on a host that cannot resolve.
    text = text.replaceAll(target, proxy.mode === 'dns' && url === '/ocpi/2.2.1' ? 'http://emsp-down.invalid:8099' : proxy.url);
    const out: Record<string, string> = { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' };
    for (const h of ['location', 'x-request-id', 'x-correlation-id']) if (answer.headers.get(h)) out[h] = answer.headers.get(h)!;
    res.writeHead(answer.status, out).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: Proxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, mode: 'pass', misbehaved: 0,
    close: () => new Promise((resolve) => {
      for (const res of held) res.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  return proxy;
}

interface Rig { bridge: TestBridge; emsp: TestEmsp; proxy: Proxy; charger: Probe; basic: string }
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.charger.close();
  await rig?.bridge.close();
  await rig?.proxy.close();
  await rig?.emsp.close();
  rig = undefined;
});

const sqlite = (bridge: TestBridge) => (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;

/** eMSP-initiated registration whose Credentials url is the proxy's: the bridge only ever talks to the proxy. */
async function credentialsVia(r: Pick<Rig, 'bridge' | 'emsp' | 'proxy'>, method: 'POST' | 'PUT', token: string | undefined): Promise<void> {
  const tokenB = `tokenB-${method}-${Date.now()}`;
  r.emsp.acceptToken(tokenB);
  const body = { ...r.emsp.credentials('2.2.1', tokenB), url: `${r.proxy.url}/ocpi/versions` };
  const res = await r.emsp.call(method, `${r.bridge.httpUrl}/ocpi/2.2.1/credentials`, { token, version: '2.2.1', body });
  expect([res.status, res.body.status_code], JSON.stringify(res.body)).toEqual([200, 1000]);
  r.emsp.tokenToCallBridge = res.body.data.token;
}

async function start(modeAtRegistration: Mode = 'pass'): Promise<Rig> {
  const bridge = await startTestBridge(siteConfig([{ identity: 'CP-EMSP', evses: 1 }], {
    ocpi: { token_a: 'misbehaviour-token-a', cdr_settle_s: 0, session_push_interval_s: 1, request_timeout_s: 0.5 },
  }));
  const emsp = await startEmsp({ countryCode: 'NL', partyId: 'EMS' });
  const proxy = await startProxy(emsp.url);
  proxy.mode = modeAtRegistration;
  await credentialsVia({ bridge, emsp, proxy }, 'POST', 'misbehaviour-token-a');
  const platformId = (sqlite(bridge).prepare("SELECT id FROM ocpi_platforms WHERE status = 'registered'").get() as { id: number }).id;
  // The eMSP's token, stored as the Tokens module stores a pushed one: its sessions and CDRs belong to this eMSP.
  sqlite(bridge).prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, valid, whitelist, source, platform_id, last_updated_ms)
    VALUES ('NL', 'EMS', 'EMSP-TOKEN-1', 'RFID', 'NL-EMS-C1', 1, 'ALWAYS', 'emsp', ?, ?)`).run(platformId, Date.now());
  const charger = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-EMSP' });
  await charger.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const { user, password } = bridge.statusPagePassword!;
  rig = { bridge, emsp, proxy, charger, basic: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  return rig;
}

async function chargeSession(r: Rig): Promise<number> {
  const { transactionId } = await r.charger.call('StartTransaction', { connectorId: 1, idTag: 'EMSP-TOKEN-1', meterStart: 1000, timestamp: '2026-11-26T08:00:00Z' });
  await r.charger.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: '2026-11-26T08:15:00Z', sampledValue: [{ value: '6000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
  await r.charger.call('StopTransaction', { transactionId, meterStop: 11_000, timestamp: '2026-11-26T08:30:00Z', reason: 'EVDisconnected' });
  return transactionId;
}

async function metric(r: Rig, name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`${r.bridge.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

async function statusJson(r: Rig): Promise<any> {
  const res = await fetch(`${r.bridge.httpUrl}/status.json`, { headers: { Authorization: r.basic } });
  expect(res.status).toBe(200);
  return res.json();
}

const cdrFailures = (r: Rig) => r.bridge.logs.filter((l) => l.msg === 'CDR delivery failed; will retry');

it.each<[string, Mode, RegExp]>([
  ['answers too slowly (the bridge times out)', 'slow', /no answer within 500 ms/],
  ['answers garbage (HTML, plain text, JSON that is no OCPI envelope)', 'garbage', /not an OCPI envelope/],
  ['answers HTTP 500', 'http-500', /HTTP 500/],
  ['has an endpoint host that does not resolve (DNS failure)', 'dns', /ENOTFOUND|EAI_AGAIN|getaddrinfo/],
])('an eMSP that %s: no crash, the failure is recorded and shown, the CDR waits and is delivered exactly once after recovery', async (_what, mode, failure) => {
  const r = await start(mode === 'dns' ? 'dns' : 'pass');
  r.proxy.mode = mode;
  const txId = await chargeSession(r);
  const tx = r.bridge.store.findTransaction('CP-EMSP', String(txId))!;

  // The CDR is created, its POST fails, and it is retried (not dropped): at least two failed attempts.
  await expect.poll(() => cdrFailures(r).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  const row = () => sqlite(r.bridge).prepare('SELECT id, attempts, delivered_at_ms AS delivered, last_error AS error FROM ocpi_cdrs WHERE transaction_row_id = ?').get(tx.id) as { id: string; attempts: number; delivered: number | null; error: string };
  expect(row()).toMatchObject({ delivered: null, error: expect.stringMatching(failure) });
  expect(row().attempts).toBeGreaterThanOrEqual(2);
  // Logged as an event naming the eMSP's party and the cause, never the token.
  const logged = cdrFailures(r).at(-1)!;
  expect(logged).toMatchObject({ party: 'NL*EMS', cdr: row().id, err: expect.stringMatching(failure) });
  expect(r.bridge.logs.filter((l) => l.msg === 'session push failed; will retry').at(-1)).toMatchObject({ party: 'NL*EMS', err: expect.stringMatching(failure) });
  expect(JSON.stringify(r.bridge.logs)).not.toContain(r.emsp.tokenToCallBridge!);
  if (mode !== 'dns') expect(r.proxy.misbehaved).toBeGreaterThanOrEqual(2);
  else expect(r.emsp.received.filter((x) => x.module === 'cdrs')).toEqual([]);

  // The operator sees it: /status.json (eMSP failing, the cause, the waiting CDR) and /metrics.
  const status = await statusJson(r);
  const emsp = status.emsps.find((e: any) => e.parties.some((p: any) => p.partyId === 'EMS'));
  expect(emsp.health).toBe('failing');
  expect(emsp.modules.find((m: any) => m.module === 'cdrs')).toMatchObject({ ok: false, lastOutcome: expect.stringMatching(failure) });
  expect(emsp.modules.find((m: any) => m.module === 'sessions')).toMatchObject({ ok: false });
  expect(status.overview.problems.map((p: any) => p.text)).toEqual(expect.arrayContaining([expect.stringMatching(/cdrs pushes failing/), '1 CDR not yet acknowledged by the eMSP']));
  expect(await metric(r, 'bridge_ocpi_undelivered_cdrs')).toBe(1);
  expect(await metric(r, 'bridge_ocpi_pushes_total', 'party="NL*EMS",module="cdrs",outcome="retry"')).toBeGreaterThanOrEqual(2);
  expect(await metric(r, 'bridge_ocpi_pushes_total', 'party="NL*EMS",module="sessions",outcome="retry"')).toBeGreaterThanOrEqual(1);
  expect(await metric(r, 'bridge_ocpi_push_reachable', 'party="NL*EMS"')).toBe(0);

  // No crash: the bridge is healthy and its charger is served meanwhile.
  expect((await fetch(`${r.bridge.httpUrl}/healthz`)).status).toBe(200);
  expect((await r.charger.call('Heartbeat', {})).currentTime).toBeTypeOf('string');

  // Recovery: the eMSP answers again (after DNS failure: it updates its credentials with reachable endpoints).
  r.proxy.mode = 'pass';
  if (mode === 'dns') await credentialsVia(r, 'PUT', undefined);
  await expect.poll(() => r.emsp.cdrs().length, { timeout: 30_000 }).toBe(1);
  expect(r.emsp.cdrs()[0]).toMatchObject({ id: row().id, total_energy: 10, cdr_token: { uid: 'EMSP-TOKEN-1' } });
  await expect.poll(() => r.emsp.received.filter((x) => x.module === 'sessions' && x.method === 'PUT' && x.body?.status === 'COMPLETED').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  await expect.poll(() => metric(r, 'bridge_ocpi_undelivered_cdrs')).toBe(0);
  expect(row().delivered).not.toBeNull();
  // Exactly once: later rounds of the delivery loop do not send it again.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(r.emsp.cdrs().map((c) => c.id)).toEqual([row().id]);
  const after = await statusJson(r);
  expect(after.emsps[0].modules.find((m: any) => m.module === 'cdrs')).toMatchObject({ ok: true });
  expect(await metric(r, 'bridge_ocpi_push_reachable', 'party="NL*EMS"')).toBe(1);
  expect(r.bridge.logs.filter((l) => l.level >= 50)).toEqual([]); // no error-level event: failures are warnings, retried
}, 60_000);

it('a registration against an eMSP that is slow, answers garbage or does not resolve fails with 3001 and stores nothing', async () => {
  const bridge = await startTestBridge(siteConfig([{ identity: 'CP-REG', evses: 1 }], { ocpi: { token_a: 'registration-a', request_timeout_s: 0.5 } }));
  const emsp = await startEmsp();
  const html: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>It works!</body></html>'));
  await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
  try {
    emsp.versionsDelayMs = 5000;
    const state = () => JSON.stringify(sqlite(bridge).prepare('SELECT (SELECT count(*) FROM ocpi_platforms) AS platforms, (SELECT count(*) FROM ocpi_parties) AS parties, (SELECT used_at_ms FROM ocpi_registration_tokens) AS used').get());
    const before = state();
    for (const [why, versionsUrl, cause] of [
      ['slow', emsp.versionsUrl, /no answer within 500 ms/],
      ['garbage', `http://127.0.0.1:${(html.address() as AddressInfo).port}/ocpi/versions`, /not an OCPI envelope/],
      ['dns', 'http://emsp-down.invalid:8099/ocpi/versions', /ENOTFOUND|EAI_AGAIN|getaddrinfo/],
    ] as const) {
      emsp.acceptToken('reg-token-b');
      const res = await emsp.call('POST', `${bridge.httpUrl}/ocpi/2.2.1/credentials`, { token: 'registration-a', version: '2.2.1', body: { ...emsp.credentials('2.2.1', 'reg-token-b'), url: versionsUrl } });
      expect([why, res.status, res.body.status_code]).toEqual([why, 200, 3001]);
      expect(res.body.status_message).toMatch(cause);
      expect(state()).toBe(before); // no platform, no party, token A not used up
    }
    expect((await fetch(`${bridge.httpUrl}/healthz`)).status).toBe(200);
    // Token A still opens the registration once the eMSP is reachable.
    emsp.versionsDelayMs = 0;
    expect((await emsp.register(`${bridge.httpUrl}/ocpi/versions`, 'registration-a')).body.status_code).toBe(1000);
  } finally {
    html.closeAllConnections();
    html.close();
    await bridge.close();
    await emsp.close();
  }
}, 30_000);

it('an eMSP that stores a CDR but answers after the timeout gets the same CDR again, identical, and then no more (at-least-once)', async () => {
  const r = await start();
  r.proxy.mode = 'late';
  await chargeSession(r);
  await expect.poll(() => cdrFailures(r).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  expect(cdrFailures(r)[0]).toMatchObject({ party: 'NL*EMS', err: expect.stringMatching(/no answer within 500 ms/) });
  // The bridge cannot know the eMSP kept it: OCPI has no idempotency key, so it re-sends; the eMSP recognises the id.
  r.proxy.mode = 'pass';
  await expect.poll(() => metric(r, 'bridge_ocpi_undelivered_cdrs'), { timeout: 30_000 }).toBe(0);
  const received = r.emsp.cdrs();
  expect(received.length).toBeGreaterThanOrEqual(2);
  expect(new Set(received.map((c) => c.id)).size).toBe(1);
  expect(received.every((c) => JSON.stringify(c) === JSON.stringify(received[0]))).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(r.emsp.cdrs()).toHaveLength(received.length);
}, 60_000);
