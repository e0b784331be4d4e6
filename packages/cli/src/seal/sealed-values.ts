/**
 * The sealed values of a SealedSecret document and their replacement in the
 * file's text, for commands that rewrite only values (reseal, diff --textconv):
 * YAML through yaml-edit's splices, JSON by replacing the quoted base64 where it
 * stands (a random ciphertext occurs once), so no other byte moves.
 */
import { scopeFromAnnotations, type SealedSecretManifest, type Target } from '@sealkit/core';
import { describeObject, isObject, stringTokenOffsets, type KubeObject, type SourceDocument } from '@sealkit/core/manifest';
import { yamlEditSplices, type Splice } from '../output/yaml-edit.js';
import { CliError } from '../program/errors.js';

/** A key of spec.encryptedData, or undefined for the deprecated spec.data (a whole Secret as one value). */
export type ValueKey = string | undefined;

/** The label the values of a SealedSecret are bound to: its name, namespace and scope annotations. */
export function targetOf(sealed: SealedSecretManifest | KubeObject): Target {
  const metadata = isObject(sealed.metadata) ? sealed.metadata : {};
  const annotations = isObject(metadata.annotations) ? (metadata.annotations as Record<string, string>) : undefined;
  return {
    namespace: metadata.namespace as string | undefined,
    name: metadata.name as string | undefined,
    scope: scopeFromAnnotations(annotations),
  };
}

export function sealedEntries(sealed: SealedSecretManifest | KubeObject): [ValueKey, unknown][] {
  const spec = (isObject(sealed.spec) ? sealed.spec : {}) as KubeObject;
  const entries: [ValueKey, unknown][] = isObject(spec.encryptedData) ? Object.entries(spec.encryptedData) : [];
  if (typeof spec.data === 'string') entries.push([undefined, spec.data]);
  return entries;
}

export const valueName = (key: ValueKey) => (key === undefined ? 'spec.data' : `key ${JSON.stringify(key)}`);

/** In JSON: the quoted value replaced where it stands; undefined unless it occurs exactly once in the document. */
function jsonValueSplice(tokens: ReadonlyMap<string, number>, before: string, after: string): Splice | undefined {
  const quoted = JSON.stringify(before);
  const at = tokens.get(quoted) ?? -1;
  return at < 0 ? undefined : { start: at, end: at + quoted.length, text: JSON.stringify(after) };
}

/** Splices giving the document's values in `replacements` their new text; every other byte stays. */
export function valueSplices(source: string, document: SourceDocument, replacements: ReadonlyMap<ValueKey, string>): Splice[] {
  if (replacements.size === 0) return [];
  if (!document.yaml) {
    const tokens = stringTokenOffsets(source, document.start, document.end);
    const splices = sealedEntries(document.value as KubeObject).flatMap(([key, value]) =>
      replacements.has(key) ? [jsonValueSplice(tokens, String(value), replacements.get(key)!)] : [],
    );
    if (splices.every((splice) => splice !== undefined)) return splices as Splice[];
    throw new CliError(
      `${describeObject(document.value as KubeObject)}: a sealed value is written with escaped characters and cannot be replaced in place; reformat the file`,
    );
  }
  const set = Object.fromEntries([...replacements].filter(([key]) => key !== undefined)) as Record<string, string>;
  const edits = [{ path: ['spec', 'encryptedData'], set }];
  if (replacements.has(undefined)) edits.push({ path: ['spec'], set: { data: replacements.get(undefined)! } });
  return yamlEditSplices(source, document.yaml, edits);
}
