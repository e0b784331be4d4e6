/** A Secret's data and stringData checked as a manifest is read, with Kubernetes' rule for keys. */
import { SealkitError } from '../platform/errors.js';
import { quoteKey, secretKeyProblem } from '../objects/data-keys.js';

/** Refuses a `data` or `stringData` that is not a mapping, or has a key Kubernetes would refuse. */
export function checkSecretFields(secret: Record<string, unknown>, what: string): void {
  for (const field of ['data', 'stringData']) {
    const values = secret[field];
    if (values === undefined || values === null) continue;
    if (typeof values !== 'object' || Array.isArray(values)) {
      const found = Array.isArray(values) ? 'a list' : `a ${typeof values}`;
      throw new SealkitError('bad-input', `The ${field} of ${what} is ${found}; it must map each key to its value.`);
    }
    for (const [key, value] of Object.entries(values)) {
      const problem = secretKeyProblem(key);
      if (!problem) continue;
      // In YAML "{password:hunter2}" and "{password hunter2}" are keys with no value: the value is in the key.
      if (value === null)
        throw new SealkitError(
          'bad-input',
          `The ${field} of ${what} has an entry with no value and an invalid key; if a ": " is missing between its key and value, add it.`,
        );
      throw new SealkitError('bad-input', `The ${field} key ${quoteKey(key)} of ${what} is not a valid Secret key; ${problem}.`);
    }
  }
}
