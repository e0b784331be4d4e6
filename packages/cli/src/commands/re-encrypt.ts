/**
 * kubeseal --re-encrypt (--rotate): SealedSecrets resealed with the newest key,
 * by the controller's /v1/rotate, or locally: each value opened with the given
 * keys (or the local keyring) and sealed again, everything else kept.
 */
import type { Command } from 'commander';
import { scopeFromAnnotations, type Keyring, type Target } from '@sealkit/core';
import { rotateInCluster } from '../cluster.js';
import { describeObject, forEachDocument, isObject, type KubeObject } from '../documents.js';
import { asClause, CliError } from '../errors.js';
import { localOpeningKeys, NO_OPENING_KEYS_HINT } from '../key-sources.js';
import { clusterConfigured } from '../kubeconfig.js';
import { keySourceOptions, type KubesealOptions } from '../options.js';
import { outputFormat, writeOutput } from '../output.js';
import { renderJson, renderObjects } from '../render.js';
import { readSealedSecrets } from './unseal.js';

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
    for (const [key, value] of Object.entries(spec.encryptedData)) encrypted[key] = await reseal(keyring, value, target, `"${key}" of ${what}`);
    spec.encryptedData = encrypted;
  }
  if (spec.data !== undefined) spec.data = await reseal(keyring, spec.data, target, `the deprecated spec.data of ${what}`);
  return withoutServerFields({ ...sealed, spec });
}

export async function reEncryptCommand(options: KubesealOptions, command: Command): Promise<void> {
  // kubeseal (#405): with an input file and no output file, the input file is rewritten.
  const outputFile = options.sealedSecretFile ?? (options.secretFile !== '-' ? options.secretFile : undefined);
  const format = outputFormat(options.format, outputFile);
  const manifests = await readSealedSecrets([], options.secretFile);
  const sources = keySourceOptions(options, command);
  const keyring = await localOpeningKeys(options.recoveryPrivateKey, sources);
  if (!keyring && !clusterConfigured(sources)) throw new CliError(`No keys to re-encrypt with: ${NO_OPENING_KEYS_HINT}.`);
  const resealed = await forEachDocument(manifests.objects, 'input', async (sealed) => {
    if (keyring) return reEncryptLocally(sealed, keyring);
    const rotated = await rotateInCluster(sources, renderJson(sealed), describeObject(sealed));
    if (!isObject(rotated)) throw new CliError(`The controller's answer for ${describeObject(sealed)} is not a SealedSecret.`);
    return withoutServerFields(rotated);
  });
  writeOutput(renderObjects(resealed, format, manifests.list), outputFile);
}
