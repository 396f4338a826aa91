/**
 * Counts every OCPI request in `bridge_ocpi_requests_total` by module and HTTP status, errors included
 * (the app's onError has already built the response when `next()` returns).
 */
import { createMiddleware } from 'hono/factory';
import type { Metrics } from '../../metrics.js';
import type { OcpiEnv } from '../context.js';

export function countRequests(metrics: Metrics) {
  return createMiddleware<OcpiEnv>(async (c, next) => {
    await next();
    metrics.ocpiRequests.inc({ module: c.get('module') ?? 'unknown', status: String(c.res.status) });
  });
}
