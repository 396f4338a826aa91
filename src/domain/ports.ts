/**
 * The ports the domain declares and the outer folders implement: Store (src/store), ChargerCommands
 * (src/ocpp/connections.ts), Clock. Store calls are synchronous (better-sqlite3); the writes for one
 * message go inside one `store.transaction(() => ...)`.
 */
import type { Fault, MeterReading, OcppProtocol, SignedReading } from './model.js';
import type {
  ChargerRecord, ConnectorRecord, EvseRecord, IdTokenRecord, LocationRecord, OcppMessageRecord, SignedReadingRecord, TariffRecord, TransactionRecord,
} from './records.js';
import type { SiteDefinition } from './site.js';
import type { ChargerReportKind, ChargerReportRecord, NewChargerReport } from './charger-reports.js';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface ChargerStore {
  syncSite(site: SiteDefinition, atMs: number): void;
  getCharger(identity: string): ChargerRecord | undefined;
  listChargers(): ChargerRecord[];
  /** Creates a charger that was not in the config (accept_unknown_chargers) on the given location. */
  createUnconfiguredCharger(identity: string, locationId: string | null, atMs: number): ChargerRecord;
  updateCharger(identity: string, patch: Partial<Omit<ChargerRecord, 'identity' | 'createdAtMs'>>): void;
  getEvse(identity: string, evseOcppId: number): EvseRecord | undefined;
  getEvseByRowId(id: number): EvseRecord | undefined;
  listEvses(identity?: string): EvseRecord[];
  /** Creates an EVSE the config does not know (reported by the charger); uid derived from identity and id. */
  createUnconfiguredEvse(identity: string, evseOcppId: number, locationId: string | null, atMs: number): EvseRecord;
  updateEvse(id: number, patch: Partial<Omit<EvseRecord, 'id' | 'chargerIdentity' | 'ocppId'>>): void;
  listConnectors(evseRowId?: number): ConnectorRecord[];
  updateConnector(id: number, patch: Partial<Omit<ConnectorRecord, 'id' | 'evseRowId'>>): void;
  listLocations(): LocationRecord[];
  getLocation(id: string): LocationRecord | undefined;
  listTariffs(): TariffRecord[];
}

export interface NewTransaction {
  chargerIdentity: string;
  evseRowId: number | null;
  connectorRowId: number | null;
  ocppTransactionId?: string;
  protocol: OcppProtocol;
  idTag: string | null;
  idTokenType: string | null;
  authStatus: string | null;
  authMethod: string | null;
  authorizationReference: string | null;
  tokenRowId: number | null;
  platformId: number | null;
  status: 'active' | 'ended';
  startedAtMs: number | null;
  endedAtMs?: number | null;
  meterStartWh: number | null;
  reservationId?: number | null;
  remoteStartId?: number | null;
  orphan?: boolean;
  offline?: boolean;
  snapshotJson: string | null;
  atMs: number;
}

export interface TransactionStore {
  getTransaction(id: number): TransactionRecord | undefined;
  findTransaction(identity: string, ocppTransactionId: string): TransactionRecord | undefined;
  /** A 1.6 StartTransaction retransmitted after a lost response: same connector, idTag, timestamp and meterStart. */
  findDuplicateStart(identity: string, evseRowId: number | null, idTag: string, startedAtMs: number, meterStartWh: number): TransactionRecord | undefined;
  /** Inserts a transaction; when `ocppTransactionId` is absent the row id (the 1.6 integer transactionId) is used. */
  insertTransaction(tx: NewTransaction): TransactionRecord;
  updateTransaction(id: number, patch: Partial<Omit<TransactionRecord, 'id' | 'chargerIdentity'>>): void;
  listActiveTransactions(identity?: string): TransactionRecord[];
  findActiveTransactionOnEvse(evseRowId: number): TransactionRecord | undefined;
  /** The latest energy register and power of a running transaction (hot path: every MeterValues). */
  recordMeter(id: number, energyWh: number | undefined, powerW: number | undefined, atMs: number): void;
  listRecentTransactions(limit: number): TransactionRecord[];
  /** Ended transactions whose end (charger time) is at or after `sinceMs`, newest first (status page: energy today). */
  listTransactionsEndedSince(sinceMs: number, limit: number): TransactionRecord[];
  /** A charger's total active-import power since `sinceMs` (per-phase values summed), oldest first (status page sparklines). */
  listPowerSamples(identity: string, sinceMs: number, limit: number): Array<{ evseOcppId: number | null; sampledAtMs: number; powerW: number }>;
  insertReadings(identity: string, evseOcppId: number | null, transactionRowId: number | null, readings: MeterReading[]): void;
  insertSignedReadings(identity: string, evseOcppId: number | null, transactionRowId: number | null, readings: SignedReading[], atMs: number): number[];
  listReadings(transactionRowId: number): Array<MeterReading & { id: number }>;
  /** Signed readings of a transaction in arrival order, or the given ids. */
  listSignedReadings(query: { transactionRowId: number } | { ids: number[] }): SignedReadingRecord[];
  setSignedVerification(id: number, verification: string, reason: string): void;
  /** Records a 2.0.1 TransactionEvent seqNo; false when it was already recorded (a repeat). */
  recordTransactionEvent(transactionRowId: number, seqNo: number, eventType: string, triggerReason: string | null, atMs: number, offline: boolean): boolean;
  listTransactionEventSeqNos(transactionRowId: number): number[];
}

