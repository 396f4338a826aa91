/**
 * The bounded OCPP message log: every frame in both directions, kept for the status page's traffic view.
 * Frames are buffered and written in one SQLite transaction every 250 ms (a log row per frame would double
 * the write load of the hot path), and the table is trimmed to the configured size.
 */
import type { DomainEvents } from '../domain/events.js';
import type { Store } from '../domain/ports.js';
import type { OcppMessageRecord } from '../domain/records.js';
import type { Log } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { OcppClient } from './rpc.js';

export interface MessageRecorder {
  attach(client: OcppClient): void;
  flush(): void;
  stop(): void;
}

/** Longest payload kept per frame; the status page offers the rest as a download from the charger's log. */
const MAX_STORED_PAYLOAD = 256 * 1024;

export function createMessageRecorder(deps: { store: Store; events: DomainEvents; metrics: Metrics; log: Log; keep: number; flushMs?: number }): MessageRecorder {
  let buffer: Array<Omit<OcppMessageRecord, 'id'>> = [];
  let written = 0;
  const timer = setInterval(() => flush(), deps.flushMs ?? 250);
  timer.unref();

  function flush(): void {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    try {
      deps.store.transaction(() => batch.forEach((m) => deps.store.logOcppMessage(m)));
      written += batch.length;
      if (written > deps.keep / 10) {
        written = 0;
        deps.store.trimOcppMessages(deps.keep);
      }
    } catch (err) {
      deps.log.warn({ err: (err as Error).message, dropped: batch.length }, 'OCPP message log write failed');
    }
  }

  return {
    attach(client) {
      const identity = client.identity;
      const pending = new Map<string, string>(); // messageId -> action, to name results and errors
      client.on('message', ({ message, outbound }: { message: Buffer | string; outbound: boolean }) => {
        const text = message.toString();
        const direction = outbound ? 'out' : 'in';
        let kind = 'bad';
        let action: string | null = null;
        let messageId: string | null = null;
        try {
          const frame = JSON.parse(text);
          if (Array.isArray(frame)) {
            messageId = typeof frame[1] === 'string' ? frame[1] : null;
            if (frame[0] === 2) {
              kind = 'call';
              action = typeof frame[2] === 'string' ? frame[2] : null;
              if (messageId && action) pending.set(`${direction}:${messageId}`, action);
            } else if (frame[0] === 3 || frame[0] === 4) {
              kind = frame[0] === 3 ? 'result' : 'error';
              const key = `${outbound ? 'in' : 'out'}:${messageId}`;
              action = pending.get(key) ?? null;
              pending.delete(key);
            }
          }
        } catch {
          // not JSON: logged as 'bad'
        }
        const atMs = Date.now();
        buffer.push({ chargerIdentity: identity, direction, kind, action, messageId, payload: text.length > MAX_STORED_PAYLOAD ? text.slice(0, MAX_STORED_PAYLOAD) : text, atMs });
        if (pending.size > 1000) pending.clear();
        deps.events.emit('ocppMessage', { identity, direction, kind, action: action ?? undefined, at: new Date(atMs) });
      });
    },
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
