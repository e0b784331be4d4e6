/** Turns what the form holds into what core seals: a Secret manifest, or a target for one raw value. */
import { quoteKey, secretKeyProblem, toBase64, type Scope, type SecretManifest, type Target } from '@sealkit/core';
import { UserError } from './errors.js';

export interface Placement {
  namespace: string;
  name: string;
  scope: Scope;
}

export interface NamedValue {
  key: string;
  bytes: Uint8Array;
  /** The id of the control holding the key, to point at when the key is wrong. */
  field: string;
}

// Kubernetes' own rules, so that a mistake shows here rather than when the controller creates the Secret.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/; // namespaces
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/; // Secret names

/** The target a value is sealed for. A Secret always needs a name; one raw value needs only what its scope binds it to. */
export function targetOf(placement: Placement, forWholeSecret: boolean): Target {
  const { namespace, name, scope } = placement;
  if (namespace === '' && scope !== 'cluster-wide') {
    throw new UserError(`A ${scope} value needs a namespace; enter one, or choose the cluster-wide scope.`, { field: 'namespace' });
  }
  if (namespace !== '' && !DNS_LABEL.test(namespace)) {
    throw new UserError(`The namespace "${namespace}" is not valid; use at most 63 lowercase letters, digits and "-".`, {
      field: 'namespace',
    });
  }
  if (name === '' && (forWholeSecret || scope === 'strict')) {
    throw new UserError(forWholeSecret ? "Enter the Secret's name." : 'A strict value needs a name; enter one, or choose a wider scope.', {
      field: 'name',
    });
  }
  if (name !== '' && !DNS_SUBDOMAIN.test(name)) {
    throw new UserError(`The name "${name}" is not valid; use lowercase letters, digits, "-" and ".".`, { field: 'name' });
  }
  return { scope, ...(namespace && { namespace }), ...(name && { name }) };
}

export function secretFromValues(placement: Placement, values: readonly NamedValue[]): SecretManifest {
  const { namespace, name } = targetOf(placement, true);
  if (values.length === 0) throw new UserError('Add at least one value to seal.');
  const data = new Map<string, string>();
  for (const { key, bytes, field } of values) {
    if (key === '') throw new UserError('A value has no key; give every value a key.', { field });
    const problem = secretKeyProblem(key);
    if (problem) throw new UserError(`The key ${quoteKey(key)} is not valid; ${problem}.`, { field });
    if (data.has(key)) throw new UserError(`The key "${key}" is used twice; give every value its own key.`, { field });
    data.set(key, toBase64(bytes));
  }
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, ...(namespace && { namespace }) }, data: Object.fromEntries(data) };
}
