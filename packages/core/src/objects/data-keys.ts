/**
 * Kubernetes' rule for the keys of a Secret's data and stringData (IsConfigMapKey,
 * which `kubectl create secret` applies too). kubeseal seals any key, and the API
 * server then refuses the Secret the controller unseals, in the cluster and long
 * after; sealkit refuses such a key before sealing.
 */
import { quoteName } from './printable.js';

const KEY_CHARACTERS = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY_LENGTH = 253;

/** What to do about an invalid key ("use only letters, …"), or undefined when Kubernetes accepts it. */
export function secretKeyProblem(key: string): string | undefined {
  if (key === '') return 'give it a name';
  if (key.length > MAX_KEY_LENGTH) return `use at most ${MAX_KEY_LENGTH} characters`;
  if (!KEY_CHARACTERS.test(key)) return 'use only letters, digits, "-", "_" and "."';
  if (key === '.' || key.startsWith('..')) return 'it must not be "." or start with ".."';
  return undefined;
}

/** A key for a one-line message: escaped (it may hold line breaks or terminal escapes) and cut when long. */
export function quoteKey(key: string): string {
  return quoteName(key.length > 60 ? `${key.slice(0, 60)}…` : key);
}
