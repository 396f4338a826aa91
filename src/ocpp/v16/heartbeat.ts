/** Heartbeat (OCPP 1.6 §4.6): the central system's current time. */
import type { ActionHandler } from '../adapter.js';

export const heartbeat: ActionHandler = async (identity, _p, ctx) => ({ currentTime: ctx.chargers.heartbeat(identity).toISOString() });
