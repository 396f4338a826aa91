import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.js';
import { createOpsApp } from './app.js';

describe('ops app', () => {
  it.each([
    [{ db: 'ok', ocpp: 'listening' }, 200, 'ok'],
    [{ db: 'error: SQLITE_FULL: database or disk is full', ocpp: 'listening' }, 503, 'unavailable'],
    [{ db: 'ok', ocpp: 'down' }, 503, 'unavailable'],
  ])('healthz with %j answers %i', async (parts, status, word) => {
    const app = createOpsApp({ metrics: createMetrics(), probe: { db: () => parts.db, ocpp: () => parts.ocpp } });
    const res = await app.request('/healthz');
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ status: word, ...parts });
  });

  it('serves Prometheus text with process metrics', async () => {
    const app = createOpsApp({ metrics: createMetrics(), probe: { db: () => 'ok', ocpp: () => 'listening' } });
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(text).toContain('# TYPE bridge_ocpi_requests_total counter');
  });
});
