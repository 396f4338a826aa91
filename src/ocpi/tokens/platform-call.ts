/**
 * Calling one registered eMSP platform, as the tokens pull, real-time authorization and the command results
 * need it: its Sender endpoint of a module, our token for it in the form it wants, 2.2.1 routing headers
 * (FROM us, TO its eMSP party), and a label for logs (`NL*EMS`, never a token).
 */
import type { OcpiPlatformRecord } from '../../domain/ocpi-ports.js';
import type { OcpiDeps } from '../context.js';
import { callPeer, PeerError, type PeerResponse } from '../peer.js';

export function partyOf(p: Pick<OcpiPlatformRecord, 'id' | 'parties'>): string {
  const first = p.parties.find((x) => x.role === 'EMSP') ?? p.parties[0];
  return first ? `${first.countryCode}*${first.partyId}` : `platform-${p.id}`;
}

/** The eMSP's Sender interface of a module (2.1.1 endpoints have no role: the module URL is the one we call). */
export function senderUrl(p: OcpiPlatformRecord | undefined, module: string): string | undefined {
  if (!p || p.status !== 'registered') return undefined;
  const e = p.endpoints.find((x) => x.identifier === module && (p.version === '2.1.1' || x.role === 'SENDER'));
  return e?.url.replace(/\/+$/, '');
}

/** True when the party (country_code, party_id) is one of the platform's credentials roles. */
export function ownsParty(p: Pick<OcpiPlatformRecord, 'parties'>, countryCode: string, partyId: string): boolean {
  return p.parties.some((x) => x.countryCode.toUpperCase() === countryCode.toUpperCase() && x.partyId.toUpperCase() === partyId.toUpperCase());
}

export async function callPlatform(deps: Pick<OcpiDeps, 'store' | 'config' | 'fetch'>, platform: OcpiPlatformRecord, call: { method: 'GET' | 'POST' | 'PUT'; url: string; body?: unknown; timeoutMs: number }): Promise<PeerResponse> {
  const token = deps.store.outboundToken(platform.id);
  if (!token) throw new PeerError('unreachable', `no usable token for ${partyOf(platform)} (re-register it)`);
  const to = platform.parties.find((x) => x.role === 'EMSP') ?? platform.parties[0];
  const routing: Record<string, string> = platform.version === '2.2.1' && to
    ? { 'OCPI-from-country-code': deps.config.cpo.country_code, 'OCPI-from-party-id': deps.config.cpo.party_id, 'OCPI-to-country-code': to.countryCode, 'OCPI-to-party-id': to.partyId }
    : {};
  return callPeer(deps.fetch ?? fetch, { ...call, token, encoding: platform.tokenEncoding, headers: routing });
}
