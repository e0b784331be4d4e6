// The reconcile queue: each key once, never twice at the same time, failures retried with backoff.
import { afterEach, describe, expect, it } from 'vitest';
import { WorkQueue, type Outcome } from '../src/reconcile/work-queue.js';
import { silentLog as log } from './helpers.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
let queue: WorkQueue | undefined;
afterEach(async () => {
  await queue?.stop();
  queue = undefined;
});

function start(process: (key: string) => Promise<Outcome>, options: { workers?: number; maxRetries?: number } = {}) {
  queue = new WorkQueue({
    workers: options.workers ?? 4,
    maxRetries: options.maxRetries ?? 2,
    process,
    log,
    retryBaseMs: 1,
    retryCapMs: 4,
  });
  queue.start();
  return queue;
}

async function until(condition: () => boolean) {
  for (let i = 0; i < 400 && !condition(); i++) await tick();
  expect(condition()).toBe(true);
}

describe('WorkQueue', () => {
  it('works on a key once however often it is added while waiting', async () => {
    const seen: string[] = [];
    const q = start(async (key) => (seen.push(key), { ok: true }), { workers: 1 });
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    await until(() => q.idle);
    expect(seen).toEqual(['a', 'b']);
  });

  it('never works on one key twice at once, and runs it again when it was added meanwhile', async () => {
    let inFlight = 0;
    let mostAtOnce = 0;
    let runs = 0;
    let release!: () => void;
    const q = start(async () => {
      runs++;
      mostAtOnce = Math.max(mostAtOnce, ++inFlight);
      if (runs === 1) await new Promise<void>((r) => (release = r));
      inFlight--;
      return { ok: true };
    });
    q.add('a');
    await until(() => q.isProcessing('a'));
    q.add('a');
    q.add('a');
    await tick(20);
    expect(runs).toBe(1);
    release();
    await until(() => q.idle);
    expect(runs).toBe(2);
    expect(mostAtOnce).toBe(1);
  });

  it('works on up to `workers` keys at once', async () => {
    let inFlight = 0;
    let mostAtOnce = 0;
    const q = start(
      async () => {
        mostAtOnce = Math.max(mostAtOnce, ++inFlight);
        await tick(10);
        inFlight--;
        return { ok: true };
      },
      { workers: 3 },
    );
    for (let i = 0; i < 12; i++) q.add(`k${i}`);
    await until(() => q.idle);
    expect(mostAtOnce).toBe(3);
  });

  it('gives up on a bounded failure after maxRetries retries', async () => {
    let runs = 0;
    const q = start(async () => (runs++, { ok: false, retry: 'bounded' }), { maxRetries: 2 });
    q.add('broken');
    await until(() => q.idle);
    expect(runs).toBe(3);
  });

  it('retries a transient failure until it works, however many times that takes', async () => {
    let runs = 0;
    const q = start(async () => (++runs < 8 ? { ok: false, retry: 'transient' } : { ok: true }), { maxRetries: 2 });
    q.add('flaky');
    await until(() => q.idle);
    expect(runs).toBe(8);
  });

  it('treats a throwing reconcile as a transient failure', async () => {
    let runs = 0;
    const q = start(async () => {
      if (++runs === 1) throw new Error('boom');
      return { ok: true };
    });
    q.add('a');
    await until(() => q.idle && runs === 2);
  });

  it('finishes the work in progress when stopped, and takes no more', async () => {
    const done: string[] = [];
    const q = start(
      async (key) => {
        await tick(20);
        done.push(key);
        return { ok: true };
      },
      { workers: 1 },
    );
    q.add('first');
    q.add('second');
    await until(() => q.isProcessing('first'));
    await q.stop();
    q.add('third');
    await tick(40);
    expect(done).toEqual(['first']);
  });
});
