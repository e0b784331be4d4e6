/** A command's work on each object of its input, failures naming the document they are about. */
import { SealkitError } from '@sealkit/core';
import type { KubeObject } from '@sealkit/core/manifest';
import { asClause, CliError } from '../program/errors.js';

/** Runs `each` on every object, naming the document in the error when there are several. */
export async function forEachDocument<T>(objects: KubeObject[], what: string, each: (object: KubeObject) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const [index, object] of objects.entries()) {
    try {
      results.push(await each(object));
    } catch (error) {
      // Only failures about the input are reworded; anything else keeps its stack for --debug.
      if (objects.length === 1 || !(error instanceof CliError || error instanceof SealkitError)) throw error;
      throw new CliError(`In document ${index + 1} of the ${what}: ${asClause(error.message)}.`);
    }
  }
  return results;
}
