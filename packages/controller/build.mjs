// Bundles the controller into one file, dist/sealkit-controller.mjs, which
// bin/sealkit-controller.js runs. Start-up time and memory are the point:
// reading one file beats resolving the hundreds of modules of
// @kubernetes/client-node (measured: 0.33 s and 68 MiB instead of 0.9 s and
// 125 MiB to the first line), and the bundle needs no node_modules at run time.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
// The sealing page's directory, found through the @sealkit/web dependency (built or not) and
// baked in relative to the bundle, which runs without node_modules (as in the image).
const webPackage = createRequire(import.meta.url).resolve('@sealkit/web/package.json');
const webDist = relative(here('dist'), join(dirname(webPackage), 'dist'));

await build({
  // The template worker sits beside the controller's bundle (src/sandbox/templates.ts).
  entryPoints: { 'sealkit-controller': here('src/main.ts'), 'render-worker': here('src/sandbox/render-worker.mjs') },
  outdir: here('dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { SEALKIT_WEB_DIST: JSON.stringify(webDist) },
  // Bundled CommonJS dependencies require() Node's built-in modules.
  banner: {
    js: "import { createRequire as sealkitCreateRequire } from 'node:module'; const require = sealkitCreateRequire(import.meta.url);",
  },
});
