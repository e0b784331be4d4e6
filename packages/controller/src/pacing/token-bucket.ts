/** Waits so that callers average `rate` per second, with bursts of up to `burst`. */
export class TokenBucket {
  #tokens: number;
  #last = performance.now();
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  /** Resolves when the caller may go; callers are served in order. */
  take(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#takeOne());
    return this.#queue;
  }

  /** Takes a token now if one is there; for callers that answer "too many requests" instead of waiting. */
  tryTake(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Seconds until a token is there. */
  get waitSeconds(): number {
    this.#refill();
    return Math.max(0, (1 - this.#tokens) / this.rate);
  }

  async #takeOne(): Promise<void> {
    while (!this.tryTake()) await new Promise((resolve) => setTimeout(resolve, this.waitSeconds * 1000));
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
    this.#last = now;
  }
}