export interface TokenStore {
  getIdToken(id: number): IdTokenRecord | undefined;
}

export interface LogStore {
  logOcppMessage(m: Omit<OcppMessageRecord, 'id'>): void;
  listOcppMessages(identity: string, limit: number, action?: string): OcppMessageRecord[];
  /** One logged frame by id (the status page's full-text download). */
  getOcppMessage(id: number): OcppMessageRecord | undefined;
  /** Deletes all but the newest `keep` messages. */
  trimOcppMessages(keep: number): number;
  raiseFault(f: Omit<Fault, 'id' | 'raisedAt' | 'clearedAt'> & { raisedAtMs: number }): number;
  clearFaults(identity: string, code: string, evseOcppId: number | null, atMs: number): number;
  /** Clears the open faults with this code raised on one transaction (e.g. a TransactionEvent seqNo gap that closed). */
  clearTransactionFaults(transactionRowId: number, code: string, atMs: number): number;
  listFaults(opts: { identity?: string; open?: boolean; limit: number }): Fault[];
}

/** Reports a charger sent about itself (domain/charger-reports.ts), bounded per charger and kind. */
export interface ChargerReportStore {
  /** The pages stored of one request's report, oldest first. */
  listReportPages(identity: string, kind: ChargerReportKind, requestId: number): Array<{ id: number; seqNo: number | null; tbc: boolean }>;
  getChargerReport(id: number): ChargerReportRecord | undefined;
  insertChargerReport(r: NewChargerReport): number;
  deleteChargerReports(ids: number[]): void;
  /** Keeps the newest `keepReports` reports (a report = the rows of one requestId; a row without one is its own) and the newest `keepRows` rows. */
  pruneChargerReports(identity: string, kind: ChargerReportKind, keepReports: number, keepRows: number): number;
  /** Rows of one kind, newest first; only those of one request when `requestId` is given. */
  listChargerReports(identity: string, kind: ChargerReportKind, opts: { requestId?: number; limit: number }): ChargerReportRecord[];
  /** Per kind a charger reported: how many reports are kept and when the last one came. */
  summarizeChargerReports(identity: string): Array<{ kind: ChargerReportKind; stored: number; rows: number; lastAtMs: number }>;
}

export interface Store extends ChargerStore, TransactionStore, TokenStore, LogStore, ChargerReportStore {
  /**
   * Runs `fn` as one all-or-nothing unit (synchronous: an async callback would commit early). Units written in
   * the same event-loop turn are committed together; await `durable()` before acknowledging them to anyone.
   */
  transaction<T>(fn: () => T): T;
  /** Resolves once everything written so far is committed to disk; rejects if that commit failed. */
  durable(): Promise<void>;
  getSetting(key: string): string | undefined;
  setSetting(key: string, value: string, atMs: number): void;
  /** A real write, for /healthz. Throws when the database cannot be written. */
  checkWritable(atMs: number): void;
  close(): void;
}

/** Commands the bridge sends to chargers, version-neutral; implemented per protocol in src/ocpp/. */
export type CommandOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'offline' | 'timeout' | 'not-supported' | 'rejected-by-charger' | 'invalid-answer' | 'failed' | 'unknown-charger'; message: string };

export interface ChargerCommands {
  isConnected(identity: string): boolean;
  protocolOf(identity: string): OcppProtocol | undefined;
  /** Sends one OCPP call by its version-neutral command name; see ocpp/commands.ts for the catalogue. */
  send<K extends keyof CommandCatalogue>(identity: string, command: K, args: CommandCatalogue[K]['args']): Promise<CommandOutcome<CommandCatalogue[K]['result']>>;
}

