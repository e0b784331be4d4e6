/**
 * The worker thread spec.template.data renders in (template-sandbox.ts), built to
 * dist/render-worker.cjs beside the bundle: a script of its own, so that the CLI's
 * start-up does not load node:worker_threads to tell itself from the worker.
 */
import { serveTemplateRenders } from '@sealkit/core/render-sandbox';

serveTemplateRenders();
