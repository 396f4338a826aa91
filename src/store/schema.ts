/**
 * The SQLite schema of the version-neutral model (drizzle-orm): the single source of truth from which
 * drizzle-kit generates the migrations in drizzle/. Never edit a committed migration: change this file and
 * run `npm run db:generate`. Units are in column names; instants are epoch milliseconds (UTC).
 * Glossary: charger = OCPP charge point / charging station; evse = OCPP 1.6 connector or 2.0.1 EVSE = one OCPI EVSE;
 * connector = a plug of an EVSE; transaction = OCPP transaction; session/cdr = their OCPI views.
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const locations = sqliteTable('locations', {
  id: text('id').primaryKey(),
  /** The location's OCPI fields from the config (without evses), as JSON. */
  dataJson: text('data_json').notNull(),
  timeZone: text('time_zone').notNull(),
  publish: integer('publish', { mode: 'boolean' }).notNull().default(true),
  lastUpdatedMs: integer('last_updated_ms').notNull(),
});

export const tariffs = sqliteTable('tariffs', {
  id: text('id').primaryKey(),
  /** The OCPI 2.2.1 Tariff object (with country_code, party_id, last_updated), as JSON. */
  dataJson: text('data_json').notNull(),
  lastUpdatedMs: integer('last_updated_ms').notNull(),
  deletedAtMs: integer('deleted_at_ms'),
}, (t) => [index('tariffs_last_updated').on(t.lastUpdatedMs, t.id)]);

export const chargers = sqliteTable('chargers', {
  identity: text('identity').primaryKey(),
  locationId: text('location_id').references(() => locations.id),
  configured: integer('configured', { mode: 'boolean' }).notNull().default(false),
  protocol: text('protocol'), // 'ocpp1.6' | 'ocpp2.0.1' once it connected
  securityProfile: integer('security_profile'),
  vendor: text('vendor'),
  model: text('model'),
  serialNumber: text('serial_number'),
  firmwareVersion: text('firmware_version'),
  bootStatus: text('boot_status'), // what we answered: Accepted | Pending | Rejected
  bootReason: text('boot_reason'),
  lastBootAtMs: integer('last_boot_at_ms'),
  lastHeartbeatAtMs: integer('last_heartbeat_at_ms'),
  lastSeenAtMs: integer('last_seen_at_ms'),
  connected: integer('connected', { mode: 'boolean' }).notNull().default(false),
  connectedAtMs: integer('connected_at_ms'),
  disconnectedAtMs: integer('disconnected_at_ms'),
  remoteAddress: text('remote_address'),
  /** Charger-wide availability from connector 0 (1.6) or evse 0 (2.0.1): Available | Unavailable | Faulted. */
  stationStatus: text('station_status'),
  /** 1.6 GetConfiguration keys or 2.0.1 device model (NotifyReport), as JSON. */
  configurationJson: text('configuration_json'),
  configurationAtMs: integer('configuration_at_ms'),
  meterPublicKey: text('meter_public_key'),
  localListVersion: integer('local_list_version'),
  createdAtMs: integer('created_at_ms').notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
});

export const evses = sqliteTable('evses', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chargerIdentity: text('charger_identity').notNull().references(() => chargers.identity),
  /** 1.6 connectorId or 2.0.1 evseId. */
  ocppId: integer('ocpp_id').notNull(),
  /** OCPI EVSE.uid (unique within the CPO) and EVSE.evse_id (eMI3). */
  uid: text('uid').notNull(),
  evseId: text('evse_id'),
  locationId: text('location_id').references(() => locations.id),
  configured: integer('configured', { mode: 'boolean' }).notNull().default(false),
  removed: integer('removed', { mode: 'boolean' }).notNull().default(false),
  capabilitiesJson: text('capabilities_json'),
  floorLevel: text('floor_level'),
  physicalReference: text('physical_reference'),
  meterPublicKey: text('meter_public_key'),
  /** Version-neutral status (domain/model.ts EvseStatus) as the charger last reported it, with its timestamp. */
  status: text('status').notNull().default('Unknown'),
  statusAtMs: integer('status_at_ms'),
  errorCode: text('error_code'),
  vendorErrorCode: text('vendor_error_code'),
  statusInfo: text('status_info'),
  lastUpdatedMs: integer('last_updated_ms').notNull(),
}, (t) => [
  uniqueIndex('evses_charger_ocpp_id').on(t.chargerIdentity, t.ocppId),
  uniqueIndex('evses_uid').on(t.uid),
  index('evses_last_updated').on(t.lastUpdatedMs),
  index('evses_location').on(t.locationId, t.id),
]);

