/**
 * What the OCPI modules share: what createOcpiApp and startOcpiPush need (OcpiDeps), what the middleware
 * leaves on the request context (OcpiEnv), the versions served and where the app is mounted.
 */
import type { Config } from '../config.js';
import type { Log } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { DomainEvents } from '../domain/events.js';
import type { OcpiPlatformRecord, OcpiStore, OcpiVersionNumber } from '../domain/ocpi-ports.js';
import type { Clock } from '../domain/ports.js';
import type { SessionCdrStore } from '../domain/session-cdr-ports.js';
import type { OcpiCommandDeps } from '../domain/token-ports.js';

export interface OcpiDeps {
  /** Base URL the bridge advertises (no trailing slash); a getter because the HTTP port may be known only after listen. */
  publicUrl: string | (() => string);
  config: Pick<Config, 'cpo' | 'ocpi' | 'ocpp' | 'http'>;
  store: OcpiStore;
  events: DomainEvents;
  log: Log;
  metrics: Metrics;
  clock: Clock;
  /** Outbound HTTP; global fetch unless a test routes it elsewhere. */
  fetch?: typeof fetch;
  /** Sessions and CDRs as stored views (the sessions and cdrs modules). */
  sessions?: SessionCdrStore;
  /** Tokens, commands and charging profiles: eMSP tokens, the chargers, remote starts, reservations. */
  tokensAndCommands?: OcpiCommandDeps;
}

/** Who is calling: a registered (or pending) platform by its token, or a holder of a registration token A. */
export type OcpiCaller =
  | { kind: 'platform'; platform: OcpiPlatformRecord; token: string }
  | { kind: 'registration'; tokenHash: string; token: string };

export interface PageParams {
  offset: number;
  limit: number;
  /** The server maximum actually applied (X-Limit). */
  maxLimit: number;
  fromMs?: number;
  toMs?: number;
  /** Keyset position decoded from our own `cursor` parameter, when it matches `offset`. */
  after?: string;
  /** The filters as the client wrote them, kept in the Link URL. */
  raw: { date_from?: string; date_to?: string };
}

export interface OcpiEnv {
  Variables: {
    requestId: string;
    correlationId: string;
    /** OCPI module id of the route (metrics label), set by the module's mount. */
    module: string;
    version: OcpiVersionNumber;
    caller: OcpiCaller;
    /** The requesting party as routed (2.2.1 OCPI-from-* or the platform's party). */
    from?: { countryCode: string; partyId: string };
    page: PageParams;
    /** The parsed JSON body of POST/PUT/PATCH. */
    body: unknown;
  };
}

export function publicUrlOf(deps: Pick<OcpiDeps, 'publicUrl'>): string {
  return (typeof deps.publicUrl === 'function' ? deps.publicUrl() : deps.publicUrl).replace(/\/+$/, '');
}

/** Versions served, preferred first (CONTRACT.md: OCPI 2.2.1 first, 2.1.1 beside it). */
export const OCPI_VERSIONS: readonly OcpiVersionNumber[] = ['2.2.1', '2.1.1'];

/** Where createOcpiApp is mounted (start.ts: app.route('/ocpi', ...)); every advertised URL starts here. */
export const OCPI_BASE_PATH = '/ocpi';

/** Our versions URL, the one fixed OCPI URL (CONTRACT.md). */
export function versionsUrlOf(deps: Pick<OcpiDeps, 'publicUrl'>): string {
  return `${publicUrlOf(deps)}${OCPI_BASE_PATH}/versions`;
}
