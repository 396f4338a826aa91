/**
 * What each command file provides (one file per OCPI CommandType, like one file per OCPP action): its request
 * schema per version and `accept`, which decides the synchronous CommandResponse from what the bridge knows
 * now (location, session, charger online) and, when ACCEPTED, the work that produces the CommandResult.
 * Failures of the OCPP call map as reference/ocpp.md §5 says: timeout -> TIMEOUT, NotImplemented /
 * NotSupported -> NOT_SUPPORTED, any other error or a disconnect mid-call -> FAILED.
 */
import type { ZodType } from 'zod';
import type { OcpiPlatformRecord, OcpiVersionNumber } from '../../domain/ocpi-ports.js';
import type { CommandOutcome } from '../../domain/ports.js';
import type { OcpiCommandDeps } from '../../domain/token-ports.js';
import type { OcpiDeps } from '../context.js';
import type { createTargets } from './targets.js';
import type { CommandResponseType, CommandResultType } from './wire.js';

export interface CommandCall {
  deps: OcpiDeps;
  x: OcpiCommandDeps;
  version: OcpiVersionNumber;
  platform: OcpiPlatformRecord;
  targets: ReturnType<typeof createTargets>;
}

export interface Outcome {
  result: CommandResultType;
  message?: string;
}

export type Verdict =
  | { kind: 'refused'; response: Exclude<CommandResponseType, 'ACCEPTED'>; message: string; unknownLocation?: boolean; charger?: string }
  | { kind: 'accepted'; charger: string; context?: Record<string, unknown>; run(): Promise<Outcome> };

export interface CommandHandler<T = any> {
  versions: readonly OcpiVersionNumber[];
  schema(version: OcpiVersionNumber): ZodType<T>;
  accept(call: CommandCall, body: T): Verdict;
}

export function refused(response: Exclude<CommandResponseType, 'ACCEPTED'>, message: string, extra: { unknownLocation?: boolean; charger?: string } = {}): Verdict {
  return { kind: 'refused', response, message, ...extra };
}

/** The result of an OCPP call that did not get an answer. */
export function failureOutcome(o: Extract<CommandOutcome<unknown>, { ok: false }>): Outcome {
  if (o.reason === 'timeout') return { result: 'TIMEOUT', message: o.message };
  if (o.reason === 'not-supported') return { result: 'NOT_SUPPORTED', message: o.message };
  return { result: 'FAILED', message: o.message };
}

/** A charger that is not connected cannot be asked: refused at once with a reason (never silence). */
export function offline(identity: string): Verdict {
  return refused('REJECTED', `charger ${identity} is offline`, { charger: identity });
}
