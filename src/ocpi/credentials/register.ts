/**
 * The bridge registers itself at an eMSP (credentials Sender; reference §2.3 B), given the eMSP's versions
 * URL and the token A it handed out: discover with A, store a *pending* platform whose token B already
 * opens our versions and credentials (the eMSP calls back with B before it answers), POST our credentials,
 * keep the token C from the answer. Any failure deletes the pending platform: nothing half-registered.
 * Used by `npm run ocpi -- register` (src/cli/ocpi.ts) and by the running bridge alike.
 */
import type { OcpiPlatformRecord } from '../../domain/ocpi-ports.js';
import { OcpiError, OcpiStatus } from '../envelope.js';
import { callPeer } from '../peer.js';
import { hashToken, newToken } from '../tokens.js';
import { discoverPeer, ourCredentials, partiesOf, platformName, type HandshakeDeps } from './handshake.js';
import { credentials211, credentials221, firstIssue } from './wire.js';

export async function registerAtPeer(deps: HandshakeDeps, versionsUrl: string, tokenA: string): Promise<OcpiPlatformRecord> {
  const peer = await discoverPeer(deps, versionsUrl, tokenA, 'best');
  const credentialsUrl = peer.endpoints.find((e) => e.identifier === 'credentials')!.url;
  const tokenB = newToken();
  const pending = deps.store.createPlatform({
    status: 'pending', inboundTokenHash: hashToken(tokenB), outboundToken: null, versionsUrl, version: peer.version,
    endpoints: peer.endpoints, tokenEncoding: peer.tokenEncoding, name: null, parties: [],
  }, deps.clock.now().getTime());
  // Committed before the POST: the eMSP calls our versions with B, possibly served by another process.
  await deps.store.durable();
  try {
    const answer = await callPeer(deps.fetch ?? fetch, {
      method: 'POST', url: credentialsUrl, token: tokenA, encoding: peer.tokenEncoding, body: ourCredentials(deps, peer.version, tokenB),
      timeoutMs: deps.config.ocpi.request_timeout_s * 1000,
    }).catch((err: Error) => {
      throw new OcpiError(OcpiStatus.CLIENT_API_UNUSABLE, 200, `The eMSP refused or did not answer our credentials: ${err.message}`);
    });
    const parsed = (peer.version === '2.2.1' ? credentials221 : credentials211).safeParse(answer.data);
    if (!parsed.success) throw new OcpiError(OcpiStatus.CLIENT_API_UNUSABLE, 200, `The eMSP's credentials answer is invalid: ${firstIssue(parsed.error)}`);
    const parties = partiesOf(peer.version, parsed.data);
    for (const p of parties) {
      const holder = deps.store.platformOfParty(p.countryCode, p.partyId, p.role);
      if (holder !== undefined && holder !== pending.id) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 200, `Party ${p.countryCode}/${p.partyId} (${p.role}) is already registered on another connection`);
    }
    const atMs = deps.clock.now().getTime();
    deps.store.updatePlatform(pending.id, {
      status: 'registered', outboundToken: parsed.data.token, versionsUrl: parsed.data.url, parties, name: platformName(parties), registeredAtMs: atMs,
    }, atMs);
    await deps.store.durable();
    deps.log.info({ platform: pending.id, parties: parties.map((p) => `${p.countryCode}*${p.partyId}:${p.role}`), version: peer.version }, 'OCPI platform registered (the bridge started the handshake)');
    return deps.store.getPlatform(pending.id)!;
  } catch (err) {
    deps.store.deletePlatform(pending.id);
    await deps.store.durable();
    throw err;
  }
}