/** Version-neutral commands and their results; each adapter maps them to its own messages. */
export interface CommandCatalogue {
  remoteStart: { args: { evseOcppId?: number; idTag: string; idTokenType?: string; remoteStartId?: number; chargingProfile?: NeutralChargingProfile }; result: { status: 'Accepted' | 'Rejected'; transactionId?: string } };
  remoteStop: { args: { ocppTransactionId: string }; result: { status: 'Accepted' | 'Rejected' } };
  unlockConnector: { args: { evseOcppId: number; connectorOcppId?: number }; result: { status: 'Unlocked' | 'UnlockFailed' | 'NotSupported' | 'OngoingAuthorizedTransaction' | 'UnknownConnector' } };
  reserveNow: { args: { reservationId: number; evseOcppId?: number; expiresAt: Date; idTag: string; idTokenType?: string; parentIdTag?: string }; result: { status: 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable' } };
  cancelReservation: { args: { reservationId: number }; result: { status: 'Accepted' | 'Rejected' } };
  setChargingProfile: { args: { evseOcppId: number; profile: NeutralChargingProfile }; result: { status: 'Accepted' | 'Rejected' | 'NotSupported' } };
  clearChargingProfile: { args: { profileId?: number; evseOcppId?: number; purpose?: string; stackLevel?: number }; result: { status: 'Accepted' | 'Unknown' } };
  getCompositeSchedule: { args: { evseOcppId: number; durationS: number; rateUnit?: 'A' | 'W' }; result: { status: 'Accepted' | 'Rejected'; scheduleStart?: Date; schedule?: NeutralSchedule } };
  reset: { args: { kind: 'soft' | 'hard'; evseOcppId?: number }; result: { status: 'Accepted' | 'Rejected' | 'Scheduled' } };
  changeAvailability: { args: { evseOcppId: number; operative: boolean }; result: { status: 'Accepted' | 'Rejected' | 'Scheduled' } };
  getConfiguration: { args: { keys?: string[] }; result: { entries: Array<{ key: string; value?: string; readonly?: boolean }>; unknownKeys: string[] } };
  changeConfiguration: { args: { key: string; value: string }; result: { status: 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported' } };
  triggerMessage: { args: { message: 'BootNotification' | 'Heartbeat' | 'StatusNotification' | 'MeterValues' | 'FirmwareStatusNotification' | 'DiagnosticsStatusNotification' | 'LogStatusNotification' | 'TransactionEvent'; evseOcppId?: number }; result: { status: 'Accepted' | 'Rejected' | 'NotImplemented' } };
  sendLocalList: { args: { version: number; full: boolean; entries: Array<{ idTag: string; idTokenType?: string; status?: string; expiresAt?: Date }> }; result: { status: 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch' } };
  getLocalListVersion: { args: Record<string, never>; result: { version: number } };
  clearCache: { args: Record<string, never>; result: { status: 'Accepted' | 'Rejected' } };
  updateFirmware: { args: { location: string; retrieveAt: Date; retries?: number; retryIntervalS?: number; requestId?: number }; result: { status: string } };
  getDiagnostics: { args: { location: string; from?: Date; to?: Date; requestId?: number }; result: { fileName?: string; status?: string } };
  dataTransfer: { args: { vendorId: string; messageId?: string; data?: string }; result: { status: string; data?: string } };
  // OCPP 2.0.1 only (a 1.6 charger answers these with not-supported).
  getChargingProfiles: { args: { requestId: number; evseOcppId?: number; purpose?: NeutralChargingProfile['purpose']; stackLevel?: number; profileIds?: number[]; sources?: Array<'EMS' | 'Other' | 'SO' | 'CSO'> }; result: { status: 'Accepted' | 'NoProfiles' } };
  getVariables: { args: { items: DeviceVariableRef[] }; result: { results: Array<DeviceVariableRef & { status: string; value?: string }> } };
  setVariables: { args: { items: Array<DeviceVariableRef & { value: string }> }; result: { results: Array<DeviceVariableRef & { status: string }> } };
  getBaseReport: { args: { requestId: number; report: 'ConfigurationInventory' | 'FullInventory' | 'SummaryInventory' }; result: { status: 'Accepted' | 'Rejected' | 'NotSupported' | 'EmptyResultSet' } };
  setNetworkProfile: { args: { slot: number; csmsUrl: string; securityProfile: number; messageTimeoutS: number; networkInterface: 'Wired0' | 'Wired1' | 'Wired2' | 'Wired3' | 'Wireless0' | 'Wireless1' | 'Wireless2' | 'Wireless3' }; result: { status: 'Accepted' | 'Rejected' | 'Failed' } };
  certificateSigned: { args: { certificateChain: string; certificateType?: 'ChargingStationCertificate' | 'V2GCertificate' }; result: { status: 'Accepted' | 'Rejected' } };
  installCertificate: { args: { certificateType: 'V2GRootCertificate' | 'MORootCertificate' | 'CSMSRootCertificate' | 'ManufacturerRootCertificate'; certificate: string }; result: { status: 'Accepted' | 'Rejected' | 'Failed' } };
}

/** A variable of a charger's device model (OCPP 2.0.1 component + variable; evse/connector when it belongs to one). */
export interface DeviceVariableRef {
  component: string;
  componentInstance?: string;
  evseOcppId?: number;
  connectorOcppId?: number;
  variable: string;
  variableInstance?: string;
  attribute?: 'Actual' | 'Target' | 'MinSet' | 'MaxSet';
}

export interface NeutralSchedulePeriod { startPeriodS: number; limit: number; numberPhases?: number }
export interface NeutralSchedule { startSchedule?: Date; durationS?: number; rateUnit: 'A' | 'W'; minRate?: number; periods: NeutralSchedulePeriod[] }
export interface NeutralChargingProfile {
  id: number;
  stackLevel: number;
  purpose: 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
  kind: 'Absolute' | 'Recurring' | 'Relative';
  recurrency?: 'Daily' | 'Weekly';
  ocppTransactionId?: string;
  validFrom?: Date;
  validTo?: Date;
  schedule: NeutralSchedule;
}

