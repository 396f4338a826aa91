/**
 * Versions module (OCPI 2.2.1 version_information_endpoint; 2.1.1 version_information_endpoint.md):
 * `GET /ocpi/versions` lists 2.2.1 first, then 2.1.1; `GET /ocpi/{version}` lists the modules mounted for
 * that version from the module registry (2.2.1 endpoints carry `role`, 2.1.1 ones do not). Any valid token
 * (A, a pending B, or C) may read both.
 */
import type { Context } from 'hono';
import type { OcpiVersionNumber } from '../../domain/ocpi-ports.js';
import type { OcpiDeps, OcpiEnv } from '../context.js';
import { OCPI_BASE_PATH, OCPI_VERSIONS, publicUrlOf } from '../context.js';
import { ok } from '../envelope.js';
import type { OcpiModule } from '../modules.js';

export function versionList(deps: OcpiDeps) {
  return (c: Context<OcpiEnv>) =>
    ok(c, OCPI_VERSIONS.map((version) => ({ version, url: `${publicUrlOf(deps)}${OCPI_BASE_PATH}/${version}` })));
}

export function versionDetails(deps: OcpiDeps, version: OcpiVersionNumber, modules: readonly OcpiModule[]) {
  return (c: Context<OcpiEnv>) => {
    const base = `${publicUrlOf(deps)}${OCPI_BASE_PATH}/${version}`;
    const endpoints = modules
      .filter((m) => m.versions.includes(version))
      .map((m) => (version === '2.2.1' ? { identifier: m.id, role: m.role, url: `${base}/${m.id}` } : { identifier: m.id, url: `${base}/${m.id}` }));
    return ok(c, { version, endpoints });
  };
}
