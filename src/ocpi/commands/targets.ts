/**
 * Where a command goes: the Location, EVSE and connector an eMSP names (by OCPI ids, case-insensitive), the
 * charger behind them, and what the last reported status says before anything is sent (reference/ocpp.md §5:
 * EVSE busy or faulted known before sending -> EVSE_OCCUPIED / EVSE_INOPERATIVE). A command for an EVSE the
 * location does not have is refused like an unknown location (OCPI 2003).
 */
import type { EvseView, LocationView, OcpiVersionNumber } from '../../domain/ocpi-ports.js';
import type { ConnectorRecord } from '../../domain/records.js';
import type { OcpiDeps } from '../context.js';
import { publishedEvses } from '../locations/map.js';
import { createLocationReader } from '../locations/read.js';
import type { CommandResultType } from './wire.js';

export type Target =
  | { ok: true; view: LocationView; evse?: EvseView; connector?: ConnectorRecord; identity: string }
  | { ok: false; message: string };

const OCCUPIED = new Set(['Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Occupied']);
const INOPERATIVE = new Set(['Faulted', 'Unavailable']);

export function createTargets(deps: OcpiDeps) {
  const reader = createLocationReader(deps);

  return {
    /** The location and, when named, the EVSE and connector; without an EVSE: the location's only charger, else its first free EVSE. */
    find(version: OcpiVersionNumber, locationId: string, evseUid?: string, connectorId?: string): Target {
      const view = reader.find(version, locationId);
      if (!view) return { ok: false, message: `unknown location ${locationId}` };
      const evses = publishedEvses(view);
      if (evseUid !== undefined) {
        const evse = evses.find((e) => e.evse.uid.toUpperCase() === evseUid.toUpperCase());
        if (!evse) return { ok: false, message: `location ${view.location.id} has no EVSE ${evseUid}` };
        const connector = connectorId === undefined ? undefined : evse.connectors.find((k) => k.connectorId.toUpperCase() === connectorId.toUpperCase());
        if (connectorId !== undefined && !connector) return { ok: false, message: `EVSE ${evse.evse.uid} has no connector ${connectorId}` };
        return { ok: true, view, evse, connector, identity: evse.evse.chargerIdentity };
      }
      const chargers = [...new Set(evses.map((e) => e.evse.chargerIdentity))];
      if (chargers.length === 0) return { ok: false, message: `location ${view.location.id} has no EVSE` };
      if (chargers.length === 1) return { ok: true, view, identity: chargers[0]! };
      const free = evses.find((e) => e.charger.connected && e.evse.status === 'Available') ?? evses.find((e) => e.charger.connected) ?? evses[0]!;
      return { ok: true, view, evse: free, identity: free.evse.chargerIdentity };
    },
  };
}

/** What the EVSE's last reported status says about a start or reservation there, before asking the charger. */
export function evseBlocked(evse: EvseView | undefined): CommandResultType | undefined {
  if (!evse) return undefined;
  if (evse.charger.stationStatus && INOPERATIVE.has(evse.charger.stationStatus)) return 'EVSE_INOPERATIVE';
  if (INOPERATIVE.has(String(evse.evse.status))) return 'EVSE_INOPERATIVE';
  if (OCCUPIED.has(String(evse.evse.status))) return 'EVSE_OCCUPIED';
  return undefined;
}
