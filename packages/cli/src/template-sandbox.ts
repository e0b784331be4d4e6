/**
 * spec.template.data rendered in a worker thread with a deadline and a heap cap,
 * so `unseal` of a hostile SealedSecret ends within seconds with a clear error,
 * whatever the template engine's own accounting misses.
 */
import type { TemplateRenderer } from '@sealkit/core';
import { RenderSandbox } from '@sealkit/core/render-sandbox';

let sandbox: RenderSandbox | undefined;

// The bundle (dist/sealkit.cjs) is its own worker script: main.ts serves renders off the main thread.
export const renderTemplatesInWorker: TemplateRenderer = (templates, values) =>
  (sandbox ??= new RenderSandbox({ workerUrl: __filename, workers: 1 })).render(templates, values);
