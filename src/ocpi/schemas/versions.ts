/**
 * Versions module: OCPI 2.2.1 version_information_endpoint.asciidoc (Version, VersionDetails, Endpoint,
 * VersionNumber, ModuleID, InterfaceRole) and 2.1.1 version_information_endpoint.md (Endpoint without role).
 * Reference: shared/reference/ocpi-2.2.1.md §2.1.
 */
import { z } from 'zod';
import { url } from './common.js';

/**
 * VersionNumber (2.2.1 lists 2.0, 2.1 (deprecated), 2.1.1, 2.2 (deprecated), 2.2.1), closed as the spec has it:
 * right for checking what we emit, but a client discovering a peer should skip entries it does not know (a
 * 2.3.0 peer) rather than reject the list — which is why credentials/wire.ts keeps its own lenient list schema.
 */
export const versionNumber = z.enum(['2.0', '2.1', '2.1.1', '2.2', '2.2.1']);
export const versionNumber211 = z.enum(['2.0', '2.1', '2.1.1']);

const MODULES_221 = ['cdrs', 'chargingprofiles', 'commands', 'credentials', 'hubclientinfo', 'locations', 'sessions', 'tariffs', 'tokens'] as const;
const MODULES_211 = ['cdrs', 'commands', 'credentials', 'locations', 'sessions', 'tariffs', 'tokens'] as const;
/** Custom modules carry a prefix, e.g. `nltnm-tokens` (§Custom Modules). */
const customModule = z.string().max(255).regex(/^[a-z0-9]+-[a-z0-9_-]+$/i, 'ModuleID: a standard module or a prefixed custom one');

export const moduleId = z.union([z.enum(MODULES_221), customModule]);
export const moduleId211 = z.union([z.enum(MODULES_211), customModule]);
export const interfaceRole = z.enum(['SENDER', 'RECEIVER']);

/** Version: `version` (1), `url` (1); GET {versions_url} returns `Version[]` with at least one entry. */
export const version = z.looseObject({ version: versionNumber, url });
export const versionList = z.array(version).min(1);

export const endpoint = z.looseObject({ identifier: moduleId, role: interfaceRole, url });
export const versionDetails = z.looseObject({ version: versionNumber, endpoints: z.array(endpoint).min(1) });

/** The details served at a given version's URL must name that version (e.g. `2.2.1` at /ocpi/2.2.1). */
export const versionDetailsOf = (v: '2.2.1') => versionDetails.extend({ version: z.literal(v) });

export const version211 = z.looseObject({ version: versionNumber211, url });
export const versionList211 = z.array(version211).min(1);
export const endpoint211 = z.looseObject({ identifier: moduleId211, url });
export const versionDetails211 = z.looseObject({ version: z.literal('2.1.1'), endpoints: z.array(endpoint211).min(1) });