export const connectors = sqliteTable('connectors', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  evseRowId: integer('evse_row_id').notNull().references(() => evses.id),
  /** OCPI Connector.id and the 2.0.1 connectorId within the EVSE. */
  connectorId: text('connector_id').notNull(),
  ocppConnectorId: integer('ocpp_connector_id').notNull(),
  standard: text('standard').notNull(),
  format: text('format').notNull(),
  powerType: text('power_type').notNull(),
  maxVoltageV: integer('max_voltage_v').notNull(),
  maxAmperageA: integer('max_amperage_a').notNull(),
  maxElectricPowerW: integer('max_electric_power_w'),
  tariffIdsJson: text('tariff_ids_json').notNull().default('[]'),
  termsAndConditions: text('terms_and_conditions'),
  status: text('status'),
  statusAtMs: integer('status_at_ms'),
  lastUpdatedMs: integer('last_updated_ms').notNull(),
}, (t) => [uniqueIndex('connectors_evse_connector').on(t.evseRowId, t.connectorId)]);

/** OCPI parties registered with the bridge through the credentials handshake (one row per platform). */
export const ocpiPlatforms = sqliteTable('ocpi_platforms', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** SHA-256 (hex) of the token the platform uses to call us (credentials token C, or B when we registered). */
  inboundTokenHash: text('inbound_token_hash'),
  /** The token we use to call the platform, kept to send it (encrypted at rest by the store). */
  outboundToken: text('outbound_token'),
  versionsUrl: text('versions_url'),
  version: text('version'), // '2.2.1' | '2.1.1'
  endpointsJson: text('endpoints_json').notNull().default('[]'),
  status: text('status').notNull(), // 'registered' | 'pending' | 'unregistered'
  /** 'base64' | 'plain': how this peer expects the Authorization token. */
  tokenEncoding: text('token_encoding').notNull().default('base64'),
  name: text('name'),
  registeredAtMs: integer('registered_at_ms'),
  lastSeenAtMs: integer('last_seen_at_ms'),
  /** Changes up to this instant are pushed or queued for this platform; a start-up re-pushes what changed after it. */
  pushWatermarkMs: integer('push_watermark_ms'),
  createdAtMs: integer('created_at_ms').notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
}, (t) => [uniqueIndex('ocpi_platforms_inbound_token').on(t.inboundTokenHash)]);

export const ocpiParties = sqliteTable('ocpi_parties', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  platformId: integer('platform_id').notNull().references(() => ocpiPlatforms.id, { onDelete: 'cascade' }),
  countryCode: text('country_code').notNull(),
  partyId: text('party_id').notNull(),
  role: text('role').notNull(),
  businessDetailsJson: text('business_details_json'),
}, (t) => [uniqueIndex('ocpi_parties_key').on(t.countryCode, t.partyId, t.role)]);

/** Registration tokens A: hashed, single use. */
export const ocpiRegistrationTokens = sqliteTable('ocpi_registration_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  createdAtMs: integer('created_at_ms').notNull(),
  usedAtMs: integer('used_at_ms'),
  usedByPlatformId: integer('used_by_platform_id'),
});

