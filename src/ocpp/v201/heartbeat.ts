/** Heartbeat (OCPP 2.0.1 G02): the central system's current time. */
import type { ActionHandler } from '../adapter.js';

export const heartbeat: ActionHandler = async (identity, _p, ctx) => ({ currentTime: ctx.chargers.heartbeat(identity).toISOString() });
