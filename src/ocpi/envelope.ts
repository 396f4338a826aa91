/**
 * The OCPI response envelope, built in this one place (OCPI 2.2.1 transport_and_format §Response format):
 * `{data?, status_code, status_message, timestamp}`. Routes return `ok(c, data)`; every failure is an
 * OcpiError (or any other throw) turned into an envelope by `onOcpiError`, the app's one `onError`.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Log } from '../log.js';

/** OCPI status codes (status_codes.asciidoc) the platform produces. */
export const OcpiStatus = {
  SUCCESS: 1000,
  CLIENT_ERROR: 2000,
  INVALID_PARAMETERS: 2001,
  NOT_ENOUGH_INFORMATION: 2002,
  UNKNOWN_LOCATION: 2003,
  UNKNOWN_TOKEN: 2004,
  SERVER_ERROR: 3000,
  CLIENT_API_UNUSABLE: 3001,
  UNSUPPORTED_VERSION: 3002,
  NO_MATCHING_ENDPOINTS: 3003,
} as const;
export type OcpiStatusCode = (typeof OcpiStatus)[keyof typeof OcpiStatus];

/** A protocol fault with its OCPI status code and HTTP status; matched by class and code, never by text. */
export class OcpiError extends Error {
  override readonly name = 'OcpiError';
  constructor(readonly statusCode: OcpiStatusCode, readonly httpStatus: ContentfulStatusCode, message: string) {
    super(message);
  }
}

/** OCPI DateTime as the bridge emits it in both versions: `YYYY-MM-DDTHH:MM:SSZ` (reference §1.7). */
export function ocpiDateTime(at: Date | number): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

export function envelope(statusCode: number, message: string, data?: unknown): Record<string, unknown> {
  return { ...(data === undefined ? {} : { data }), status_code: statusCode, status_message: message, timestamp: ocpiDateTime(Date.now()) };
}

/** A success envelope; `data` undefined leaves the field out (d2: where the spec does not say what data holds). */
export function ok(c: Context, data?: unknown, httpStatus: ContentfulStatusCode = 200): Response {
  return c.json(envelope(OcpiStatus.SUCCESS, 'Success', data), httpStatus);
}

/** A success envelope whose `data` is a list of already-serialized JSON values (cached objects): joined, not re-encoded. */
export function okRawList(c: Context, jsonItems: string[]): Response {
  const tail = JSON.stringify(envelope(OcpiStatus.SUCCESS, 'Success')).slice(1);
  return c.body(`{"data":[${jsonItems.join(',')}],${tail}`, 200, { 'Content-Type': 'application/json' });
}

/** The app's onError: OcpiError as given; hono's own (body limit, ...) and anything else mapped to an envelope. */
export function ocpiErrorHandler(log: Log) {
  return (err: Error, c: Context): Response => {
    if (err instanceof OcpiError) return c.json(envelope(err.statusCode, err.message), err.httpStatus);
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      return c.json(envelope(status >= 500 ? OcpiStatus.SERVER_ERROR : OcpiStatus.CLIENT_ERROR, err.message || 'Request refused'), status);
    }
    log.error({ err: err.message, stack: err.stack, method: c.req.method, path: c.req.path }, 'OCPI request failed');
    return c.json(envelope(OcpiStatus.SERVER_ERROR, 'Internal error'), 500);
  };
}
