/**
 * A charger's queue of transaction messages (OCPP 1.6 §3.4, 2.0.1 E12): while the connection is down (or the
 * boot not yet accepted) they wait, and afterwards go out one by one in the order they happened. A message the
 * central system refuses with a CALLERROR is dropped (its promise rejects); one cut off by a disconnect stays.
 */
export interface OutboxItem<M> {
  action: string;
  params: Record<string, any>;
  meta: M;
  resolve: (response: any) => void;
  reject: (err: unknown) => void;
}

export interface OutboxOptions<M> {
  /** Whether messages may go out now. */
  ready(): boolean;
  send(action: string, params: Record<string, any>): Promise<any>;
  /** Last-moment changes (1.6: the transaction id the central system gave meanwhile). */
  beforeSend?(item: OutboxItem<M>): void;
  afterSend?(item: OutboxItem<M>, response: any): void;
}

export class Outbox<M = undefined> {
  private items: Array<OutboxItem<M>> = [];
  private flushing?: Promise<void>;

  constructor(private readonly o: OutboxOptions<M>) {}

  get length(): number {
    return this.items.length;
  }

  /** Queues a message behind the others; resolves with the answer once it was delivered. */
  push(action: string, params: Record<string, any>, meta: M): Promise<any> {
    return new Promise((resolve, reject) => {
      this.items.push({ action, params, meta, resolve, reject });
      if (this.o.ready()) void this.flush();
    });
  }

  /** Sends what waits, in order, while ready; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= (async () => {
      while (this.items.length && this.o.ready()) {
        const item = this.items[0]!;
        this.o.beforeSend?.(item);
        try {
          const response = await this.o.send(item.action, item.params);
          this.items.shift();
          this.o.afterSend?.(item, response);
          item.resolve(response);
        } catch {
          if (!this.o.ready()) break; // the connection dropped: it stays queued
          this.items.shift();
          item.reject(new Error(`${item.action} refused`));
        }
      }
    })().finally(() => (this.flushing = undefined));
    return this.flushing;
  }
}
