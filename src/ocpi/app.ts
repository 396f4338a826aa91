/**
 * The OCPI 2.2.1 / 2.1.1 CPO platform as one Hono app, mounted by start.ts at /ocpi. Middleware in order:
 * request counting, request ids, token auth (per module policy), 2.2.1 routing headers on functional
 * modules, JSON body (size limit, 400 on non-JSON); routes then validate with zod and answer `ok(c, data)`.
 * One onError builds every error envelope. May import domain/, log.ts, metrics.ts, hono and zod — never
 * ocpp/ or store/: data comes through the OcpiStore port.
 */
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { OcpiVersionNumber } from '../domain/ocpi-ports.js';
import { OCPI_VERSIONS, type OcpiDeps, type OcpiEnv } from './context.js';
import { envelope, ocpiErrorHandler, OcpiStatus } from './envelope.js';
import { countRequests } from './middleware/count-requests.js';
import { jsonBody } from './middleware/json-body.js';
import { requestIds } from './middleware/request-ids.js';
import { routingHeaders } from './middleware/routing-headers.js';
import { tokenAuth } from './middleware/token-auth.js';
import { OCPI_MODULES, type OcpiModule } from './modules.js';
import { hashToken } from './tokens.js';
import { versionDetails, versionList } from './versions/routes.js';

export function createOcpiApp(deps: OcpiDeps, modules: readonly OcpiModule[] = OCPI_MODULES): Hono<OcpiEnv> {
  registerConfiguredTokenA(deps);
  const app = new Hono<OcpiEnv>();
  app.onError(ocpiErrorHandler(deps.log));
  app.use('*', countRequests(deps.metrics), requestIds());

  const setupAuth = tokenAuth(deps, 'setup');
  const registeredAuth = tokenAuth(deps, 'registered');
  const body = jsonBody(deps.config.http.max_body_bytes);

  app.use('/versions', label('versions'), setupAuth);
  app.get('/versions', versionList(deps));
  for (const version of OCPI_VERSIONS) {
    app.use(`/${version}`, label('versions', version), setupAuth);
    app.get(`/${version}`, versionDetails(deps, version, modules));
    for (const m of modules.filter((x) => x.versions.includes(version))) {
      const chain = [
        label(m.id, version),
        m.functional ? registeredAuth : setupAuth,
        // OCPI 2.2.1 §Message Routing: functional modules only; 2.1.1 has no routing headers.
        ...(m.functional && version === '2.2.1' ? [routingHeaders(deps.config.cpo)] : []),
        body,
      ];
      app.use(`/${version}/${m.id}/*`, ...chain); // also matches the module root itself
      app.route(`/${version}/${m.id}`, m.routes(deps, version));
    }
  }
  // A route, not notFound(): a mounted app's notFound is not used by the parent app.
  app.all('*', (c) => c.json(envelope(OcpiStatus.CLIENT_ERROR, 'Unknown OCPI path'), 404));
  return app;
}

/** Labels the request with its module (metrics) and version (serializers). */
function label(module: string, version?: OcpiVersionNumber) {
  return createMiddleware<OcpiEnv>(async (c, next) => {
    c.set('module', module);
    if (version) c.set('version', version);
    await next();
  });
}

/**
 * The config's token A (`ocpi.token_a` / BRIDGE_OCPI_TOKEN_A) joins the stored registration tokens, hashed:
 * it opens one registration and is then used up, also across restarts (CONTRACT.md "may use once").
 */
function registerConfiguredTokenA(deps: OcpiDeps): void {
  const tokenA = deps.config.ocpi.token_a;
  if (tokenA && deps.store.addRegistrationToken(hashToken(tokenA), deps.clock.now().getTime())) {
    deps.log.info({}, 'OCPI registration token A from the configuration is ready for one registration');
  }
}
