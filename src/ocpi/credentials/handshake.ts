/**
 * The parts of the credentials handshake both directions share (credentials.asciidoc §Registration;
 * reference §2.3): discovering a peer's versions and endpoints with a token, our own Credentials object,
 * and the peer's parties from its Credentials. Discovery failures are OcpiErrors with the handshake codes:
 * 3001 (cannot use the peer's API: unreachable, slow, wrong answers), 3002 (no mutual version),
 * 3003 (an endpoint we need is missing).
 */
import type { OcpiEndpointRef, OcpiPartyRecord, OcpiVersionNumber } from '../../domain/ocpi-ports.js';
import type { OcpiDeps } from '../context.js';
import { OCPI_VERSIONS, versionsUrlOf } from '../context.js';
import { OcpiError, OcpiStatus } from '../envelope.js';
import { callPeer, PeerError } from '../peer.js';
import { firstIssue, versionDetails, versionList, type Credentials211, type Credentials221 } from './wire.js';

/** What the handshake needs (the CLI builds just this, without an HTTP app). */
export type HandshakeDeps = Pick<OcpiDeps, 'config' | 'store' | 'log' | 'clock' | 'publicUrl' | 'fetch'>;

export interface PeerDiscovery {
  version: OcpiVersionNumber;
  endpoints: OcpiEndpointRef[];
  tokenEncoding: 'base64' | 'plain';
}

/** Endpoints we need at a peer before we register with it. Locations/tariffs Receivers are optional (push). */
const REQUIRED_MODULES = ['credentials'];

/**
 * GET the peer's versions and the details of `wanted` (or the best mutual version) with `token`. The token
 * form is tried as 2.2.1 prescribes (Base64), then plain once on a 401 (reference §1.3: many peers differ).
 */
export async function discoverPeer(deps: HandshakeDeps, versionsUrl: string, token: string, wanted: OcpiVersionNumber | 'best'): Promise<PeerDiscovery> {
  const timeoutMs = deps.config.ocpi.request_timeout_s * 1000;
  const fetchImpl = deps.fetch ?? fetch;
  const first: 'base64' | 'plain' = wanted === '2.1.1' ? 'plain' : 'base64';
  let encoding = first;
  let listData: unknown;
  try {
    listData = (await callPeer(fetchImpl, { method: 'GET', url: versionsUrl, token, encoding, timeoutMs })).data;
  } catch (err) {
    if (!(err instanceof PeerError && err.httpStatus === 401)) throw unusable(err);
    encoding = first === 'base64' ? 'plain' : 'base64';
    try {
      listData = (await callPeer(fetchImpl, { method: 'GET', url: versionsUrl, token, encoding, timeoutMs })).data;
    } catch (again) {
      throw unusable(again);
    }
  }
  const list = versionList.safeParse(listData);
  if (!list.success) throw new OcpiError(OcpiStatus.CLIENT_API_UNUSABLE, 200, `The versions list at ${versionsUrl} is invalid: ${firstIssue(list.error)}`);
  const candidates = wanted === 'best' ? OCPI_VERSIONS : [wanted];
  const chosen = candidates.map((v) => list.data.find((e) => e.version === v)).find((e) => e !== undefined);
  if (!chosen) {
    throw new OcpiError(OcpiStatus.UNSUPPORTED_VERSION, 200, `The peer offers ${list.data.map((v) => v.version).join(', ')}; this platform needs ${candidates.join(' or ')}`);
  }
  const version = chosen.version as OcpiVersionNumber;
  // The form the chosen version prescribes, unless a 401 already taught us otherwise.
  const flipped = encoding !== first;
  const preferred: 'base64' | 'plain' = version === '2.2.1' ? 'base64' : 'plain';
  let detailsData: unknown;
  try {
    if (!flipped && preferred !== encoding) {
      try {
        detailsData = (await callPeer(fetchImpl, { method: 'GET', url: chosen.url, token, encoding: preferred, timeoutMs })).data;
        encoding = preferred;
      } catch (err) {
        if (!(err instanceof PeerError && err.httpStatus === 401)) throw err;
      }
    }
    detailsData ??= (await callPeer(fetchImpl, { method: 'GET', url: chosen.url, token, encoding, timeoutMs })).data;
  } catch (err) {
    throw unusable(err);
  }
  const details = versionDetails.safeParse(detailsData);
  if (!details.success) throw new OcpiError(OcpiStatus.CLIENT_API_UNUSABLE, 200, `The version details at ${chosen.url} are invalid: ${firstIssue(details.error)}`);
  const missing = REQUIRED_MODULES.filter((m) => !details.data.endpoints.some((e) => e.identifier === m));
  if (missing.length) throw new OcpiError(OcpiStatus.NO_MATCHING_ENDPOINTS, 200, `The peer's ${chosen.version} endpoints lack ${missing.join(', ')}`);
  return {
    version,
    // 2.1.1 endpoints have no role; keep whatever the peer sent for 2.2.1.
    endpoints: details.data.endpoints.map((e) => ({ identifier: e.identifier, ...(version === '2.2.1' && e.role ? { role: e.role } : {}), url: e.url })),
    tokenEncoding: encoding,
  };
}

function unusable(err: unknown): OcpiError {
  if (err instanceof OcpiError) return err;
  return new OcpiError(OcpiStatus.CLIENT_API_UNUSABLE, 200, `Unable to use the peer's API: ${(err as Error).message}`);
}

/** Our Credentials object for a version, carrying `token` (the one the peer is to use with us). */
export function ourCredentials(deps: HandshakeDeps, version: OcpiVersionNumber, token: string): Record<string, unknown> {
  const { cpo } = deps.config;
  const business_details = { name: cpo.name, ...(cpo.website ? { website: cpo.website } : {}) };
  return version === '2.2.1'
    ? { token, url: versionsUrlOf(deps), roles: [{ role: 'CPO', business_details, party_id: cpo.party_id, country_code: cpo.country_code }] }
    : { token, url: versionsUrlOf(deps), business_details, party_id: cpo.party_id, country_code: cpo.country_code };
}

/** The peer's parties: 2.2.1 roles; a 2.1.1 peer is one party and, talking to a CPO, an eMSP. */
export function partiesOf(version: OcpiVersionNumber, creds: Credentials221 | Credentials211): OcpiPartyRecord[] {
  if (version === '2.2.1') {
    return (creds as Credentials221).roles.map((r) => ({ countryCode: r.country_code.toUpperCase(), partyId: r.party_id.toUpperCase(), role: r.role, businessDetails: r.business_details }));
  }
  const c = creds as Credentials211;
  return [{ countryCode: c.country_code.toUpperCase(), partyId: c.party_id.toUpperCase(), role: 'EMSP', businessDetails: c.business_details }];
}

/** The display name of a platform: its first party's business name. */
export function platformName(parties: OcpiPartyRecord[]): string | null {
  const name = parties[0]?.businessDetails?.name;
  return typeof name === 'string' ? name : null;
}
