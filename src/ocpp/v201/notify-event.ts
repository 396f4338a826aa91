/**
 * NotifyEvent (OCPP 2.0.1 N07, G01 note): the station's device-model events. `AvailabilityState` of a
 * Connector, EVSE or the ChargingStation is a status report like StatusNotification (the newest timestamp
 * wins). Problem events (variable Problem/Fault/Tripped, or any monitor in `Alerting`) are 2.0.1's
 * replacement for 1.6's errorCode: kept as a fault while they last, cleared by `cleared` or a false value.
 */
import type { ActionHandler, AdapterContext } from '../adapter.js';
import { parseTime, toEvseStatus } from './map.js';

interface WireEvent {
  eventId: number;
  timestamp: string;
  trigger: string;
  actualValue: string;
  cleared?: boolean;
  techCode?: string;
  techInfo?: string;
  transactionId?: string;
  component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string; instance?: string };
}

const PROBLEM_VARIABLES = new Set(['Problem', 'Fault', 'Tripped']);
const INACTIVE = new Set(['false', '0', '', 'noerror', 'none', 'ok']);

export const notifyEvent: ActionHandler = async (identity, p, ctx) => {
  for (const e of (p.eventData ?? []) as WireEvent[]) handleEvent(identity, e, ctx);
  return {};
};

function handleEvent(identity: string, e: WireEvent, ctx: AdapterContext): void {
  const { component, variable } = e;
  if (variable.name === 'AvailabilityState') {
    const status = toEvseStatus(e.actualValue);
    if (!status) return;
    const evseOcppId = component.name === 'ChargingStation' ? 0 : component.evse?.id;
    if (evseOcppId === undefined) return;
    ctx.chargers.reportStatus(identity, {
      evseOcppId, connectorOcppId: component.name === 'Connector' ? component.evse?.connectorId : undefined, status, at: parseTime(e.timestamp),
    });
    return;
  }
  if (PROBLEM_VARIABLES.has(variable.name) || e.trigger === 'Alerting') {
    const name = `${component.name}${component.instance ? `/${component.instance}` : ''}.${variable.name}${variable.instance ? `/${variable.instance}` : ''}`;
    const active = e.cleared !== true && !INACTIVE.has(String(e.actualValue).trim().toLowerCase());
    ctx.chargers.reportProblem(identity, {
      code: name.slice(0, 100), active, evseOcppId: component.evse?.id,
      message: `${name} = ${e.actualValue}${e.techCode ? ` (${e.techCode})` : ''}${e.techInfo ? `: ${e.techInfo}` : ''}`.slice(0, 500),
      details: { eventId: e.eventId, timestamp: e.timestamp, trigger: e.trigger, actualValue: e.actualValue, techCode: e.techCode, techInfo: e.techInfo, component, variable, transactionId: e.transactionId },
    });
    return;
  }
  ctx.log.debug({ charger: identity, component: component.name, variable: variable.name, value: e.actualValue }, 'device model event');
}
