/**
 * For the single-file executable: what bin/sealkit.js and the package's files give
 * the bundle elsewhere. A SEA's require() reaches only Node's built-in modules, so
 * node-forge and the Kubernetes client are assets of the executable
 * (scripts/build-sea.mjs), compiled only when first needed, as in the package.
 */
import { createRequire, wrap } from 'node:module';
import { runInThisContext } from 'node:vm';

const loaded = new Map<string, unknown>();

/** A CommonJS bundle stored as an asset of the executable; it may require built-in modules only. */
export function loadAsset(name: string): unknown {
  if (!loaded.has(name)) {
    // node:sea exists only inside a single-file executable; required lazily so type-checking does not need it.
    const { getAsset } = createRequire(__filename)('node:sea') as { getAsset(key: string, encoding: string): string };
    const module = { exports: {} as unknown };
    runInThisContext(wrap(getAsset(name, 'utf8')), { filename: name })(module.exports, require, module, name, '.');
    loaded.set(name, module.exports);
  }
  return loaded.get(name);
}

(globalThis as Record<symbol, unknown>)[Symbol.for('sealkit.import')] = async (specifier: string) => {
  if (specifier !== '@kubernetes/client-node') throw new Error(`${specifier} is not in the single-file executable`);
  return loadAsset('kubernetes-client.cjs');
};
