/**
 * What the controller keeps of each Secret it watches: its metadata and a
 * digest of the content it manages, never the values themselves.
 */
import { createHash } from 'node:crypto';
import type { ObjectMeta } from '@sealkit/core';
import type { KubeObject } from '../kube/informer.js';

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
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
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
    owners: (ownerReferences ?? []).map(({ apiVersion, kind, name, uid, controller }) => ({ apiVersion, kind, name, uid, controller: !!controller })),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('base64');
}

export function summarizeSecret(secret: SecretObject): SecretSummary {
  // managedFields is bookkeeping of the API server's, as large as the rest together.
  const metadata: ObjectMeta = { ...secret.metadata };
  delete metadata.managedFields;
  return { metadata, type: secret.type, digest: contentDigest(secret) };
}
