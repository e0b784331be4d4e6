/**
 * What the leader does during one term: re-read the keys (another replica may
 * have made one), make or renew keys, and reconcile. Stopping may come at any
 * point of starting.
 */
import type { Logger } from 'pino';
import { messageOf } from './error-message.js';
import { KeyRenewal } from './keys/key-renewal.js';
import { retryDelay, sleep } from './pacing/backoff.js';
import { Controller, type ControllerDependencies } from './reconcile/controller.js';

export class LeaderTerm {
  readonly renewal: KeyRenewal;
  readonly #controller: Controller;
  readonly #dependencies: ControllerDependencies;
  readonly #stop = new AbortController();

  constructor(dependencies: ControllerDependencies) {
    const { keys, options, log } = dependencies;
    this.#dependencies = dependencies;
    this.renewal = new KeyRenewal({
      registry: keys,
      periodMs: options.keyRenewPeriodMs,
      cutoff: options.keyCutoffTime,
      newKey: {
        bits: options.keySize,
        postQuantum: options.postQuantumKeys,
        commonName: options.myCn,
        validForMs: options.keyTtlMs,
        annotations: options.privateKeyAnnotations,
        labels: options.privateKeyLabels,
      },
      log,
    });
    this.#controller = new Controller(dependencies);
  }

  async start(): Promise<void> {
    const { keys, log } = this.#dependencies;
    const signal = this.#stop.signal;
    await retryUntilDone(() => keys.load(), 'Reading the keys failed; retrying.', signal, log);
    if (signal.aborted) return;
    await this.renewal.start();
    if (signal.aborted) return;
    await this.#controller.start();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.renewal.stop();
    await this.#controller.stop();
  }
}

/** Runs `task` until it succeeds or `signal` aborts, logging each failure. */
export async function retryUntilDone(task: () => Promise<void>, failure: string, signal: AbortSignal, log: Logger): Promise<void> {
  for (let failures = 1; !signal.aborted; failures++) {
    try {
      return await task();
    } catch (error) {
      log.error({ error: messageOf(error) }, failure);
      await sleep(retryDelay(failures, 500, 30_000), signal);
    }
  }
}
