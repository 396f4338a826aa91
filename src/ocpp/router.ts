/**
 * Routes a connected charger's calls through its version's table: one handler per action, everything
 * else NotImplemented (answered by ocpp-rpc). Salvageable transaction messages that break the full OCA schema are still handled
 * (the relaxed strict-mode schema let them through) and recorded as a fault with the raw frame.
 * Every call is counted by action and outcome; a handler's unexpected error becomes InternalError.
 */
import type { Log } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { AdapterContext, ProtocolAdapter } from './adapter.js';
import { fullSchemaViolation, isSalvageable, rpcError, rpcErrorCode, type OcppClient } from './rpc.js';
import { RateLimited, type CallLimiter } from './rate-limit.js';

export function routeCalls(client: OcppClient, adapter: ProtocolAdapter, ctx: AdapterContext, metrics: Metrics, log: Log, limiter: CallLimiter): void {
  const identity = client.identity;
  const protocol = adapter.protocol;
  for (const [action, handler] of Object.entries(adapter.handlers)) {
    client.handle(action, async (call) => {
      try {
        // Transaction messages are never refused (the charger would drop them); they wait their turn.
        await limiter.acquire(!isSalvageable(protocol, action));
      } catch (err) {
        if (!(err instanceof RateLimited)) throw err;
        metrics.ocppMessages.inc({ action, direction: 'in', outcome: 'rate-limited' });
        log.warn({ charger: identity, action }, 'OCPP call refused: rate limit');
        throw rpcError('GenericError', `rate limit exceeded: ${err.message}`);
      }
      ctx.chargers.seen(identity);
      if (isSalvageable(protocol, action)) {
        const violation = fullSchemaViolation(protocol, action, call.params);
        if (violation) ctx.recordSchemaViolation(identity, action, violation, call.params);
      }
      try {
        const response = await handler(identity, call.params ?? {}, ctx, call);
        // Nothing is acknowledged to the charger before it is committed (it deletes its copy on our answer).
        await ctx.durable();
        metrics.ocppMessages.inc({ action, direction: 'in', outcome: 'ok' });
        return response;
      } catch (err) {
        const code = rpcErrorCode(err);
        metrics.ocppMessages.inc({ action, direction: 'in', outcome: code ?? 'InternalError' });
        if (code) throw err;
        log.error({ charger: identity, action, err: (err as Error).message, stack: (err as Error).stack }, 'OCPP handler failed');
        // The charger retries a CALLERROR; nothing was acknowledged, and the SQLite transaction rolled back.
        throw rpcError('InternalError', 'the central system could not process this message; please retry');
      }
    });
  }
  // No wildcard handler: ocpp-rpc itself answers any other action with NotImplemented, before strict
  // validation (a wildcard would be validated first and answer a made-up action with ProtocolError).
}
