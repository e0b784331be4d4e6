/** The CLI's check of a Secret's data and stringData as it reads a manifest, with core's rule for keys. */
import { quoteKey, secretKeyProblem } from '@sealkit/core';
import { CliError } from './errors.js';

/** Refuses a `data` or `stringData` that is not a mapping, or has a key Kubernetes would refuse. */
export function checkSecretFields(secret: Record<string, unknown>, what: string): void {
  for (const field of ['data', 'stringData']) {
    const values = secret[field];
    if (values === undefined || values === null) continue;
    if (typeof values !== 'object' || Array.isArray(values)) {
      const found = Array.isArray(values) ? 'a list' : `a ${typeof values}`;
      throw new CliError(`The ${field} of ${what} is ${found}; it must map each key to its value.`);
    }
    for (const [key, value] of Object.entries(values)) {
      const problem = secretKeyProblem(key);
      if (!problem) continue;
      // In YAML "{password:hunter2}" and "{password hunter2}" are keys with no value: the value is in the key.
      if (value === null)
        throw new CliError(
          `The ${field} of ${what} has an entry with no value and an invalid key; if a ": " is missing between its key and value, add it.`,
        );
      throw new CliError(`The ${field} key ${quoteKey(key)} of ${what} is not a valid Secret key; ${problem}.`);
    }
  }
}
