/**
 * The version-neutral model: what OCPP 1.6 and 2.0.1 both map into and what OCPI and the status page read.
 * Glossary:
 * - charger: an OCPP 1.6 charge point or 2.0.1 charging station, known by its identity (last URL segment).
 * - evse: one OCPI EVSE. OCPP 1.6: one per connector (OCPI mod_locations "one virtual EVSE per connector");
 *   OCPP 2.0.1: one per EVSE. `ocppId` is the 1.6 connectorId or the 2.0.1 evseId; 0 means the whole charger.
 * - connector: a plug of an EVSE (OCPI Connector).
 * - transaction: an OCPP transaction; its OCPI views are the Session (while it runs) and the CDR (when it ended).
 * Units are in names (Wh, W, A, V, S, Ms); instants are Date; no wire field names live here.
 */

export type OcppProtocol = 'ocpp1.6' | 'ocpp2.0.1';
export type SecurityProfile = 0 | 1 | 2 | 3;
export type BootStatus = 'Accepted' | 'Pending' | 'Rejected';

/** The union of what 1.6 (ChargePointStatus) and 2.0.1 (ConnectorStatusEnumType) report, plus Unknown. */
export type EvseStatus =
  | 'Available' | 'Preparing' | 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' | 'Finishing'
  | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted' | 'Unknown';

export interface ChargerIdentityInfo {
  vendor: string;
  model: string;
  serialNumber?: string;
  firmwareVersion?: string;
  /** 2.0.1 BootReasonEnumType; 1.6 has none. */
  reason?: string;
  iccid?: string;
  imsi?: string;
  meterType?: string;
  meterSerialNumber?: string;
}

export interface StatusReport {
  /** 0 = the whole charger (1.6 connectorId 0, 2.0.1 evseId 0). */
  evseOcppId: number;
  connectorOcppId?: number;
  status: EvseStatus;
  /** 1.6 ChargePointErrorCode; absent or 'NoError' when fine. */
  errorCode?: string;
  info?: string;
  vendorId?: string;
  vendorErrorCode?: string;
  at: Date;
}

export type ReadingContext =
  | 'Interruption.Begin' | 'Interruption.End' | 'Other' | 'Sample.Clock' | 'Sample.Periodic'
  | 'Transaction.Begin' | 'Transaction.End' | 'Trigger';

/** One sampled value, normalised at the adapter boundary (Wh, W, A, V, %, ...); the raw value is kept too. */
export interface MeterReading {
  sampledAt: Date;
  measurand: string;
  phase?: string;
  location?: string;
  context?: ReadingContext | string;
  value: number;
  unit: string;
  rawValue: string;
  rawUnit?: string;
}

/** A signed meter value exactly as received (Eichrecht): never re-encoded. */
export interface SignedReading {
  sampledAt: Date;
  /** begin | intermediate | end, from the OCPP reading context. */
  context: 'begin' | 'intermediate' | 'end';
  ocppContext?: string;
  raw: string;
  encodingMethod?: string;
  signingMethod?: string;
  publicKey?: string;
}

export interface IdTokenRef {
  /** 1.6 idTag or 2.0.1 idToken.idToken. */
  idTag: string;
  /** 2.0.1 IdTokenEnumType, or 'ISO14443' assumed for a 1.6 idTag. */
  type?: string;
}

export type AuthorizationStatus =
  | 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx' | 'NoCredit' | 'NotAllowedTypeEVSE'
  | 'NotAtThisLocation' | 'NotAtThisTime' | 'Unknown';

export interface AuthorizationResult {
  status: AuthorizationStatus;
  expiresAt?: Date;
  groupIdTag?: string;
  /** OCPI AuthMethod the decision came from. */
  method: 'AUTH_REQUEST' | 'COMMAND' | 'WHITELIST';
  authorizationReference?: string;
  tokenRowId?: number;
  platformId?: number;
}

export interface Fault {
  id: number;
  chargerIdentity?: string;
  evseOcppId?: number;
  transactionRowId?: number;
  source: 'ocpp' | 'eichrecht' | 'ocpi' | 'store';
  code: string;
  message: string;
  details?: unknown;
  raisedAt: Date;
  clearedAt?: Date;
}
