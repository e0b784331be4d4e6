/**
 * The Go-built reference binaries (scripts/reference-binaries.sh) that compatibility tests
 * judge sealkit against. Without them a test is skipped with a one-line reason, except in
 * CI, where their absence fails the run.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type ReferenceBinary =
  'kubeseal' | 'controller' | 'kube-apiserver' | 'kube-apiserver-old' | 'etcd' | 'gotemplate-oracle' | 'pq-oracle';

export const referenceDir =
  process.env.SEALKIT_REFERENCE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sealkit-reference');

export const referencePath = (name: ReferenceBinary): string => join(referenceDir, 'bin', name);

/**
 * Why tests needing these binaries cannot run here, or undefined when they can. In CI a
 * missing binary throws, so the run fails instead of passing on skipped tests.
 */
export function referenceSkipReason(...names: ReferenceBinary[]): string | undefined {
  const missing = names.filter((name) => !existsSync(referencePath(name)));
  if (missing.length === 0) return undefined;
  const reason = `${missing.join(', ')} not built in ${referenceDir} (needs Go: bash scripts/reference-binaries.sh)`;
  if (process.env.CI === 'true') throw new Error(`CI requires the reference binaries: ${reason}`);
  console.warn(`skipped: ${reason}`);
  return reason;
}
