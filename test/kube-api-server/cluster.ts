// The registry logic of the fake API server, independent of HTTP: create,
// update, patch, delete, list, with the semantics of k8s.io/apiserver's generic
// registry store, plus garbage collection and namespace lifecycle.

import { randomUUID } from 'node:crypto';

import {
  ApiError,
  GoLiteral,
  alreadyExists,
  badRequest,
  conflict,
  fe,
  forbidden,
  gone,
  internalError,
  invalid,
  notFound,
  status,
  tooLargeResourceVersion,
  tooOldResourceVersion,
  type FieldError,
  type JsonObject,
} from './errors.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  deepClone,
  deepEqual,
  isPlainObject,
} from './patch.js';
import {
  DecodeError,
  RESOURCE_TYPES,
  apiVersionOf,
  applySchema,
  dropNulls,
  formatTime,
  pruneKnownFields,
  pruneObjectMeta,
  validateObjectMeta,
  type ResourceType,
  type TypeContext,
  OBJECT_META_FIELDS,
} from './resources.js';
import { parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from './selectors.js';
import { Store, objectKey } from './store.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  fieldManager?: string;
}

export interface WriteResult {
  obj: JsonObject;
  /** true when the object was created (201) */
  created?: boolean;
  warnings: string[];
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

const GENERATE_NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_NAME_LENGTH = 63 - 5;

export function generateName(base: string): string {
  let b = base;
  if (b.length > MAX_GENERATED_NAME_LENGTH) b = b.slice(0, MAX_GENERATED_NAME_LENGTH);
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += GENERATE_NAME_CHARS[Math.floor(Math.random() * GENERATE_NAME_CHARS.length)];
  return b + suffix;
}

const gr = (t: ResourceType) => ({ group: t.group, resource: t.resource });
const gk = (t: ResourceType) => ({ group: t.group, kind: t.kind });

export const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64');
}
function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error();
    return t;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

export class Cluster {
  readonly store: Store;
  private ipCounter = 10;
  private gcScheduled = false;
  private closed = false;
  /** namespaces auto-created on write when missing (NamespaceLifecycle off) */
  autoCreateNamespaces: boolean;

  constructor(opts: { autoCreateNamespaces?: boolean; historyLimit?: number } = {}) {
    this.store = new Store({ historyLimit: opts.historyLimit });
    this.autoCreateNamespaces = opts.autoCreateNamespaces ?? false;
    this.store.onChange(() => this.scheduleGC());
  }

  close() {
    this.closed = true;
  }

  private ctx(op: 'create' | 'update'): TypeContext {
    return {
      now: new Date(),
      op,
      allocateClusterIP: () => {
        const n = this.ipCounter++;
        return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      },
    };
  }

  /** API representation (with kind/apiVersion) of a stored object. */
  toApi(t: ResourceType, stored: JsonObject): JsonObject {
    const o = t.toApi(deepClone(stored));
    const out: JsonObject = { kind: t.kind, apiVersion: apiVersionOf(t), ...o };
    out.kind = t.kind;
    out.apiVersion = apiVersionOf(t);
    if (isPlainObject(out.metadata)) out.metadata = orderMetadata(out.metadata);
    return out;
  }

  storageTypeOf(storage: string): ResourceType {
    return RESOURCE_TYPES.find((t) => t.storage === storage)!;
  }

  // -------------------------------------------------------------------------
  // decoding

