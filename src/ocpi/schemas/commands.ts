/**
 * Commands module: OCPI 2.2.1 mod_commands.asciidoc §Object description (CancelReservation, CommandResponse,
 * CommandResult, ReserveNow, StartSession, StopSession, UnlockConnector) and §Data types (enums); 2.1.1
 * mod_commands.md (suffix 211): no CANCEL_RESERVATION, CommandResponse `{result}` only (sync answer and async
 * result alike) with TIMEOUT, ReserveNow.reservation_id an int, ids string(39). Reference: shared/reference/ocpi-2.2.1.md §3.6, §4.
 */
import { z } from 'zod';
import { ciString, dateTime, displayText, int, string211, url } from './common.js';
import { token, token211 } from './tokens.js';

export const commandType = z.enum(['CANCEL_RESERVATION', 'RESERVE_NOW', 'START_SESSION', 'STOP_SESSION', 'UNLOCK_CONNECTOR']);
export const commandResponseType = z.enum(['NOT_SUPPORTED', 'REJECTED', 'ACCEPTED', 'UNKNOWN_SESSION']);
export const commandResultType = z.enum([
  'ACCEPTED', 'CANCELED_RESERVATION', 'EVSE_OCCUPIED', 'EVSE_INOPERATIVE', 'FAILED', 'NOT_SUPPORTED', 'REJECTED', 'TIMEOUT', 'UNKNOWN_RESERVATION',
]);

/** The CPO's synchronous verdict: `result`, `timeout` in seconds, optional messages. */
export const commandResponse = z.looseObject({ result: commandResponseType, timeout: int().min(0), message: z.array(displayText).optional() });
/** The charger's result, POSTed to the command's `response_url`. */
export const commandResult = z.looseObject({ result: commandResultType, message: z.array(displayText).optional() });

/** StartSession: `connector_id` only together with `evse_uid`. */
export const startSession = z.looseObject({
  response_url: url, token, location_id: ciString(36).min(1), evse_uid: ciString(36).optional(), connector_id: ciString(36).optional(),
  authorization_reference: ciString(36).optional(),
}).refine((s) => s.connector_id === undefined || s.evse_uid !== undefined, { message: 'evse_uid: required when connector_id is given', path: ['evse_uid'] });
export const stopSession = z.looseObject({ response_url: url, session_id: ciString(36).min(1) });
export const reserveNow = z.looseObject({
  response_url: url, token, expiry_date: dateTime, reservation_id: ciString(36).min(1), location_id: ciString(36).min(1), evse_uid: ciString(36).optional(),
  authorization_reference: ciString(36).optional(),
});
export const cancelReservation = z.looseObject({ response_url: url, reservation_id: ciString(36).min(1) });
export const unlockConnector = z.looseObject({ response_url: url, location_id: ciString(36).min(1), evse_uid: ciString(36).min(1), connector_id: ciString(36).min(1) });

// ---- 2.1.1 ----
export const commandType211 = z.enum(['RESERVE_NOW', 'START_SESSION', 'STOP_SESSION', 'UNLOCK_CONNECTOR']);
export const commandResponseType211 = z.enum(['NOT_SUPPORTED', 'REJECTED', 'ACCEPTED', 'TIMEOUT', 'UNKNOWN_SESSION']);
export const commandResponse211 = z.looseObject({ result: commandResponseType211 });
export const startSession211 = z.looseObject({ response_url: url, token: token211, location_id: string211(39).min(1), evse_uid: string211(39).optional() });
export const stopSession211 = z.looseObject({ response_url: url, session_id: string211(36).min(1) });
export const reserveNow211 = z.looseObject({
  response_url: url, token: token211, expiry_date: dateTime, reservation_id: int(), location_id: string211(39).min(1), evse_uid: string211(39).optional(),
});
export const unlockConnector211 = z.looseObject({ response_url: url, location_id: string211(39).min(1), evse_uid: string211(39).min(1), connector_id: string211(36).min(1) });
