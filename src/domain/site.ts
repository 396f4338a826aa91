/**
 * The site as the operator configured it, in domain terms: the CPO, its locations, tariffs, chargers with
 * their EVSEs and connectors, and local tokens. start.ts builds it from the config; the store keeps it in sync.
 * Location and tariff bodies stay in OCPI field names because the config writes them that way.
 */

export interface SiteDefinition {
  cpo: { countryCode: string; partyId: string; name: string; website?: string };
  locations: Array<{ id: string; timeZone: string; publish: boolean; data: Record<string, unknown> }>;
  /** Full OCPI 2.2.1 Tariff objects without last_updated (the store sets it when the content changes). */
  tariffs: Array<{ id: string; data: Record<string, unknown> }>;
  chargers: SiteCharger[];
  tokens: Array<{ uid: string; type: string; valid: boolean; contractId?: string; visualNumber?: string }>;
}

export interface SiteCharger {
  identity: string;
  locationId: string;
  meterPublicKey?: string;
  evses: SiteEvse[];
}

export interface SiteEvse {
  ocppId: number;
  uid: string;
  evseId: string;
  capabilities?: string[];
  floorLevel?: string;
  physicalReference?: string;
  meterPublicKey?: string;
  removed: boolean;
  connectors: SiteConnector[];
}

export interface SiteConnector {
  connectorId: string;
  ocppConnectorId: number;
  standard: string;
  format: string;
  powerType: string;
  maxVoltageV: number;
  maxAmperageA: number;
  maxElectricPowerW?: number;
  tariffIds: string[];
  termsAndConditions?: string;
}
