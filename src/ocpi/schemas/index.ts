/**
 * The OCPI 2.2.1 / 2.1.1 object schemas (zod), one file per module, written from the field tables of the
 * specification (shared/reference/ocpi-2.2.1.md §1.7, §2-§4): cardinality, max lengths, enums, regexes, and
 * the few cross-field rules the text states. 2.1.1 variants carry the suffix `211`. A curated entry point
 * (the one index in this folder) so that a caller imports "the OCPI schemas" and nothing else. Imports only zod.
 *
 * Unknown fields — one approach throughout: every object is `z.looseObject` (OCPI receivers must accept
 * fields they do not know, so inbound parsing keeps them). `strict(schema)` returns the same schema with every
 * nested object strict (unknown key → issue `unrecognized_keys`): the tests validate what the bridge EMITS with
 * `strict(...)`, so a misspelt or version-foreign field (a 2.2.1 field leaking into 2.1.1) fails.
 */
import { z } from 'zod';

export * from './common.js';
export * from './versions.js';
export * from './credentials.js';
export * from './locations.js';
export * from './tariffs.js';
export * from './sessions.js';
export * from './cdrs.js';
export * from './tokens.js';
export * from './commands.js';
export * from './chargingprofiles.js';

const strictCache = new WeakMap<z.ZodType, z.ZodType>();

/** `schema` with every object in it (however deep) rejecting unknown keys; refinements and checks are kept. */
export function strict<T extends z.ZodType>(schema: T): T {
  const hit = strictCache.get(schema);
  if (hit) return hit as T;
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  const clone = (changes: Record<string, unknown>) => (schema as unknown as { clone(d: unknown): T }).clone({ ...def, ...changes });
  let out: T;
  switch (def.type) {
    case 'object':
      out = clone({ shape: Object.fromEntries(Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [k, strict(v)])), catchall: z.never() });
      break;
    case 'array':
      out = clone({ element: strict(def.element) });
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      out = clone({ innerType: strict(def.innerType) });
      break;
    case 'union':
      out = clone({ options: (def.options as z.ZodType[]).map(strict) });
      break;
    case 'intersection':
      out = clone({ left: strict(def.left), right: strict(def.right) });
      break;
    case 'pipe':
      out = clone({ in: strict(def.in), out: strict(def.out) });
      break;
    case 'record':
      out = clone({ valueType: strict(def.valueType) });
      break;
    case 'lazy':
      throw new Error('strict(): lazy schemas are not supported');
    default:
      out = schema; // scalars, enums, literals: nothing to tighten
  }
  strictCache.set(schema, out);
  return out;
}
