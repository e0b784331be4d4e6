/** kubeseal's main job: Secrets in, SealedSecrets out. */
import type { Command } from 'commander';
import { quoteName, scopeFromAnnotations, sealSecret, type Keyring, type Scope } from '@sealkit/core';
import { forEachDocument, isObject, parseManifests, type KubeObject, type Manifests } from '../documents.js';
import { CliError } from '../errors.js';
import { readInputText } from '../input.js';
import { sealingKeys } from '../key-sources.js';
import { defaultNamespace } from '../kubeconfig.js';
import { keySourceOptions, type KubesealOptions } from '../options.js';
import { outputFormat, writeOutput } from '../output.js';
import { renderObjects } from '../render.js';
import { buildSecret, hasSecretSources } from '../secret-builder.js';

export interface SealSettings {
  scope?: Scope;
  allowEmptyData?: boolean;
  /** kubeseal --name: replaces the Secret's name. */
  name?: string;
  /** Replaces the Secret's namespace (--merge-into uses the target's). */
  namespace?: string;
  /** The namespace for a Secret that has none; looked up only when needed (it may read kubeconfig). */
  defaultNamespace: () => string;
}

function isEmptyRecord(value: unknown): boolean {
  return !isObject(value) || Object.keys(value).length === 0;
}

/** Seals one Secret manifest the way kubeseal does: name/namespace overrides, namespace defaulting, empty-data check. */
export async function sealOne(secret: KubeObject, keyring: Keyring, settings: SealSettings): Promise<KubeObject> {
  const metadata: KubeObject = isObject(secret.metadata) ? { ...secret.metadata } : {};
  if (settings.name) metadata.name = settings.name;
  if (settings.namespace) metadata.namespace = settings.namespace;
  if (secret.kind === 'Secret' && isEmptyRecord(secret.data) && isEmptyRecord(secret.stringData) && !settings.allowEmptyData) {
    const which = typeof metadata.name === 'string' ? ` ${quoteName(metadata.name)}` : ''; // escaped: a name may hold terminal escapes
    throw new CliError(`The Secret${which} has no data; add data or stringData, or pass --allow-empty-data to seal it empty.`);
  }
  const annotations = isObject(metadata.annotations) ? (metadata.annotations as Record<string, string>) : undefined;
  const scope = settings.scope ?? scopeFromAnnotations(annotations);
  // Only a missing namespace is defaulted: false or 0 (YAML 1.1 reads "n" as false) is refused by sealSecret.
  if (scope !== 'cluster-wide' && (metadata.namespace === undefined || metadata.namespace === null || metadata.namespace === '')) {
    metadata.namespace = settings.defaultNamespace();
  }
  // The certificate's validity was checked (and warned about) once, when the keyring was made.
  const sealed = await sealSecret({ ...secret, metadata }, keyring, { scope: settings.scope, allowEmptyData: settings.allowEmptyData, allowExpired: true, onWarning: () => {} });
  return sealed as unknown as KubeObject;
}

/** The Secrets to seal: built from --from-* options, else read from -f or stdin. */
export async function secretsToSeal(options: KubesealOptions): Promise<Manifests> {
  if (hasSecretSources(options)) return { objects: [buildSecret(options, options.name, options.namespace, options.type)], list: false };
  return parseManifests(await readInputText(options.secretFile, 'input'), 'input');
}

export function sealSettings(options: KubesealOptions): SealSettings {
  return {
    scope: options.scope,
    allowEmptyData: options.allowEmptyData,
    name: options.name,
    defaultNamespace: () => defaultNamespace(options),
  };
}

export async function sealCommand(options: KubesealOptions, command: Command): Promise<void> {
  const format = outputFormat(options.format, options.sealedSecretFile);
  const { objects, list } = await secretsToSeal(options);
  const keyring = await sealingKeys(keySourceOptions(options, command));
  const settings = sealSettings(options);
  const sealed = await forEachDocument(objects, 'input', (secret) => sealOne(secret, keyring, settings));
  writeOutput(renderObjects(sealed, format, list), options.sealedSecretFile);
}
