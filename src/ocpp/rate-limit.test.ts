import { describe, expect, it } from 'vitest';
import { createCallLimiter, createFailureLimiter, RateLimited } from './rate-limit.js';

describe('call limiter', () => {
  it('lets a burst through at once, then paces calls at the rate', async () => {
    const limiter = createCallLimiter(100, 5, 100);
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => limiter.acquire(true)));
    expect(Date.now() - started).toBeLessThan(20);
    await Promise.all(Array.from({ length: 10 }, () => limiter.acquire(true)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(80); // 10 more at 100/s
  });

  it('refuses refusable calls past the queue bound but always queues the others', async () => {
    const limiter = createCallLimiter(50, 1, 2);
    await limiter.acquire(true);
    const queued = [limiter.acquire(true), limiter.acquire(true)];
    await expect(limiter.acquire(true)).rejects.toBeInstanceOf(RateLimited);
    const transactionMessage = limiter.acquire(false);
    await Promise.all([...queued, transactionMessage]);
  });
});

describe('failure limiter', () => {
  it('blocks an address after repeated failures within the window, and forgets them after it', () => {
    let t = 0;
    const limiter = createFailureLimiter(3, 60_000, () => t);
    for (let i = 0; i < 3; i++) limiter.failed('10.0.0.1');
    expect(limiter.blocked('10.0.0.1')).toBe(true);
    expect(limiter.blocked('10.0.0.2')).toBe(false);
    t = 61_000;
    expect(limiter.blocked('10.0.0.1')).toBe(false);
  });
});
