/**
 * The one place that imports ocpp-rpc (a CommonJS package: under Node ESM only its default export is safe,
 * reference/ocpp.md §3.6). Re-exports a narrow typed surface, and builds the strict-mode validators:
 * ocpp-rpc answers an off-schema CALL with a CALLERROR before our handler runs, which for transaction
 * messages makes the charger retry and then drop them (reference/ocpp.md §0, §3.2). So for those actions
 * the server validates against a relaxed copy of the OCA schema (types and required fields kept; lengths,
 * enums and extra properties let through), and the handler checks the full schema itself to record a fault.
 */
import rpc from 'ocpp-rpc';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const { RPCServer, createRPCError, createValidator } = rpc;
const { TimeoutError, RPCError } = rpc as unknown as { TimeoutError: new (...a: unknown[]) => Error; RPCError: new (...a: unknown[]) => Error & { rpcErrorCode: string } };

export type OcppSubprotocol = 'ocpp1.6' | 'ocpp2.0.1';
export const SUBPROTOCOLS: OcppSubprotocol[] = ['ocpp2.0.1', 'ocpp1.6'];

export interface Handshake {
  identity: string;
  password?: Buffer;
  protocols: Set<string>;
  endpoint: string;
  remoteAddress: string;
  headers: Record<string, string | string[] | undefined>;
  request: import('node:http').IncomingMessage;
}

export interface HandlerContext {
  method: string;
  params: any;
  messageId: string;
  signal: AbortSignal;
}

/** The part of ocpp-rpc's server-side client the bridge uses. */
export interface OcppClient {
  identity: string;
  protocol: OcppSubprotocol | undefined;
  session: Record<string, unknown>;
  handshake: Handshake;
  state: number;
  handle(method: string, handler: (ctx: HandlerContext) => Promise<Record<string, any>>): void;
  handle(handler: (ctx: HandlerContext) => Promise<Record<string, any>>): void;
  call(method: string, params: Record<string, unknown>, options?: { callTimeoutMs?: number; signal?: AbortSignal }): Promise<unknown>;
  close(options: { code?: number; reason?: string; awaitPending?: boolean; force?: boolean }): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): void;
  once(event: string, listener: (...args: any[]) => void): void;
}

export function isTimeoutError(err: unknown): boolean {
  return err instanceof TimeoutError;
}

/**
 * Errors of answers (CALLRESULTs) that strict mode refused. ocpp-rpc rejects such a call with the same kind of
 * RPCError a CALLERROR gives, so the `strictValidationFailure` event marks them: the charger did answer, but not
 * in OCPP form, which is a firmware defect to report as such and not as the charger refusing.
 */
const offSchemaAnswers = new WeakSet<object>();
export function markOffSchemaAnswer(err: unknown): void {
  if (typeof err === 'object' && err !== null) offSchemaAnswers.add(err);
}
export function isOffSchemaAnswer(err: unknown): boolean {
  return typeof err === 'object' && err !== null && offSchemaAnswers.has(err);
}

/** The OCPP-J error code of a CALLERROR the charger answered, or undefined for other failures. */
export function rpcErrorCode(err: unknown): string | undefined {
  return err instanceof RPCError ? err.rpcErrorCode : undefined;
}

export function rpcError(code: string, message: string, details: Record<string, unknown> = {}): Error {
  return createRPCError(code, message, details) as unknown as Error;
}

/** Charger-to-central-system actions whose loss would lose a transaction or its energy. */
const SALVAGEABLE: Record<OcppSubprotocol, string[]> = {
  'ocpp1.6': ['StartTransaction', 'StopTransaction', 'MeterValues'],
  'ocpp2.0.1': ['TransactionEvent', 'MeterValues'],
};
const SCHEMA_FILES: Record<OcppSubprotocol, string> = {
  'ocpp1.6': 'ocpp-rpc/lib/schemas/ocpp1_6.json',
  'ocpp2.0.1': 'ocpp-rpc/lib/schemas/ocpp2_0_1.json',
};

type Schema = Record<string, any> & { $id: string };

function relax(node: any): any {
  if (Array.isArray(node)) return node.map(relax);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'maxLength' || key === 'enum' || key === 'additionalProperties' || key === 'multipleOf' || key === 'maxItems') continue;
    out[key] = relax(value);
  }
  return out;
}

interface Validator { validate(schemaId: string, params: unknown): boolean }
const fullValidators = new Map<OcppSubprotocol, Validator>();

/** Validators for RPCServer's `strictModeValidators`: the OCA schemas, relaxed for the salvageable actions. */
export function serverStrictValidators(): unknown[] {
  return SUBPROTOCOLS.map((protocol) => {
    const schemas = require(SCHEMA_FILES[protocol]) as Schema[];
    const relaxed = schemas.map((s) => (SALVAGEABLE[protocol].some((a) => s.$id === `urn:${a}.req`) ? { ...relax(s), $id: s.$id } : s));
    return createValidator(protocol, relaxed);
  });
}

/** Checks a salvageable call against the full OCA schema; returns the violation text, or undefined when it conforms. */
export function fullSchemaViolation(protocol: OcppSubprotocol, action: string, params: unknown): string | undefined {
  let validator = fullValidators.get(protocol);
  if (!validator) {
    validator = createValidator(protocol, require(SCHEMA_FILES[protocol])) as unknown as Validator;
    fullValidators.set(protocol, validator);
  }
  try {
    validator.validate(`urn:${action}.req`, params);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export function isSalvageable(protocol: OcppSubprotocol, action: string): boolean {
  return SALVAGEABLE[protocol].includes(action);
}
