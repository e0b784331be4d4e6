// PATCH document application: RFC 7386 JSON merge patch, RFC 6902 JSON patch,
// and Kubernetes strategic merge patch (the subset of directives our types use).

import { ApiError, badRequest, status } from './errors.js';

type Json = any;

export const isPlainObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const unprocessable = (msg: string) => new ApiError(status(422, 'Invalid', msg));

// ---------------------------------------------------------------------------
// RFC 7386

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return deepClone(patch);
  const out: Record<string, any> = isPlainObject(target) ? deepClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

// ---------------------------------------------------------------------------
// RFC 6902

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw unprocessable(`JSON pointer must start with '/': ${JSON.stringify(p)}`);
  return p
    .slice(1)
    .split('/')
    .map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: Json, path: string[]): { found: boolean; value?: Json } {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      const idx = Number(seg);
      if (!/^\d+$/.test(seg) || idx >= cur.length) return { found: false };
      cur = cur[idx];
    } else if (isPlainObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
      cur = cur[seg];
    } else return { found: false };
  }
  return { found: true, value: cur };
}

function parentOf(doc: Json, path: string[], op: string, rawPath: string): Json {
  const parent = getAt(doc, path.slice(0, -1));
  if (!parent.found || parent.value === null || typeof parent.value !== 'object') {
    throw unprocessable(`${op} operation does not apply: doc is missing path: ${JSON.stringify(rawPath)}: missing value`);
  }
  return parent.value;
}

export function applyJsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root = deepClone(doc);
  for (const op of ops) {
    if (!isPlainObject(op) || typeof op.op !== 'string') throw badRequest('invalid JSON patch operation');
    const rawPath: string = op.path ?? '';
    const path = parsePointer(rawPath);
    const last = path[path.length - 1];
    const add = (value: Json) => {
      if (path.length === 0) {
        root = deepClone(value);
        return;
      }
      const parent = parentOf(root, path, 'add', rawPath);
      if (Array.isArray(parent)) {
        const idx = last === '-' ? parent.length : Number(last);
        if (!(last === '-' || /^\d+$/.test(last!)) || idx > parent.length) {
          throw unprocessable(`Unable to access invalid index: ${last}: invalid index referenced`);
        }
        parent.splice(idx, 0, deepClone(value));
      } else parent[last!] = deepClone(value);
    };
    const remove = (): Json => {
      const parent = parentOf(root, path, 'remove', rawPath);
      if (Array.isArray(parent)) {
        const idx = Number(last);
        if (!/^\d+$/.test(last!) || idx >= parent.length) {
          throw unprocessable(`Unable to remove nonexistent key: ${last}: missing value`);
        }
        return parent.splice(idx, 1)[0];
      }
      if (!Object.prototype.hasOwnProperty.call(parent, last!)) {
        throw unprocessable(`Unable to remove nonexistent key: ${last}: missing value`);
      }
      const v = parent[last!];
      delete parent[last!];
      return v;
    };
    switch (op.op) {
      case 'add':
        if (!('value' in op)) throw badRequest(`add operation does not apply: doc is missing value`);
        add(op.value);
        break;
      case 'remove':
        remove();
        break;
      case 'replace': {
        if (path.length === 0) {
          root = deepClone(op.value);
          break;
        }
        const parent = parentOf(root, path, 'replace', rawPath);
        if (Array.isArray(parent)) {
          const idx = Number(last);
          if (!/^\d+$/.test(last!) || idx >= parent.length) {
            throw unprocessable(`replace operation does not apply: doc is missing key: ${rawPath}: missing value`);
          }
          parent[idx] = deepClone(op.value);
        } else {
          if (!Object.prototype.hasOwnProperty.call(parent, last!)) {
            throw unprocessable(`replace operation does not apply: doc is missing key: ${rawPath}: missing value`);
          }
          parent[last!] = deepClone(op.value);
        }
        break;
      }
      case 'move':
      case 'copy': {
        const from = parsePointer(op.from ?? '');
        const src = getAt(root, from);
        if (!src.found) throw unprocessable(`${op.op} operation does not apply: doc is missing from path: ${op.from}: missing value`);
        const value = deepClone(src.value);
        if (op.op === 'move') {
          const fromLast = from[from.length - 1];
          const parent = parentOf(root, from, 'move', op.from);
          if (Array.isArray(parent)) parent.splice(Number(fromLast), 1);
          else delete parent[fromLast!];
        }
        add(value);
        break;
      }
      case 'test': {
        const cur = getAt(root, path);
        if (!cur.found || !deepEqual(cur.value, op.value)) {
          throw unprocessable(`testing value ${rawPath} failed: test failed`);
        }
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return root;
}

// ---------------------------------------------------------------------------
// Strategic merge patch

/** Patch metadata for a list field: merge by key, or merge primitive values. */
export interface ListPatchMeta {
  strategy: 'merge';
  mergeKey?: string;
}
/** Dotted field path (list indices elided) → list patch metadata. */
export type PatchMetaTable = Record<string, ListPatchMeta>;

export const OBJECT_META_PATCH_META: PatchMetaTable = {
  'metadata.finalizers': { strategy: 'merge' },
  'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
};

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => !(isPlainObject(x) && x.$patch === 'delete')).map(stripDirectives);
  if (isPlainObject(v)) {
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('$')) continue;
      out[k] = stripDirectives(x);
    }
    return out;
  }
  return v;
}