/** Id tokens: local ones from the config and the OCPI Tokens pushed or pulled from eMSPs. */
export const idTokens = sqliteTable('id_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  countryCode: text('country_code').notNull(),
  partyId: text('party_id').notNull(),
  uid: text('uid').notNull(),
  type: text('type').notNull(), // OCPI TokenType: RFID | APP_USER | AD_HOC_USER | OTHER
  contractId: text('contract_id'),
  visualNumber: text('visual_number'),
  groupId: text('group_id'),
  valid: integer('valid', { mode: 'boolean' }).notNull(),
  whitelist: text('whitelist').notNull().default('ALLOWED'),
  source: text('source').notNull(), // 'config' | 'emsp'
  platformId: integer('platform_id').references(() => ocpiPlatforms.id),
  /** The whole OCPI Token as received, for the fields not in columns. */
  dataJson: text('data_json'),
  lastUpdatedMs: integer('last_updated_ms').notNull(),
  /** The OCPP 1.6 idTag (CiString20) standing for a longer OCPI uid, upper case; null when the uid itself fits. */
  alias: text('alias'),
  /** Grows with every write of an eMSP token: OCPP local lists send what changed since the last one a charger got. */
  changeSeq: integer('change_seq'),
}, (t) => [
  uniqueIndex('id_tokens_key').on(t.countryCode, t.partyId, t.uid, t.type),
  index('id_tokens_uid').on(t.uid),
  // OCPP idTokens and OCPI uids are case-insensitive: the authorization lookup uses this index.
  index('id_tokens_uid_nocase').on(sql`${t.uid} COLLATE NOCASE`),
  index('id_tokens_alias').on(t.alias),
  index('id_tokens_change_seq').on(t.changeSeq),
]);

export const transactions = sqliteTable('transactions', {
  /** Also the integer transactionId the bridge assigns to OCPP 1.6 chargers. */
  id: integer('id').primaryKey({ autoIncrement: true }),
  chargerIdentity: text('charger_identity').notNull().references(() => chargers.identity),
  evseRowId: integer('evse_row_id').references(() => evses.id),
  connectorRowId: integer('connector_row_id').references(() => connectors.id),
  /** The charger's id for it: the 1.6 integer as text, or the 2.0.1 string. */
  ocppTransactionId: text('ocpp_transaction_id').notNull(),
  protocol: text('protocol').notNull(),
  idTag: text('id_tag'),
  idTokenType: text('id_token_type'),
  authStatus: text('auth_status'),
  authMethod: text('auth_method'), // OCPI AuthMethod: AUTH_REQUEST | COMMAND | WHITELIST
  authorizationReference: text('authorization_reference'),
  tokenRowId: integer('token_row_id').references(() => idTokens.id),
  platformId: integer('platform_id').references(() => ocpiPlatforms.id),
  status: text('status').notNull(), // 'active' | 'ended'
  startedAtMs: integer('started_at_ms'),
  endedAtMs: integer('ended_at_ms'),
  meterStartWh: real('meter_start_wh'),
  meterStopWh: real('meter_stop_wh'),
  lastMeterWh: real('last_meter_wh'),
  lastPowerW: real('last_power_w'),
  stopReason: text('stop_reason'),
  chargingState: text('charging_state'),
  lastSeqNo: integer('last_seq_no'),
  reservationId: integer('reservation_id'),
  remoteStartId: integer('remote_start_id'),
  /** True when the first message seen was a stop/end for a transaction we never saw start. */
  orphan: integer('orphan', { mode: 'boolean' }).notNull().default(false),
  offline: integer('offline', { mode: 'boolean' }).notNull().default(false),
  /** Location, EVSE, connector and tariffs as they were at the start, for the CDR (JSON). */
  snapshotJson: text('snapshot_json'),
  createdAtMs: integer('created_at_ms').notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
}, (t) => [
  uniqueIndex('transactions_charger_ocpp_id').on(t.chargerIdentity, t.ocppTransactionId),
  index('transactions_status').on(t.status, t.chargerIdentity),
  index('transactions_updated').on(t.updatedAtMs),
  // The transaction running on an EVSE (1.6 MeterValues without a transactionId, charging-state status reports).
  index('transactions_evse').on(t.evseRowId, t.status),
]);

