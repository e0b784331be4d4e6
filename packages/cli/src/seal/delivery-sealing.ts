/**
 * Secrets turned into SealedSecrets inside other tools' pipelines (Kustomize,
 * Helm): each Secret of a manifest stream is sealed, everything else passes
 * through. Kustomize's bookkeeping annotations stay on the SealedSecret (not in
 * its template), minus the request for a name hash: the SealedSecret keeps the
 * name the Secret will have, and the controller creates it under that name.
 */
import type { Keyring } from '@sealkit/core';
import { checkSecretFields, isObject, type KubeObject } from '@sealkit/core/manifest';
import { sealOne, type SealSettings } from '../commands/seal.js';

const TOOL_ANNOTATION = /^(internal\.)?config\.kubernetes\.io\/|^kustomize\.config\.k8s\.io\//;
const HASH_REQUEST = 'internal.config.kubernetes.io/needsHashSuffix';

export function isSecret(value: unknown): value is KubeObject {
  return isObject(value) && value.kind === 'Secret' && (value.apiVersion === 'v1' || value.apiVersion === undefined);
}

/** Splits annotations into the tool's (kept on the SealedSecret) and the user's (sealed into the template). */
function splitAnnotations(secret: KubeObject): { secret: KubeObject; tool: Record<string, string> } {
  const metadata = isObject(secret.metadata) ? secret.metadata : {};
  const annotations = isObject(metadata.annotations) ? (metadata.annotations as Record<string, string>) : {};
  const tool = Object.fromEntries(Object.entries(annotations).filter(([key]) => TOOL_ANNOTATION.test(key) && key !== HASH_REQUEST));
  const own = Object.fromEntries(Object.entries(annotations).filter(([key]) => !TOOL_ANNOTATION.test(key)));
  const cleaned: KubeObject = { ...metadata };
  if (Object.keys(own).length > 0) cleaned.annotations = own;
  else delete cleaned.annotations;
  return { secret: { ...secret, metadata: cleaned }, tool };
}

/** One Secret from a pipeline sealed, the tool's annotations carried over to the SealedSecret. */
export async function sealForPipeline(secret: KubeObject, keyring: Keyring, settings: SealSettings, what: string): Promise<KubeObject> {
  checkSecretFields(secret, what);
  const { secret: own, tool } = splitAnnotations(secret);
  const sealed = await sealOne(own, keyring, settings);
  if (Object.keys(tool).length === 0) return sealed;
  const metadata = sealed.metadata as KubeObject;
  return {
    ...sealed,
    metadata: { ...metadata, annotations: { ...(isObject(metadata.annotations) ? metadata.annotations : {}), ...tool } },
  };
}
