/**
 * Keys of SealedSecrets waiting to be reconciled, worked on by a fixed number
 * of workers. Like client-go's work queue: a key is queued at most once and
 * never worked on twice at the same time (added while in progress, it runs
 * again afterwards); failures come back after an exponential backoff.
 */
import type { Logger } from 'pino';
import { messageOf } from '../error-message.js';
import { retryDelay } from '../pacing/backoff.js';

/**
 * `bounded`: retried up to the limit (a value that does not open, a Secret that
 * is not ours). `transient`: the API server failed or conflicted; retried until
 * it works, since giving up would leave the SealedSecret unsynced.
 */
export type Outcome = { ok: true } | { ok: false; retry: 'bounded' | 'transient' };

export interface WorkQueueOptions {
  workers: number;
  /** Retries of a `bounded` failure before giving up. */
  maxRetries: number;
  process(key: string): Promise<Outcome>;
  /** Called after each time a key was worked on. */
  onProcessed?(key: string): void;
  log: Logger;
  retryBaseMs?: number;
  retryCapMs?: number;
}

export class WorkQueue {
  readonly #options: WorkQueueOptions;
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #retryTimers = new Map<string, NodeJS.Timeout>();
  #wakeUp: (() => void)[] = [];
  #workers: Promise<void>[] = [];
  #stopped = false;

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  add(key: string): void {
    if (this.#stopped) return;
    clearTimeout(this.#retryTimers.get(key));
    this.#retryTimers.delete(key);
    if (this.#processing.has(key)) return void this.#dirty.add(key);
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#wakeUp.shift()?.();
  }

  isProcessing(key: string): boolean {
    return this.#processing.has(key);
  }

  /** Nothing queued, in progress or waiting to be retried. */
  get idle(): boolean {
    return this.#queue.length === 0 && this.#processing.size === 0 && this.#retryTimers.size === 0;
  }

  start(): void {
    for (let i = 0; i < this.#options.workers; i++) this.#workers.push(this.#work());
  }

  /** Stops taking keys; resolves when the keys in progress are done. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#retryTimers.values()) clearTimeout(timer);
    this.#retryTimers.clear();
    for (const wake of this.#wakeUp.splice(0)) wake();
    await Promise.all(this.#workers);
  }

  async #work(): Promise<void> {
    while (!this.#stopped) {
      const key = this.#queue.shift();
      if (key === undefined) {
        await new Promise<void>((resolve) => this.#wakeUp.push(resolve));
        continue;
      }
      this.#queued.delete(key);
      this.#processing.add(key);
      let outcome: Outcome;
      try {
        outcome = await this.#options.process(key);
      } catch (error) {
        this.#options.log.error({ key, error: messageOf(error) }, 'Reconciling failed unexpectedly; retrying.');
        outcome = { ok: false, retry: 'transient' };
      }
      this.#processing.delete(key);
      this.#settle(key, outcome);
      if (this.#dirty.delete(key)) this.add(key);
      this.#options.onProcessed?.(key);
    }
  }

  #settle(key: string, outcome: Outcome): void {
    if (outcome.ok) return void this.#failures.delete(key);
    const failures = (this.#failures.get(key) ?? 0) + 1;
    if (outcome.retry === 'bounded' && failures > this.#options.maxRetries) {
      this.#failures.delete(key);
      this.#options.log.error({ key }, `Giving up on ${key} after ${failures - 1} retries; it is retried when it or its keys change.`);
      return;
    }
    this.#failures.set(key, failures);
    if (this.#stopped || this.#dirty.has(key)) return;
    const { retryBaseMs = 200, retryCapMs = 300_000 } = this.#options;
    const timer = setTimeout(
      () => {
        this.#retryTimers.delete(key);
        this.add(key);
      },
      retryDelay(failures, retryBaseMs, retryCapMs),
    );
    this.#retryTimers.set(key, timer);
  }
}
