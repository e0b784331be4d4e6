/**
 * spec.template.data rendered in a worker thread with a deadline and a heap cap,
 * so `unseal` of a hostile SealedSecret ends within seconds with a clear error,
 * whatever the template engine's own accounting misses.
 */
import { createRequire } from 'node:module';
import { renderSecretTemplates, type TemplateRenderer } from '@sealkit/core';
import { RenderSandbox } from '@sealkit/core/render-sandbox';

let sandbox: RenderSandbox | undefined;

/**
 * In the single-file executable `__filename` is the executable itself, which cannot be a
 * worker script: there templates render in this thread, bounded by the engine's own work
 * budget, memory budget and deadline.
 */
function inSingleFileExecutable(): boolean {
  try {
    return (createRequire(__filename)('node:sea') as { isSea(): boolean }).isSea();
  } catch {
    return false; // Node before 20.12 has no node:sea, and no single-file executables either
  }
}

// The bundle (dist/sealkit.cjs) is its own worker script: main.ts serves renders off the main thread.
export const renderTemplatesInWorker: TemplateRenderer = (templates, values) =>
  inSingleFileExecutable()
    ? renderSecretTemplates(templates, values)
    : (sandbox ??= new RenderSandbox({ workerUrl: __filename, workers: 1 })).render(templates, values);
