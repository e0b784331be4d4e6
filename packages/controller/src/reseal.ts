/**
 * What /v1/verify and /v1/rotate do with a SealedSecret: check that it opens,
 * and re-encrypt its values to the newest key. Neither renders
 * spec.template.data: templates are not authenticated, so rendering one on
 * request would let a caller probe the plaintext (Bitnami verifies the same way).
 *
 * Both bound the work of one request the same way: at most MAX_VERIFIED_VALUES values,
 * opened one by one, each first with the key that opened the one before, the first
 * failure ending it: at most (values + keys) RSA private operations, never many at once.
 * Both give one answer (false / undefined) for every way of not opening: no detail
 * derived from the plaintext (a strict value moved into spec.data would otherwise tell
 * JSON from text, and name inner keys) and no key name from spec.encryptedData.
 */
import {
  Keyring,
  SealkitError,
  scopeFromAnnotations,
  unsealSecret,
  type ObjectMeta,
  type SealedSecretManifest,
  type Target,
} from '@sealkit/core';

/** More values than a SealedSecret etcd would store (1.5 MiB) can hold; bounds the work of one request. */
export const MAX_VERIFIED_VALUES = 1000;

/** Whether every value (and the deprecated spec.data, into a valid Secret) opens. */
export async function verifySealedSecret(
  sealedSecret: SealedSecretManifest,
  keyring: Keyring,
  acceptDeprecatedData: boolean,
): Promise<boolean> {
  const { spec } = sealedSecret;
  const values = boundedValues(sealedSecret);
  if (values.length === 0 && !spec.data) return false;
  const target = targetOf(sealedSecret);
  if (!(await openEach(values, keyring, target, async () => {}))) return false;
  if (values.length > 0) return true;
  // Only the deprecated spec.data: it must open into a valid Secret, as unsealing checks. Templates are not rendered.
  const template = { ...spec.template };
  delete template.data;
  return !!(await opensAs(unsealSecret({ ...sealedSecret, spec: { ...spec, template } }, keyring, { acceptDeprecatedData })));
}

// Set by the API server; meaningless in a manifest someone will apply again.
const SERVER_FIELDS = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/**
 * The same SealedSecret with every value re-sealed to the newest key; template, scope
 * and everything else kept. Undefined when a value does not open (or spec.data is used
 * while turned off).
 */
export async function reencryptSealedSecret(
  sealedSecret: SealedSecretManifest,
  keyring: Keyring,
  acceptDeprecatedData: boolean,
): Promise<SealedSecretManifest | undefined> {
  const { metadata, spec } = sealedSecret;
  const values = boundedValues(sealedSecret);
  if (spec.data !== undefined && !acceptDeprecatedData) return undefined;
  const target = targetOf(sealedSecret);
  const resealed: string[] = [];
  const reseal = async (plaintext: Uint8Array) => void resealed.push(await keyring.seal(plaintext, target));
  if (!(await openEach(spec.data === undefined ? values : [...values, spec.data], keyring, target, reseal))) return undefined;
  const newSpec: SealedSecretManifest['spec'] = {
    ...spec,
    encryptedData: Object.fromEntries(Object.keys(spec.encryptedData ?? {}).map((key, i) => [key, resealed[i]!])),
  };
  if (spec.data !== undefined) newSpec.data = resealed.at(-1)!;
  const newMetadata: ObjectMeta = { ...metadata };
  for (const field of SERVER_FIELDS) delete newMetadata[field];
  const result = { ...sealedSecret, metadata: newMetadata, spec: newSpec };
  delete result.status;
  return result;
}

/** A SealedSecret with more values than one request may open (the API's 413). */
export class TooManyValuesError extends SealkitError {
  constructor() {
    super('bad-input', `The SealedSecret has more than ${MAX_VERIFIED_VALUES} values, more than a Secret holds.`);
  }
}

/** spec.encryptedData's values; TooManyValuesError beyond MAX_VERIFIED_VALUES, before any is opened. */
function boundedValues(sealedSecret: SealedSecretManifest): unknown[] {
  const values = Object.values(sealedSecret.spec.encryptedData ?? {});
  if (values.length > MAX_VERIFIED_VALUES) throw new TooManyValuesError();
  return values;
}

function targetOf({ metadata }: SealedSecretManifest): Target {
  return { namespace: metadata.namespace, name: metadata.name, scope: scopeFromAnnotations(metadata.annotations) };
}

/**
 * Opens the values one at a time, each first with the key that opened the one before,
 * handing each plaintext to `use` (and zeroing it after). False at the first value that
 * is not a string or does not open, without trying the rest.
 */
async function openEach(
  values: unknown[],
  keyring: Keyring,
  target: Target,
  use: (plaintext: Uint8Array) => Promise<void>,
): Promise<boolean> {
  let hint: string | undefined;
  for (const value of values) {
    if (typeof value !== 'string') return false;
    const opened = await opensAs(keyring.open(value, target, hint));
    if (!opened) return false;
    try {
      await use(opened.plaintext);
    } finally {
      opened.plaintext.fill(0);
    }
    hint = opened.fingerprint;
  }
  return true;
}

/** The result, or undefined for any SealkitError: the one answer for not opening. */
async function opensAs<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof SealkitError) return undefined;
    throw error;
  }
}
