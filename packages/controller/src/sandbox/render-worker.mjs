// The thread templates are rendered in (see templates.ts); bundled as dist/render-worker.mjs.
import { serveTemplateRenders } from '@sealkit/core/render-sandbox';

serveTemplateRenders();
