// The API types this server knows, with the per-type "strategy" behaviour of
// the real registry (defaulting, validation, status handling, generation,
// field selectors).

import { fe, type FieldError, type JsonObject } from './errors.js';
import { deepClone, deepEqual, isPlainObject, type PatchMetaTable } from './patch.js';
import { pruneAndValidate, type JSONSchemaProps } from './schema.js';
import {
  MAX_SECRET_SIZE,
  TOTAL_ANNOTATION_SIZE_LIMIT,
  base64ErrorOffset,
  validateConfigMapKey,
  validateDNS1035Label,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateLabelValue,
  validatePathSegmentName,
  validateQualifiedName,
} from './validation-util.js';

export interface TypeContext {
  now: Date;
  allocateClusterIP(): string;
  /** the fieldValidation directive; used only for messages */
  op: 'create' | 'update';
}

/** Thrown while "decoding" a request body into a typed object. */
export class DecodeError extends Error {}

export interface ResourceType {
  group: string;
  version: string;
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** subresource name → discovery info */
  subresources: Record<string, { kind: string; verbs: string[] }>;
  /** storage bucket; types sharing a bucket are different views of the same objects */
  storage: string;
  /** served like a CustomResourceDefinition-backed type (unstructured semantics) */
  custom: boolean;
  statusSubresource: boolean;
  trackGeneration: boolean;
  allowCreateOnUpdate: boolean;
  allowUnconditionalUpdate: boolean;
  returnDeletedObject: boolean;
  strategicMergePatch: boolean;
  patchMeta: PatchMetaTable;
  fieldSelectors: string[];
  fieldSelectorError(field: string): string;
  /** field-selector values of a stored object */
  fields(stored: JsonObject): Record<string, string | undefined>;
  validateName(name: string): string | undefined;
  /** top-level keys known to the type (built-ins); CRs use `schema` */
  knownFields?: string[];
  schema?: JSONSchemaProps;
  /** convert a stored object to this API version's representation */
  toApi(stored: JsonObject): JsonObject;
  /** convert a request object of this API version to the stored representation */
  fromApi(obj: JsonObject): JsonObject;
  /** decode-time checks and normalisation (base64, timestamps); throws DecodeError */
  decode(obj: JsonObject): void;
  prepareForCreate(obj: JsonObject, ctx: TypeContext): void;
  prepareForUpdate(obj: JsonObject, old: JsonObject, ctx: TypeContext): void;
  validate(obj: JsonObject): FieldError[];
  validateUpdate(obj: JsonObject, old: JsonObject): FieldError[];
}

// ---------------------------------------------------------------------------
// helpers

export const apiVersionOf = (t: { group: string; version: string }) => (t.group ? `${t.group}/${t.version}` : t.version);

export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatMicroTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function parseTimeOrThrow(v: unknown, path: string): Date {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    throw new DecodeError(
      `${path}: parsing time ${JSON.stringify(String(v))} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(String(v))} as "2006"`,
    );
  }
  return new Date(v);
}

/** Normalise a metav1.Time field (second precision) in place. */
function normTime(obj: JsonObject | undefined, key: string, path: string) {
  if (!obj || obj[key] === undefined || obj[key] === null) {
    if (obj && obj[key] === null) delete obj[key];
    return;
  }
  obj[key] = formatTime(parseTimeOrThrow(obj[key], path));
}

/** Normalise a metav1.MicroTime field (microsecond precision) in place. */
function normMicroTime(obj: JsonObject | undefined, key: string, path: string) {
  if (!obj || obj[key] === undefined || obj[key] === null) {
    if (obj && obj[key] === null) delete obj[key];
    return;
  }
  const v = obj[key];
  const d = parseTimeOrThrow(v, path);
  const m = /\.(\d+)/.exec(String(v));
  const frac = ((m?.[1] ?? '') + '000000').slice(0, 6);
  obj[key] = d.toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

/** Drop nulls recursively (typed Go objects cannot hold them). */
export function dropNulls(v: any): any {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null || v[k] === undefined) delete v[k];
      else v[k] = dropNulls(v[k]);
    }
  }
  return v;
}

