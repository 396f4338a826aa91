/**
 * Which registered platforms receive which pushes, and what a queued object becomes on the wire. A queue
 * row names only the object (`evse:LOC/UID`, `location:LOC`, `tariff:ID`); the request is built when it is
 * sent, from the latest state, so a retry after an outage sends the current state, never stale history.
 * Push rules (mod_locations §Receiver Interface, mod_tariffs): EVSE status -> PATCH {status, last_updated}
 * on the EVSE URL; a changed location -> PUT of the whole Location; a tariff -> PUT, or DELETE once deleted.
 */
import type { OcpiPlatformRecord, OcpiStore } from '../../domain/ocpi-ports.js';
import type { OcpiDeps } from '../context.js';
import { publishedEvses } from '../locations/map.js';
import type { LocationReader } from '../locations/read.js';
import { tariff211, tariff221 } from '../tariffs/map.js';

export type PushModule = 'locations' | 'tariffs';

export interface PushRequest {
  method: 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
}

/** The platform's Receiver endpoint for a module (2.1.1 endpoints have no role: the eMSP's module URL is its Receiver). */
export function receiverUrl(platform: OcpiPlatformRecord, module: PushModule): string | undefined {
  if (platform.status !== 'registered') return undefined;
  const e = platform.endpoints.find((x) => x.identifier === module && (platform.version === '2.1.1' || x.role === 'RECEIVER'));
  return e?.url.replace(/\/+$/, '');
}

/** How logs and metrics name a platform: its eMSP party `NL*EMS` (the first party when it has no EMSP role). */
export function partyLabel(p: Pick<OcpiPlatformRecord, 'id' | 'parties'>): string {
  const first = p.parties.find((x) => x.role === 'EMSP') ?? p.parties[0];
  return first ? `${first.countryCode}*${first.partyId}` : `platform-${p.id}`;
}

/** Object key and URL path (below the Receiver endpoint) of each kind of pushed object. */
export function objectPath(deps: Pick<OcpiDeps, 'config'>, key: string): string {
  const { country_code, party_id } = deps.config.cpo;
  const [kind, rest] = splitKey(key);
  const ids = kind === 'evse' ? rest.split('/') : [rest];
  return `/${country_code}/${party_id}/${ids.map(encodeURIComponent).join('/')}`;
}

export const keys = {
  evse: (locationId: string, uid: string) => `evse:${locationId}/${uid}`,
  location: (locationId: string) => `location:${locationId}`,
  tariff: (id: string) => `tariff:${id}`,
};

/** The request for a queued object now, or undefined when there is nothing (any more) to send to this platform. */
export function buildRequest(store: OcpiStore, reader: LocationReader, platform: OcpiPlatformRecord, module: PushModule, key: string, path: string): PushRequest | undefined {
  const base = receiverUrl(platform, module);
  const version = platform.version;
  if (!base || !version) return undefined;
  const url = `${base}${path}`;
  const [kind, rest] = splitKey(key);
  if (kind === 'tariff') {
    const t = store.getTariff(rest);
    if (!t) return undefined;
    if (t.deletedAtMs !== null) return { method: 'DELETE', url };
    return { method: 'PUT', url, body: version === '2.2.1' ? tariff221(t) : tariff211(t) };
  }
  if (kind === 'location') {
    const view = reader.find(version, rest);
    return view && { method: 'PUT', url, body: reader.serialize(version, view) };
  }
  if (kind === 'evse') {
    const slash = rest.indexOf('/');
    const view = reader.find(version, rest.slice(0, slash));
    const evse = view && publishedEvses(view).find((e) => e.evse.uid === rest.slice(slash + 1));
    if (!evse) return undefined;
    const serialized = (reader.serialize(version, { location: view.location, evses: [evse] }).evses as Array<Record<string, unknown>>)[0];
    if (!serialized) return undefined; // e.g. no connector exists in 2.1.1
    // mod_locations §PATCH: only what changed, and (2.2.1) always last_updated.
    return { method: 'PATCH', url, body: { status: serialized.status, last_updated: serialized.last_updated } };
  }
  return undefined;
}

function splitKey(key: string): [string, string] {
  const colon = key.indexOf(':');
  return [key.slice(0, colon), key.slice(colon + 1)];
}