function smpList(orig: Json, patch: Json[], path: string, meta: PatchMetaTable): Json[] {
  const m = meta[path];
  // `$patch: replace` element anywhere → replace the whole list
  if (patch.some((x) => isPlainObject(x) && x.$patch === 'replace')) {
    return stripDirectives(patch.filter((x) => !(isPlainObject(x) && x.$patch === 'replace')));
  }
  if (!m) return stripDirectives(patch);
  const base: Json[] = Array.isArray(orig) ? deepClone(orig) : [];
  if (!m.mergeKey) {
    // merge list of primitives: union, preserving original order
    for (const v of patch) if (!base.some((b) => deepEqual(b, v))) base.push(v);
    return base;
  }
  const key = m.mergeKey;
  for (const el of patch) {
    if (!isPlainObject(el)) throw badRequest('unable to find api field in struct for the patch');
    const idx = base.findIndex((b) => isPlainObject(b) && deepEqual(b[key], el[key]));
    if (el.$patch === 'delete') {
      if (idx >= 0) base.splice(idx, 1);
      continue;
    }
    if (idx >= 0) base[idx] = smpObject(base[idx], el, path, meta);
    else base.push(stripDirectives(el));
  }
  return base;
}

function smpObject(orig: Json, patch: Record<string, any>, path: string, meta: PatchMetaTable): Json {
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, any> = isPlainObject(orig) ? deepClone(orig) : {};
  const orders: Array<[string, Json[]]> = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (k === '$retainKeys') continue;
    if (k.startsWith('$setElementOrder/')) {
      if (Array.isArray(v)) orders.push([k.slice('$setElementOrder/'.length), v]);
      continue;
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const lk = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[lk]) && Array.isArray(v)) {
        out[lk] = out[lk].filter((x: Json) => !v.some((d) => deepEqual(d, x)));
      }
      continue;
    }
    const childPath = path ? `${path}.${k}` : k;
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = smpList(out[k], v, childPath, meta);
    else if (isPlainObject(v)) {
      const r = smpObject(out[k], v, childPath, meta);
      if (r === undefined) delete out[k];
      else out[k] = r;
    } else out[k] = v;
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k) && !(k in patch)) delete out[k];
  }
  for (const [lk, order] of orders) {
    const list = out[lk];
    if (!Array.isArray(list)) continue;
    const m = meta[path ? `${path}.${lk}` : lk];
    const keyOf = (x: Json) => (m?.mergeKey && isPlainObject(x) ? x[m.mergeKey] : x);
    const ordered: Json[] = [];
    const rest = [...list];
    for (const o of order) {
      const want = m?.mergeKey && isPlainObject(o) ? o[m.mergeKey] : o;
      const i = rest.findIndex((x) => deepEqual(keyOf(x), want));
      if (i >= 0) ordered.push(...rest.splice(i, 1));
    }
    out[lk] = [...ordered, ...rest];
  }
  return out;
}

export function applyStrategicMergePatch(target: Json, patch: Json, meta: PatchMetaTable): Json {
  if (!isPlainObject(patch)) throw badRequest('unable to apply strategic merge patch: patch is not a JSON object');
  const r = smpObject(target, patch, '', { ...OBJECT_META_PATCH_META, ...meta });
  return r ?? {};
}

/**
 * Server-side apply approximation: the applied configuration is merged into
 * the live object (maps merged recursively, keyed lists merged by key, other
 * lists replaced). Field ownership and removal of fields no longer applied are
 * not modelled.
 */
export function applyServerSideApply(target: Json, applied: Json, meta: PatchMetaTable): Json {
  const all = { ...OBJECT_META_PATCH_META, ...meta };
  const merge = (orig: Json, patch: Json, path: string): Json => {
    if (Array.isArray(patch)) {
      const m = all[path];
      if (m?.mergeKey && Array.isArray(orig)) return smpList(orig, patch, path, all);
      return deepClone(patch);
    }
    if (!isPlainObject(patch)) return deepClone(patch);
    const out: Record<string, any> = isPlainObject(orig) ? deepClone(orig) : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = merge(out[k], v, path ? `${path}.${k}` : k);
    }
    return out;
  };
  return merge(target, applied, '');
}
