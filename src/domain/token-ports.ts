/**
 * Ports for eMSP tokens, real-time authorization, reservations and OCPP local lists (OCPI mod_tokens,
 * mod_commands). The store (src/store/token-store.ts) keeps tokens and reservations; the OCPI folder
 * implements the real-time client (src/ocpi/tokens/realtime.ts). Synchronous storage like the Store;
 * writes go inside `store.transaction(...)`.
 */
import type { RemoteStartRegistry } from './commands.js';
import type { IdTokenRecord } from './records.js';
import type { ReservationService } from './reservations.js';
import type { ChargerCommands, Store } from './ports.js';
import type { SessionCdrStore } from './session-cdr-ports.js';
import type { OcpiAllowed, OcpiTokenType, OcpiWhitelist } from './token-mapping.js';

/** An OCPI Token as the bridge keeps it (2.2.1 field names; 2.1.1 tokens are converted on the way in). */
export interface OcpiTokenData {
  country_code: string;
  party_id: string;
  uid: string;
  type: OcpiTokenType;
  contract_id: string;
  visual_number?: string;
  issuer: string;
  group_id?: string;
  valid: boolean;
  whitelist: OcpiWhitelist;
  language?: string;
  default_profile_type?: string;
  energy_contract?: { supplier_name: string; contract_id?: string };
  last_updated: string;
}

export interface TokenRow extends IdTokenRecord {
  alias: string | null;
  changeSeq: number | null;
}

export interface LocalListEntry {
  /** The uid (2.0.1) and its 1.6 idTag (the alias when the uid is longer than 20). */
  uid: string;
  idTag: string;
  type: string;
  /** Accepted or Blocked; absent = remove from the list. */
  status?: 'Accepted' | 'Blocked';
}

export interface EmspTokenStore {
  /** Tokens whose uid (case-insensitive) or 1.6 alias is this idTag: config, eMSP and command tokens. */
  findByIdTag(idTag: string): TokenRow[];
  getToken(countryCode: string, partyId: string, uid: string, type: string): TokenRow | undefined;
  getTokenById(id: number): TokenRow | undefined;
  /** PUT/PATCH/pull of an eMSP's token (source 'emsp'): inserts or replaces, bumps change_seq. */
  putEmspToken(platformId: number, token: OcpiTokenData, atMs: number): { row: TokenRow; created: boolean };
  /** A token the bridge saw only in a command or a real-time answer (source 'command'): kept unless the eMSP pushed it already. */
  rememberToken(platformId: number, token: OcpiTokenData, atMs: number): TokenRow;
  /** Whitelisted eMSP tokens for an OCPP local list: all (Full) or those changed after `afterSeq` (Differential). */
  localListEntries(afterSeq?: number): LocalListEntry[];
  maxChangeSeq(): number;
  localListState(identity: string): { version: number; seq: number } | undefined;
  setLocalListState(identity: string, state: { version: number; seq: number }, atMs: number): void;

  // Reservations (OCPI RESERVE_NOW): the row id is the OCPP integer reservationId, unique across eMSPs.
  getReservation(platformId: number, ocpiReservationId: string): ReservationRecord | undefined;
  getReservationById(id: number): ReservationRecord | undefined;
  /** Inserts, or replaces the same (platform, reservation_id): the OCPP id stays, so the charger replaces it too. */
  upsertReservation(r: Omit<ReservationRecord, 'id' | 'createdAtMs' | 'updatedAtMs'>, atMs: number): ReservationRecord;
  updateReservation(id: number, patch: Partial<Pick<ReservationRecord, 'status' | 'updatedAtMs'>>): void;
  /** Reservations in these states, soonest expiry first. */
  listReservations(statuses: ReservationStatus[]): ReservationRecord[];
}

export type ReservationStatus = 'requested' | 'active' | 'used' | 'expired' | 'cancelled' | 'rejected';

export interface ReservationRecord {
  id: number;
  ocpiReservationId: string | null;
  platformId: number | null;
  chargerIdentity: string;
  evseOcppId: number | null;
  idTag: string;
  expiresAtMs: number;
  status: ReservationStatus | string;
  responseUrl: string | null;
  locationId: string | null;
  evseUid: string | null;
  tokenRowId: number | null;
  authorizationReference: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface LocationReference {
  locationId: string;
  evseUids: string[];
}

/** What an eMSP said to `POST {tokens}/{uid}/authorize`, or why it said nothing usable. */
export type RealtimeAnswer = { platformId: number; party: string } & (
  | { kind: 'answer'; allowed: OcpiAllowed; token?: OcpiTokenData; authorizationReference?: string; location?: LocationReference }
  | { kind: 'unknown-token' }
  | { kind: 'no-answer'; reason: string });

/** The eMSP side of real-time authorization (OCPI mod_tokens §Sender POST authorize); never throws. */
export interface RealtimeAuthorization {
  /** Platforms that offer a tokens Sender endpoint (asked for tokens the bridge does not know). */
  platformsWithTokens(): number[];
  authorize(platformId: number, uid: string, type: OcpiTokenType, location: LocationReference | undefined, timeoutMs: number): Promise<RealtimeAnswer>;
}

/** What the OCPI tokens, commands and chargingprofiles modules need beyond OcpiDeps (wired in start.ts). */
export interface OcpiCommandDeps {
  domain: Store;
  chargers: ChargerCommands;
  tokens: EmspTokenStore;
  sessions?: Pick<SessionCdrStore, 'getSession'>;
  remoteStarts: RemoteStartRegistry;
  reservations: ReservationService;
  /** Tells the local-list sync that eMSP tokens changed (debounced there). */
  tokensChanged(): void;
}
