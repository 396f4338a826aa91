/**
 * The status page in a real browser (Debian's Chromium through playwright-core) against the real bridge with
 * simulated chargers (firmware-sim/): log in with the password generated on first start, see a charger come
 * online and a session's energy rise without reloading, open the traffic log, reset a charger and see it
 * reboot, get a clear message for an action on an offline charger, and fit a phone screen. Screenshots of the
 * overview go to test-results/ on every run. Skipped, saying so, only when /usr/bin/chromium is missing.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCharger, type SimulatedCharger16 } from '../../firmware-sim/index.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED status page browser tests: ${CHROMIUM} does not exist (install it with: apt-get install -y chromium)`);

const RESULTS = join(process.cwd(), 'test-results');
const TAG = '04A2B3C4D5E6F7';

describe.skipIf(!hasChromium)('status page in Chromium', { timeout: 60_000 }, () => {
  let bridge: TestBridge;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const sims: SimulatedCharger16[] = [];
  const pageErrors: string[] = [];
  const poll = { timeout: 15_000, interval: 100 };

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    bridge = await startTestBridge(siteConfig([{ identity: 'SIM-1', evses: 2 }, { identity: 'SIM-2', evses: 1 }]));
    profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    for (const sim of sims) await sim.close();
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await bridge?.close();
  });

  /** Set on the window: still there later means the page was not reloaded. */
  // (functions passed to page.evaluate run in the page; this file is type-checked without the DOM library)
  const mark = () => page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
  const marked = () => page.evaluate(() => (globalThis as unknown as { marker?: number }).marker);
  const text = (selector: string) => page.locator(selector).first().textContent();

  it('logs in with the password generated on first start', async () => {
    expect(bridge.statusPagePassword?.user).toBe('tech');
    await page.goto(`${bridge.httpUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=user]', 'tech');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button[type=submit]');
    expect(await page.locator('.flash.error').textContent()).toContain('Wrong user or password');
    await page.fill('input[name=user]', 'tech');
    await page.fill('input[name=password]', bridge.statusPagePassword!.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${bridge.httpUrl}/`);
    expect(await text('[data-tile=online]')).toBe('0');
    expect(await text('[data-tile=offline]')).toBe('0');
    expect(await page.locator('#live.on').count()).toBe(1);
  });

  it('shows a charger coming online without a reload', async () => {
    await mark();
    const sim = createSimulatedCharger({ url: bridge.ocppUrl, identity: 'SIM-1', connectors: 2, powerW: 11_000, vendor: 'ACME <b>Power</b>', model: 'Wallbox 22' });
    sims.push(sim);
    await sim.connect();
    await expect.poll(() => text('[data-tile=online]'), poll).toBe('1');
    await expect.poll(() => page.locator('[data-ocpi=AVAILABLE]').first().textContent(), poll).toContain('AVAILABLE 2');
    expect(await marked()).toBe(42);
    await page.screenshot({ path: join(RESULTS, 'status-page-overview.png'), fullPage: true });
  });

  it("shows a session's energy rising as meter values arrive, without a reload", async () => {
    const sim = sims[0]!;
    await sim.startTransaction(1, TAG);
    await page.goto(`${bridge.httpUrl}/sessions`);
    await mark();
    const energy = 'table.live-sessions tr[data-tx] [data-field=energy]';
    await expect.poll(() => text(energy), poll).toBe('0.00 kWh');
    await sim.advance(1, 600); // 11 kW for 10 minutes: 1.83 kWh
    await expect.poll(() => text(energy), poll).toBe('1.83 kWh');
    expect(await text('table.live-sessions tr[data-tx] [data-field=power]')).toBe('11.0 kW');
    await sim.advance(1, 600);
    await expect.poll(() => text(energy), poll).toBe('3.67 kWh');
    expect(await page.locator('table.live-sessions svg.spark').count()).toBe(1);
    expect(await marked()).toBe(42);
    await page.goto(`${bridge.httpUrl}/`);
    expect(await text('[data-tile=sessions]')).toBe('1');
    expect(await text('[data-tile=energy]')).toBe('3.67 kWh');
    await page.screenshot({ path: join(RESULTS, 'status-page-overview-charging.png'), fullPage: true });
  });

  it('opens the OCPP traffic log of a charger and filters it by action', async () => {
    await page.goto(`${bridge.httpUrl}/chargers/SIM-1`);
    expect(await text('dd[data-fact=Vendor]')).toBe('ACME <b>Power</b>'); // shown as text, not markup
    const boot = page.locator('li.msg.in[data-action=BootNotification] summary').first();
    await expect.poll(() => boot.count(), poll).toBe(1);
    await boot.click();
    expect(await page.locator('li.msg.in[data-action=BootNotification] pre').first().textContent()).toContain('"chargePointVendor": "ACME <b>Power</b>"');
    expect(await page.locator('li.msg.out[data-action=BootNotification]').count()).toBeGreaterThan(0);
    await page.selectOption('#action-filter', 'MeterValues');
    await page.click('#traffic button[type=submit]');
    await page.waitForURL(/action=MeterValues/);
    const actions = await page.locator('li.msg').evaluateAll((items) => items.map((i) => i.getAttribute('data-action')));
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['MeterValues']));
    await page.goto(`${bridge.httpUrl}/chargers/SIM-1`);
    await page.screenshot({ path: join(RESULTS, 'status-page-charger.png'), fullPage: true });
  });

  it('resets a charger after confirmation and shows it rebooting', async () => {
    const sim = sims[0]!;
    const bootBefore = bridge.store.getCharger('SIM-1')!.lastBootAtMs!;
    await page.goto(`${bridge.httpUrl}/chargers/SIM-1`);
    await mark();
    await page.click('a:has-text("Reset (soft)")');
    expect(await text('#confirm h1')).toBe('Soft-reset SIM-1?');
    const rebooted = new Promise((resolve) => sim.once('rebooted', resolve));
    await page.click('#confirm-button');
    await page.waitForURL(`${bridge.httpUrl}/chargers/SIM-1`);
    expect(await text('#flash')).toBe('Soft reset: SIM-1 answered Accepted.');
    await rebooted;
    await mark();
    // the page follows the reboot live: new boot time, online again, the Reset call in the traffic log
    await expect.poll(async () => Number(await page.getAttribute('dd[data-fact="Last boot"] time', 'data-at')), poll).toBeGreaterThan(bootBefore);
    await expect.poll(() => text('#r-head .badge'), poll).toBe('● online');
    await expect.poll(() => page.locator('li.msg.out[data-action=Reset]').count(), poll).toBe(1);
    expect(await marked()).toBe(42);
    // the running session was stopped by the reset (the simulator ends it with SoftReset)
    expect(bridge.store.listActiveTransactions('SIM-1')).toEqual([]);
  });

  it('says clearly that an action on an offline charger was not sent', async () => {
    await page.goto(`${bridge.httpUrl}/chargers/SIM-2/confirm/trigger-status`);
    expect(await text('#confirm')).toContain('SIM-2 is offline right now');
    await page.click('#confirm-button');
    await page.waitForURL(`${bridge.httpUrl}/chargers/SIM-2`);
    expect(await text('#flash')).toBe('SIM-2 is offline: Trigger StatusNotification was not sent and nothing is queued. Try again once it is connected.');
  });

  it('fits a phone screen, and no page had a script error or a blocked resource', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${bridge.httpUrl}/`);
    const overflow = await page.evaluate(() => {
      const g = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      return g.document.documentElement.scrollWidth - g.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(RESULTS, 'status-page-overview-phone.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
