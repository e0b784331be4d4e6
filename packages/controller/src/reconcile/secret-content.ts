/**
 * What the controller keeps of each Secret it watches: the metadata that says
 * whose it is and a digest of the content it manages, never the values themselves.
 */
import { createHash } from 'node:crypto';
import type { ObjectMeta } from '@sealkit/core';
import type { KubeObject } from '../kube/informer.js';

const ANNOTATION_PREFIX = 'sealedsecrets.bitnami.com/';

export interface SecretObject extends KubeObject {
  apiVersion?: string;
  kind?: string;
  type?: string;
  immutable?: boolean;
  data?: Record<string, string>;
}

export interface SecretSummary extends KubeObject {
  type?: string;
  /** contentDigest of the Secret. */
  digest: string;
}

/** JSON with object keys sorted, so that equal content always gives equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * A digest of what the controller writes into a Secret: data, type, labels,
 * annotations and owner references. Absent and empty are the same, and a
 * missing type is Opaque, because the API server stores them so.
 */
export function contentDigest(secret: Pick<SecretObject, 'type' | 'data' | 'metadata'>): string {
  const { labels, annotations, ownerReferences } = secret.metadata;
  const content = {
    type: secret.type || 'Opaque',
    data: secret.data ?? {},
    labels: labels ?? {},
    annotations: annotations ?? {},
    owners: (ownerReferences ?? []).map(({ apiVersion, kind, name, uid, controller }) => ({
      apiVersion,
      kind,
      name,
      uid,
      controller: !!controller,
    })),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('base64');
}

/**
 * The summary keeps of the metadata only what ownership and the watch need:
 * other annotations may hold values (kubectl's last-applied-configuration
 * copies the whole Secret), and managedFields is as large as the rest together.
 */
export function summarizeSecret(secret: SecretObject): SecretSummary {
  const { name, namespace, uid, resourceVersion, ownerReferences, annotations } = secret.metadata;
  const ours = Object.entries(annotations ?? {}).filter(([key]) => key.startsWith(ANNOTATION_PREFIX));
  const metadata: ObjectMeta = { name, namespace, uid, resourceVersion, ownerReferences, annotations: Object.fromEntries(ours) };
  return { metadata, type: secret.type, digest: contentDigest(secret) };
}
