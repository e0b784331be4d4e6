/** The Kubernetes shapes sealkit reads and writes (the subset it cares about). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [field: string]: unknown;
}

export interface SecretManifest {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMeta;
  type?: string;
  immutable?: boolean;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface SecretTemplate {
  metadata: ObjectMeta;
  type?: string;
  immutable?: boolean;
  /** Go templates over the decrypted values, rendered into the Secret's data. */
  data?: Record<string, string>;
}

export interface SyncedCondition {
  type: 'Synced';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface SealedSecretManifest {
  apiVersion: 'bitnami.com/v1alpha1';
  kind: 'SealedSecret';
  metadata: ObjectMeta;
  spec: {
    template: SecretTemplate;
    encryptedData: Record<string, string>;
    /** Deprecated: a whole Secret sealed as one blob (base64). */
    data?: string;
  };
  status?: { observedGeneration?: number; conditions?: SyncedCondition[] };
}

export const SEALED_SECRET_API_VERSION = 'bitnami.com/v1alpha1';

export function isSealedSecret(value: unknown): value is SealedSecretManifest {
  const object = value as Partial<SealedSecretManifest> | null;
  return typeof object === 'object' && object !== null && object.kind === 'SealedSecret' && object.apiVersion === SEALED_SECRET_API_VERSION;
}

/** The keys of a record in sorted order, as Go writes maps; keeps sealed files diffing cleanly. */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]!]),
  );
}
