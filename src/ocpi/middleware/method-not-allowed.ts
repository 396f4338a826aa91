/**
 * HTTP 405 with an OCPI envelope for methods a module does not offer on a path it serves (instead of a
 * misleading 404): e.g. PATCH on credentials, PUT on the Sender interface of locations.
 */
import type { Hono } from 'hono';
import type { OcpiEnv } from '../context.js';
import { OcpiError, OcpiStatus } from '../envelope.js';

export function methodNotAllowed(app: Hono<OcpiEnv>, paths: string[], why: string): void {
  for (const path of paths) {
    app.all(path, () => {
      throw new OcpiError(OcpiStatus.CLIENT_ERROR, 405, `Method not allowed: ${why}`);
    });
  }
}
