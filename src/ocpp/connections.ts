/**
 * The live connections, one per charger identity, and the ChargerCommands port on top of them: a
 * version-neutral command is mapped by the connection's adapter (1.6 or 2.0.1), sent with a timeout and
 * returned as a typed outcome. A command to an offline charger fails at once with a clear reason.
 */
import type { ChargerCommands, CommandCatalogue, CommandOutcome } from '../domain/ports.js';
import type { OcppProtocol } from '../domain/model.js';
import type { Log } from '../log.js';
import type { ProtocolAdapter } from './adapter.js';
import { isOffSchemaAnswer, isTimeoutError, rpcErrorCode, type OcppClient } from './rpc.js';

const versionName = (protocol: string) => (protocol === 'ocpp1.6' ? 'OCPP 1.6' : protocol === 'ocpp2.0.1' ? 'OCPP 2.0.1' : protocol);

export interface Connections extends ChargerCommands {
  get(identity: string): OcppClient | undefined;
  /** Registers a connection; returns the one it replaced (already told to close). */
  add(identity: string, client: OcppClient): OcppClient | undefined;
  /** Removes the connection only if it is still the registered one (a replaced one must not evict its successor). */
  remove(identity: string, client: OcppClient): boolean;
  all(): OcppClient[];
  countByProtocol(): Record<string, number>;
}

export function createConnections(deps: { adapters: Record<string, ProtocolAdapter>; log: Log; callTimeoutMs: number }): Connections {
  const live = new Map<string, OcppClient>();

  return {
    get: (identity) => live.get(identity),
    add(identity, client) {
      const previous = live.get(identity);
      live.set(identity, client);
      if (previous && previous !== client) {
        // A charger reconnecting after network loss may leave a half-open predecessor (reference/ocpp.md §3.4).
        void previous.close({ code: 1000, reason: 'replaced by a new connection', force: true }).catch(() => undefined);
      }
      return previous;
    },
    remove(identity, client) {
      if (live.get(identity) !== client) return false;
      live.delete(identity);
      return true;
    },
    all: () => [...live.values()],
    countByProtocol() {
      const counts: Record<string, number> = { 'ocpp1.6': 0, 'ocpp2.0.1': 0 };
      for (const c of live.values()) if (c.protocol) counts[c.protocol] = (counts[c.protocol] ?? 0) + 1;
      return counts;
    },
    isConnected: (identity) => live.get(identity)?.state === 1,
    protocolOf: (identity) => live.get(identity)?.protocol as OcppProtocol | undefined,
    async send<K extends keyof CommandCatalogue>(identity: string, command: K, args: CommandCatalogue[K]['args']): Promise<CommandOutcome<CommandCatalogue[K]['result']>> {
      const client = live.get(identity);
      if (!client || client.state !== 1 || !client.protocol) return { ok: false, reason: 'offline', message: `charger ${identity} is not connected` };
      const mapper = deps.adapters[client.protocol]?.commands[command] as ((a: typeof args) => { action: string; payload: Record<string, unknown>; result: (r: unknown) => CommandCatalogue[K]['result'] }) | undefined;
      if (!mapper) return { ok: false, reason: 'not-supported', message: `${command} is not available over ${client.protocol}` };
      const mapping = mapper(args);
      try {
        const response = await client.call(mapping.action, mapping.payload, { callTimeoutMs: deps.callTimeoutMs });
        return { ok: true, value: mapping.result(response) };
      } catch (err) {
        const code = rpcErrorCode(err);
        const log = { charger: identity, action: mapping.action, code, err: (err as Error).message };
        if (isTimeoutError(err)) {
          deps.log.warn(log, 'charger did not answer in time');
          return { ok: false, reason: 'timeout', message: `${identity} did not answer ${mapping.action} within ${deps.callTimeoutMs} ms` };
        }
        if (isOffSchemaAnswer(err)) {
          deps.log.warn(log, 'command answered off the schema');
          return { ok: false, reason: 'invalid-answer', message: `${identity} answered ${mapping.action}, but its answer does not match the ${versionName(client.protocol)} schema (${(err as Error).message}); it may still have acted on the command` };
        }
        if (code === 'NotImplemented' || code === 'NotSupported') return { ok: false, reason: 'not-supported', message: `${identity} answered ${mapping.action} with ${code}` };
        deps.log.warn(log, 'command failed');
        if (code) return { ok: false, reason: 'rejected-by-charger', message: `${identity} answered ${mapping.action} with ${code}: ${(err as Error).message}` };
        return { ok: false, reason: 'failed', message: `${mapping.action} to ${identity} failed: ${(err as Error).message}` };
      }
    },
  };
}
