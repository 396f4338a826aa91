import { afterEach, describe, expect, it } from 'vitest';
import { auth, createFixture, json, siteYaml, T0, type Fixture } from '../test-helpers/fixture.js';

let fx: Fixture;
afterEach(() => fx?.close());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const reservationTariff = {
  id: 'RESERVE', currency: 'EUR', type: 'REGULAR', min_price: { excl_vat: 0.5, incl_vat: 0.6 },
  tariff_alt_text: [{ language: 'de', text: 'Reservierung 5 € pro Stunde' }],
  elements: [
    { price_components: [{ type: 'TIME', price: 5, vat: 19, step_size: 300 }], restrictions: { reservation: 'RESERVATION' } },
    { price_components: [{ type: 'ENERGY', price: 0.45, vat: 19, step_size: 1 }], restrictions: { min_current: 32 } },
    { price_components: [{ type: 'ENERGY', price: 0.25, vat: 19, step_size: 1 }], restrictions: { max_current: 32, day_of_week: ['MONDAY'] } },
    { price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] },
  ],
};

describe('tariffs Sender: GET list (mod_tariffs §Sender Interface)', () => {
  it('2.2.1: the configured tariffs with country_code, party_id and last_updated', async () => {
    fx = createFixture();
    const { token } = fx.registerPlatform();
    const res = await fx.app.request('/ocpi/2.2.1/tariffs', { headers: auth(token) });
    expect(res.headers.get('X-Total-Count')).toBe('1');
    expect((await json(res)).data).toEqual([{
      country_code: 'DE', party_id: 'EXA', id: 'AC-STANDARD', currency: 'EUR',
      elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] }], last_updated: iso(T0),
    }]);
  });

  it('2.1.1: no party, type, min_price, vat, reservation elements or current restrictions; ASCII text', async () => {
    fx = createFixture(siteYaml({ tariffs: [reservationTariff, { id: 'AC-STANDARD', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, step_size: 1 }] }] }] }));
    const { token } = fx.registerPlatform({ version: '2.1.1' });
    const t = (await json(fx.app.request('/ocpi/2.1.1/tariffs', { headers: auth(token, 'plain') }))).data[1];
    expect(t).toEqual({
      id: 'RESERVE', currency: 'EUR', tariff_alt_text: [{ language: 'de', text: 'Reservierung 5 EUR pro Stunde' }],
      // The current-bound elements cannot be told apart in 2.1.1: left out, so 0.45 does not shadow the base price.
      elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, step_size: 1 }] }],
      last_updated: iso(T0),
    });
  });

  it('2.1.1: a tariff made only of current-bound elements keeps them, without the condition', async () => {
    const onlyCurrent = { id: 'FAST', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.59, vat: 19, step_size: 1 }], restrictions: { min_current: 100 } }] };
    fx = createFixture(siteYaml({ tariffs: [onlyCurrent, { id: 'AC-STANDARD', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, step_size: 1 }] }] }] }));
    const { token } = fx.registerPlatform({ version: '2.1.1' });
    const t = (await json(fx.app.request('/ocpi/2.1.1/tariffs', { headers: auth(token, 'plain') }))).data.find((x: any) => x.id === 'FAST');
    expect(t.elements).toEqual([{ price_components: [{ type: 'ENERGY', price: 0.59, step_size: 1 }] }]);
  });

  it('pages by id with Link; deleted tariffs are gone; date filters apply', async () => {
    const tariffs = Array.from({ length: 5 }, (_, i) => ({ id: `T-${i}`, currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: i, step_size: 1 }] }] }));
    fx = createFixture(siteYaml({ tariffs: [...tariffs, { ...tariffs[0], id: 'AC-STANDARD' }], ocpi: { page_limit_max: 2 } }));
    const { token } = fx.registerPlatform();
    const seen: string[] = [];
    let url: string | undefined = '/ocpi/2.2.1/tariffs';
    while (url) {
      const page: Response = await fx.app.request(url, { headers: auth(token) });
      expect(page.headers.get('X-Total-Count')).toBe('6');
      seen.push(...(await json(page)).data.map((t: any) => t.id));
      url = page.headers.get('Link')?.match(/<http:\/\/bridge\.test([^>]+)>/)?.[1];
    }
    expect(seen).toEqual(['AC-STANDARD', 'T-0', 'T-1', 'T-2', 'T-3', 'T-4']);
    // Drop T-2 from the config (as a restart would): deleted, no longer listed.
    const later = T0 + 5000;
    fx.store.syncSite({ ...(await import('../../site-from-config.js')).siteFromConfig({ ...fx.config, tariffs: fx.config.tariffs.filter((t) => t.id !== 'T-2') }) }, later);
    const after = await fx.app.request('/ocpi/2.2.1/tariffs?offset=2', { headers: auth(token) });
    expect(after.headers.get('X-Total-Count')).toBe('5');
    expect((await json(after)).data.map((t: any) => t.id)).toEqual(['T-1', 'T-3']);
    expect(fx.ocpiStore.getTariff('T-2')?.deletedAtMs).toBe(later);
    const none = await fx.app.request(`/ocpi/2.2.1/tariffs?date_from=${iso(later)}`, { headers: auth(token) });
    expect(none.headers.get('X-Total-Count')).toBe('0');
  });
});
