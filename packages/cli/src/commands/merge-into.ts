/**
 * kubeseal --merge-into FILE: the input Secret's keys sealed into an existing
 * sealed file, in place. Like kubeseal, the target's name, namespace and scope
 * win (values sealed otherwise would not open), and the Secret's labels and
 * annotations are merged into the template. Unlike kubeseal, nothing else in
 * the file changes: other keys, documents and comments keep their bytes.
 */
import type { Command } from 'commander';
import { isSealedSecret, scopeFromAnnotations, type SealedSecretManifest } from '@sealkit/core';
import { describeObject, isObject, type KubeObject } from '@sealkit/core/manifest';
import { readTextFile, writeFileAtomic } from '../input/files.js';
import { sealingKeys } from '../keys/key-sources.js';
import { ManifestFile } from '../output/manifest-file.js';
import type { MapEdit } from '../output/map-edit.js';
import { CliError } from '../program/errors.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { keepUnchangedValues, keysAtHand } from '../seal/quiet-merge.js';
import { sealOne, sealSettings, secretsToSeal } from './seal.js';

const TEMPLATE_METADATA = ['spec', 'template', 'metadata'];

/** The entries of `next` that `current` lacks or holds differently. */
function changedEntries(current: unknown, next: unknown): Record<string, string> {
  const before = isObject(current) ? current : {};
  return Object.fromEntries(Object.entries(isObject(next) ? next : {}).filter(([key, value]) => before[key] !== value)) as Record<
    string,
    string
  >;
}

function mergeEdits(target: SealedSecretManifest, update: SealedSecretManifest): MapEdit[] {
  const metadata = target.spec.template?.metadata;
  const updated = update.spec.template.metadata;
  return [
    { path: ['spec', 'encryptedData'], set: update.spec.encryptedData },
    { path: [...TEMPLATE_METADATA, 'annotations'], set: changedEntries(metadata?.annotations, updated.annotations) },
    { path: [...TEMPLATE_METADATA, 'labels'], set: changedEntries(metadata?.labels, updated.labels) },
  ];
}

/** Which SealedSecret of the file a Secret goes into: the only one, else the one with its name (and namespace). */
function targetIndex(secret: KubeObject, file: ManifestFile, candidates: number[], options: KubesealOptions, path: string): number {
  if (candidates.length === 1) return candidates[0]!;
  const metadata = isObject(secret.metadata) ? secret.metadata : {};
  const name = options.name ?? metadata.name;
  const matches = candidates.filter((index) => {
    const target = (file.documents[index]!.value as SealedSecretManifest).metadata;
    return target.name === name && (!metadata.namespace || metadata.namespace === target.namespace);
  });
  if (matches.length !== 1) {
    throw new CliError(
      `"${path}" holds ${candidates.length} SealedSecrets and ${matches.length === 0 ? 'none' : 'several'} named "${String(name)}"; name the Secret after the one to merge into.`,
    );
  }
  return matches[0]!;
}

export async function mergeIntoCommand(options: KubesealOptions, command: Command): Promise<void> {
  const path = options.mergeInto!;
  const file = new ManifestFile(readTextFile(path, 'SealedSecret file'), `file "${path}"`);
  const candidates = file.documents.flatMap((document, index) =>
    isSealedSecret(document.value) && isObject(document.value.spec) ? [index] : [],
  );
  if (candidates.length === 0)
    throw new CliError(`"${path}" holds no SealedSecret to merge into; seal the Secret with -w "${path}" instead.`);
  const { objects } = await secretsToSeal(options);
  const keyring = await sealingKeys(keySourceOptions(options, command));
  const settings = sealSettings(options);
  const opening = await keysAtHand();
  const merged = new Set<number>();
  for (const secret of objects) {
    const index = targetIndex(secret, file, candidates, options, path);
    const target = file.documents[index]!.value as SealedSecretManifest;
    if (merged.has(index))
      throw new CliError(
        `Two input Secrets go into ${describeObject(target as unknown as KubeObject)}; merge one Secret per SealedSecret.`,
      );
    const scope = scopeFromAnnotations(target.metadata.annotations);
    if (settings.scope && settings.scope !== scope) {
      throw new CliError(
        `${describeObject(target as unknown as KubeObject)} in "${path}" is ${scope}, and values merged into it must be too; drop --scope ${settings.scope}.`,
      );
    }
    const sealed = await sealOne(secret, keyring, { ...settings, scope, name: target.metadata.name, namespace: target.metadata.namespace });
    // sealkit: values whose plaintext did not change keep their ciphertext (quiet-merge.ts).
    const update = await keepUnchangedValues(target, secret, sealed as unknown as SealedSecretManifest, opening);
    file.edit(index, mergeEdits(target, update));
    merged.add(index);
  }
  writeFileAtomic(path, file.toString());
}
