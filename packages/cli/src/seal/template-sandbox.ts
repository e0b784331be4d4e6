/**
 * spec.template.data rendered in a worker thread with a deadline and a heap cap,
 * so `unseal` of a hostile SealedSecret ends within seconds with a clear error,
 * whatever the template engine's own accounting misses.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { renderSecretTemplates, type TemplateRenderer } from '@sealkit/core';
import type { RenderSandbox } from '@sealkit/core/render-sandbox';

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

/**
 * The worker script is dist/render-worker.cjs (render-worker.ts), beside the bundle. The sandbox and
 * node:worker_threads are loaded on the first template: most SealedSecrets have none.
 */
export const renderTemplatesInWorker: TemplateRenderer = async (templates, values) => {
  if (inSingleFileExecutable()) return renderSecretTemplates(templates, values);
  const { RenderSandbox } = await import('@sealkit/core/render-sandbox');
  sandbox ??= new RenderSandbox({ workerUrl: join(__dirname, 'render-worker.cjs'), workers: 1 });
  return sandbox.render(templates, values);
};
