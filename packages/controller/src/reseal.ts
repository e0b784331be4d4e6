/**
 * What /v1/verify and /v1/rotate do with a SealedSecret: check that it opens,
 * and re-encrypt its values to the newest key. Neither renders
 * spec.template.data: templates are not authenticated, so rendering one on
 * request would let a caller probe the plaintext (Bitnami verifies the same way).
 */
import { Keyring, SealkitError, scopeFromAnnotations, unsealSecret, type ObjectMeta, type SealedSecretManifest, type Target } from '@sealkit/core';

/** Opens every value (and the deprecated spec.data) without rendering templates; throws a SealkitError when one does not open. */
export async function verifySealedSecret(sealedSecret: SealedSecretManifest, keyring: Keyring, acceptDeprecatedData: boolean): Promise<void> {
  const template = { ...sealedSecret.spec.template };
  delete template.data;
  await unsealSecret({ ...sealedSecret, spec: { ...sealedSecret.spec, template } }, keyring, { acceptDeprecatedData });
}

// Set by the API server; meaningless in a manifest someone will apply again.
const SERVER_FIELDS = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** The same SealedSecret with every value re-sealed to the newest key; template, scope and everything else kept. */
export async function reencryptSealedSecret(sealedSecret: SealedSecretManifest, keyring: Keyring, acceptDeprecatedData: boolean): Promise<SealedSecretManifest> {
  const { metadata, spec } = sealedSecret;
  if (spec.data && !acceptDeprecatedData) throw new SealkitError('bad-secret', 'The SealedSecret uses the deprecated spec.data, which is turned off.');
  const target: Target = { namespace: metadata.namespace, name: metadata.name, scope: scopeFromAnnotations(metadata.annotations) };
  const reseal = async (value: string) => {
    const { plaintext } = await keyring.open(value, target);
    try {
      return await keyring.seal(plaintext, target);
    } finally {
      plaintext.fill(0);
    }
  };
  const entries = Object.entries(spec.encryptedData ?? {});
  const values = await Promise.all(entries.map(([, value]) => reseal(value)));
  const newSpec: SealedSecretManifest['spec'] = { ...spec, encryptedData: Object.fromEntries(entries.map(([key], i) => [key, values[i]!])) };
  if (spec.data) newSpec.data = await reseal(spec.data);
  const newMetadata: ObjectMeta = { ...metadata };
  for (const field of SERVER_FIELDS) delete newMetadata[field];
  const resealed = { ...sealedSecret, metadata: newMetadata, spec: newSpec };
  delete resealed.status;
  return resealed;
}
