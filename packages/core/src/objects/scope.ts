/**
 * Scopes bind a sealed value to where it may be opened, through the RSA-OAEP label:
 * strict `namespace/name`, namespace-wide `namespace`, cluster-wide empty.
 */
import { utf8 } from '../platform/bytes.js';
import { SealkitError } from '../platform/errors.js';
import { quoteName } from './printable.js';

export type Scope = 'strict' | 'namespace-wide' | 'cluster-wide';
export const SCOPES: readonly Scope[] = ['strict', 'namespace-wide', 'cluster-wide'];

export interface Target {
  namespace?: string;
  name?: string;
  scope?: Scope;
}

export const ANNOTATIONS = {
  namespaceWide: 'sealedsecrets.bitnami.com/namespace-wide',
  clusterWide: 'sealedsecrets.bitnami.com/cluster-wide',
  managed: 'sealedsecrets.bitnami.com/managed',
  patch: 'sealedsecrets.bitnami.com/patch',
  skipSetOwnerReferences: 'sealedsecrets.bitnami.com/skip-set-owner-references',
} as const;

/** The scope the annotations select, as the controller reads them (cluster-wide wins). */
export function scopeFromAnnotations(annotations: Readonly<Record<string, string>> | undefined): Scope {
  if (annotations?.[ANNOTATIONS.clusterWide] === 'true') return 'cluster-wide';
  if (annotations?.[ANNOTATIONS.namespaceWide] === 'true') return 'namespace-wide';
  return 'strict';
}

/** Annotations with exactly the scope annotation for `scope` (like Bitnami's UpdateScopeAnnotations). */
export function withScopeAnnotations(annotations: Readonly<Record<string, string>> | undefined, scope: Scope): Record<string, string> {
  const out = { ...annotations };
  delete out[ANNOTATIONS.namespaceWide];
  delete out[ANNOTATIONS.clusterWide];
  if (scope === 'namespace-wide') out[ANNOTATIONS.namespaceWide] = 'true';
  if (scope === 'cluster-wide') out[ANNOTATIONS.clusterWide] = 'true';
  return out;
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The OAEP label for a target; strict needs namespace and name, namespace-wide a namespace. */
export function labelText(target: Target): string {
  const scope = target.scope ?? 'strict';
  if (!isScope(scope))
    throw new SealkitError('bad-input', `Unknown scope ${quoteName(String(scope))}; use strict, namespace-wide or cluster-wide.`);
  if (scope === 'cluster-wide') return '';
  if (!target.namespace) throw new SealkitError('bad-input', `A ${scope} value needs a namespace; set one or use the cluster-wide scope.`);
  if (scope === 'namespace-wide') return target.namespace;
  if (!target.name) throw new SealkitError('bad-input', 'A strict value needs a name; set one or use a wider scope.');
  return `${target.namespace}/${target.name}`;
}

export function labelFor(target: Target): Uint8Array {
  return utf8(labelText(target));
}
