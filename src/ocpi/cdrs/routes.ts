/**
 * CDRs, Sender interface (mod_cdrs §Sender Interface; 2.1.1 cdrs.md): the requesting eMSP's CDRs only,
 * keyset-paged by last_updated. The stored 2.2.1 texts are joined into the page as they are.
 */
import { Hono } from 'hono';
import type { OcpiDeps, OcpiEnv } from '../context.js';
import { createLocationReader } from '../locations/read.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import type { OcpiModule } from '../modules.js';
import { cdr211 } from '../sessions/map211.js';
import { storedListRoute } from '../sessions/routes.js';

export const cdrsModule: OcpiModule = {
  id: 'cdrs',
  role: 'SENDER',
  versions: ['2.2.1', '2.1.1'],
  functional: true,
  routes(deps: OcpiDeps, version) {
    const app = new Hono<OcpiEnv>();
    const reader = createLocationReader(deps);
    app.get('/', ...storedListRoute(deps, version, (p, q) => deps.sessions!.cdrPage(p, q), (c) => cdr211(c, reader)));
    methodNotAllowed(app, ['/'], 'the bridge is the Sender of CDRs: GET the list');
    return app;
  },
};
