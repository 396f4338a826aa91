/**
 * Live updates: domain events mark the pages they change as dirty ('overview', 'chargers', 'charger:<id>',
 * 'sessions', 'emsps'); every `flushMs` each open page whose key is dirty gets one SSE `refresh` event and
 * fetches its regions again. Many events collapse into one refresh per page per interval, and a page that is
 * still reading the previous refresh gets one more later, never a queue. Meter updates alone refresh a page at
 * most every other interval (once a second by default): 1,000 chargers sending meter values cost each open
 * page at most one refresh a second, while a status change or a connection shows within half a second.
 */
import type { DomainEvents } from '../domain/events.js';

export interface LiveClient {
  key: string;
  /** Writes one SSE event; resolves when the stream took it. */
  send(event: string, data: string): Promise<void>;
}

export interface LiveHub {
  subscribe(client: LiveClient): () => void;
  /** Marks pages dirty by hand (actions, tests). */
  touch(...keys: string[]): void;
  stats(): { clients: number; sent: number; skipped: number };
  close(): void;
}

export function createLiveHub(events: DomainEvents, opts: { flushMs?: number; periodicMs?: number; keepAliveMs?: number } = {}): LiveHub {
  const clients = new Set<LiveClient & { busy: boolean; pending: boolean }>();
  let dirty = new Set<string>();
  // OCPP frames reach the database up to 250 ms after their event (the recorder batches): their pages are
  // refreshed one interval later, so the refresh finds them stored.
  let dirtyNext = new Set<string>();
  let meterDirty = new Set<string>();
  let tick = 0;
  let sent = 0;
  let skipped = 0;

  const mark = (...keys: string[]) => {
    if (clients.size) for (const k of keys) dirty.add(k);
  };
  const offs = [
    events.on('chargerConnected', (e) => mark('overview', 'chargers', `charger:${e.identity}`)),
    events.on('chargerDisconnected', (e) => mark('overview', 'chargers', `charger:${e.identity}`)),
    events.on('chargerBooted', (e) => mark('overview', 'chargers', `charger:${e.identity}`)),
    events.on('evseStatusChanged', (e) => mark('overview', 'chargers', `charger:${e.identity}`)),
    events.on('transactionStarted', (e) => mark('overview', 'sessions', `charger:${e.identity}`)),
    events.on('transactionUpdated', (e) => {
      if (clients.size) meterDirty.add('overview').add('sessions').add(`charger:${e.identity}`);
    }),
    events.on('transactionEnded', (e) => mark('overview', 'sessions', `charger:${e.identity}`)),
    events.on('faultRaised', (e) => mark('overview', ...(e.identity ? ['chargers', `charger:${e.identity}`] : []))),
    events.on('ocppMessage', (e) => {
      if (!clients.size) return;
      dirtyNext.add(`charger:${e.identity}`);
      if (e.action === 'Heartbeat' && e.direction === 'in') dirtyNext.add('chargers');
    }),
  ];

  function deliver(c: LiveClient & { busy: boolean; pending: boolean }): void {
    if (c.busy) {
      c.pending = true;
      skipped++;
      return;
    }
    c.busy = true;
    sent++;
    c.send('refresh', c.key).finally(() => {
      c.busy = false;
      if (c.pending) {
        c.pending = false;
        deliver(c);
      }
    });
  }

  const flush = setInterval(() => {
    const now = dirty;
    dirty = dirtyNext;
    dirtyNext = new Set();
    if (++tick % 2 === 0) {
      for (const k of meterDirty) now.add(k);
      meterDirty = new Set();
    }
    if (!now.size) return;
    for (const c of clients) if (now.has(c.key)) deliver(c);
  }, opts.flushMs ?? 500);
  // eMSP push results and CDR delivery are not domain events: their pages refresh on a timer.
  const periodic = setInterval(() => mark('overview', 'emsps'), opts.periodicMs ?? 10_000);
  // A comment line now and then keeps proxies from closing an idle stream.
  const keepAlive = setInterval(() => {
    for (const c of clients) if (!c.busy) void c.send('', '').catch(() => undefined);
  }, opts.keepAliveMs ?? 20_000);
  for (const t of [flush, periodic, keepAlive]) t.unref();

  return {
    subscribe(client) {
      const c = Object.assign(client, { busy: false, pending: false });
      clients.add(c);
      return () => clients.delete(c);
    },
    touch: (...keys) => mark(...keys),
    stats: () => ({ clients: clients.size, sent, skipped }),
    close() {
      for (const off of offs) off();
      clearInterval(flush);
      clearInterval(periodic);
      clearInterval(keepAlive);
      clients.clear();
    },
  };
}
