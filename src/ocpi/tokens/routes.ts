/**
 * Tokens, Receiver interface (OCPI 2.2.1 mod_tokens §Receiver Interface; 2.1.1 tokens.md §3.2): the eMSP
 * pushes its tokens to `{tokens}/{country_code}/{party_id}/{uid}[?type=]` (type RFID by default; 2.1.1 has no
 * `?type`): GET reads one back, PUT stores it whole (201 new / 200 replaced), PATCH changes fields (2.2.1:
 * `last_updated` required). The URL's party must be one of the caller's credentials roles (404 otherwise, as
 * transport_and_format §Errors allows); the token's own party and uid must equal the URL's (2001). Every
 * change reaches the OCPP local lists (debounced there). Nothing is deleted: a token is invalidated with
 * `valid: false`.
 */
import { Hono, type Context } from 'hono';
import type { OcpiVersionNumber } from '../../domain/ocpi-ports.js';
import type { OcpiCommandDeps, OcpiTokenData } from '../../domain/token-ports.js';
import { normalizeUid } from '../../domain/token-mapping.js';
import type { OcpiDeps, OcpiEnv } from '../context.js';
import { firstIssue } from '../credentials/wire.js';
import { ok, OcpiError, OcpiStatus } from '../envelope.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import type { OcpiModule } from '../modules.js';
import { ownsParty, partyOf } from './platform-call.js';
import { fromToken211, fromToken221, token211, token221, tokenFor, tokenType } from './wire.js';

/** The token/command services start.ts wires into OcpiDeps; an app built without them answers 3000. */
export function commandDepsOf(deps: OcpiDeps): OcpiCommandDeps {
  if (!deps.tokensAndCommands) throw new OcpiError(OcpiStatus.SERVER_ERROR, 503, 'this module is not available on this platform');
  return deps.tokensAndCommands;
}

export function callingPlatform(c: Context<OcpiEnv>) {
  const caller = c.get('caller');
  if (caller.kind !== 'platform') throw new OcpiError(OcpiStatus.CLIENT_ERROR, 401, 'a registered platform is required');
  return caller.platform;
}

export const tokensModule: OcpiModule = {
  id: 'tokens',
  role: 'RECEIVER',
  versions: ['2.2.1', '2.1.1'],
  functional: true,
  routes(deps, version) {
    const app = new Hono<OcpiEnv>();
    const path = '/:country_code/:party_id/:uid';

    /** The URL's token key, after the party check. */
    function target(c: Context<OcpiEnv>) {
      const platform = callingPlatform(c);
      const cc = c.req.param('country_code')!.toUpperCase();
      const pid = c.req.param('party_id')!.toUpperCase();
      if (!ownsParty(platform, cc, pid)) throw new OcpiError(OcpiStatus.CLIENT_ERROR, 404, `${cc}/${pid} is not one of your parties`);
      const typeParam = version === '2.2.1' ? c.req.query('type') : undefined;
      const type = typeParam === undefined ? undefined : tokenType.safeParse(typeParam.toUpperCase());
      if (type && !type.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, `unknown token type ${typeParam}`);
      return { platform, cc, pid, uid: c.req.param('uid')!, type: type?.data };
    }

    function find(x: OcpiCommandDeps, t: ReturnType<typeof target>) {
      // 2.1.1 URLs carry no type: the uid is unique within the eMSP there.
      const types = t.type ? [t.type] : version === '2.2.1' ? ['RFID'] : ['RFID', 'OTHER', 'APP_USER', 'AD_HOC_USER'];
      for (const type of types) {
        const row = x.tokens.getToken(t.cc, t.pid, normalizeUid(t.uid, type), type);
        if (row && row.source === 'emsp' && row.dataJson) return { row, data: JSON.parse(row.dataJson) as OcpiTokenData };
      }
      return undefined;
    }

    app.get(path, (c) => {
      const t = target(c);
      const found = find(commandDepsOf(deps), t);
      if (!found) throw new OcpiError(OcpiStatus.UNKNOWN_TOKEN, 404, 'Unknown token');
      return ok(c, tokenFor(version, found.data));
    });

    app.put(path, async (c) => {
      const x = commandDepsOf(deps);
      const t = target(c);
      const token = parse(version, c.get('body'), t);
      if (token.uid.toUpperCase() !== t.uid.toUpperCase()) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `the token's uid ${token.uid} differs from the URL's ${t.uid}`);
      if (t.type && token.type !== t.type) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `the token's type ${token.type} differs from the URL's ${t.type}`);
      const { created } = deps.store.transaction(() => x.tokens.putEmspToken(t.platform.id, token, deps.clock.now().getTime()));
      await deps.store.durable();
      x.tokensChanged();
      deps.log.info({ party: partyOf(t.platform), tokenParty: `${t.cc}*${t.pid}`, type: token.type, whitelist: token.whitelist, valid: token.valid, created }, 'eMSP token stored');
      return ok(c, undefined, created ? 201 : 200);
    });

    app.patch(path, async (c) => {
      const x = commandDepsOf(deps);
      const t = target(c);
      const patch = c.get('body');
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, 'the PATCH body must be a JSON object');
      const fields = patch as Record<string, unknown>;
      if (version === '2.2.1' && fields.last_updated === undefined) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, 'a PATCH must contain last_updated');
      const found = find(x, t);
      // mod_tokens: the sender GETs after a failed PATCH and PUTs what is missing.
      if (!found) throw new OcpiError(OcpiStatus.UNKNOWN_TOKEN, 404, 'Unknown token: PUT it first');
      for (const key of ['country_code', 'party_id', 'uid', 'type'] as const) {
        const current = version === '2.2.1' ? found.data[key] : (tokenFor(version, found.data) as Record<string, unknown>)[key];
        if (fields[key] !== undefined && String(fields[key]).toUpperCase() !== String(current).toUpperCase()) {
          throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `${key} cannot be changed by a PATCH`);
        }
      }
      const merged = { ...tokenFor(version, found.data), ...fields };
      const token = parse(version, merged, t);
      deps.store.transaction(() => x.tokens.putEmspToken(t.platform.id, token, deps.clock.now().getTime()));
      await deps.store.durable();
      x.tokensChanged();
      deps.log.info({ party: partyOf(t.platform), tokenParty: `${t.cc}*${t.pid}`, fields: Object.keys(fields) }, 'eMSP token patched');
      return ok(c);
    });

    methodNotAllowed(app, ['/', '/:a', '/:a/:b', path], 'the bridge is the Receiver of Tokens: GET, PUT or PATCH one token');
    return app;
  },
};

function parse(version: OcpiVersionNumber, body: unknown, t: { cc: string; pid: string }): OcpiTokenData {
  if (version === '2.1.1') {
    const parsed = token211.safeParse(body);
    if (!parsed.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `invalid Token: ${firstIssue(parsed.error)}`);
    return fromToken211(parsed.data, { countryCode: t.cc, partyId: t.pid });
  }
  const parsed = token221.safeParse(body);
  if (!parsed.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `invalid Token: ${firstIssue(parsed.error)}`);
  // transport_and_format: the URL's country_code/party_id SHALL equal the pushed object's.
  if (parsed.data.country_code.toUpperCase() !== t.cc || parsed.data.party_id.toUpperCase() !== t.pid) {
    throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `the token's party ${parsed.data.country_code}/${parsed.data.party_id} differs from the URL's ${t.cc}/${t.pid}`);
  }
  return fromToken221(parsed.data);
}
