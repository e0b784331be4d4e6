/** REST paths of the resources the controller reads and writes. */
export interface Resource {
  group: string; // '' for the core group
  version: string;
  plural: string;
}

export const SECRETS: Resource = { group: '', version: 'v1', plural: 'secrets' };
export const EVENTS: Resource = { group: '', version: 'v1', plural: 'events' };
export const SEALED_SECRETS: Resource = { group: 'bitnami.com', version: 'v1alpha1', plural: 'sealedsecrets' };
export const LEASES: Resource = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases' };

/** The collection, in one namespace or (namespace undefined) in all. */
export function collectionPath(resource: Resource, namespace?: string): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${base}${scope}/${resource.plural}`;
}

export function objectPath(resource: Resource, namespace: string, name: string, subresource?: string): string {
  return `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}

export const MERGE_PATCH = 'application/merge-patch+json';