/** 2.0.1 TransactionEvent messages seen, by seqNo, to make repeats idempotent and find gaps. */
export const transactionEvents = sqliteTable('transaction_events', {
  transactionRowId: integer('transaction_row_id').notNull().references(() => transactions.id),
  seqNo: integer('seq_no').notNull(),
  eventType: text('event_type').notNull(),
  triggerReason: text('trigger_reason'),
  atMs: integer('at_ms').notNull(),
  offline: integer('offline', { mode: 'boolean' }).notNull().default(false),
}, (t) => [uniqueIndex('transaction_events_key').on(t.transactionRowId, t.seqNo)]);

export const meterSamples = sqliteTable('meter_samples', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chargerIdentity: text('charger_identity').notNull(),
  evseOcppId: integer('evse_ocpp_id'),
  transactionRowId: integer('transaction_row_id').references(() => transactions.id),
  sampledAtMs: integer('sampled_at_ms').notNull(),
  measurand: text('measurand').notNull(),
  phase: text('phase'),
  location: text('location'),
  context: text('context'),
  /** Normalised value and unit: Wh, W, A, V, %, varh, var, VA, Hz, Celsius. */
  value: real('value').notNull(),
  unit: text('unit').notNull(),
  rawValue: text('raw_value').notNull(),
  rawUnit: text('raw_unit'),
}, (t) => [
  index('meter_samples_tx').on(t.transactionRowId, t.sampledAtMs),
  index('meter_samples_charger').on(t.chargerIdentity, t.sampledAtMs),
]);

/** Signed meter values (Eichrecht), kept exactly as received. */
export const signedMeterValues = sqliteTable('signed_meter_values', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chargerIdentity: text('charger_identity').notNull(),
  evseOcppId: integer('evse_ocpp_id'),
  transactionRowId: integer('transaction_row_id').references(() => transactions.id),
  sampledAtMs: integer('sampled_at_ms').notNull(),
  context: text('context').notNull(), // 'begin' | 'intermediate' | 'end'
  ocppContext: text('ocpp_context'),
  raw: text('raw').notNull(),
  encodingMethod: text('encoding_method'),
  signingMethod: text('signing_method'),
  publicKey: text('public_key'),
  verification: text('verification'), // 'verified' | 'invalid-signature' | 'no-public-key' | ...
  verificationReason: text('verification_reason'),
  receivedAtMs: integer('received_at_ms').notNull(),
}, (t) => [index('signed_meter_values_tx').on(t.transactionRowId, t.sampledAtMs)]);

export const ocpiSessions = sqliteTable('ocpi_sessions', {
  id: text('id').primaryKey(),
  /** Null while the session is a reservation no transaction has used (reservation_sessions holds its facts). */
  transactionRowId: integer('transaction_row_id').references(() => transactions.id),
  platformId: integer('platform_id').references(() => ocpiPlatforms.id),
  status: text('status').notNull(),
  dataJson: text('data_json').notNull(),
  lastUpdatedMs: integer('last_updated_ms').notNull(),
}, (t) => [
  uniqueIndex('ocpi_sessions_tx').on(t.transactionRowId),
  index('ocpi_sessions_page').on(t.platformId, t.lastUpdatedMs, t.id),
  index('ocpi_sessions_updated').on(t.lastUpdatedMs, t.id),
]);

