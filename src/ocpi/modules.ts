/**
 * The module registry: every OCPI module the platform serves, with its interface role and versions.
 * createOcpiApp mounts each under /ocpi/{version}/{id} and the version details list exactly these, so a new
 * module (sessions, cdrs, tokens, commands, ...) is one file in its folder plus one line in OCPI_MODULES.
 */
import type { Hono } from 'hono';
import type { OcpiVersionNumber } from '../domain/ocpi-ports.js';
import type { OcpiDeps, OcpiEnv } from './context.js';
import { credentialsModule } from './credentials/routes.js';
import { locationsModule } from './locations/routes.js';
import { tariffsModule } from './tariffs/routes.js';
import { sessionsModule } from './sessions/routes.js';
import { cdrsModule } from './cdrs/routes.js';
import { tokensModule } from './tokens/routes.js';
import { commandsModule } from './commands/routes.js';
import { chargingProfilesModule } from './chargingprofiles/routes.js';

export interface OcpiModule {
  /** OCPI ModuleID. */
  id: string;
  /** Our interface role (2.2.1 Endpoint.role); credentials is advertised as SENDER (credentials.asciidoc). */
  role: 'SENDER' | 'RECEIVER';
  versions: readonly OcpiVersionNumber[];
  /** Functional modules need a registered caller and carry 2.2.1 routing headers; credentials does not. */
  functional: boolean;
  routes(deps: OcpiDeps, version: OcpiVersionNumber): Hono<OcpiEnv>;
}

export const OCPI_MODULES: readonly OcpiModule[] = [
  credentialsModule,
  locationsModule,
  tariffsModule,
  sessionsModule,
  cdrsModule,
  tokensModule,
  commandsModule,
  chargingProfilesModule,
];
