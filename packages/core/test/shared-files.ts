/** The reference vectors beside the repo in ../shared (set SEALKIT_SHARED to look elsewhere). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const sharedDir = process.env.SEALKIT_SHARED ?? join(repoRoot, '..', 'shared');

// In CI the vectors must be there: a missing ../shared must fail, not skip.
export const haveShared = existsSync(join(sharedDir, 'vectors')) || process.env.CI === 'true';
if (!haveShared) console.warn(`reference vectors not found at ${sharedDir}; their tests are skipped`);

export function sharedText(path: string): string {
  return readFileSync(join(sharedDir, path), 'utf8');
}

export function sharedJson<T>(path: string): T {
  return JSON.parse(sharedText(path)) as T;
}
