#!/usr/bin/env node
'use strict';
// Runs the bundled CLI (dist/sealkit.cjs) from V8's code cache when the build left one
// that matches this Node: compiling the bundle is most of a short command's run time.
// A missing or mismatched cache only means compiling as usual.
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { createRequire, wrap } = require('node:module');
const { Script } = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'sealkit.cjs');
const cacheFile = `${bundle}.cache`;

// A script run by vm cannot import() in Node 20; the bundle borrows this module's import() (see src/cluster/import-external.ts).
globalThis[Symbol.for('sealkit.import')] = (specifier) => import(specifier);

if (process.argv.includes('--debug')) {
  // Stack traces mapped to src/*.ts: source maps apply to modules loaded by require, not to vm scripts.
  process.setSourceMapsEnabled(true);
  require(bundle);
} else {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet (or unreadable): compile.
  }
  const script = new Script(wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  // The build writes the cache after a representative run, so it holds the functions that run compiled too.
  if (process.env.SEALKIT_WRITE_CODE_CACHE === cacheFile) process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
}
