/**
 * kubeseal --re-encrypt (--rotate): SealedSecrets resealed with the newest key,
 * by the controller's /v1/rotate, or locally: each value opened with the given
 * keys (or the local keyring) and sealed again, everything else kept. A file
 * re-encrypted in place keeps every byte but the sealed values, comments too.
 */
import type { Command } from 'commander';
import { isSealedSecret, scopeFromAnnotations, type Keyring, type Target } from '@sealkit/core';
import { describeObject, isObject, renderJson, renderObjects, type KubeObject } from '@sealkit/core/manifest';
import { rotateInCluster } from '../cluster/controller-proxy.js';
import { forEachDocument } from '../input/each-document.js';
import { readTextFile, writeFileAtomic } from '../input/files.js';
import { localOpeningKeys, NO_OPENING_KEYS_HINT, type KeySourceOptions } from '../keys/key-sources.js';
import { clusterConfigured } from '../cluster/kubeconfig.js';
import { ManifestFile } from '../output/manifest-file.js';
import type { MapEdit } from '../output/map-edit.js';
import { outputFormat, writeOutput } from '../output/output.js';
import { asClause, CliError } from '../program/errors.js';
import { USAGE_EXIT_CODE } from '../program/go-flags.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { readSealedSecrets, requireSealedSecrets } from './unseal.js';

/** What kubeseal clears on a re-encrypted object: fields the API server sets. */
function withoutServerFields(sealed: KubeObject): KubeObject {
  const metadata: KubeObject = { ...(sealed.metadata as KubeObject) };
  delete metadata.deletionTimestamp;
  delete metadata.generation;
  delete metadata.creationTimestamp;
  return { ...sealed, metadata };
}

async function reseal(keyring: Keyring, value: unknown, target: Target, what: string): Promise<string> {
  if (typeof value !== 'string') throw new CliError(`Cannot re-encrypt ${what}: the sealed value is not a string.`);
  try {
    return await keyring.seal((await keyring.open(value, target)).plaintext, target);
  } catch (error) {
    throw new CliError(`Cannot re-encrypt ${what}: ${asClause((error as Error).message)}.`);
  }
}

/** Every sealed value opened and sealed again with the keyring's newest key; the rest untouched. */
async function reEncryptLocally(sealed: KubeObject, keyring: Keyring): Promise<KubeObject> {
  const metadata = sealed.metadata as { namespace?: string; name?: string; annotations?: Record<string, string> };
  const target: Target = { namespace: metadata.namespace, name: metadata.name, scope: scopeFromAnnotations(metadata.annotations) };
  const spec = { ...(sealed.spec as KubeObject) };
  const what = describeObject(sealed);
  if (isObject(spec.encryptedData)) {
    const encrypted: KubeObject = {};
    for (const [key, value] of Object.entries(spec.encryptedData))
      encrypted[key] = await reseal(keyring, value, target, `"${key}" of ${what}`);
    spec.encryptedData = encrypted;
  }
  if (spec.data !== undefined) spec.data = await reseal(keyring, spec.data, target, `the deprecated spec.data of ${what}`);
  return withoutServerFields({ ...sealed, spec });
}

/** One SealedSecret resealed, by the local keys when there are any, else by the controller. */
type Resealer = (sealed: KubeObject) => Promise<KubeObject>;

function resealer(keyring: Keyring | undefined, sources: KeySourceOptions): Resealer {
  if (keyring) return (sealed) => reEncryptLocally(sealed, keyring);
  return async (sealed) => {
    const rotated = await rotateInCluster(sources, renderJson(sealed), describeObject(sealed));
    if (!isObject(rotated)) throw new CliError(`The controller's answer for ${describeObject(sealed)} is not a SealedSecret.`);
    return withoutServerFields(rotated);
  };
}

/** The new sealed values as edits: in place, every other byte of the file (comments too) stays. */
function valueEdits(resealed: KubeObject): MapEdit[] {
  const spec = isObject(resealed.spec) ? resealed.spec : {};
  const edits: MapEdit[] = [];
  if (isObject(spec.encryptedData)) edits.push({ path: ['spec', 'encryptedData'], set: spec.encryptedData as Record<string, string> });
  if (typeof spec.data === 'string') edits.push({ path: ['spec'], set: { data: spec.data } });
  return edits;
}

/** Re-encrypts a file in place, changing only the sealed values. */
async function reEncryptFile(path: string, reseal: Resealer): Promise<void> {
  const file = new ManifestFile(readTextFile(path, 'SealedSecret file'), `file "${path}"`);
  const what = `file "${path}"`;
  requireSealedSecrets(
    { objects: file.documents.flatMap(({ value }) => (value === null || value === undefined ? [] : [value as KubeObject])), list: false },
    what,
  );
  for (const [index, document] of file.documents.entries()) {
    if (!isSealedSecret(document.value)) continue;
    file.edit(index, valueEdits(await reseal(document.value as unknown as KubeObject)));
  }
  writeFileAtomic(path, file.toString());
}

export async function reEncryptCommand(options: KubesealOptions, command: Command): Promise<void> {
  const sources = keySourceOptions(options, command);
  const keyring = await localOpeningKeys(options.recoveryPrivateKey, sources);
  if (!keyring && !clusterConfigured(sources)) throw new CliError(`No keys to re-encrypt with: ${NO_OPENING_KEYS_HINT}.`);
  const reseal = resealer(keyring, sources);
  const inputFiles = options.secretFiles.filter((file) => file !== '-');
  // kubeseal (#405): with input files and no output file, each input file is rewritten.
  if (!options.sealedSecretFile && inputFiles.length > 0) {
    if (inputFiles.length !== options.secretFiles.length)
      throw new CliError('-f - (stdin) cannot be re-encrypted in place with other files; give stdin alone.', USAGE_EXIT_CODE);
    for (const file of inputFiles) await reEncryptFile(file, reseal);
    return;
  }
  if (options.secretFiles.length > 1)
    throw new CliError(
      '-w takes the re-encrypted SealedSecrets of one input; without -w, each -f file is re-encrypted in place.',
      USAGE_EXIT_CODE,
    );
  const format = outputFormat(options.format, options.sealedSecretFile);
  const manifests = await readSealedSecrets([], options.secretFile);
  const resealed = await forEachDocument(manifests.objects, 'input', reseal);
  writeOutput(renderObjects(resealed, format, manifests.list), options.sealedSecretFile);
}