function dropEmpty(obj: JsonObject, ...keys: string[]) {
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0)) {
      delete obj[k];
    }
  }
}

/** ObjectMeta's fields in Go's declaration order, which is also the JSON order the real server writes. */
export const OBJECT_META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/**
 * Remove unknown metadata fields (returns their paths) and the empty/null
 * values that typed ObjectMeta omits (`omitempty`).
 */
export function pruneObjectMeta(obj: JsonObject): string[] {
  const unknown: string[] = [];
  const md = obj.metadata;
  if (!isPlainObject(md)) return unknown;
  for (const k of Object.keys(md)) {
    if (!OBJECT_META_FIELDS.includes(k)) {
      unknown.push(`metadata.${k}`);
      delete md[k];
    }
  }
  dropEmpty(md, ...OBJECT_META_FIELDS);
  return unknown;
}

/** ObjectMeta validation shared by every type (ValidateObjectMeta). */
export function validateObjectMeta(t: ResourceType, obj: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const md: JsonObject = obj.metadata ?? {};
  const name = md.name;
  if (!name) {
    errs.push(fe.required('metadata.name', 'name or generateName is required'));
  } else {
    const e = t.validateName(name);
    if (e) errs.push(fe.invalid('metadata.name', name, e));
  }
  if (t.namespaced) {
    if (!md.namespace) errs.push(fe.required('metadata.namespace'));
    else {
      const e = validateDNS1123Label(md.namespace);
      if (e) errs.push(fe.invalid('metadata.namespace', md.namespace, e));
    }
  }
  if (md.generation !== undefined && (typeof md.generation !== 'number' || md.generation < 0)) {
    errs.push(fe.invalid('metadata.generation', md.generation, 'must be greater than or equal to 0'));
  }
  if (md.labels !== undefined) {
    if (!isPlainObject(md.labels)) errs.push(fe.invalid('metadata.labels', md.labels, 'must be a map'));
    else
      for (const [k, v] of Object.entries(md.labels)) {
        const ke = validateQualifiedName(k);
        if (ke) errs.push(fe.invalid('metadata.labels', k, ke));
        if (typeof v !== 'string') errs.push(fe.invalid('metadata.labels', v, 'must be a string'));
        else {
          const ve = validateLabelValue(v);
          if (ve) errs.push(fe.invalid('metadata.labels', v, ve));
        }
      }
  }
  if (md.annotations !== undefined) {
    if (!isPlainObject(md.annotations)) errs.push(fe.invalid('metadata.annotations', md.annotations, 'must be a map'));
    else {
      let total = 0;
      for (const [k, v] of Object.entries(md.annotations)) {
        const ke = validateQualifiedName(k.toLowerCase());
        if (ke) errs.push(fe.invalid('metadata.annotations', k, ke));
        total += k.length + String(v).length;
      }
      if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(fe.tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE_LIMIT));
    }
  }
  if (md.ownerReferences !== undefined) {
    if (!Array.isArray(md.ownerReferences)) errs.push(fe.invalid('metadata.ownerReferences', md.ownerReferences, 'must be a list'));
    else {
      const controllers: string[] = [];
      for (const r of md.ownerReferences) {
        const p = 'metadata.ownerReferences';
        if (!r?.apiVersion) errs.push(fe.invalid(`${p}.apiVersion`, r?.apiVersion ?? '', 'version must not be empty'));
        if (!r?.kind) errs.push(fe.invalid(`${p}.kind`, r?.kind ?? '', 'kind must not be empty'));
        if (!r?.name) errs.push(fe.invalid(`${p}.name`, r?.name ?? '', 'name must not be empty'));
        if (!r?.uid) errs.push(fe.invalid(`${p}.uid`, r?.uid ?? '', 'uid must not be empty'));
        if (r?.controller === true) controllers.push(`${r.kind}/${r.name}`);
      }
      if (controllers.length > 1) {
        errs.push(
          fe.invalid(
            'metadata.ownerReferences',
            md.ownerReferences,
            `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`,
          ),
        );
      }
    }
  }
  if (md.finalizers !== undefined) {
    if (!Array.isArray(md.finalizers)) errs.push(fe.invalid('metadata.finalizers', md.finalizers, 'must be a list'));
    else
      md.finalizers.forEach((f: unknown, i: number) => {
        const e = typeof f === 'string' ? validateQualifiedName(f) : 'must be a string';
        if (e) errs.push(fe.invalid(`metadata.finalizers[${i}]`, f, e));
      });
  }
  return errs;
}

