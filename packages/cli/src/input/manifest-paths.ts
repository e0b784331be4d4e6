/**
 * The files a repository-wide command (reseal, validate) works on: files named on
 * the command line as they are, directories searched recursively for manifests
 * (*.yaml, *.yml, *.json). Hidden entries (.git) are skipped, and symbolic links
 * to directories are not followed, so a link cannot make the walk loop.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../program/errors.js';
import { fileError } from './files.js';

/** A path that cannot be read is a usage error (exit 2): the command was not given what it needs. */
function usageFileError(what: string, path: string, error: unknown): CliError {
  return new CliError(fileError('read', what, path, error).message, 2);
}

const MANIFEST_NAME = /\.(ya?ml|json)$/i;

function walk(directory: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    throw usageFileError('directory', directory, error);
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (
      MANIFEST_NAME.test(entry.name) &&
      (entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile()))
    )
      out.push(path);
  }
}

/** Every manifest file under `paths`, each once, in a stable order. */
export function manifestFiles(paths: readonly string[]): string[] {
  if (paths.length === 0) throw new CliError('Name at least one file or directory to work on.', 2);
  const out: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw usageFileError('path', path, error);
    }
    if (isDirectory) walk(path, out);
    else out.push(path);
  }
  return [...new Set(out)];
}

/** Runs `each` over `items` with at most `limit` in flight; results in input order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  each: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await each(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
