/**
 * import() of a package kept outside the bundle (the Kubernetes client, which is
 * ESM-only). The bundle runs as a vm.Script from V8's code cache (bin/sealkit.js),
 * and in Node 20 such a script cannot import() by itself: the launcher lends it
 * its own import() under this symbol.
 */
const LAUNCHER_IMPORT = Symbol.for('sealkit.import');

export function importExternal<T>(specifier: string): Promise<T> {
  const launcherImport = (globalThis as Record<symbol, unknown>)[LAUNCHER_IMPORT] as (specifier: string) => Promise<T>;
  return launcherImport(specifier);
}
