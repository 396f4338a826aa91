/**
 * Paginated GET (OCPI 2.2.1 transport_and_format §Pagination): `offset`, `limit` (capped to
 * `ocpi.page_limit_max`, reported in X-Limit), `date_from` (inclusive) and `date_to` (exclusive) on
 * last_updated; the response carries X-Total-Count and, unless it is the last page, `Link: <next>; rel="next"`
 * keeping the filters. The next URL also carries our own `cursor` (the last key of this page) so the store can
 * seek instead of scanning; a client that computes offsets itself still gets an exact OFFSET page.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Page } from '../../domain/ocpi-ports.js';
import type { OcpiEnv, PageParams } from '../context.js';
import { ok, okRawList, OcpiError, OcpiStatus } from '../envelope.js';

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)?$/i;

export function pagination(maxLimit: number) {
  return createMiddleware<OcpiEnv>(async (c, next) => {
    const q = c.req.query();
    const offset = intParam('offset', q.offset, 0);
    const limit = Math.min(intParam('limit', q.limit, maxLimit), maxLimit);
    if (limit < 1) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, 'limit must be at least 1');
    const page: PageParams = {
      offset, limit, maxLimit,
      fromMs: dateParam('date_from', q.date_from), toMs: dateParam('date_to', q.date_to),
      after: decodeCursor(q.cursor, offset), raw: { date_from: q.date_from, date_to: q.date_to },
    };
    c.set('page', page);
    await next();
  });
}

/** Answers one page: the data plus X-Total-Count, X-Limit and Link. */
export function sendPage<T>(c: Context<OcpiEnv>, publicUrl: string, result: Page<T>, data: unknown[]): Response {
  pageHeaders(c, publicUrl, result);
  return ok(c, data);
}

/** The same for a page whose items are already JSON texts (see locations/read.ts). */
export function sendRawPage(c: Context<OcpiEnv>, publicUrl: string, result: Page<string>): Response {
  pageHeaders(c, publicUrl, result);
  return okRawList(c, result.items);
}

function pageHeaders(c: Context<OcpiEnv>, publicUrl: string, result: Page<unknown>): void {
  const page = c.get('page');
  c.header('X-Total-Count', String(result.total));
  c.header('X-Limit', String(page.maxLimit));
  const nextOffset = page.offset + result.items.length;
  if (result.items.length > 0 && nextOffset < result.total) {
    const params = new URLSearchParams();
    if (page.raw.date_from !== undefined) params.set('date_from', page.raw.date_from);
    if (page.raw.date_to !== undefined) params.set('date_to', page.raw.date_to);
    params.set('offset', String(nextOffset));
    params.set('limit', String(page.limit));
    if (result.lastKey !== undefined) params.set('cursor', encodeCursor(nextOffset, result.lastKey));
    c.header('Link', `<${publicUrl}${c.req.path}?${params.toString()}>; rel="next"`);
  }
}

function intParam(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value)) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, `${name} must be a non-negative integer`);
  return Number(value);
}

/** OCPI DateTime, parsed leniently: with or without `Z`, with fractions (reference §1.7). */
export function dateParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = DATE_TIME.test(value) ? Date.parse(/(Z|[+-]\d\d:\d\d)$/i.test(value) ? value : `${value}Z`) : NaN;
  if (Number.isNaN(ms)) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, `${name} must be an RFC 3339 UTC date-time like 2026-01-01T00:00:00Z`);
  return ms;
}

function encodeCursor(offset: number, key: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: key })).toString('base64url');
}

/** The keyset position, only when the cursor was made for exactly this offset (else the offset rules). */
function decodeCursor(cursor: string | undefined, offset: number): string | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    return parsed.o === offset && typeof parsed.k === 'string' ? parsed.k : undefined;
  } catch {
    return undefined;
  }
}
