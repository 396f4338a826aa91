/**
 * What every protocol adapter (v16/, v201/) provides and receives. An adapter registers its handlers on a
 * connected client (its routing table) and maps the version-neutral commands of domain/ports.ts to its
 * own messages. Shared by both versions; adapters never import each other.
 */
import type { Log } from '../log.js';
import type { ChargerService } from '../domain/chargers.js';
import type { TransactionService } from '../domain/transactions.js';
import type { ChargerCommands, CommandCatalogue } from '../domain/ports.js';
import type { HandlerContext, OcppClient, OcppSubprotocol } from './rpc.js';

export interface AdapterContext {
  chargers: ChargerService;
  transactions: TransactionService;
  commands: ChargerCommands;
  log: Log;
  /** Resolves when every write so far is committed (store group commit). */
  durable(): Promise<void>;
  /** Records that a salvageable message broke the full schema: kept as a fault with the raw frame. */
  recordSchemaViolation(identity: string, action: string, violation: string, params: unknown): void;
}

/** One handler per charger-initiated action: wire params in, wire response out. */
export type ActionHandler = (identity: string, params: any, ctx: AdapterContext, call: HandlerContext) => Promise<Record<string, unknown>>;

export interface CommandMapping<K extends keyof CommandCatalogue> {
  action: string;
  payload: Record<string, unknown>;
  result: (response: any) => CommandCatalogue[K]['result'];
}

export type CommandMappers = { [K in keyof CommandCatalogue]?: (args: CommandCatalogue[K]['args']) => CommandMapping<K> };

export interface ProtocolAdapter {
  protocol: OcppSubprotocol;
  /** The routing table: every charger-initiated action this version answers. Anything else gets NotImplemented. */
  handlers: Record<string, ActionHandler>;
  commands: CommandMappers;
  /** Runs after the connection is registered (not before handlers: frames may already be queued). */
  afterConnect?(client: OcppClient, ctx: AdapterContext): void;
}