function b64ToBytes(s: string): number {
  return Buffer.from(s, 'base64').length;
}

function checkBase64Map(kind: string, version: string, obj: JsonObject, key: string) {
  const m = obj[key];
  if (m === undefined || m === null) return;
  if (!isPlainObject(m))
    throw new DecodeError(
      `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${Array.isArray(m) ? 'array' : typeof m} into Go struct field ${kind}.${key} of type map[string][]uint8`,
    );
  for (const [k, v] of Object.entries(m)) {
    if (v === null) {
      m[k] = '';
      continue;
    }
    if (typeof v !== 'string') {
      throw new DecodeError(
        `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof v} into Go struct field ${kind}.${key} of type []uint8`,
      );
    }
    const off = base64ErrorOffset(v);
    if (off >= 0) {
      throw new DecodeError(`${kind} in version "${version}" cannot be handled as a ${kind}: illegal base64 data at input byte ${off}`);
    }
    // Go re-encodes the decoded bytes: newlines are dropped.
    m[k] = v.replace(/[\r\n]/g, '');
  }
}

function checkStringMap(kind: string, version: string, obj: JsonObject, key: string) {
  const m = obj[key];
  if (m === undefined || m === null) return;
  if (!isPlainObject(m))
    throw new DecodeError(
      `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${Array.isArray(m) ? 'array' : typeof m} into Go struct field ${kind}.${key} of type map[string]string`,
    );
  for (const [k, v] of Object.entries(m)) {
    if (v === null) m[k] = '';
    else if (typeof v !== 'string') {
      throw new DecodeError(
        `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof v} into Go struct field ${kind}.${key} of type string`,
      );
    }
  }
}

function checkMetaTypes(kind: string, version: string, obj: JsonObject) {
  const md = obj.metadata;
  if (md === undefined || md === null) return;
  if (!isPlainObject(md))
    throw new DecodeError(
      `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof md} into Go struct field ${kind}.metadata of type v1.ObjectMeta`,
    );
  for (const k of ['labels', 'annotations']) {
    const m = md[k];
    if (m === undefined || m === null) continue;
    if (!isPlainObject(m))
      throw new DecodeError(
        `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${Array.isArray(m) ? 'array' : typeof m} into Go struct field ObjectMeta.metadata.${k} of type map[string]string`,
      );
    for (const [kk, v] of Object.entries(m)) {
      if (v === null) m[kk] = '';
      else if (typeof v !== 'string') {
        throw new DecodeError(
          `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof v} into Go struct field ObjectMeta.metadata.${k} of type string`,
        );
      }
    }
  }
  for (const k of ['name', 'namespace', 'generateName', 'resourceVersion', 'uid']) {
    if (md[k] !== undefined && md[k] !== null && typeof md[k] !== 'string') {
      throw new DecodeError(
        `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof md[k]} into Go struct field ObjectMeta.metadata.${k} of type string`,
      );
    }
  }
  normTime(md, 'creationTimestamp', 'metadata.creationTimestamp');
  normTime(md, 'deletionTimestamp', 'metadata.deletionTimestamp');
}

const secretTypeRequiredKeys: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

