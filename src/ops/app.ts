/**
 * Operations endpoints on the HTTP port: `GET /healthz` (200 when the database takes a write and the OCPP
 * listener is up, 503 naming the failing part) and `GET /metrics` (Prometheus text).
 */
import { Hono } from 'hono';
import type { Metrics } from '../metrics.js';

export interface HealthProbe {
  db(): 'ok' | string;
  ocpp(): 'listening' | string;
}

export function createOpsApp(deps: { probe: HealthProbe; metrics: Metrics }): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => {
    const db = deps.probe.db();
    const ocpp = deps.probe.ocpp();
    const healthy = db === 'ok' && ocpp === 'listening';
    return c.json({ status: healthy ? 'ok' : 'unavailable', db, ocpp }, healthy ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  return app;
}
