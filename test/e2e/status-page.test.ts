/**
 * The status page as the composition root mounts it, over real HTTP: /healthz and /metrics stay open, OCPI keeps
 * its own answers under /ocpi/*, the page needs a login, the first start returns a generated password once
 * (a restart on the same database does not), and `status_page.enabled: false` turns the page off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const bridges: TestBridge[] = [];
afterEach(async () => {
  for (const b of bridges.splice(0).reverse()) await b.close(); // a restart test reuses the first one's folder
});

async function start(extra: Record<string, unknown> = {}, database?: Record<string, unknown>): Promise<TestBridge> {
  const b = await startTestBridge({ ...siteConfig([{ identity: 'CP-1' }], extra), ...(database ? { database } : {}) });
  bridges.push(b);
  return b;
}

const get = (b: TestBridge, path: string, headers: Record<string, string> = {}) => fetch(b.httpUrl + path, { headers, redirect: 'manual' });
const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('status page wiring', () => {
  it('is protected, leaves /healthz, /metrics and /ocpi/* alone, and serves /status.json with the generated login', async () => {
    const b = await start();
    expect((await get(b, '/healthz')).status).toBe(200);
    expect((await get(b, '/metrics')).status).toBe(200);
    const ocpi = await get(b, '/ocpi/2.2.1/nothing', { accept: 'text/html' });
    expect(ocpi.status).not.toBe(302);
    expect(((await ocpi.json()) as { status_code: number }).status_code).toBeGreaterThanOrEqual(2000);
    const page = await get(b, '/', { accept: 'text/html' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2F');
    expect(b.statusPagePassword?.user).toBe('tech');
    const { user, password } = b.statusPagePassword!;
    const status = await get(b, '/status.json', basic(user, password));
    expect(status.status).toBe(200);
    expect(((await status.json()) as { overview: { chargers: { total: number } } }).overview.chargers.total).toBe(1);
  });

  it('prints nothing the second time: the generated password is only returned by the start that created it', async () => {
    const first = await start();
    const password = first.statusPagePassword!.password;
    await first.stop();
    const second = await start({}, { path: first.dbPath, synchronous: 'NORMAL' });
    expect(second.statusPagePassword).toBeUndefined();
    expect((await get(second, '/status.json', basic('tech', password))).status).toBe(200);
  });

  it('status_page.enabled: false turns the page off', async () => {
    const b = await start({ status_page: { enabled: false } });
    expect(b.statusPagePassword).toBeUndefined();
    expect((await get(b, '/', { accept: 'text/html' })).status).toBe(404);
    expect((await get(b, '/status.json')).status).toBe(404);
    expect((await get(b, '/healthz')).status).toBe(200);
  });
});