export const ocpiCdrs = sqliteTable('ocpi_cdrs', {
  id: text('id').primaryKey(),
  transactionRowId: integer('transaction_row_id').references(() => transactions.id),
  platformId: integer('platform_id').references(() => ocpiPlatforms.id),
  credit: integer('credit', { mode: 'boolean' }).notNull().default(false),
  dataJson: text('data_json').notNull(),
  lastUpdatedMs: integer('last_updated_ms').notNull(),
  deliveredAtMs: integer('delivered_at_ms'),
  /** The eMSP's Location header for the stored CDR. */
  deliveredLocation: text('delivered_location'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAtMs: integer('next_attempt_at_ms'),
  lastError: text('last_error'),
}, (t) => [
  index('ocpi_cdrs_page').on(t.platformId, t.lastUpdatedMs, t.id),
  index('ocpi_cdrs_undelivered').on(t.deliveredAtMs, t.nextAttemptAtMs),
  // The CDR of a transaction (CDR creation, the start-up check for ended transactions without one, the status
  // page): without it each lookup read every stored CDR (found by bench/soak.mjs).
  index('ocpi_cdrs_tx').on(t.transactionRowId),
]);

/** Latest state of each object to push to each eMSP; a newer state replaces an older pending one. */
export const ocpiPushQueue = sqliteTable('ocpi_push_queue', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  platformId: integer('platform_id').notNull().references(() => ocpiPlatforms.id, { onDelete: 'cascade' }),
  module: text('module').notNull(),
  objectKey: text('object_key').notNull(),
  method: text('method').notNull(),
  path: text('path').notNull(),
  bodyJson: text('body_json'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAtMs: integer('next_attempt_at_ms').notNull(),
  firstQueuedAtMs: integer('first_queued_at_ms').notNull(),
  lastError: text('last_error'),
}, (t) => [
  uniqueIndex('ocpi_push_queue_key').on(t.platformId, t.module, t.objectKey),
  index('ocpi_push_queue_due').on(t.nextAttemptAtMs),
]);

/**
 * One row whose `version` changes (by a random step, so a rolled-back write never reproduces an old value)
 * whenever data of the OCPI location read model changes: bumped by triggers on locations, evses, connectors
 * and the connection columns of chargers (migration 0003). The OCPI layer caches serialized Locations
 * until it moves.
 */
export const ocpiReadVersion = sqliteTable('ocpi_read_version', {
  id: integer('id').primaryKey(),
  version: integer('version').notNull(),
});

/** Outcome of the last push per party and module, for the status page and /metrics. */
export const ocpiPushStatus = sqliteTable('ocpi_push_status', {
  platformId: integer('platform_id').notNull().references(() => ocpiPlatforms.id, { onDelete: 'cascade' }),
  module: text('module').notNull(),
  lastAttemptAtMs: integer('last_attempt_at_ms').notNull(),
  lastSuccessAtMs: integer('last_success_at_ms'),
  lastOutcome: text('last_outcome').notNull(),
}, (t) => [uniqueIndex('ocpi_push_status_key').on(t.platformId, t.module)]);

/** Bounded log of OCPP frames, both directions, for the status page. */
export const ocppMessages = sqliteTable('ocpp_messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chargerIdentity: text('charger_identity').notNull(),
  direction: text('direction').notNull(), // 'in' | 'out'
  kind: text('kind').notNull(), // 'call' | 'result' | 'error' | 'bad'
  action: text('action'),
  messageId: text('message_id'),
  payload: text('payload').notNull(),
  atMs: integer('at_ms').notNull(),
}, (t) => [index('ocpp_messages_charger').on(t.chargerIdentity, t.id)]);

export const faults = sqliteTable('faults', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chargerIdentity: text('charger_identity'),
  evseOcppId: integer('evse_ocpp_id'),
  transactionRowId: integer('transaction_row_id'),
  source: text('source').notNull(), // 'ocpp' | 'eichrecht' | 'ocpi' | 'store'
  code: text('code').notNull(),
  message: text('message').notNull(),
  detailsJson: text('details_json'),
  raisedAtMs: integer('raised_at_ms').notNull(),
  clearedAtMs: integer('cleared_at_ms'),
}, (t) => [
  index('faults_open').on(t.clearedAtMs, t.chargerIdentity),
  index('faults_charger').on(t.chargerIdentity, t.raisedAtMs),
  // A transaction's faults (Eichrecht checks clear and raise them per transaction).
  index('faults_transaction').on(t.transactionRowId),
]);

