/**
 * Stored records as the domain sees them (the Store port returns these). Instants are epoch milliseconds
 * (`...AtMs`) because that is how they are kept and compared; convert to Date at the edges that need one.
 */
import type { BootStatus, EvseStatus, OcppProtocol } from './model.js';

export interface LocationRecord {
  id: string;
  /** OCPI Location fields from the config (without evses). */
  data: Record<string, unknown>;
  timeZone: string;
  publish: boolean;
  lastUpdatedMs: number;
}

export interface TariffRecord {
  id: string;
  data: Record<string, unknown>;
  lastUpdatedMs: number;
  deletedAtMs: number | null;
}

export interface ChargerRecord {
  identity: string;
  locationId: string | null;
  configured: boolean;
  protocol: OcppProtocol | null;
  securityProfile: number | null;
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  bootStatus: BootStatus | null;
  bootReason: string | null;
  lastBootAtMs: number | null;
  lastHeartbeatAtMs: number | null;
  lastSeenAtMs: number | null;
  connected: boolean;
  connectedAtMs: number | null;
  disconnectedAtMs: number | null;
  remoteAddress: string | null;
  stationStatus: string | null;
  configurationJson: string | null;
  configurationAtMs: number | null;
  meterPublicKey: string | null;
  localListVersion: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface EvseRecord {
  id: number;
  chargerIdentity: string;
  ocppId: number;
  uid: string;
  evseId: string | null;
  locationId: string | null;
  configured: boolean;
  removed: boolean;
  capabilitiesJson: string | null;
  floorLevel: string | null;
  physicalReference: string | null;
  meterPublicKey: string | null;
  status: EvseStatus | string;
  statusAtMs: number | null;
  errorCode: string | null;
  vendorErrorCode: string | null;
  statusInfo: string | null;
  lastUpdatedMs: number;
}

export interface ConnectorRecord {
  id: number;
  evseRowId: number;
  connectorId: string;
  ocppConnectorId: number;
  standard: string;
  format: string;
  powerType: string;
  maxVoltageV: number;
  maxAmperageA: number;
  maxElectricPowerW: number | null;
  tariffIdsJson: string;
  termsAndConditions: string | null;
  status: string | null;
  statusAtMs: number | null;
  lastUpdatedMs: number;
}

export interface TransactionRecord {
  id: number;
  chargerIdentity: string;
  evseRowId: number | null;
  connectorRowId: number | null;
  ocppTransactionId: string;
  protocol: string;
  idTag: string | null;
  idTokenType: string | null;
  authStatus: string | null;
  authMethod: string | null;
  authorizationReference: string | null;
  tokenRowId: number | null;
  platformId: number | null;
  status: 'active' | 'ended' | string;
  startedAtMs: number | null;
  endedAtMs: number | null;
  meterStartWh: number | null;
  meterStopWh: number | null;
  lastMeterWh: number | null;
  lastPowerW: number | null;
  stopReason: string | null;
  chargingState: string | null;
  lastSeqNo: number | null;
  reservationId: number | null;
  remoteStartId: number | null;
  orphan: boolean;
  offline: boolean;
  snapshotJson: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface IdTokenRecord {
  id: number;
  countryCode: string;
  partyId: string;
  uid: string;
  type: string;
  contractId: string | null;
  visualNumber: string | null;
  groupId: string | null;
  valid: boolean;
  whitelist: string;
  source: 'config' | 'emsp' | string;
  platformId: number | null;
  dataJson: string | null;
  lastUpdatedMs: number;
}

export interface OcppMessageRecord {
  id: number;
  chargerIdentity: string;
  direction: 'in' | 'out' | string;
  kind: 'call' | 'result' | 'error' | 'bad' | string;
  action: string | null;
  messageId: string | null;
  payload: string;
  atMs: number;
}

export interface SignedReadingRecord {
  id: number;
  chargerIdentity: string;
  evseOcppId: number | null;
  transactionRowId: number | null;
  sampledAtMs: number;
  context: 'begin' | 'intermediate' | 'end' | string;
  ocppContext: string | null;
  /** Exactly as received: never re-encoded. */
  raw: string;
  encodingMethod: string | null;
  signingMethod: string | null;
  publicKey: string | null;
  /** verified | invalid-signature | no-public-key | unsupported-curve | malformed | undecodable; null = not checked yet. */
  verification: string | null;
  verificationReason: string | null;
  receivedAtMs: number;
}
