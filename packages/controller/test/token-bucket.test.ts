// The token bucket behind --kubeclient-qps and the /v1 rate limit.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/pacing/token-bucket.js';

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces callers at the rate, in order', async () => {
    const bucket = new TokenBucket(20, 2);
    const started = performance.now();
    const finished: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => bucket.take().then(() => finished.push(i))));
    const elapsed = performance.now() - started;
    expect(finished).toEqual([0, 1, 2, 3, 4]);
    expect(elapsed).toBeGreaterThanOrEqual(140); // 3 beyond the burst at 50 ms each
    expect(elapsed).toBeLessThan(600);
  });

  it('refuses without waiting when asked to try, and says how long to wait', () => {
    const bucket = new TokenBucket(2, 1);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.waitSeconds).toBeGreaterThan(0.4);
    expect(bucket.waitSeconds).toBeLessThanOrEqual(0.5);
  });
});