/**
 * What a charger reported about itself (2.0.1 monitoring reports, charging profiles, customer information,
 * display messages, charging limits, EV charging needs and schedules, security events, firmware and log
 * progress): one row per message, i.e. per page of a `tbc` report, with the message as received. Unlike the
 * OCPP message log it is not trimmed by traffic: per charger and kind the newest reports are kept
 * (domain/charger-reports.ts sets the bound).
 */
export const chargerReports = sqliteTable('charger_reports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chargerIdentity: text('charger_identity').notNull().references(() => chargers.identity),
  kind: text('kind').notNull(), // 'monitoring' | 'charging-profiles' | 'customer-information' | 'display-messages' | ... (ChargerReportKind)
  /** The requestId of the CSMS request the pages answer; null for a message that is not part of a report. */
  requestId: integer('request_id'),
  /** The page number: the message's seqNo, or its arrival order within the request when the message has none. */
  seqNo: integer('seq_no'),
  tbc: integer('tbc', { mode: 'boolean' }).notNull().default(false),
  evseOcppId: integer('evse_ocpp_id'),
  receivedAtMs: integer('received_at_ms').notNull(),
  /** The message's payload as received, as JSON. */
  dataJson: text('data_json').notNull(),
}, (t) => [index('charger_reports_charger_kind').on(t.chargerIdentity, t.kind, t.receivedAtMs)]);

/** Reservations the bridge made (OCPI reservation_id ↔ OCPP integer id). */
export const reservations = sqliteTable('reservations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ocpiReservationId: text('ocpi_reservation_id'),
  platformId: integer('platform_id').references(() => ocpiPlatforms.id),
  chargerIdentity: text('charger_identity').notNull(),
  evseOcppId: integer('evse_ocpp_id'),
  idTag: text('id_tag').notNull(),
  expiresAtMs: integer('expires_at_ms').notNull(),
  status: text('status').notNull(), // 'requested' | 'active' | 'used' | 'expired' | 'cancelled' | 'rejected'
  responseUrl: text('response_url'),
  createdAtMs: integer('created_at_ms').notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
  /** The OCPI location (and EVSE, when the eMSP named one) of a RESERVE_NOW. */
  locationId: text('location_id'),
  evseUid: text('evse_uid'),
  /** The command's token and the eMSP's authorization_reference, carried into the transaction that uses it. */
  tokenRowId: integer('token_row_id').references(() => idTokens.id),
  authorizationReference: text('authorization_reference'),
}, (t) => [uniqueIndex('reservations_ocpi').on(t.platformId, t.ocpiReservationId), index('reservations_status').on(t.status, t.expiresAtMs)]);

/** Small key/value settings the bridge generates itself (e.g. the status-page password hash). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
});

/**
 * The OCPI Session a reservation opens (mod_commands RESERVE_NOW "creates a Session"; mod_sessions status RESERVATION):
 * when it started and what the reserved place and tariff were then (the snapshot: CDRs show them as at session start),
 * and how it ended: used by a transaction (which continues the same session id), expired or cancelled.
 * A reservation row can be replaced or reused by its eMSP, so a row here is one reservation period of it.
 */
export const reservationSessions = sqliteTable('reservation_sessions', {
  sessionId: text('session_id').primaryKey(),
  reservationRowId: integer('reservation_row_id').notNull().references(() => reservations.id),
  platformId: integer('platform_id').references(() => ocpiPlatforms.id),
  startedAtMs: integer('started_at_ms').notNull(),
  endedAtMs: integer('ended_at_ms'),
  outcome: text('outcome'), // null while open | 'used' | 'expired' | 'cancelled'
  transactionRowId: integer('transaction_row_id').references(() => transactions.id),
  /** The RESERVE_NOW's token and authorization_reference (the Session's cdr_token, authorization_reference). */
  tokenRowId: integer('token_row_id').references(() => idTokens.id),
  authorizationReference: text('authorization_reference'),
  snapshotJson: text('snapshot_json').notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
}, (t) => [
  uniqueIndex('reservation_sessions_tx').on(t.transactionRowId),
  index('reservation_sessions_reservation').on(t.reservationRowId, t.outcome),
]);
