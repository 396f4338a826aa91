/**
 * Credentials module, the Receiver side of registration (OCPI 2.2.1 credentials.asciidoc; 2.1.1
 * credentials.md): POST registers a platform that holds a token A, PUT updates a registration (new token,
 * re-fetched endpoints, version of the URL used), DELETE unregisters, GET returns our credentials. As the
 * spec sequences it, the peer's versions and details are fetched with its token B BEFORE we answer; only
 * then is anything stored, in one transaction that also uses up token A — a failure leaves nothing behind.
 */
import { Hono, type Context } from 'hono';
import type { OcpiPartyRecord, OcpiVersionNumber } from '../../domain/ocpi-ports.js';
import type { OcpiDeps, OcpiEnv } from '../context.js';
import { ok, OcpiError, OcpiStatus } from '../envelope.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import type { OcpiModule } from '../modules.js';
import { hashToken, newToken } from '../tokens.js';
import { discoverPeer, ourCredentials, partiesOf, platformName } from './handshake.js';
import { credentials211, credentials221, firstIssue, type Credentials211, type Credentials221 } from './wire.js';

export const credentialsModule: OcpiModule = {
  id: 'credentials',
  // credentials.asciidoc: the role is irrelevant for credentials; SENDER is advised.
  role: 'SENDER',
  versions: ['2.2.1', '2.1.1'],
  functional: false,
  routes(deps: OcpiDeps, version) {
    const app = new Hono<OcpiEnv>();
    const notRegistered = () => new OcpiError(OcpiStatus.CLIENT_ERROR, 405, 'Not registered: POST credentials with a registration token A first');

    app.get('/', (c) => {
      const caller = c.get('caller');
      if (caller.kind !== 'platform') throw notRegistered();
      return ok(c, ourCredentials(deps, version, caller.token));
    });

    app.post('/', async (c) => {
      const caller = c.get('caller');
      // credentials.asciidoc: POST when already registered MUST be answered with 405.
      if (caller.kind !== 'registration') throw new OcpiError(OcpiStatus.CLIENT_ERROR, 405, 'Already registered: PUT to update, DELETE to unregister');
      const creds = parse(c, version);
      const parties = partiesOf(version, creds);
      assertPartiesFree(deps, parties);
      const peer = await discoverPeer(deps, creds.url, creds.token, version);
      const tokenC = newToken();
      const atMs = deps.clock.now().getTime();
      const platform = deps.store.transaction(() => {
        assertPartiesFree(deps, parties);
        const p = deps.store.createPlatform({
          status: 'registered', inboundTokenHash: hashToken(tokenC), outboundToken: creds.token, versionsUrl: creds.url, version: peer.version,
          endpoints: peer.endpoints, tokenEncoding: peer.tokenEncoding, name: platformName(parties), parties,
        }, atMs);
        // Token A "MAY no longer be used" once the registration succeeded; a concurrent POST with it loses here.
        if (!deps.store.consumeRegistrationToken(caller.tokenHash, p.id, atMs)) throw new OcpiError(OcpiStatus.CLIENT_ERROR, 405, 'This registration token was used meanwhile');
        return p;
      });
      await deps.store.durable();
      deps.log.info({ platform: platform.id, parties: describe(parties), version: peer.version, tokenEncoding: peer.tokenEncoding }, 'OCPI platform registered (it started the handshake)');
      return ok(c, ourCredentials(deps, version, tokenC));
    });

    app.put('/', async (c) => {
      const caller = c.get('caller');
      if (caller.kind !== 'platform' || caller.platform.status !== 'registered') throw notRegistered();
      const creds = parse(c, version);
      const parties = partiesOf(version, creds);
      assertPartiesFree(deps, parties, caller.platform.id);
      // credentials.asciidoc §PUT: re-fetch versions and endpoints even if the version did not change.
      const peer = await discoverPeer(deps, creds.url, creds.token, version);
      const tokenC = newToken();
      deps.store.updatePlatform(caller.platform.id, {
        inboundTokenHash: hashToken(tokenC), outboundToken: creds.token, versionsUrl: creds.url, version: peer.version, endpoints: peer.endpoints,
        tokenEncoding: peer.tokenEncoding, name: platformName(parties), parties,
      }, deps.clock.now().getTime());
      await deps.store.durable();
      deps.log.info({ platform: caller.platform.id, parties: describe(parties), version: peer.version }, 'OCPI platform updated its registration (new tokens)');
      return ok(c, ourCredentials(deps, version, tokenC));
    });

    app.delete('/', async (c) => {
      const caller = c.get('caller');
      if (caller.kind !== 'platform' || caller.platform.status !== 'registered') throw notRegistered();
      deps.store.unregisterPlatform(caller.platform.id, deps.clock.now().getTime());
      await deps.store.durable();
      deps.log.info({ platform: caller.platform.id, parties: describe(caller.platform.parties) }, 'OCPI platform unregistered');
      return ok(c);
    });

    methodNotAllowed(app, ['/'], 'credentials has no PATCH');
    return app;
  },
};

function parse(c: Context<OcpiEnv>, version: OcpiVersionNumber): Credentials221 | Credentials211 {
  const parsed = (version === '2.2.1' ? credentials221 : credentials211).safeParse(c.get('body'));
  // Valid JSON from an authenticated sender: not an HTTP error, an OCPI 2001 (status_codes.asciidoc).
  if (!parsed.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `Invalid Credentials object: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/** Each (country_code, party_id, role) belongs to one platform (credentials.asciidoc §CredentialsRole). */
function assertPartiesFree(deps: OcpiDeps, parties: OcpiPartyRecord[], self?: number): void {
  for (const p of parties) {
    const holder = deps.store.platformOfParty(p.countryCode, p.partyId, p.role);
    if (holder !== undefined && holder !== self) {
      throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `Party ${p.countryCode}/${p.partyId} (${p.role}) is already registered on another connection`);
    }
  }
}

function describe(parties: OcpiPartyRecord[]): string[] {
  return parties.map((p) => `${p.countryCode}*${p.partyId}:${p.role}`);
}
