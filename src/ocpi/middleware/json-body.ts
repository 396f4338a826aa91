/**
 * Request bodies of POST/PUT/PATCH: at most `http.max_body_bytes` (413 otherwise, also for chunked bodies),
 * and valid JSON (OCPI status_codes: a body that is not valid JSON MUST be answered with HTTP 400). The
 * parsed value is left in `c.var.body` for the route's zod schema.
 */
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { OcpiEnv } from '../context.js';
import { OcpiError, OcpiStatus } from '../envelope.js';

export function jsonBody(maxBytes: number) {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new OcpiError(OcpiStatus.CLIENT_ERROR, 413, `Request body larger than ${maxBytes} bytes`);
    },
  });
  return createMiddleware<OcpiEnv>(async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT' && c.req.method !== 'PATCH') return next();
    await limit(c, async () => {
      const text = await c.req.text(); // a body over the limit throws here, outside the JSON try
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, 'Request body is not valid JSON');
      }
      c.set('body', body);
      await next();
    });
  });
}
