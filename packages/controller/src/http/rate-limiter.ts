/**
 * Per-client request budgets for /v1/verify and /v1/rotate, keyed by path and
 * client.
 */
import { TokenBucket } from '../pacing/token-bucket.js';

// Bounds memory when many clients come and go; the least recently seen are forgotten first.
const MAX_CLIENTS = 65_536;

export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();

  /** `burst` requests above the sustained `rate` per second, as Go's throttled MaxBurst counts them. */
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** undefined when the request may go; else the seconds to wait before retrying. */
  check(path: string, client: string): number | undefined {
    const key = `${path}\n${client}`;
    let bucket = this.#buckets.get(key);
    if (bucket) this.#buckets.delete(key);
    else bucket = new TokenBucket(this.rate, this.burst + 1);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > MAX_CLIENTS) this.#buckets.delete(this.#buckets.keys().next().value!);
    return bucket.tryTake() ? undefined : bucket.waitSeconds;
  }
}
