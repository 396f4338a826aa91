/**
 * The OcpiStore port: what the OCPI platform (src/ocpi/) keeps and reads — registered platforms and their
 * parties, registration tokens A, the push queue and push outcomes, and read models of locations, EVSEs,
 * connectors and tariffs with keyset pagination. Implemented in src/store/ocpi-store.ts; synchronous like Store.
 * Tokens: inbound tokens (which a peer uses to call us) are only ever compared, so only their SHA-256 hash is
 * kept; the outbound token (which we send) is kept encrypted at rest by the store and returned in clear only
 * by `outboundToken()`.
 */
import type { ChargerLink } from './ocpi-status.js';
import type { ConnectorRecord, EvseRecord, LocationRecord, TariffRecord } from './records.js';

export type OcpiVersionNumber = '2.2.1' | '2.1.1';
export type OcpiRole = 'CPO' | 'EMSP' | 'HUB' | 'NAP' | 'NSP' | 'OTHER' | 'SCSP';
export type PlatformStatus = 'pending' | 'registered' | 'unregistered';

export interface OcpiEndpointRef {
  identifier: string;
  /** 2.2.1 InterfaceRole; absent in 2.1.1. */
  role?: 'SENDER' | 'RECEIVER';
  url: string;
}

export interface OcpiPartyRecord {
  countryCode: string;
  partyId: string;
  role: OcpiRole | string;
  businessDetails: Record<string, unknown> | null;
}

export interface OcpiPlatformRecord {
  id: number;
  status: PlatformStatus;
  version: OcpiVersionNumber | null;
  versionsUrl: string | null;
  endpoints: OcpiEndpointRef[];
  /** How this peer wants the Authorization token: Base64 (2.2.1) or plain (2.1.1 and many 2.2 peers). */
  tokenEncoding: 'base64' | 'plain';
  name: string | null;
  parties: OcpiPartyRecord[];
  registeredAtMs: number | null;
  lastSeenAtMs: number | null;
  pushWatermarkMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface PlatformRegistration {
  status: PlatformStatus;
  inboundTokenHash: string;
  /** Clear text; the store encrypts it. Null while we do not have one yet (bridge-initiated, before the POST). */
  outboundToken: string | null;
  versionsUrl: string;
  version: OcpiVersionNumber;
  endpoints: OcpiEndpointRef[];
  tokenEncoding: 'base64' | 'plain';
  name: string | null;
  parties: OcpiPartyRecord[];
}

/** A queued push: only the object and the method class are kept; the body is built from the latest state when sent. */
export interface PushQueueItem {
  id: number;
  platformId: number;
  module: string;
  objectKey: string;
  method: string;
  path: string;
  attempts: number;
  nextAttemptAtMs: number;
  firstQueuedAtMs: number;
  lastError: string | null;
}

export interface PushStatusRecord {
  platformId: number;
  module: string;
  lastAttemptAtMs: number;
  lastSuccessAtMs: number | null;
  lastOutcome: string;
}

/** One page request. `after` is the key of the last item of the previous page (keyset); without it, `offset` is used. */
export interface PageQuery {
  offset: number;
  limit: number;
  fromMs?: number;
  toMs?: number;
  after?: string;
}

export interface Page<T> {
  items: T[];
  /** Objects matching the filters, ignoring offset and limit (OCPI X-Total-Count). */
  total: number;
  /** Key of the last item, for the next page's `after`. */
  lastKey?: string;
}

/** An EVSE with what its OCPI view needs. */
export interface EvseView {
  evse: EvseRecord;
  charger: ChargerLink;
  connectors: ConnectorRecord[];
}

export interface LocationView {
  location: LocationRecord;
  evses: EvseView[];
}

/** Per location and charger, the newest EVSE/connector change, for the location's effective `last_updated`. */
export interface LocationStamp {
  id: string;
  publish: boolean;
  lastUpdatedMs: number;
  chargers: Array<{ identity: string; charger: ChargerLink; evsesMaxMs: number; connectorsMaxMs: number }>;
}

export interface OcpiStore {
  transaction<T>(fn: () => T): T;
  /** Resolves once everything written so far (by any port on this database) is committed. */
  durable(): Promise<void>;

  findPlatformByTokenHash(tokenHash: string): OcpiPlatformRecord | undefined;
  getPlatform(id: number): OcpiPlatformRecord | undefined;
  listPlatforms(status?: PlatformStatus): OcpiPlatformRecord[];
  /** The token we send to the platform, decrypted; undefined when none or it cannot be decrypted. */
  outboundToken(platformId: number): string | undefined;
  /** The platform holding this (country_code, party_id, role), if any. */
  platformOfParty(countryCode: string, partyId: string, role: string): number | undefined;
  createPlatform(reg: PlatformRegistration, atMs: number): OcpiPlatformRecord;
  /** Replaces the registration data (and parties, when given) of an existing platform. */
  updatePlatform(id: number, patch: Partial<PlatformRegistration> & { registeredAtMs?: number | null }, atMs: number): void;
  /** Unregisters: tokens forgotten, parties and queued pushes deleted, the row kept for history. */
  unregisterPlatform(id: number, atMs: number): void;
  /** Deletes a platform that never completed registration. */
  deletePlatform(id: number): void;
  touchPlatform(id: number, atMs: number): void;
  setPushWatermark(id: number, atMs: number): void;

  /** Adds a registration token A (hashed); false when it is already known (used or not). */
  addRegistrationToken(tokenHash: string, atMs: number): boolean;
  registrationTokenUsable(tokenHash: string): boolean;
  /** Marks token A used; false when it was already used (a concurrent registration won). */
  consumeRegistrationToken(tokenHash: string, platformId: number, atMs: number): boolean;

  /** Queues (or refreshes) a push per object; an existing row for the same object keeps its place and first-queued time. */
  enqueuePushes(items: Array<{ platformId: number; module: string; objectKey: string; method: string; path: string }>, atMs: number): void;
  /** Rows due by `nowMs`, oldest first per platform, leaving out platforms that are backing off. */
  duePushes(nowMs: number, limit: number, excludePlatformIds?: number[]): PushQueueItem[];
  pushDone(id: number): void;
  pushRetry(id: number, attempts: number, nextAttemptAtMs: number, error: string): void;
  dropPush(id: number): void;
  pushQueueDepths(): Map<number, number>;
  recordPushOutcome(platformId: number, module: string, outcome: string, success: boolean, atMs: number): void;
  listPushStatus(): PushStatusRecord[];

  /** A number that changes whenever anything a served Location/EVSE/Connector is built from changes (cache key). */
  readModelVersion(): number;
  /** Every location id in page order (id) with its publish flag: the cheap index for pages without date filters. */
  locationIndex(): Array<{ id: string; publish: boolean }>;
  locationStamps(): LocationStamp[];
  /** Full views of the given locations, in the order of `ids`; unknown ids are left out. */
  locationViews(ids: string[]): LocationView[];
  /** Location ids of the EVSEs with these row ids. */
  evseLocations(evseRowIds: number[]): Array<{ evseRowId: number; locationId: string | null; uid: string }>;
  evseRowIdsOfCharger(identity: string): number[];
  /** Live tariffs (not deleted), ordered by id, filtered by last_updated. */
  tariffPage(q: PageQuery): Page<TariffRecord>;
  /** A tariff row, deleted ones included. */
  getTariff(id: string): TariffRecord | undefined;
  listTariffsChangedSince(sinceMs: number): TariffRecord[];
}
