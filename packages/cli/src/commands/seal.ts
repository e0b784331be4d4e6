/** kubeseal's main job: Secrets in, SealedSecrets out. */
import type { Command } from 'commander';
import { quoteName, scopeFromAnnotations, sealSecret, type Keyring, type Scope } from '@sealkit/core';
import { isObject, parseManifests, renderObjects, type KubeObject, type Manifests } from '@sealkit/core/manifest';
import { forEachDocument } from '../input/each-document.js';
import { readInputText } from '../input/input.js';
import { buildSecret, hasSecretSources } from '../input/secret-builder.js';
import { sealingKeys } from '../keys/key-sources.js';
import { defaultNamespace } from '../cluster/kubeconfig.js';
import { outputFormat, writeOutput } from '../output/output.js';
import { CliError } from '../program/errors.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';

export interface SealSettings {
  scope?: Scope;
  allowEmptyData?: boolean;
  /** kubeseal --name: replaces the Secret's name. */
  name?: string;
  /** Replaces the Secret's namespace (--merge-into uses the target's). */
  namespace?: string;
  /** -n (or SEALED_SECRETS_NAMESPACE): a Secret in another namespace is refused, as kubeseal does since v0.31. */
  requestedNamespace?: string;
  /** The namespace for a Secret that has none; looked up only when needed (it may read kubeconfig). */
  defaultNamespace: () => string | undefined;
  /** --classic: Bitnami's format even with a post-quantum certificate. */
  classic?: boolean;
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
  // Only a Secret: anything else is refused by core, naming its kind.
  if (secret.kind === 'Secret' && scope !== 'cluster-wide') {
    const which = typeof metadata.name === 'string' ? ` ${quoteName(metadata.name)}` : '';
    const { requestedNamespace } = settings;
    if (
      requestedNamespace &&
      typeof metadata.namespace === 'string' &&
      metadata.namespace !== '' &&
      metadata.namespace !== requestedNamespace
    ) {
      throw new CliError(
        `The Secret${which} is in the namespace ${quoteName(metadata.namespace)} but -n asks for ${quoteName(requestedNamespace)}; drop -n, or change metadata.namespace.`,
      );
    }
    // Only a missing namespace is defaulted: false or 0 (YAML 1.1 reads "n" as false) is refused by sealSecret.
    const missing = (namespace: unknown) => namespace === undefined || namespace === null || namespace === '';
    if (missing(metadata.namespace)) metadata.namespace = settings.defaultNamespace();
    if (missing(metadata.namespace)) {
      throw new CliError(
        `The Secret${which} has no namespace and no cluster is configured to give one; set metadata.namespace, pass -n NAMESPACE, or seal it --scope cluster-wide.`,
      );
    }
  }
  // The certificate's validity was checked (and warned about) once, when the keyring was made.
  const sealed = await sealSecret({ ...secret, metadata }, keyring, {
    scope: settings.scope,
    allowEmptyData: settings.allowEmptyData,
    classic: settings.classic,
    allowExpired: true,
    onWarning: () => {},
  });
  return sealed as unknown as KubeObject;
}

/** The Secrets to seal: built from --from-* options, else read from -f or stdin. */
export async function secretsToSeal(options: KubesealOptions): Promise<Manifests> {
  if (hasSecretSources(options)) return { objects: [buildSecret(options, options.name, options.namespace, options.type)], list: false };
  return parseManifests(await readInputText(options.secretFile, 'input'), 'input');
}

export function sealSettings(options: KubesealOptions): SealSettings {
  return {
    // kubeseal: --scope strict is its default, so it leaves the Secret's scope annotations in charge.
    scope: options.scope === 'strict' ? undefined : options.scope,
    allowEmptyData: options.allowEmptyData,
    name: options.name,
    requestedNamespace: options.namespace,
    defaultNamespace: () => defaultNamespace(options),
    classic: options.classic,
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
