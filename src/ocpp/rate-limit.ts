/**
 * Limits for what one source may do: a token bucket per charger connection (calls beyond the rate wait
 * their turn; past a queue bound, non-transaction calls are refused with a CALLERROR, transaction
 * messages always wait because refusing them would make the charger drop them), and a failure counter per
 * source address that refuses further upgrades after repeated authentication failures (brute force).
 */

export interface CallLimiter {
  /** Resolves when the call may run; rejects with `RateLimited` when the queue is full and the call may be refused. */
  acquire(mayRefuse: boolean): Promise<void>;
}

export class RateLimited extends Error {
  override readonly name = 'RateLimited';
}

export function createCallLimiter(ratePerS: number, burst: number, maxQueue: number, now: () => number = Date.now): CallLimiter {
  let tokens = burst;
  let last = now();
  let queued = 0;
  let tail: Promise<void> = Promise.resolve();

  function refill(): void {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * ratePerS);
    last = t;
  }

  return {
    acquire(mayRefuse) {
      refill();
      if (tokens >= 1 && queued === 0) {
        tokens -= 1;
        return Promise.resolve();
      }
      if (mayRefuse && queued >= maxQueue) return Promise.reject(new RateLimited(`more than ${ratePerS} calls/s`));
      queued++;
      // Waiters run in arrival order, each after the bucket holds a token again.
      tail = tail.then(async () => {
        refill();
        if (tokens < 1) await new Promise((r) => setTimeout(r, Math.ceil(((1 - tokens) / ratePerS) * 1000)));
        refill();
        tokens = Math.max(0, tokens - 1);
        queued--;
      });
      return tail;
    },
  };
}

export interface FailureLimiter {
  /** True when this address failed too often recently: refuse without checking credentials. */
  blocked(address: string): boolean;
  failed(address: string): void;
}

export function createFailureLimiter(maxFailures: number, windowMs: number, now: () => number = Date.now): FailureLimiter {
  const failures = new Map<string, number[]>();
  const recent = (address: string) => {
    const cutoff = now() - windowMs;
    const list = (failures.get(address) ?? []).filter((t) => t > cutoff);
    if (list.length) failures.set(address, list);
    else failures.delete(address);
    return list;
  };
  return {
    blocked: (address) => recent(address).length >= maxFailures,
    failed(address) {
      const list = recent(address);
      list.push(now());
      failures.set(address, list);
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!); // bounded memory under a spray of addresses
    },
  };
}
