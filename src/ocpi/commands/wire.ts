/**
 * Commands on the wire (OCPI 2.2.1 mod_commands §Object description, §Data types; 2.1.1 commands.md): the
 * request objects per CommandType and version, the synchronous CommandResponse and the asynchronous
 * CommandResult (2.1.1 sends a CommandResponse `{result}` both times and knows fewer result values).
 */
import { z } from 'zod';
import { dateTime, token211, token221 } from '../tokens/wire.js';

export type CommandType = 'START_SESSION' | 'STOP_SESSION' | 'UNLOCK_CONNECTOR' | 'RESERVE_NOW' | 'CANCEL_RESERVATION';
export type CommandResponseType = 'ACCEPTED' | 'NOT_SUPPORTED' | 'REJECTED' | 'UNKNOWN_SESSION';
export type CommandResultType =
  | 'ACCEPTED' | 'CANCELED_RESERVATION' | 'EVSE_OCCUPIED' | 'EVSE_INOPERATIVE' | 'FAILED' | 'NOT_SUPPORTED' | 'REJECTED' | 'TIMEOUT' | 'UNKNOWN_RESERVATION';

const id36 = z.string().min(1).max(36).regex(/^[\x20-\x7e]*$/, 'printable ASCII');
/** URL(255), http or https: where the result goes; anything else cannot be answered, so it is refused up front. */
export const responseUrl = z.string().max(255).refine((u) => {
  try {
    const url = new URL(u);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'an absolute http(s) URL of at most 255 characters');

export const startSession221 = z.object({
  response_url: responseUrl, token: token221, location_id: id36, evse_uid: id36.optional(), connector_id: id36.optional(), authorization_reference: id36.optional(),
});
export const startSession211 = z.object({ response_url: responseUrl, token: token211, location_id: z.string().min(1).max(39), evse_uid: z.string().min(1).max(39).optional() });
export const stopSession = z.object({ response_url: responseUrl, session_id: id36 });
export const unlockConnector = z.object({ response_url: responseUrl, location_id: z.string().min(1).max(39), evse_uid: z.string().min(1).max(39), connector_id: z.string().min(1).max(36) });
export const reserveNow221 = z.object({
  response_url: responseUrl, token: token221, expiry_date: dateTime, reservation_id: id36, location_id: id36, evse_uid: id36.optional(), authorization_reference: id36.optional(),
});
export const reserveNow211 = z.object({
  response_url: responseUrl, token: token211, expiry_date: dateTime, reservation_id: z.number().int().nonnegative(), location_id: z.string().min(1).max(39), evse_uid: z.string().min(1).max(39).optional(),
});
export const cancelReservation = z.object({ response_url: responseUrl, reservation_id: id36 });

/** 2.1.1 CommandResponseType: ACCEPTED, NOT_SUPPORTED, REJECTED, TIMEOUT, UNKNOWN_SESSION. */
export function result211(result: CommandResultType): string {
  return result === 'ACCEPTED' || result === 'TIMEOUT' || result === 'NOT_SUPPORTED' ? result : 'REJECTED';
}

export function displayText(message: string | undefined): Array<{ language: string; text: string }> | undefined {
  return message ? [{ language: 'en', text: message.slice(0, 512) }] : undefined;
}

/** OCPI DateTime (with or without Z) to epoch ms. */
export function parseDateTime(s: string): number {
  return Date.parse(/Z$/i.test(s) ? s : `${s}Z`);
}
