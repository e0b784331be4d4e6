// `pnpm bench`: every benchmark, each printing its figures and ratios against a
// baseline measured in this same run. Never fails on a slow machine.
import { existsSync } from 'node:fs';
import { benchCore } from './core.mjs';
import { benchPostQuantum } from './post-quantum.mjs';

const optional = async (path, name) => {
  const url = new URL(path, import.meta.url);
  if (!existsSync(url)) return console.log(`\n(${name} benchmark not present)`);
  const { default: run } = await import(url.href);
  await run();
};

const only = process.argv[2];
try {
  if (!only || only === 'core') await benchCore();
  if (!only || only === 'pq') await benchPostQuantum();
  if (!only || only === 'cli') await optional('../packages/cli/bench/startup.mjs', 'CLI start-up');
  if (!only || only === 'reseal') await optional('../packages/cli/bench/reseal.mjs', 'CLI reseal');
  if (!only || only === 'sea') await optional('../packages/cli/bench/sea.mjs', 'single-file executable');
  if (!only || only === 'controller') await optional('../packages/controller/bench/cold-start.mjs', 'controller cold start');
} catch (error) {
  console.error(`benchmark stopped: ${error instanceof Error ? error.message : error}`);
}
