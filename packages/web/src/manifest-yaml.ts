/**
 * The pasted Secret manifest in, the SealedSecret out: core's manifest reader and
 * kubeseal-exact writer, the very ones the CLI uses, so the page writes what
 * `sealkit -o yaml` (and kubeseal) would, byte for byte.
 */
import { SealkitError } from '@sealkit/core';
import { parseManifests, renderObject, type KubeObject, type Manifests } from '@sealkit/core/manifest';
import { UserError } from './errors.js';

const field = 'manifest';

/** The one Kubernetes object in a YAML or JSON text. Parse errors name a line, never quote it: the line may hold a value. */
export function parseManifest(text: string): KubeObject {
  if (text.trim() === '') throw new UserError('Paste a Secret manifest first.', { field });
  let manifests: Manifests;
  try {
    manifests = parseManifests(text, 'manifest');
  } catch (error) {
    if (error instanceof SealkitError) throw new UserError(error.message, { field });
    throw error;
  }
  const count = manifests.objects.length;
  if (count > 1) throw new UserError(`The text holds ${count} objects; paste one Secret.`, { field });
  return manifests.objects[0]!;
}

/** The SealedSecret as `kubeseal -o yaml` prints it: YAML 1.1 quoting (`"on"`), go-yaml's key order (key2 before key10). */
export function toKubesealYaml(sealed: object): string {
  return renderObject(sealed as KubeObject, 'yaml');
}
