/**
 * Locations, Sender interface (OCPI 2.2.1 mod_locations §Sender Interface; 2.1.1 locations.md §3.1):
 * GET the paginated list, or one Location / EVSE / Connector by `{location_id}[/{evse_uid}[/{connector_id}]]`
 * (404 + 2003 when unknown). The bridge owns these objects; nothing else may be done to them here.
 */
import { Hono } from 'hono';
import type { OcpiDeps, OcpiEnv } from '../context.js';
import { publicUrlOf } from '../context.js';
import { ok, OcpiError, OcpiStatus } from '../envelope.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import { pagination, sendRawPage } from '../middleware/pagination.js';
import type { OcpiModule } from '../modules.js';
import { connector211, connector221, evse211, evse221, publishedEvses } from './map.js';
import { createLocationReader } from './read.js';

export const locationsModule: OcpiModule = {
  id: 'locations',
  role: 'SENDER',
  versions: ['2.2.1', '2.1.1'],
  functional: true,
  routes(deps: OcpiDeps, version) {
    const reader = createLocationReader(deps);
    const app = new Hono<OcpiEnv>();
    const unknown = (what: string) => new OcpiError(OcpiStatus.UNKNOWN_LOCATION, 404, `Unknown ${what}`);

    app.get('/', pagination(deps.config.ocpi.page_limit_max), (c) => {
      return sendRawPage(c, publicUrlOf(deps), reader.page(version, c.get('page')));
    });
    app.get('/:location_id', (c) => {
      const view = reader.find(version, c.req.param('location_id'));
      if (!view) throw unknown('location');
      return ok(c, reader.serialize(version, view));
    });
    app.get('/:location_id/:evse_uid', (c) => {
      const view = reader.find(version, c.req.param('location_id'));
      const evse = view && publishedEvses(view).find((e) => e.evse.uid.toUpperCase() === c.req.param('evse_uid').toUpperCase());
      const data = evse && (version === '2.2.1' ? evse221(evse, reader.context()) : evse211(evse, reader.context()));
      if (!data) throw unknown('EVSE');
      return ok(c, data);
    });
    app.get('/:location_id/:evse_uid/:connector_id', (c) => {
      const view = reader.find(version, c.req.param('location_id'));
      const evse = view && publishedEvses(view).find((e) => e.evse.uid.toUpperCase() === c.req.param('evse_uid').toUpperCase());
      const connector = evse?.connectors.find((k) => k.connectorId.toUpperCase() === c.req.param('connector_id').toUpperCase());
      const data = connector && (version === '2.2.1' ? connector221(connector) : connector211(connector));
      if (!data) throw unknown('connector');
      return ok(c, data);
    });
    methodNotAllowed(app, ['/', '/:a', '/:a/:b', '/:a/:b/:c'], 'the bridge is the Sender of Locations: only GET');
    return app;
  },
};
