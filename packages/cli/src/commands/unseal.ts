/**
 * Opening SealedSecrets outside the cluster: kubeseal's --recovery-unseal and
 * sealkit's `unseal` (the same, with the local keyring as the default keys and
 * --raw for single values).
 */
import { isSealedSecret, unsealSecret, type Keyring } from '@sealkit/core';
import { parseManifests, renderObjects, type KubeObject, type Manifests } from '@sealkit/core/manifest';
import { forEachDocument } from '../input/each-document.js';
import { readInputText, readNamedText, TTY_HINTS } from '../input/input.js';
import { openingKeys } from '../keys/key-sources.js';
import { outputFormat, writeOutput } from '../output/output.js';
import { CliError } from '../program/errors.js';
import type { KubesealOptions } from '../program/options.js';
import { renderTemplatesInWorker } from '../seal/template-sandbox.js';
import { rawInput, rawTarget } from './raw.js';

/** Every object must be a SealedSecret; the error names the first one that is not. */
export function requireSealedSecrets(manifests: Manifests, what: string): KubeObject[] {
  manifests.objects.forEach((object, index) => {
    if (!isSealedSecret(object)) {
      const where = manifests.objects.length > 1 ? `Document ${index + 1} of the ${what}` : `The ${what}`;
      throw new CliError(
        `${where} is ${typeof object.kind === 'string' ? `a ${object.kind}` : 'an object without kind'}, not a bitnami.com/v1alpha1 SealedSecret.`,
      );
    }
  });
  return manifests.objects;
}

/** The SealedSecrets in the given files (several files' documents in order), else in -f or stdin. */
export async function readSealedSecrets(files: readonly string[], inputFile: string | undefined): Promise<Manifests> {
  if (files.length === 0) {
    const manifests = parseManifests(await readInputText(inputFile, 'input'), 'input');
    requireSealedSecrets(manifests, 'input');
    return manifests;
  }
  const objects: KubeObject[] = [];
  for (const file of files) {
    const what = file === '-' ? 'input' : `file "${file}"`;
    objects.push(...requireSealedSecrets(parseManifests(await readNamedText(file, 'SealedSecret file'), what), what));
  }
  return { objects, list: false };
}

async function unsealAll(manifests: Manifests, keyring: Keyring, options: KubesealOptions): Promise<void> {
  const format = outputFormat(options.format, options.sealedSecretFile);
  const secrets = await forEachDocument(
    manifests.objects,
    'input',
    async (sealed) => (await unsealSecret(sealed, keyring, { renderTemplates: renderTemplatesInWorker })) as unknown as KubeObject,
  );
  writeOutput(renderObjects(secrets, format, manifests.list), options.sealedSecretFile, { private: true });
}

export async function recoveryUnsealCommand(options: KubesealOptions): Promise<void> {
  const manifests = await readSealedSecrets([], options.secretFile);
  await unsealAll(manifests, await openingKeys(options.recoveryPrivateKey, '--recovery-private-key'), options);
}

export async function unsealCommand(files: string[], options: KubesealOptions & { key: string[] }): Promise<void> {
  const keyFiles = [...options.key, ...options.recoveryPrivateKey];
  if (options.raw) {
    const target = rawTarget(options);
    const sealed = new TextDecoder().decode(await rawInput(options, TTY_HINTS.sealedValue));
    const keyring = await openingKeys(keyFiles, '--key');
    writeOutput((await keyring.open(sealed.trim(), target)).plaintext, options.sealedSecretFile, { private: true });
    return;
  }
  const manifests = await readSealedSecrets(files, options.secretFile);
  await unsealAll(manifests, await openingKeys(keyFiles, '--key'), options);
}
