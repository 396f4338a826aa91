/**
 * What a transaction keeps of its surroundings at start: location, EVSE, connector and the tariffs that
 * applied then (OCPI mod_cdrs: the CDR shows them as they were at session start, even when the config
 * changes or a tariff is deleted while the session runs).
 */
import type { ChargingStateChange } from './charging-states.js';
import type { Store } from './ports.js';

export interface TransactionSnapshot {
  evseRowId: number | null;
  connectorRowId: number | null;
  data: {
    locationId: string | null;
    location?: Record<string, unknown>;
    timeZone?: string;
    evseUid?: string;
    evseId?: string | null;
    connectorId?: string;
    connector?: { standard: string; format: string; powerType: string; maxVoltageV: number; maxAmperageA: number; maxElectricPowerW: number | null };
    tariffs: Array<Record<string, unknown>>;
    /** Not of the start: the charger's reports while the transaction runs (charging-states.ts). */
    chargingStates?: ChargingStateChange[];
  };
}

export function buildSnapshot(store: Store, identity: string, evseOcppId: number, connectorOcppId?: number): TransactionSnapshot {
  const evse = store.getEvse(identity, evseOcppId);
  const charger = store.getCharger(identity);
  const locationId = evse?.locationId ?? charger?.locationId ?? null;
  const location = locationId ? store.getLocation(locationId) : undefined;
  const connectors = evse ? store.listConnectors(evse.id) : [];
  const connector = connectors.find((c) => c.ocppConnectorId === (connectorOcppId ?? 1)) ?? connectors[0];
  const tariffIds: string[] = connector ? JSON.parse(connector.tariffIdsJson) : [];
  const tariffs = tariffIds.length ? store.listTariffs().filter((t) => tariffIds.includes(t.id) && t.deletedAtMs === null).map((t) => t.data) : [];
  return {
    evseRowId: evse?.id ?? null,
    connectorRowId: connector?.id ?? null,
    data: {
      locationId,
      location: location?.data,
      timeZone: location?.timeZone,
      evseUid: evse?.uid,
      evseId: evse?.evseId,
      connectorId: connector?.connectorId,
      connector: connector && {
        standard: connector.standard, format: connector.format, powerType: connector.powerType, maxVoltageV: connector.maxVoltageV,
        maxAmperageA: connector.maxAmperageA, maxElectricPowerW: connector.maxElectricPowerW,
      },
      tariffs,
    },
  };
}
