/**
 * What /v1/verify and /v1/rotate do with a SealedSecret: check that it opens,
 * and re-encrypt its values to the newest key. Neither renders
 * spec.template.data: templates are not authenticated, so rendering one on
 * request would let a caller probe the plaintext (Bitnami verifies the same way).
 */
import { Keyring, SealkitError, scopeFromAnnotations, unsealSecret, type ObjectMeta, type SealedSecretManifest, type Target } from '@sealkit/core';

/** More values than a SealedSecret etcd would store (1.5 MiB) can hold; bounds the work of one request. */
export const MAX_VERIFIED_VALUES = 1000;

/**
 * Whether every value (and the deprecated spec.data, into a valid Secret) opens. One
 * answer for every way of not opening: no detail derived from the plaintext (a strict
 * value moved into spec.data would otherwise tell JSON from text, and name inner keys).
 * Values are opened one by one, each first with the key that opened the one before, and
 * the first failure ends it: at most (values + keys) RSA operations.
 */
export async function verifySealedSecret(sealedSecret: SealedSecretManifest, keyring: Keyring, acceptDeprecatedData: boolean): Promise<boolean> {
  const { spec } = sealedSecret;
  const entries = Object.values(spec.encryptedData ?? {});
  if (entries.length > MAX_VERIFIED_VALUES) throw new SealkitError('bad-input', `The SealedSecret has more than ${MAX_VERIFIED_VALUES} values, more than a Secret holds.`);
  if (entries.length === 0 && !spec.data) return false;
  try {
    const target: Target = { namespace: sealedSecret.metadata.namespace, name: sealedSecret.metadata.name, scope: scopeFromAnnotations(sealedSecret.metadata.annotations) };
    let hint: string | undefined;
    for (const value of entries) {
      if (typeof value !== 'string') return false;
      const { plaintext, fingerprint } = await keyring.open(value, target, hint);
      plaintext.fill(0);
      hint = fingerprint;
    }
    if (entries.length === 0) {
      // Only the deprecated spec.data: it must open into a valid Secret, as unsealing checks. Templates are not rendered.
      const template = { ...spec.template };
      delete template.data;
      await unsealSecret({ ...sealedSecret, spec: { ...spec, template } }, keyring, { acceptDeprecatedData });
    }
    return true;
  } catch (error) {
    if (error instanceof SealkitError) return false;
    throw error;
  }
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
