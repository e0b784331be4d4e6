import { SealkitError } from '../platform/errors.js';
import { DEFAULT_YAML_LIMITS } from './yaml-limits.js';

/**
 * Refuses a parsed value (JSON.parse takes any depth) nested deeper than YAML input may be:
 * the code that copies or prints objects recurses, and a million levels overflow its stack.
 */
export function checkNestingDepth(value: unknown, what: string, maxDepth = DEFAULT_YAML_LIMITS.maxDepth): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= maxDepth)
      throw new SealkitError(
        'bad-input',
        `The ${what} has lists or mappings nested more than ${maxDepth} deep, more than any manifest needs.`,
      );
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
}
