/// <reference types="node" />
/**
 * Template rendering off the main thread (Node only: `@sealkit/core/render-sandbox`).
 * A template is unauthenticated input that can cost seconds of CPU or gigabytes;
 * in a worker it gets a wall-clock deadline (the worker is terminated) and a heap
 * cap, and the main thread keeps serving meanwhile. This does not rely on the
 * template engine's own cost accounting.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { SealkitError, type SealkitErrorCode } from '../platform/errors.js';
import { renderSecretTemplates, type TemplateRenderer } from '../objects/sealed-secret.js';

export interface RenderSandboxOptions {
  /** The script each worker runs: one that calls serveTemplateRenders(). */
  workerUrl: URL | string;
  workerData?: unknown;
  /** Wall-clock time one SealedSecret's templates may take; default 5 s. */
  deadlineMs?: number;
  /** Heap of a worker; default 128 MiB. */
  maxMemoryMb?: number;
  /** Workers at most, so that one hostile object does not hold up the others; default 2. */
  workers?: number;
}

interface Job {
  templates: Record<string, string>;
  values: Record<string, Uint8Array>;
  resolve(rendered: Record<string, Uint8Array>): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: ReturnType<typeof setTimeout>;
}

type Reply = { data: Record<string, Uint8Array> } | { error: { code: SealkitErrorCode; message: string } };

const failed = (why: string) => new SealkitError('bad-template', `Rendering spec.template.data ${why}; simplify the templates.`);

export class RenderSandbox {
  readonly #options: Required<Omit<RenderSandboxOptions, 'workerData'>> & { workerData?: unknown };
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];

  constructor(options: RenderSandboxOptions) {
    this.#options = { deadlineMs: 5000, maxMemoryMb: 128, workers: 2, ...options };
  }

  readonly render: TemplateRenderer = (templates, values) =>
    new Promise((resolve, reject) => {
      this.#queue.push({ templates, values, resolve, reject });
      this.#pump();
    });

  /** Stops every worker; what is still waiting fails. */
  async close(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.reject(failed('was cancelled'));
    await Promise.all([...this.#slots].map((slot) => this.#drop(slot, failed('was cancelled'))));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = [...this.#slots].find((candidate) => !candidate.job);
      if (!slot) {
        if (this.#slots.size >= this.#options.workers) return;
        slot = this.#spawn();
      }
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(
        () => void this.#drop(slot!, failed(`took longer than ${this.#options.deadlineMs / 1000} s`)),
        this.#options.deadlineMs,
      );
      slot.worker.postMessage({ templates: job.templates, values: job.values });
    }
  }

  #spawn(): Slot {
    const { workerUrl, workerData, maxMemoryMb } = this.#options;
    const worker = new Worker(workerUrl, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.floor(maxMemoryMb / 8)) },
    });
    const slot: Slot = { worker };
    worker.on('message', (reply: Reply) => {
      const { job } = slot;
      if (!job) return;
      clearTimeout(slot.timer);
      slot.job = undefined;
      if ('data' in reply) job.resolve(reply.data);
      else job.reject(new SealkitError(reply.error.code, reply.error.message));
      this.#pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      void this.#drop(slot, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? failed(`needed more than ${maxMemoryMb} MiB`) : failed('failed'));
    });
    worker.on('exit', () => void this.#drop(slot, failed('failed')));
    worker.unref(); // after the listeners, which ref it again: an idle worker must not keep a CLI process alive
    this.#slots.add(slot);
    return slot;
  }

  async #drop(slot: Slot, error: SealkitError): Promise<void> {
    if (!this.#slots.delete(slot)) return;
    clearTimeout(slot.timer);
    slot.job?.reject(error);
    slot.job = undefined;
    this.#pump();
    await slot.worker.terminate();
  }
}

/**
 * The worker's side: renders what the sandbox sends. Only core's own messages go back.
 * `render` is a seam for tests, which give a renderer that never ends or never stops allocating.
 */
export function serveTemplateRenders(render: TemplateRenderer = renderSecretTemplates): void {
  const port = parentPort;
  if (!port) throw new Error('serveTemplateRenders runs in a worker thread.');
  port.on('message', async ({ templates, values }: { templates: Record<string, string>; values: Record<string, Uint8Array> }) => {
    let reply: Reply;
    try {
      reply = { data: await render(templates, values) };
    } catch (error) {
      // A RangeError (deep recursion) or the like: its text is not ours to pass on.
      reply = {
        error:
          error instanceof SealkitError
            ? { code: error.code, message: error.message }
            : { code: 'bad-template', message: failed('failed').message },
      };
    }
    port.postMessage(reply);
  });
}
