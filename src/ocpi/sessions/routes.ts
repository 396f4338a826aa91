/**
 * Sessions, Sender interface (mod_sessions §Sender Interface; 2.1.1 sessions.md): the requesting eMSP's
 * sessions only (the one whose token started them), keyset-paged by last_updated; and
 * `PUT {session_id}/charging_preferences`, answered NOT_POSSIBLE (the bridge does not act on preferences),
 * or HTTP 404 / 2001 when the EVSE lacks CHARGING_PREFERENCES_CAPABLE, as the checklist says; a session that
 * is unknown or another eMSP's is HTTP 404 / 2000 (never revealed); a malformed ChargingPreferences is 2001.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Page, OcpiVersionNumber } from '../../domain/ocpi-ports.js';
import type { OcpiDeps, OcpiEnv, PageParams } from '../context.js';
import { publicUrlOf } from '../context.js';
import { ok, OcpiError, OcpiStatus } from '../envelope.js';
import { firstIssue } from '../credentials/wire.js';
import { createLocationReader } from '../locations/read.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import { pagination, sendPage, sendRawPage } from '../middleware/pagination.js';
import type { OcpiModule } from '../modules.js';
import { session211 } from './map211.js';

/** mod_sessions §ChargingPreferences object. */
const chargingPreferences = z.object({
  profile_type: z.enum(['CHEAP', 'FAST', 'GREEN', 'REGULAR']),
  departure_time: z.string().datetime({ offset: true }).optional(),
  energy_need: z.number().nonnegative().optional(),
  discharge_allowed: z.boolean().optional(),
});

export function callerPlatformId(c: { get(key: 'caller'): OcpiEnv['Variables']['caller'] }): number {
  const caller = c.get('caller');
  if (caller.kind !== 'platform') throw new OcpiError(OcpiStatus.CLIENT_ERROR, 401, 'a registered platform is required');
  return caller.platform.id;
}

/** GET of a Sender list kept as stored 2.2.1 texts: joined as they are for 2.2.1, converted for 2.1.1. */
export function storedListRoute(deps: OcpiDeps, version: OcpiVersionNumber, page: (platformId: number, q: PageParams) => Page<string>, to211: (item: Record<string, any>) => unknown) {
  return [pagination(deps.config.ocpi.page_limit_max), (c: Context<OcpiEnv>) => {
    const result = page(callerPlatformId(c), c.get('page'));
    if (version === '2.2.1') return sendRawPage(c, publicUrlOf(deps), result);
    return sendPage(c, publicUrlOf(deps), result, result.items.map((json) => to211(JSON.parse(json))));
  }] as const;
}

export const sessionsModule: OcpiModule = {
  id: 'sessions',
  role: 'SENDER',
  versions: ['2.2.1', '2.1.1'],
  functional: true,
  routes(deps: OcpiDeps, version) {
    const app = new Hono<OcpiEnv>();
    const reader = createLocationReader(deps);
    const store = deps.sessions!;
    app.get('/', ...storedListRoute(deps, version, (p, q) => deps.sessions!.sessionPage(p, q), (s) => session211(s, reader)));
    if (version === '2.2.1') {
      app.put('/:session_id/charging_preferences', (c) => {
        const session = store.getSession(c.req.param('session_id'));
        if (!session || session.platformId !== callerPlatformId(c)) throw new OcpiError(OcpiStatus.CLIENT_ERROR, 404, 'Unknown session');
        const evseUid = (JSON.parse(session.json) as { location_id: string; evse_uid: string });
        const view = reader.find('2.2.1', evseUid.location_id);
        const evse = view?.evses.find((e) => e.evse.uid === evseUid.evse_uid);
        const capable = evse?.evse.capabilitiesJson?.includes('CHARGING_PREFERENCES_CAPABLE') ?? false;
        if (!capable) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 404, 'this EVSE does not take charging preferences');
        // Valid JSON from an authenticated eMSP is not an HTTP error (status_codes.asciidoc): 2001 with HTTP 200.
        const parsed = chargingPreferences.safeParse(c.get('body'));
        if (!parsed.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `Invalid ChargingPreferences: ${firstIssue(parsed.error)}`);
        // The bridge passes no preferences to the charger (no OCPP mapping for them), so it cannot honour them.
        return ok(c, 'NOT_POSSIBLE');
      });
    }
    methodNotAllowed(app, ['/'], 'the bridge is the Sender of Sessions: GET the list');
    return app;
  },
};

