/**
 * Makes the first key, and a new one whenever the newest is older than the
 * renew period or than --key-cutoff-time. Only the leader runs this.
 */
import type { Logger } from 'pino';
import { messageOf } from '../error-message.js';
import { retryDelay, sleep } from '../pacing/backoff.js';
import type { KeyRegistry, NewKeyOptions } from './key-registry.js';

export interface KeyRenewalOptions {
  registry: KeyRegistry;
  newKey: NewKeyOptions;
  /** 0: no automatic renewal. */
  periodMs: number;
  cutoff?: Date;
  log: Logger;
}

// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days), shorter than the default 30-day period.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export class KeyRenewal {
  readonly #options: KeyRenewalOptions;
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: KeyRenewalOptions) {
    this.#options = options;
  }

  /** Makes a key if there is none or the newest is older than the cutoff (retrying until it works), then schedules renewals. */
  async start(): Promise<void> {
    const { registry, cutoff } = this.#options;
    const newest = registry.newest?.createdAt;
    if (!newest || (cutoff && newest < cutoff))
      await this.#generateUntilDone(newest ? 'The newest key is older than --key-cutoff-time.' : 'There is no key yet.');
    this.#schedule();
  }

  stop(): void {
    this.#stop.abort();
    clearTimeout(this.#timer);
  }

  /** Makes a new key now (SIGUSR1, as for the Bitnami controller). */
  async renewNow(): Promise<void> {
    await this.#generateUntilDone('A new key was asked for.');
    this.#schedule();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const { registry, periodMs } = this.#options;
    if (periodMs <= 0 || this.#stop.signal.aborted) return;
    const due = (registry.newest?.createdAt?.getTime() ?? 0) + periodMs;
    this.#timer = setTimeout(() => void this.#tick(), Math.min(LONGEST_TIMER_MS, Math.max(0, due - Date.now())));
  }

  async #tick(): Promise<void> {
    const due = (this.#options.registry.newest?.createdAt?.getTime() ?? 0) + this.#options.periodMs;
    if (Date.now() >= due) await this.#generateUntilDone('The newest key reached the renew period.');
    this.#schedule();
  }

  async #generateUntilDone(why: string): Promise<void> {
    const { registry, newKey, log } = this.#options;
    for (let failures = 0; !this.#stop.signal.aborted;) {
      try {
        log.info(`${why} Making a new ${newKey.bits}-bit key.`);
        await registry.generate(newKey);
        return;
      } catch (error) {
        failures++;
        log.error({ error: messageOf(error) }, 'Making a new key failed; retrying.');
        await sleep(retryDelay(failures, 1000, 60_000), this.#stop.signal);
      }
    }
  }
}
