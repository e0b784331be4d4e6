/** What bin/sealkit.js lends the bundle (see import-external.ts), for the single-file executable. */
(globalThis as Record<symbol, unknown>)[Symbol.for('sealkit.import')] = (specifier: string) => {
  if (specifier !== '@kubernetes/client-node') return Promise.reject(new Error(`${specifier} is not in the single-file executable`));
  return import('@kubernetes/client-node');
};