  /**
   * Turn a request body into a stored-form object: type checks, decode-time
   * normalisation, unknown-field pruning (with strict/warn handling),
   * conversion. Returns field errors from the CR schema separately.
   */
  private decodeBody(
    t: ResourceType,
    body: unknown,
    opts: WriteOptions,
    warnings: string[],
    fromPatch: boolean,
  ): { obj: JsonObject; schemaErrors: FieldError[] } {
    if (!isPlainObject(body)) {
      throw badRequest(
        `the object provided is unrecognized (must be of type ${t.kind}): couldn't get version/kind; json parse error: expected an object`,
      );
    }
    const obj = deepClone(body);
    const av = apiVersionOf(t);
    if (obj.apiVersion !== undefined && obj.apiVersion !== av && !fromPatch) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${av})`);
    }
    if (obj.kind !== undefined && obj.kind !== t.kind && !fromPatch) {
      throw badRequest(
        `${obj.kind} in version "${obj.apiVersion ?? av}" cannot be handled as a ${t.kind}: no kind "${obj.kind}" is registered for version "${av}"`,
      );
    }
    try {
      t.decode(obj);
    } catch (e) {
      if (e instanceof DecodeError) {
        if (fromPatch)
          throw invalid({ group: '', kind: '' }, '', [
            fe.invalid('patch', JSON.stringify(body), e.message.replace(/^.* cannot be handled as a [A-Za-z]+: /, '')),
          ]);
        throw badRequest(e.message);
      }
      throw e;
    }
    obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
    const unknown = [...pruneObjectMeta(obj)];
    const schemaErrors: FieldError[] = [];
    if (t.custom) unknown.push(...applySchema(t, obj, schemaErrors));
    else {
      unknown.push(...pruneKnownFields(t, obj));
      dropNulls(obj);
    }
    if (unknown.length) {
      const fv = opts.fieldValidation ?? 'Warn';
      if (fv === 'Strict') {
        throw badRequest(`strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
      }
      if (fv === 'Warn') for (const u of unknown) warnings.push(`unknown field "${u}"`);
    }
    const stored = t.fromApi(obj);
    stored.kind = this.storageTypeOf(t.storage).kind;
    stored.apiVersion = apiVersionOf(this.storageTypeOf(t.storage));
    delete stored.metadata.selfLink;
    delete stored.metadata.managedFields;
    return { obj: stored, schemaErrors };
  }

  private validate(t: ResourceType, obj: JsonObject, old: JsonObject | undefined, extra: FieldError[]) {
    const errs = [...validateObjectMeta(t, obj), ...extra, ...t.validate(obj)];
    if (old) {
      if (obj.metadata.uid !== old.metadata.uid) errs.push(fe.invalid('metadata.uid', obj.metadata.uid, 'field is immutable'));
      errs.push(...t.validateUpdate(obj, old));
    }
    if (errs.length) throw invalid(gk(t), obj.metadata?.name ?? '', errs);
  }

  // -------------------------------------------------------------------------
  // namespace lifecycle

  private checkNamespace(t: ResourceType, ns: string | undefined, name: string, system: boolean) {
    if (!t.namespaced || !ns) return;
    const nsObj = this.store.get('namespaces', undefined, ns);
    if (!nsObj) {
      if (this.autoCreateNamespaces || system) {
        this.ensureNamespace(ns);
        return;
      }
      throw notFound({ group: '', resource: 'namespaces' }, ns);
    }
    if (nsObj.metadata.deletionTimestamp) {
      throw forbidden(gr(t), name, `unable to create new content in namespace ${ns} because it is being terminated`, [
        { reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' },
      ]);
    }
  }

  ensureNamespace(ns: string) {
    if (this.store.get('namespaces', undefined, ns)) return;
    const t = RESOURCE_TYPES.find((x) => x.resource === 'namespaces')!;
    const obj: JsonObject = { kind: 'Namespace', apiVersion: 'v1', metadata: { name: ns } };
    this.fillCreateMeta(t, obj);
    t.prepareForCreate(obj, this.ctx('create'));
    this.store.commit('ADDED', 'namespaces', obj);
  }

  private fillCreateMeta(t: ResourceType, obj: JsonObject) {
    const md = obj.metadata;
    md.uid = randomUUID();
    md.creationTimestamp = formatTime(new Date());
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
    delete md.resourceVersion;
    if (t.trackGeneration) md.generation = 1;
    else delete md.generation;
    if (!t.namespaced) delete md.namespace;
  }

  // -------------------------------------------------------------------------
  // create

  create(t: ResourceType, ns: string | undefined, body: unknown, opts: WriteOptions = {}, system = false): WriteResult {
    const warnings: string[] = [];
    const { obj, schemaErrors } = this.decodeBody(t, body, opts, warnings, false);
    return this.createDecoded(t, ns, obj, schemaErrors, opts, warnings, system);
  }

  private createDecoded(
    t: ResourceType,
    ns: string | undefined,
    obj: JsonObject,
    schemaErrors: FieldError[],
    opts: WriteOptions,
    warnings: string[],
    system = false,
  ): WriteResult {
    const md = obj.metadata;
    if (t.namespaced) {
      if (md.namespace && ns && md.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      md.namespace = ns ?? md.namespace;
    } else delete md.namespace;
    if (md.resourceVersion && !system) {
      throw internalError('resourceVersion should not be set on objects to be created');
    }
    this.fillCreateMeta(t, obj);
    const storageType = this.storageTypeOf(t.storage);
    storageType.prepareForCreate(obj, this.ctx('create'));
    if (t !== storageType) t.prepareForCreate(obj, this.ctx('create'));
    if (t.custom && t.statusSubresource) delete obj.status;
    const usesGenerateName = !md.name && !!md.generateName;
    for (let attempt = 0; ; attempt++) {
      if (usesGenerateName) md.name = generateName(md.generateName);
      this.validate(t, obj, undefined, schemaErrors);
      this.checkNamespace(t, md.namespace, md.name, system);
      if (this.store.get(t.storage, md.namespace, md.name)) {
        if (usesGenerateName && attempt < 7) continue;
        throw alreadyExists(gr(t), md.name);
      }
      break;
    }
    if (opts.dryRun) return { obj: this.toApi(t, obj), created: true, warnings };
    this.store.commit('ADDED', t.storage, obj);
    return { obj: this.toApi(t, obj), created: true, warnings };
  }

  // -------------------------------------------------------------------------
  // update

  private checkNameAndNamespace(t: ResourceType, ns: string | undefined, name: string, obj: JsonObject) {
    const md = obj.metadata;
    if (t.namespaced) {
      if (md.namespace && md.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      md.namespace = ns;
    } else delete md.namespace;
    if ((md.name ?? '') !== name) {
      throw badRequest(`the name of the object (${md.name ?? ''}) does not match the name on the URL (${name})`);
    }
  }

  private checkResourceVersion(t: ResourceType, obj: JsonObject, old: JsonObject, name: string) {
    const rv = obj.metadata.resourceVersion;
    if (!rv) {
      if (!t.allowUnconditionalUpdate) {
        throw invalid(gk(t), name, [fe.invalid('metadata.resourceVersion', new GoLiteral('0x0'), 'must be specified for an update')]);
      }
      return;
    }
    if (!/^\d+$/.test(rv)) {
      throw badRequest(`invalid resourceVersion: ${JSON.stringify(rv)}`);
    }
    if (rv !== old.metadata.resourceVersion) throw conflict(gr(t), name);
  }

  update(t: ResourceType, ns: string | undefined, name: string, body: unknown, opts: WriteOptions = {}, subresource?: string): WriteResult {
    const warnings: string[] = [];
    const { obj, schemaErrors } = this.decodeBody(t, body, opts, warnings, false);
    return this.updateDecoded(t, ns, name, obj, schemaErrors, opts, warnings, subresource, false);
  }

  private updateDecoded(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    obj: JsonObject,
    schemaErrors: FieldError[],
    opts: WriteOptions,
    warnings: string[],
    subresource: string | undefined,
    fromPatch: boolean,
  ): WriteResult {
    this.checkNameAndNamespace(t, ns, name, obj);
    const old = this.store.get(t.storage, t.namespaced ? ns : undefined, name);
    if (!old) {
      if (t.allowCreateOnUpdate && !subresource && !obj.metadata.resourceVersion) {
        return this.createDecoded(t, ns, obj, schemaErrors, opts, warnings);
      }
      throw notFound(gr(t), name);
    }
    if (fromPatch && !obj.metadata.resourceVersion) obj.metadata.resourceVersion = old.metadata.resourceVersion;
    this.checkResourceVersion(t, obj, old, name);

    let next: JsonObject;
    if (subresource === 'status') {
      next = deepClone(old);
      if (obj.status !== undefined) next.status = obj.status;
      else delete next.status;
      if (!t.custom) dropNulls(next);
    } else if (subresource === 'finalize') {
      next = deepClone(old);
      next.spec = { ...(next.spec ?? {}), finalizers: obj.spec?.finalizers ?? [] };
    } else {
      next = obj;
      const md = next.metadata;
      md.uid ||= old.metadata.uid;
      md.creationTimestamp = old.metadata.creationTimestamp;
      if (old.metadata.deletionTimestamp) {
        md.deletionTimestamp = old.metadata.deletionTimestamp;
        md.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      } else {
        delete md.deletionTimestamp;
        delete md.deletionGracePeriodSeconds;
      }
      if (old.metadata.generation !== undefined) md.generation = old.metadata.generation;
      else delete md.generation;
      if (t.statusSubresource && t.custom) {
        if (old.status !== undefined) next.status = deepClone(old.status);
        else delete next.status;
      }
      const storageType = this.storageTypeOf(t.storage);
      storageType.prepareForUpdate(next, old, this.ctx('update'));
      if (t !== storageType) t.prepareForUpdate(next, old, this.ctx('update'));
      if (t.trackGeneration) {
        const strip = (o: JsonObject) => {
          const c = { ...o };
          delete c.metadata;
          delete c.status;
          return c;
        };
        if (!deepEqual(strip(next), strip(old))) md.generation = (old.metadata.generation ?? 0) + 1;
      }
    }
    this.validate(t, next, old, schemaErrors);

    // no-op updates do not bump the resourceVersion or emit events
    const cmp = (o: JsonObject) => {
      const c = deepClone(o);
      delete c.metadata.resourceVersion;
      return c;
    };
    if (deepEqual(cmp(next), cmp(old))) return { obj: this.toApi(t, old), warnings };
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (opts.dryRun) return { obj: this.toApi(t, next), warnings };
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length && !this.namespaceBlocks(t, next)) {
      this.store.commit('DELETED', t.storage, next);
      return { obj: this.toApi(t, next), warnings };
    }
    this.store.commit('MODIFIED', t.storage, next);
    return { obj: this.toApi(t, next), warnings };
  }

  private namespaceBlocks(t: ResourceType, obj: JsonObject): boolean {
    return t.resource === 'namespaces' && (obj.spec?.finalizers?.length ?? 0) > 0;
  }

  // -------------------------------------------------------------------------
  // patch

  patch(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    contentType: string,
    patchBody: unknown,
    opts: WriteOptions = {},
    subresource?: string,
  ): WriteResult {
    const warnings: string[] = [];
    const old = this.store.get(t.storage, t.namespaced ? ns : undefined, name);
    if (contentType === PATCH_TYPES.apply) {
      if (!opts.fieldManager) {
        throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [fe.required('fieldManager', 'is required for apply patch')]);
      }
      if (!isPlainObject(patchBody)) throw badRequest('error decoding YAML: expected an object');
      const applied = deepClone(patchBody);
      if (applied.apiVersion !== apiVersionOf(t) || applied.kind !== t.kind) {
        throw badRequest(
          `the API version in the data (${applied.apiVersion}) does not match the expected API version (${apiVersionOf(t)})`,
        );
      }
      applied.metadata ??= {};
      applied.metadata.name ??= name;
      if (!old) {
        if (subresource) throw notFound(gr(t), name);
        const { obj, schemaErrors } = this.decodeBody(t, applied, opts, warnings, false);
        return this.createDecoded(t, ns, obj, schemaErrors, opts, warnings);
      }
      const merged = applyServerSideApply(this.toApi(t, old), applied, t.patchMeta);
      if (!applied.metadata.resourceVersion) merged.metadata.resourceVersion = old.metadata.resourceVersion;
      const { obj, schemaErrors } = this.decodeBody(t, merged, opts, warnings, true);
      return this.updateDecoded(t, ns, name, obj, schemaErrors, opts, warnings, subresource, true);
    }
    if (!old) throw notFound(gr(t), name);
    const current = this.toApi(t, old);
    let patched: unknown;
    switch (contentType) {
      case PATCH_TYPES.json:
        patched = applyJsonPatch(current, patchBody);
        break;
      case PATCH_TYPES.merge:
        if (!isPlainObject(patchBody)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
        patched = applyMergePatch(current, patchBody);
        break;
      case PATCH_TYPES.strategic:
        if (!t.strategicMergePatch) throw unsupportedPatch(t);
        patched = applyStrategicMergePatch(current, patchBody, t.patchMeta);
        break;
      default:
        throw unsupportedPatch(t);
    }
    if (!isPlainObject(patched)) throw badRequest('the patched object is not a JSON object');
    const { obj, schemaErrors } = this.decodeBody(t, patched, opts, warnings, true);
    return this.updateDecoded(t, ns, name, obj, schemaErrors, opts, warnings, subresource, true);
  }

  // -------------------------------------------------------------------------
  // get / list

  get(t: ResourceType, ns: string | undefined, name: string): JsonObject {
    const o = this.store.get(t.storage, t.namespaced ? ns : undefined, name);
    if (!o) throw notFound(gr(t), name);
    return this.toApi(t, o);
  }

  parseSelectors(
    t: ResourceType,
    o: { labelSelector?: string; fieldSelector?: string },
  ): {
    label: LabelSelector;
    field: FieldSelector;
  } {
    return {
      label: parseLabelSelector(o.labelSelector),
      field: parseFieldSelector(o.fieldSelector, t.fieldSelectors, t.fieldSelectorError),
    };
  }

  matches(t: ResourceType, stored: JsonObject, sel: { label: LabelSelector; field: FieldSelector }): boolean {
    return sel.label.matches(stored.metadata?.labels) && sel.field.matches(t.fields(stored));
  }

  list(
    t: ResourceType,
    ns: string | undefined,
    opts: ListOptions,
  ): { listRV: number; items: Array<[string, JsonObject]>; continue?: string; remainingItemCount?: number } {
    const sel = this.parseSelectors(t, opts);
    const store = this.store;
    let listRV = store.rv;
    let entries: Array<[string, JsonObject]>;
    let start = '';
    if (opts.resourceVersionMatch && !opts.resourceVersion && !opts.continue) {
      throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
        fe.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'),
      ]);
    }
    if (opts.continue) {
      if (opts.resourceVersion) {
        throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
          fe.forbidden('resourceVersion', 'specifying resource version is not allowed when using continue'),
        ]);
      }
      const c = decodeContinue(opts.continue);
      start = c.start;
      if (c.rv > 0 && c.rv < store.historyStartRV) {
        throw gone(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          encodeContinue(0, c.start),
        );
      }
      if (c.rv > 0) {
        listRV = c.rv;
        entries = store.snapshot(t.storage, c.rv, t.namespaced ? ns : undefined);
      } else entries = store.list(t.storage, t.namespaced ? ns : undefined);
    } else {
      const rvStr = opts.resourceVersion;
      const match = opts.resourceVersionMatch;
      if (rvStr !== undefined && rvStr !== '' && !/^\d+$/.test(rvStr)) {
        throw badRequest(`invalid resource version: ${rvStr}`);
      }
      const rv = rvStr ? Number(rvStr) : 0;
      if (match && match !== 'Exact' && match !== 'NotOlderThan') {
        throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [
          fe.notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan']),
        ]);
      }
      if (rv > store.rv) throw tooLargeResourceVersion(rv, store.rv);
      if (match === 'Exact') {
        if (rv < store.historyStartRV) throw tooOldResourceVersion(rv, store.historyStartRV);
        listRV = rv;
        entries = store.snapshot(t.storage, rv, t.namespaced ? ns : undefined);
      } else {
        entries = store.list(t.storage, t.namespaced ? ns : undefined);
      }
    }
    const filtered = entries.filter(([k, o]) => (!start || k >= start) && this.matches(t, o, sel));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    if (limit && filtered.length > limit) {
      const page = filtered.slice(0, limit);
      const lastKey = page[page.length - 1]![0];
      const hasSelectors = sel.label.requirements.length > 0 || sel.field.requirements.length > 0;
      return {
        listRV,
        items: page,
        continue: encodeContinue(listRV, `${lastKey}\u0000`),
        remainingItemCount: hasSelectors ? undefined : filtered.length - limit,
      };
    }
    return { listRV, items: filtered };
  }

  // -------------------------------------------------------------------------
  // delete

  delete(t: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions = {}): { result: JsonObject; code: number } {
    const old = this.store.get(t.storage, t.namespaced ? ns : undefined, name);
    if (!old) throw notFound(gr(t), name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw conflict(gr(t), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        gr(t),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    if (t.resource === 'namespaces') return this.deleteNamespace(t, old, opts);

    const next = deepClone(old);
    const finalizers: string[] = [...(next.metadata.finalizers ?? [])];
    if (opts.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (opts.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) {
      finalizers.push('foregroundDeletion');
    }
    if (finalizers.length > 0) {
      // graceful deletion: mark and wait for finalizers to be removed
      if (!next.metadata.deletionTimestamp) {
        next.metadata.deletionTimestamp = formatTime(new Date());
        next.metadata.deletionGracePeriodSeconds = 0;
        if (next.metadata.generation !== undefined) next.metadata.generation += 1;
      }
      next.metadata.finalizers = finalizers;
      if (opts.dryRun) return { result: this.toApi(t, next), code: 200 };
      if (!deepEqual(next, old)) this.store.commit('MODIFIED', t.storage, next);
      return { result: this.toApi(t, next), code: 200 };
    }
    if (opts.dryRun) return { result: this.deleteResult(t, old), code: 200 };
    this.store.commit('DELETED', t.storage, next);
    return { result: this.deleteResult(t, next), code: 200 };
  }

  private deleteResult(t: ResourceType, obj: JsonObject): JsonObject {
    if (t.returnDeletedObject) return this.toApi(t, obj);
    const details: JsonObject = { name: obj.metadata.name };
    if (t.group) details.group = t.group;
    details.kind = t.resource;
    details.uid = obj.metadata.uid;
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
  }

  private deleteNamespace(t: ResourceType, old: JsonObject, opts: DeleteOptions): { result: JsonObject; code: number } {
    const name = old.metadata.name;
    if (PROTECTED_NAMESPACES.includes(name)) {
      throw forbidden(gr(t), name, 'this namespace may not be deleted');
    }
    if (old.metadata.deletionTimestamp) {
      throw conflict(
        gr(t),
        name,
        'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      );
    }
    const next = deepClone(old);
    next.metadata.deletionTimestamp = formatTime(new Date());
    next.metadata.deletionGracePeriodSeconds = 0;
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    if (opts.dryRun) return { result: this.toApi(t, next), code: 200 };
    this.store.commit('MODIFIED', 'namespaces', next);
    return { result: this.toApi(t, next), code: 200 };
  }

  deleteCollection(t: ResourceType, ns: string | undefined, listOpts: ListOptions, opts: DeleteOptions): JsonObject[] {
    const { items } = this.list(t, ns, { labelSelector: listOpts.labelSelector, fieldSelector: listOpts.fieldSelector });
    const out: JsonObject[] = [];
    for (const [, o] of items) {
      try {
        const r = this.delete(t, o.metadata.namespace, o.metadata.name, opts);
        out.push(r.result.kind === 'Status' ? this.toApi(t, o) : r.result);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------
  // garbage collection & namespace controller (asynchronous, like the real ones)

  private scheduleGC() {
    if (this.gcScheduled || this.closed) return;
    this.gcScheduled = true;
    setImmediate(() => {
      this.gcScheduled = false;
      if (!this.closed) this.runGC();
    });
  }

  /** One pass of garbage collection; further passes are scheduled by the commits it makes. */
  runGC() {
    const store = this.store;
    const all = [...store.all()];
    // Indexed once per pass: scanning every object per owner made a pass quadratic.
    const dependents = new Map<string, typeof all>();
    for (const entry of all) {
      for (const ref of entry[1].metadata?.ownerReferences ?? []) {
        const list = dependents.get(ref.uid) ?? [];
        list.push(entry);
        dependents.set(ref.uid, list);
      }
    }
    const dependentsOf = (uid: string) => dependents.get(uid) ?? [];
    const live = (storage: string, o: JsonObject) => store.get(storage, o.metadata.namespace, o.metadata.name) === o;

    for (const [storage, o] of all) {
      if (!live(storage, o)) continue;
      const t = this.storageTypeOf(storage);
      const md = o.metadata;
      // namespace controller
      if (storage === 'namespaces' && md.deletionTimestamp) {
        let remaining = 0;
        for (const [s2, child] of all) {
          if (s2 === 'namespaces' || child.metadata?.namespace !== md.name) continue;
          if (!live(s2, child)) continue;
          remaining++;
          if (!child.metadata.deletionTimestamp) {
            this.systemDelete(this.storageTypeOf(s2), child, 'Background');
          }
        }
        if (remaining === 0 && !md.finalizers?.length) {
          const next = deepClone(o);
          next.spec = { ...(next.spec ?? {}), finalizers: [] };
          store.commit('DELETED', 'namespaces', next);
        }
        continue;
      }
      if (md.deletionTimestamp && md.finalizers?.includes('orphan')) {
        for (const [s2, dep] of dependentsOf(md.uid)) {
          if (!live(s2, dep)) continue;
          const next = deepClone(dep);
          next.metadata.ownerReferences = next.metadata.ownerReferences.filter((r: JsonObject) => r.uid !== md.uid);
          if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
          store.commit('MODIFIED', s2, next);
        }
        this.removeFinalizer(t, storage, o, 'orphan');
        continue;
      }
      if (md.deletionTimestamp && md.finalizers?.includes('foregroundDeletion')) {
        const deps = dependentsOf(md.uid).filter(([s2, d]) => live(s2, d));
        for (const [s2, dep] of deps) {
          if (!dep.metadata.deletionTimestamp) this.systemDelete(this.storageTypeOf(s2), dep, 'Foreground');
        }
        const blocking = deps.filter(([s2, d]) => store.get(s2, d.metadata.namespace, d.metadata.name));
        if (blocking.length === 0) this.removeFinalizer(t, storage, o, 'foregroundDeletion');
        continue;
      }
      // dependents of deleted owners
      const refs: JsonObject[] = md.ownerReferences ?? [];
      if (refs.length && !md.deletionTimestamp) {
        const deleted = refs.filter((r) => store.tombstones.has(r.uid) && !store.getByUid(r.uid));
        if (deleted.length === 0) continue;
        const remaining = refs.filter((r) => !deleted.includes(r));
        const solid = remaining.filter((r) => store.getByUid(r.uid));
        if (solid.length > 0 || remaining.length > 0) {
          const next = deepClone(o);
          next.metadata.ownerReferences = remaining;
          store.commit('MODIFIED', storage, next);
        } else {
          this.systemDelete(t, o, 'Background');
        }
      }
    }
  }

  private removeFinalizer(t: ResourceType, storage: string, o: JsonObject, f: string) {
    const next = deepClone(o);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((x: string) => x !== f);
    if (next.metadata.finalizers.length === 0) {
      delete next.metadata.finalizers;
      this.store.commit('DELETED', storage, next);
    } else this.store.commit('MODIFIED', storage, next);
    void t;
  }

  private systemDelete(t: ResourceType, o: JsonObject, policy: DeleteOptions['propagationPolicy']) {
    try {
      this.delete(t, o.metadata.namespace, o.metadata.name, { propagationPolicy: policy });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }

  // -------------------------------------------------------------------------
  // direct (test) access

  /** Store an object bypassing validation (defaults and metadata are still filled in). */
  put(obj: JsonObject, t: ResourceType): JsonObject {
    const o = deepClone(obj);
    o.metadata ??= {};
    pruneObjectMeta(o);
    try {
      t.decode(o);
    } catch (e) {
      if (e instanceof DecodeError) throw new Error(e.message, { cause: e });
      throw e;
    }
    const stored = t.fromApi(o);
    const st = this.storageTypeOf(t.storage);
    stored.kind = st.kind;
    stored.apiVersion = apiVersionOf(st);
    const md = stored.metadata;
    if (t.namespaced) md.namespace ||= 'default';
    else delete md.namespace;
    if (!md.name && md.generateName) md.name = generateName(md.generateName);
    if (!md.name) throw new Error('put: metadata.name is required');
    if (t.namespaced) this.ensureNamespace(md.namespace);
    const old = this.store.get(t.storage, md.namespace, md.name);
    const providedStatus = stored.status;
    const providedGeneration = md.generation;
    st.prepareForCreate(stored, this.ctx('create'));
    if (providedStatus !== undefined) stored.status = providedStatus;
    md.uid ||= old?.metadata.uid ?? randomUUID();
    md.creationTimestamp ||= old?.metadata.creationTimestamp ?? formatTime(new Date());
    delete md.resourceVersion;
    if (t.trackGeneration) {
      if (providedGeneration !== undefined) md.generation = providedGeneration;
      else if (!old) md.generation = 1;
      else {
        const strip = (x: JsonObject) => {
          const c = { ...x };
          delete c.metadata;
          delete c.status;
          return c;
        };
        md.generation = (old.metadata.generation ?? 1) + (deepEqual(strip(stored), strip(old)) ? 0 : 1);
      }
    }
    if (!t.custom) dropNulls(stored);
    this.store.commit(old ? 'MODIFIED' : 'ADDED', t.storage, stored);
    return this.toApi(t, stored);
  }

  /** Delete bypassing HTTP (finalizers and GC still apply). Returns false if absent. */
  remove(t: ResourceType, ns: string | undefined, name: string, policy?: DeleteOptions['propagationPolicy']): boolean {
    try {
      this.delete(t, ns, name, { propagationPolicy: policy });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return false;
      throw e;
    }
  }

  keyOf(o: JsonObject) {
    return objectKey(o.metadata?.namespace, o.metadata?.name);
  }
}

/** ObjectMeta fields in Go struct order, as the real server serialises them. */
function orderMetadata(md: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of OBJECT_META_FIELDS) if (md[k] !== undefined) out[k] = md[k];
  for (const k of Object.keys(md)) if (!(k in out)) out[k] = md[k];
  return out;
}

function unsupportedPatch(t: ResourceType): ApiError {
  const types = t.strategicMergePatch
    ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply]
    : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply];
  return new ApiError(
    status(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${types.join(', ')}`,
    ),
  );
}