function dataSize(m: JsonObject | undefined, b64: boolean): number {
  let total = 0;
  for (const [k, v] of Object.entries(m ?? {})) total += k.length + (b64 ? b64ToBytes(String(v)) : Buffer.byteLength(String(v)));
  return total;
}

const immutableMsg = 'field is immutable when `immutable` is set';

// ---------------------------------------------------------------------------
// type definitions

type Partial2 = Partial<ResourceType> & Pick<ResourceType, 'group' | 'version' | 'resource' | 'kind' | 'singular' | 'namespaced'>;

const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function define(p: Partial2): ResourceType {
  const t: ResourceType = {
    listKind: `${p.kind}List`,
    shortNames: [],
    categories: [],
    verbs: DEFAULT_VERBS,
    subresources: {},
    storage: p.group ? `${p.resource}.${p.group}` : p.resource,
    custom: false,
    statusSubresource: false,
    trackGeneration: false,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    returnDeletedObject: false,
    strategicMergePatch: true,
    patchMeta: {},
    fieldSelectors: p.namespaced ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'],
    fieldSelectorError: (f: string) => `field label not supported: ${f}`,
    fields: (o: JsonObject) => ({
      'metadata.name': o.metadata?.name,
      'metadata.namespace': o.metadata?.namespace,
    }),
    validateName: validateDNS1123Subdomain,
    toApi: (o: JsonObject) => o,
    fromApi: (o: JsonObject) => o,
    decode: () => {},
    prepareForCreate: () => {},
    prepareForUpdate: () => {},
    validate: () => [],
    validateUpdate: () => [],
    ...p,
  } as ResourceType;
  if (!p.fieldSelectors && p.namespaced) t.fieldSelectors = ['metadata.name', 'metadata.namespace'];
  return t;
}

