/**
 * spec.template.data rendered in worker threads with a deadline and a heap cap:
 * a SealedSecret anyone with create rights can write must not stall /healthz
 * (the liveness probe) or the other objects, now or after every restart.
 */
import type { TemplateRenderer } from '@sealkit/core';
import { RenderSandbox } from '@sealkit/core/render-sandbox';

let sandbox: RenderSandbox | undefined;

// Beside this module: src/sandbox/ when run from source, dist/ in the bundle.
const workerUrl = () => new URL('./render-worker.mjs', import.meta.url);

export const renderTemplatesInSandbox: TemplateRenderer = (templates, values) =>
  (sandbox ??= new RenderSandbox({ workerUrl: workerUrl() })).render(templates, values);
