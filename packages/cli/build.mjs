// Builds the runnable CLI: one CommonJS bundle, dist/sealkit.cjs, plus V8's code cache
// for it, dist/sealkit.cjs.cache, which bin/sealkit.js loads. Start-up time is the
// point: reading one file beats resolving hundreds of modules, and the code cache
// saves compiling them. The sealkit-only subcommands are in the bundle but evaluated
// only when used; node-forge (key generation) and the template engine are files of their
// own, and @kubernetes/client-node stays in node_modules: each is loaded only when needed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const bundle = join(here, 'dist', 'sealkit.cjs');

// Kept out of the bundle, in files of their own that the bundle require()s when needed.
const outside = {
  name: 'outside-the-bundle',
  setup(builder) {
    // node-forge (300 KB) only builds certificates for keygen and rotate.
    builder.onResolve({ filter: /^node-forge$/ }, () => ({ path: './node-forge.cjs', external: true }));
    // The Go template engine and its hashes and ciphers (~600 KB) only render spec.template.data.
    builder.onResolve({ filter: /^@sealkit\/gotemplate$/ }, () => ({ path: './gotemplate.cjs', external: true }));
    // The WebCrypto polyfill is for runtimes without globalThis.crypto; every Node the CLI supports has it.
    builder.onResolve({ filter: /^#webcrypto-fallback$/ }, () => ({ path: 'webcrypto-fallback', namespace: 'outside' }));
    builder.onLoad({ filter: /^webcrypto-fallback$/, namespace: 'outside' }, () => ({
      contents:
        'export class Crypto { constructor() { throw new Error("This Node.js has no WebCrypto; sealkit needs Node.js 20 or newer."); } }',
    }));
    // commander loads child_process (with net, dgram and streams) at start-up only to run
    // executable subcommands, which sealkit has none of: load it on first use instead.
    builder.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'outside' } : undefined,
    );
    builder.onLoad({ filter: /^child_process$/, namespace: 'outside' }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, name) => require("node:child_process")[name] });',
      loader: 'js',
    }));
  },
};

const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, sourcemap: 'linked', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile: bundle,
  // The bundle runs as a vm.Script (bin/sealkit.js), which cannot import() in Node 20: import() becomes require().
  supported: { 'dynamic-import': false },
  external: ['@kubernetes/client-node'],
  plugins: [outside],
  define: { SEALKIT_VERSION: JSON.stringify(version) },
});

// The worker thread templates render in (src/render-worker.ts), beside the bundle.
await build({
  ...common,
  entryPoints: [join(here, 'src', 'render-worker.ts')],
  outfile: join(here, 'dist', 'render-worker.cjs'),
  supported: { 'dynamic-import': false },
  plugins: [outside],
});

const coreRequire = createRequire(join(here, '..', 'core', 'package.json'));
await build({ ...common, entryPoints: [coreRequire.resolve('node-forge')], outfile: join(here, 'dist', 'node-forge.cjs') });
await build({ ...common, entryPoints: [coreRequire.resolve('@sealkit/gotemplate')], outfile: join(here, 'dist', 'gotemplate.cjs') });

/**
 * Runs the fresh bundle on representative work, telling the launcher to save the code cache
 * after each run: sealing first, then --recovery-unseal from that cache, so the cache holds the
 * functions of both (each run adds what it compiled to what it loaded).
 */
async function writeCodeCache() {
  const { generateKeyPair } = await import('@sealkit/core');
  const scratch = mkdtempSync(join(tmpdir(), 'sealkit-build-'));
  try {
    const pair = await generateKeyPair({ bits: 2048 });
    const certificate = join(scratch, 'cert.pem');
    const key = join(scratch, 'key.pem');
    writeFileSync(certificate, pair.certificatePem);
    writeFileSync(key, pair.privateKeyPem, { mode: 0o600 });
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: warm-up\n  namespace: default\nstringData:\n  password: warm-up\n';
    rmSync(`${bundle}.cache`, { force: true });
    const run = (args, input) =>
      execFileSync(process.execPath, [join(here, 'bin', 'sealkit.js'), ...args], {
        input,
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, SEALKIT_WRITE_CODE_CACHE: `${bundle}.cache`, SEALKIT_HOME: scratch, HOME: scratch, KUBECONFIG: '' },
      });
    const sealed = run(['--cert', certificate, '-o', 'yaml'], secret);
    run(['--recovery-unseal', '--recovery-private-key', key, '-o', 'yaml'], sealed);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await writeCodeCache();
