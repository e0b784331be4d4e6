// Builds the single-file executable, dist-sea/sealkit (Node's single executable
// applications): the CLI bundle with node-forge and the Kubernetes client as assets, turned into a
// preparation blob by `node --experimental-sea-config`, injected into a copy of
// this node binary with postject (from npm). Not part of `pnpm build`: it takes
// a while and writes a ~100 MB file. Run: pnpm --filter @sealkit/cli build:sea
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('..', import.meta.url));
const out = join(here, 'dist-sea');
const bundle = join(out, 'sealkit-sea.cjs');
const blob = join(out, 'sealkit.blob');
const executable = join(out, 'sealkit');
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const POSTJECT = 'postject@1.0.0-alpha.6';
// The fuse Node's SEA support looks for in the binary.
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Optional native helpers the Kubernetes client's dependencies try to require: absent, as when
// not installed (a SEA's require() of anything but a built-in module would print a warning).
const absentOptionals = {
  name: 'absent-optionals',
  setup(builder) {
    builder.onResolve({ filter: /^(bufferutil|utf-8-validate|supports-color|encoding)$/ }, (args) => ({
      path: args.path,
      namespace: 'sea-absent',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'sea-absent' }, (args) => ({
      contents: `throw Object.assign(new Error("Cannot find module '${args.path}'"), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

// The main bundle stays as small as the package's (start-up is parsing it): node-forge, the
// template engine and the Kubernetes client become assets, loaded by src/program/sea-launcher.ts when first used.
const assetsPlugin = {
  name: 'sea-assets',
  setup(builder) {
    builder.onResolve({ filter: /^node-forge$/ }, () => ({ path: 'node-forge.cjs', namespace: 'sea-asset' }));
    builder.onResolve({ filter: /^@sealkit\/gotemplate$/ }, () => ({ path: 'gotemplate.cjs', namespace: 'sea-asset' }));
    builder.onResolve({ filter: /^#webcrypto-fallback$/ }, () => ({ path: 'webcrypto-fallback', namespace: 'sea-stub' }));
    builder.onLoad({ filter: /.*/, namespace: 'sea-stub' }, () => ({
      contents: 'export class Crypto { constructor() { throw new Error("This Node.js has no WebCrypto."); } }',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'sea-asset' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(join(here, 'src', 'program', 'sea-launcher.ts'))}).loadAsset(${JSON.stringify(args.path)});`,
      loader: 'js',
      resolveDir: here,
    }));
  },
};
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, logLevel: 'warning' };
await build({
  ...common,
  entryPoints: [join(here, 'src', 'sea-entry.ts')],
  outfile: bundle,
  supported: { 'dynamic-import': false },
  external: ['@kubernetes/client-node'],
  define: { SEALKIT_VERSION: JSON.stringify(version) },
  plugins: [assetsPlugin],
});
const coreRequire = createRequire(join(here, '..', 'core', 'package.json'));
await build({ ...common, entryPoints: [coreRequire.resolve('node-forge')], outfile: join(out, 'node-forge.cjs') });
await build({ ...common, entryPoints: [coreRequire.resolve('@sealkit/gotemplate')], outfile: join(out, 'gotemplate.cjs') });
await build({
  ...common,
  stdin: { contents: 'module.exports = require("@kubernetes/client-node");', resolveDir: here, loader: 'js' },
  outfile: join(out, 'kubernetes-client.cjs'),
  plugins: [absentOptionals],
});
const assets = {
  'node-forge.cjs': join(out, 'node-forge.cjs'),
  'gotemplate.cjs': join(out, 'gotemplate.cjs'),
  'kubernetes-client.cjs': join(out, 'kubernetes-client.cjs'),
};
writeFileSync(
  join(out, 'sea-config.json'),
  JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets }),
);
execFileSync(process.execPath, ['--experimental-sea-config', join(out, 'sea-config.json')], { stdio: 'inherit' });
copyFileSync(process.execPath, executable);
chmodSync(executable, 0o755);
execFileSync('npm', ['exec', '--yes', '--', POSTJECT, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { stdio: 'inherit' });
rmSync(blob);
console.log(`built ${executable} (${(statSync(executable).size / 1e6).toFixed(1)} MB)`);
