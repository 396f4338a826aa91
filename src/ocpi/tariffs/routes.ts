/**
 * Tariffs, Sender interface (OCPI 2.2.1 mod_tariffs §Sender Interface; 2.1.1 tariffs.md §3.1): GET the
 * paginated list of live tariffs (deleted ones are gone from the list; eMSPs with a Receiver interface got
 * a DELETE push). Ordered by id, keyset-paged.
 */
import { Hono } from 'hono';
import type { OcpiDeps, OcpiEnv } from '../context.js';
import { publicUrlOf } from '../context.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import { pagination, sendPage } from '../middleware/pagination.js';
import type { OcpiModule } from '../modules.js';
import { tariff211, tariff221 } from './map.js';

export const tariffsModule: OcpiModule = {
  id: 'tariffs',
  role: 'SENDER',
  versions: ['2.2.1', '2.1.1'],
  functional: true,
  routes(deps: OcpiDeps, version) {
    const app = new Hono<OcpiEnv>();
    const serialize = version === '2.2.1' ? tariff221 : tariff211;
    app.get('/', pagination(deps.config.ocpi.page_limit_max), (c) => {
      const page = deps.store.tariffPage(c.get('page'));
      return sendPage(c, publicUrlOf(deps), page, page.items.map(serialize));
    });
    methodNotAllowed(app, ['/'], 'the bridge is the Sender of Tariffs: only GET on the list');
    return app;
  },
};
