/**
 * X-Request-ID and X-Correlation-ID (OCPI 2.2.1 transport_and_format §Unique message IDs): every response
 * carries the request's values; a request without them (2.1.1 peers, careless clients) still gets fresh
 * ones. Also sent to 2.1.1 peers, where they are harmless.
 */
import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { OcpiEnv } from '../context.js';

/** Printable ASCII, bounded: an id is echoed into our headers and logs, so never take arbitrary bytes. */
const SAFE_ID = /^[\x21-\x7e]{1,255}$/;

export function requestIds() {
  return createMiddleware<OcpiEnv>(async (c, next) => {
    const requestId = pick(c.req.header('X-Request-ID'));
    const correlationId = pick(c.req.header('X-Correlation-ID'));
    c.set('requestId', requestId);
    c.set('correlationId', correlationId);
    c.header('X-Request-ID', requestId);
    c.header('X-Correlation-ID', correlationId);
    await next();
  });
}

function pick(value: string | undefined): string {
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}
