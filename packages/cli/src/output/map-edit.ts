/**
 * An edit to one mapping inside a manifest (say spec.encryptedData): keys to set
 * and keys to remove. Applied to plain objects here and to YAML text in place by
 * yaml-edit.ts; both put a new key where sorted order puts it.
 */
import { goYamlKeyOrder, isObject, type KubeObject } from '@sealkit/core/manifest';

export type EditValue = string | { [key: string]: EditValue };

export interface MapEdit {
  /** Keys from the document's root to the mapping; missing mappings are created. */
  path: readonly string[];
  set?: Readonly<Record<string, string>>;
  remove?: readonly string[];
}

/** Where a new key goes among existing ones: before the first that sorts after it (go-yaml's order, kubeseal's). */
export function insertionIndex(existingKeys: readonly string[], key: string): number {
  const index = existingKeys.findIndex((existing) => goYamlKeyOrder(existing, key) > 0);
  return index < 0 ? existingKeys.length : index;
}

/** `{a: {b: leaf}}` for path [a, b]. */
export function nest(path: readonly string[], leaf: Readonly<Record<string, string>>): EditValue {
  return path.reduceRight<EditValue>((inner, key) => ({ [key]: inner }), { ...leaf });
}

export function hasChanges(edit: MapEdit): boolean {
  return Object.keys(edit.set ?? {}).length + (edit.remove?.length ?? 0) > 0;
}

function withKey(object: KubeObject, key: string, value: unknown): KubeObject {
  if (key in object) return { ...object, [key]: value };
  const entries = Object.entries(object);
  entries.splice(insertionIndex(Object.keys(object), key), 0, [key, value]);
  return Object.fromEntries(entries);
}

/** The object with `edit` applied; new keys in sorted position, everything else in its order. */
export function applyMapEdit(root: KubeObject, edit: MapEdit): KubeObject {
  const [head, ...rest] = edit.path;
  if (head !== undefined) {
    if (!isObject(root[head]) && Object.keys(edit.set ?? {}).length === 0) return root;
    const child = isObject(root[head]) ? root[head] : {};
    return withKey(root, head, applyMapEdit(child, { ...edit, path: rest }));
  }
  let out = { ...root };
  for (const key of edit.remove ?? []) delete out[key];
  for (const [key, value] of Object.entries(edit.set ?? {})) out = withKey(out, key, value);
  return out;
}