// --- core/v1 Secret ---------------------------------------------------------
const secrets = define({
  group: '',
  version: 'v1',
  resource: 'secrets',
  kind: 'Secret',
  singular: 'secret',
  namespaced: true,
  knownFields: ['apiVersion', 'kind', 'metadata', 'data', 'stringData', 'type', 'immutable'],
  fieldSelectors: ['metadata.name', 'metadata.namespace', 'type'],
  fields: (o) => ({ 'metadata.name': o.metadata?.name, 'metadata.namespace': o.metadata?.namespace, type: o.type }),
  decode(o) {
    checkMetaTypes('Secret', 'v1', o);
    checkBase64Map('Secret', 'v1', o, 'data');
    checkStringMap('Secret', 'v1', o, 'stringData');
  },
  prepareForCreate(o) {
    normalizeSecret(o);
  },
  prepareForUpdate(o) {
    normalizeSecret(o);
  },
  validate(o) {
    const errs: FieldError[] = [];
    for (const k of Object.keys(o.data ?? {})) {
      const e = validateConfigMapKey(k);
      if (e) errs.push(fe.invalid(`data[${k}]`, k, e));
    }
    if (dataSize(o.data, true) > MAX_SECRET_SIZE) errs.push(fe.tooLong('data', MAX_SECRET_SIZE));
    const req = secretTypeRequiredKeys[o.type];
    if (req) for (const k of req) if (!(k in (o.data ?? {}))) errs.push(fe.required(`data[${k}]`));
    if (o.type === 'kubernetes.io/basic-auth' && !('username' in (o.data ?? {})) && !('password' in (o.data ?? {}))) {
      errs.push(fe.required('data[username]'), fe.required('data[password]'));
    }
    if (o.type === 'kubernetes.io/service-account-token' && !o.metadata?.annotations?.['kubernetes.io/service-account.name']) {
      errs.push(fe.required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
    return errs;
  },
  validateUpdate(o, old) {
    const errs: FieldError[] = [];
    if (o.type !== old.type) errs.push(fe.invalid('type', o.type, 'field is immutable'));
    if (old.immutable === true) {
      if (o.immutable !== true) errs.push(fe.forbidden('immutable', immutableMsg));
      if (!deepEqual(o.data ?? {}, old.data ?? {})) errs.push(fe.forbidden('data', immutableMsg));
    }
    return errs;
  },
});

function normalizeSecret(o: JsonObject) {
  if (o.stringData && isPlainObject(o.stringData)) {
    o.data = { ...(o.data ?? {}) };
    for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  }
  delete o.stringData;
  if (!o.type) o.type = 'Opaque';
  dropEmpty(o, 'data');
  if (o.immutable === null) delete o.immutable;
}

// --- core/v1 ConfigMap ------------------------------------------------------
const configmaps = define({
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  knownFields: ['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable'],
  decode(o) {
    checkMetaTypes('ConfigMap', 'v1', o);
    checkStringMap('ConfigMap', 'v1', o, 'data');
    checkBase64Map('ConfigMap', 'v1', o, 'binaryData');
  },
  prepareForCreate: (o) => dropEmpty(o, 'data', 'binaryData'),
  prepareForUpdate: (o) => dropEmpty(o, 'data', 'binaryData'),
  validate(o) {
    const errs: FieldError[] = [];
    for (const k of Object.keys(o.data ?? {})) {
      const e = validateConfigMapKey(k);
      if (e) errs.push(fe.invalid(`data[${k}]`, k, e));
    }
    for (const k of Object.keys(o.binaryData ?? {})) {
      const e = validateConfigMapKey(k);
      if (e) errs.push(fe.invalid(`binaryData[${k}]`, k, e));
      if (o.data && k in o.data) errs.push(fe.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    }
    if (dataSize(o.data, false) + dataSize(o.binaryData, true) > MAX_SECRET_SIZE) errs.push(fe.tooLong('', MAX_SECRET_SIZE));
    return errs;
  },
  validateUpdate(o, old) {
    const errs: FieldError[] = [];
    if (old.immutable === true) {
      if (o.immutable !== true) errs.push(fe.forbidden('immutable', immutableMsg));
      if (!deepEqual(o.data ?? {}, old.data ?? {})) errs.push(fe.forbidden('data', immutableMsg));
      if (!deepEqual(o.binaryData ?? {}, old.binaryData ?? {})) errs.push(fe.forbidden('binaryData', immutableMsg));
    }
    return errs;
  },
});

// --- core/v1 Namespace ------------------------------------------------------
const namespaces = define({
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {
    finalize: { kind: 'Namespace', verbs: ['update'] },
    status: { kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
  },
  statusSubresource: true,
  knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  fieldSelectors: ['metadata.name', 'status.phase'],
  fields: (o) => ({ 'metadata.name': o.metadata?.name, 'status.phase': o.status?.phase }),
  validateName: validateDNS1123Label,
  returnDeletedObject: true,
  decode: (o) => checkMetaTypes('Namespace', 'v1', o),
  prepareForCreate(o) {
    o.spec = { finalizers: ['kubernetes'], ...(isPlainObject(o.spec) ? o.spec : {}) };
    if (!Array.isArray(o.spec.finalizers) || o.spec.finalizers.length === 0) o.spec.finalizers = ['kubernetes'];
    o.status = { phase: 'Active' };
    o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
  },
  prepareForUpdate(o, old) {
    o.spec = deepClone(old.spec);
    o.status = deepClone(old.status);
    o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
  },
});

// --- core/v1 Service --------------------------------------------------------
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const services = define({
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: {
    proxy: { kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    status: { kind: 'Service', verbs: ['get', 'patch', 'update'] },
  },
  statusSubresource: true,
  knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  patchMeta: { 'spec.ports': { strategy: 'merge', mergeKey: 'port' } },
  validateName: validateDNS1035Label,
  decode: (o) => checkMetaTypes('Service', 'v1', o),
  prepareForCreate(o, ctx) {
    const spec = (o.spec = isPlainObject(o.spec) ? o.spec : {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') {
      if (!spec.clusterIP) spec.clusterIP = ctx.allocateClusterIP();
      spec.clusterIPs ??= [spec.clusterIP];
      if (spec.clusterIP !== 'None') {
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
      }
      spec.internalTrafficPolicy ??= 'Cluster';
    }
    for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
      if (!isPlainObject(p)) continue;
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    o.status = { loadBalancer: {} };
  },
  prepareForUpdate(o, old) {
    const spec = (o.spec = isPlainObject(o.spec) ? o.spec : {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') {
      if (!spec.clusterIP) spec.clusterIP = old.spec?.clusterIP;
      if (!spec.clusterIPs) spec.clusterIPs = old.spec?.clusterIPs;
      spec.ipFamilies ??= old.spec?.ipFamilies;
      spec.ipFamilyPolicy ??= old.spec?.ipFamilyPolicy;
      spec.internalTrafficPolicy ??= 'Cluster';
    }
    for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
      if (!isPlainObject(p)) continue;
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    o.status = deepClone(old.status);
  },
  validate(o) {
    const errs: FieldError[] = [];
    const spec = o.spec ?? {};
    if (!SERVICE_TYPES.includes(spec.type)) errs.push(fe.notSupported('spec.type', spec.type, SERVICE_TYPES));
    const ports = spec.ports;
    if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && (!Array.isArray(ports) || ports.length === 0)) {
      errs.push(fe.required('spec.ports'));
    }
    const names = new Set<string>();
    (Array.isArray(ports) ? ports : []).forEach((p: JsonObject, i: number) => {
      const path = `spec.ports[${i}]`;
      if (ports.length > 1 && !p.name) errs.push(fe.required(`${path}.name`));
      if (p.name) {
        const e = validateDNS1123Label(p.name);
        if (e) errs.push(fe.invalid(`${path}.name`, p.name, e));
        if (names.has(p.name)) errs.push(fe.duplicate(`${path}.name`, p.name));
        names.add(p.name);
      }
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
        errs.push(fe.invalid(`${path}.port`, p.port, 'must be between 1 and 65535, inclusive'));
      }
      if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) {
        errs.push(fe.notSupported(`${path}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
      }
    });
    return errs;
  },
  validateUpdate(o, old) {
    const errs: FieldError[] = [];
    if (old.spec?.clusterIP && old.spec.clusterIP !== o.spec?.clusterIP && o.spec?.type !== 'ExternalName') {
      errs.push(fe.invalid('spec.clusterIPs[0]', o.spec?.clusterIPs ?? [], 'may not change once set'));
    }
    return errs;
  },
});

// --- core/v1 Event and events.k8s.io/v1 Event (one storage) ----------------
const EVENT_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
];
const eventFields = (o: JsonObject) => ({
  'metadata.name': o.metadata?.name,
  'metadata.namespace': o.metadata?.namespace,
  'involvedObject.kind': o.involvedObject?.kind,
  'involvedObject.namespace': o.involvedObject?.namespace,
  'involvedObject.name': o.involvedObject?.name,
  'involvedObject.uid': o.involvedObject?.uid,
  'involvedObject.apiVersion': o.involvedObject?.apiVersion,
  'involvedObject.resourceVersion': o.involvedObject?.resourceVersion,
  'involvedObject.fieldPath': o.involvedObject?.fieldPath,
  reason: o.reason,
  reportingComponent: o.reportingComponent,
  source: o.source?.component || o.reportingComponent,
  type: o.type,
});

function normalizeEventTimes(o: JsonObject) {
  normTime(o, 'firstTimestamp', 'firstTimestamp');
  normTime(o, 'lastTimestamp', 'lastTimestamp');
  normMicroTime(o, 'eventTime', 'eventTime');
  if (isPlainObject(o.series)) normMicroTime(o.series, 'lastObservedTime', 'series.lastObservedTime');
}

function validateEventNamespace(o: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = o.metadata?.namespace ?? '';
  const ioNs = o.involvedObject?.namespace ?? '';
  if (!ioNs) {
    if (ns && ns !== 'default') errs.push(fe.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
  } else if (ns !== ioNs) {
    errs.push(fe.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
  }
  return errs;
}

const coreEvents = define({
  group: '',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  storage: 'events',
  allowCreateOnUpdate: true,
  knownFields: [
    'apiVersion',
    'kind',
    'metadata',
    'involvedObject',
    'reason',
    'message',
    'source',
    'firstTimestamp',
    'lastTimestamp',
    'count',
    'type',
    'eventTime',
    'series',
    'action',
    'related',
    'reportingComponent',
    'reportingInstance',
  ],
  fieldSelectors: EVENT_FIELDS,
  fields: eventFields,
  decode(o) {
    checkMetaTypes('Event', 'v1', o);
    normalizeEventTimes(o);
  },
  prepareForCreate: (o) => {
    o.involvedObject ??= {};
    o.source ??= {};
  },
  validate(o) {
    const errs = validateEventNamespace(o);
    if (o.type !== undefined && o.type !== '' && o.eventTime && !['Normal', 'Warning'].includes(o.type)) {
      errs.push(fe.notSupported('type', o.type, ['Normal', 'Warning']));
    }
    return errs;
  },
});

// --- coordination.k8s.io/v1 Lease -------------------------------------------
const leases = define({
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  singular: 'lease',
  namespaced: true,
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: false,
  knownFields: ['apiVersion', 'kind', 'metadata', 'spec'],
  decode(o) {
    checkMetaTypes('Lease', 'coordination.k8s.io/v1', o);
    if (isPlainObject(o.spec)) {
      normMicroTime(o.spec, 'acquireTime', 'spec.acquireTime');
      normMicroTime(o.spec, 'renewTime', 'spec.renewTime');
    }
  },
  validate(o) {
    const errs: FieldError[] = [];
    const s = o.spec ?? {};
    if (s.leaseDurationSeconds !== undefined && !(s.leaseDurationSeconds > 0)) {
      errs.push(fe.invalid('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
    }
    if (s.leaseTransitions !== undefined && s.leaseTransitions < 0) {
      errs.push(fe.invalid('spec.leaseTransitions', s.leaseTransitions, 'must be greater than or equal to 0'));
    }
    return errs;
  },
});

// --- bitnami.com/v1alpha1 SealedSecret (served as a CRD would be) -----------
export const SEALED_SECRET_SCHEMA: JSONSchemaProps = {
  description:
    'SealedSecret is the K8s representation of a "sealed Secret" - a regular k8s Secret that has been sealed (encrypted) using the controller\'s key.',
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      description: 'SealedSecretSpec is the specification of a SealedSecret',
      type: 'object',
      required: ['encryptedData'],
      properties: {
        data: {
          description: 'Data is deprecated and will be removed eventually. Use per-value EncryptedData instead.',
          type: 'string',
          format: 'byte',
        },
        encryptedData: {
          type: 'object',
          additionalProperties: { type: 'string' },
          'x-kubernetes-preserve-unknown-fields': true,
        },
        template: {
          description: 'Template defines the structure of the Secret that will be created from this sealed secret.',
          type: 'object',
          properties: {
            data: {
              description: 'Keys that should be templated using decrypted data',
              type: 'object',
              nullable: true,
              additionalProperties: { type: 'string' },
            },
            metadata: {
              description: "Standard object's metadata.",
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
            type: { description: 'Used to facilitate programmatic handling of secret data.', type: 'string' },
            immutable: { type: 'boolean' },
          },
        },
      },
    },
    status: {
      description: 'SealedSecretStatus is the most recently observed status of the SealedSecret.',
      type: 'object',
      properties: {
        conditions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['status', 'type'],
            properties: {
              lastTransitionTime: { type: 'string', format: 'date-time' },
              lastUpdateTime: { type: 'string', format: 'date-time' },
              message: { type: 'string' },
              reason: { type: 'string' },
              status: { type: 'string' },
              type: { type: 'string' },
            },
          },
        },
        observedGeneration: { type: 'integer', format: 'int64' },
      },
    },
  },
};

function customType(p: Partial2 & { schema: JSONSchemaProps }): ResourceType {
  return define({
    custom: true,
    statusSubresource: true,
    subresources: { status: { kind: p.kind, verbs: ['get', 'patch', 'update'] } },
    trackGeneration: true,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
    returnDeletedObject: true,
    strategicMergePatch: false,
    fieldSelectorError: (f: string) => `${JSON.stringify(f)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
    validateName: (n: string) => validatePathSegmentName(n) ?? validateDNS1123Subdomain(n),
    decode(o: JsonObject) {
      checkMetaTypes(p.kind, apiVersionOf(p), o);
    },
    ...p,
  });
}

const sealedsecrets = customType({
  group: 'bitnami.com',
  version: 'v1alpha1',
  resource: 'sealedsecrets',
  kind: 'SealedSecret',
  singular: 'sealedsecret',
  namespaced: true,
  schema: SEALED_SECRET_SCHEMA,
});

// --- apiextensions.k8s.io/v1 CustomResourceDefinition (read-mostly) --------
const crds = define({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: { status: { kind: 'CustomResourceDefinition', verbs: ['get', 'patch', 'update'] } },
  statusSubresource: true,
  trackGeneration: true,
  allowUnconditionalUpdate: false,
  strategicMergePatch: false,
  knownFields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  decode: (o) => checkMetaTypes('CustomResourceDefinition', 'apiextensions.k8s.io/v1', o),
});

export const RESOURCE_TYPES: ResourceType[] = [configmaps, coreEvents, namespaces, secrets, services, sealedsecrets, leases, crds];

/** The CRD object for SealedSecrets, as the Bitnami Helm chart installs it. */
export function sealedSecretCRD(): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'sealedsecrets.bitnami.com' },
    spec: {
      group: 'bitnami.com',
      names: {
        kind: 'SealedSecret',
        listKind: 'SealedSecretList',
        plural: 'sealedsecrets',
        singular: 'sealedsecret',
      },
      scope: 'Namespaced',
      conversion: { strategy: 'None' },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: deepClone(SEALED_SECRET_SCHEMA) },
          subresources: { status: {} },
        },
      ],
    },
    status: {
      acceptedNames: {
        kind: 'SealedSecret',
        listKind: 'SealedSecretList',
        plural: 'sealedsecrets',
        singular: 'sealedsecret',
      },
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
      storedVersions: ['v1alpha1'],
    },
  };
}

/** Apply schema pruning/validation for custom types; returns unknown field paths. */
export function applySchema(t: ResourceType, obj: JsonObject, errs: FieldError[]): string[] {
  const unknown: string[] = [];
  if (t.schema) pruneAndValidate(obj, t.schema, '', errs, unknown, true);
  return unknown;
}

/** Unknown top-level fields of a built-in type (removed from obj); returns their paths. */
export function pruneKnownFields(t: ResourceType, obj: JsonObject): string[] {
  const unknown: string[] = [];
  if (!t.knownFields) return unknown;
  for (const k of Object.keys(obj)) {
    if (!t.knownFields.includes(k)) {
      unknown.push(k);
      delete obj[k];
    }
  }
  return unknown;
}

export function findType(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.resource === resource);
}

export function findTypeByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
}

/** Resolve "Secret", "secrets", "secret", "sealedsecrets.bitnami.com", "ns", … */
export function resolveType(name: string): ResourceType | undefined {
  const n = name.toLowerCase();
  for (const t of RESOURCE_TYPES) {
    const names = [t.kind.toLowerCase(), t.resource, t.singular, ...t.shortNames];
    if (names.includes(n)) return t;
    if (t.group && names.some((x) => `${x}.${t.group}` === n)) return t;
    if (`${apiVersionOf(t)}/${t.kind}`.toLowerCase() === n) return t;
  }
  return undefined;
}
