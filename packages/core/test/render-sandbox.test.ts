// The render sandbox itself (the engine is bounded on its own now, so no template reaches these limits):
// a renderer that never ends meets the deadline, one that never stops allocating meets the heap cap;
// each is refused with core's typed error in time, the sandbox renders fine afterwards, and the main
// thread keeps running meanwhile.
import { afterEach, describe, expect, it } from 'vitest';
import { SealkitError } from '../src/index.js';
import { RenderSandbox } from '../src/node/render-sandbox.js';

const workerUrl = new URL('./fixtures/hostile-render-worker.mjs', import.meta.url);
const DEADLINE_MS = 1000;
const MAX_MEMORY_MB = 32;
// Starting a worker and terminating one, on a shared two-core machine.
const SLACK_MS = 1500;

let sandbox: RenderSandbox | undefined;
afterEach(async () => void (await sandbox?.close()));

/** The longest gap between ticks of a 20 ms interval on the main thread while `during` runs. */
async function longestTickGap<T>(during: Promise<T>): Promise<{ outcome: PromiseSettledResult<T>; gapMs: number }> {
  let last = performance.now();
  let gapMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last);
    last = now;
  }, 20);
  const [outcome] = await Promise.allSettled([during]);
  clearInterval(ticker);
  return { outcome: outcome!, gapMs };
}

const fine = async (box: RenderSandbox) =>
  new TextDecoder().decode((await box.render({ url: 'db://{{ .user }}' }, { user: new TextEncoder().encode('app') })).url);

describe('RenderSandbox', () => {
  for (const [hostile, why] of [
    ['loop', `took longer than ${DEADLINE_MS / 1000} s`],
    ['allocate', `needed more than ${MAX_MEMORY_MB} MiB`],
  ] as const) {
    it(`refuses a renderer that would ${hostile} forever with its typed error in time, and renders fine afterwards`, async () => {
      sandbox = new RenderSandbox({ workerUrl, deadlineMs: DEADLINE_MS, maxMemoryMb: MAX_MEMORY_MB, workers: 1 });
      expect(await fine(sandbox)).toBe('db://app');
      const started = performance.now();
      const { outcome, gapMs } = await longestTickGap(sandbox.render({ hostile }, {}));
      const tookMs = performance.now() - started;
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as SealkitError;
      expect(error).toBeInstanceOf(SealkitError);
      expect(error.code).toBe('bad-template');
      expect(error.message).toBe(`Rendering spec.template.data ${why}; simplify the templates.`);
      expect(tookMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
      expect(gapMs).toBeLessThan(250);
      // A new worker replaces the one that was dropped.
      expect(await fine(sandbox)).toBe('db://app');
    });
  }

  it('holds other renders up no longer than the deadline while one worker spins', async () => {
    sandbox = new RenderSandbox({ workerUrl, deadlineMs: DEADLINE_MS, maxMemoryMb: MAX_MEMORY_MB, workers: 2 });
    const spinning = sandbox.render({ hostile: 'loop' }, {});
    const started = performance.now();
    expect(await fine(sandbox)).toBe('db://app');
    expect(performance.now() - started).toBeLessThan(DEADLINE_MS);
    await expect(spinning).rejects.toThrow(SealkitError);
  });
});
