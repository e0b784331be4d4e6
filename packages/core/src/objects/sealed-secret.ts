/** Sealing a Secret manifest into a SealedSecret, as kubeseal does, and unsealing it, as the controller does. */
import { fromBase64, fromUtf8, toBase64, utf8 } from '../platform/bytes.js';
import type { ValidityOptions } from '../keys/certificate.js';
import { SealkitError } from '../platform/errors.js';
import { escapeName, quoteName } from './printable.js';
import { quoteKey, secretKeyProblem } from './data-keys.js';
import type { Keyring, KeyringSealOptions } from '../keys/keyring.js';
import {
  SEALED_SECRET_API_VERSION,
  isSealedSecret,
  sortedRecord,
  type ObjectMeta,
  type SealedSecretManifest,
  type SecretManifest,
} from './manifests.js';
import { ANNOTATIONS, scopeFromAnnotations, withScopeAnnotations, type Scope, type Target } from './scope.js';
import { sealingKeyring, toKeyring, type Keys } from '../seal.js';

export interface SealOptions extends ValidityOptions, KeyringSealOptions {
  /** Overrides the scope the Secret's annotations select (kubeseal --scope). */
  scope?: Scope;
  /** Allow a Secret with no data (kubeseal --allow-empty-data). */
  allowEmptyData?: boolean;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** `namespace/name` for messages; robust to malformed metadata, which is often what the message reports. */
function describe(meta: ObjectMeta | undefined): string {
  const text = (field: unknown) => (typeof field === 'string' ? escapeName(field) : '');
  return text(meta?.namespace) ? `${text(meta?.namespace)}/${text(meta?.name)}` : `"${text(meta?.name)}"`;
}

/** The Secret's metadata as it belongs in spec.template: no server-set fields, no applied copy (it holds the values). */
function templateMetadata(meta: ObjectMeta, annotations: Record<string, string>): ObjectMeta {
  delete annotations[LAST_APPLIED];
  const out: ObjectMeta = { name: meta.name };
  if (meta.generateName) out.generateName = meta.generateName;
  if (meta.namespace) out.namespace = meta.namespace;
  if (meta.labels && Object.keys(meta.labels).length) out.labels = sortedRecord(meta.labels);
  if (Object.keys(annotations).length) out.annotations = sortedRecord(annotations);
  if (meta.finalizers?.length) out.finalizers = meta.finalizers;
  return out;
}

/** The entries of data or stringData, each with a key Kubernetes accepts and a string value. */
function entriesOf(secret: SecretManifest, field: 'data' | 'stringData'): [string, string][] {
  const map: unknown = secret[field] ?? {};
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new SealkitError(
      'bad-secret',
      `The ${field} of Secret ${describe(secret.metadata)} is ${Array.isArray(map) ? 'a list' : `a ${typeof map}`}; it must map each key to its value.`,
    );
  }
  const entries = Object.entries(map);
  for (const [key, value] of entries) {
    // In YAML "{user: admin, S3cret}" has a key "S3cret" with no value: the value may be in the key, so it is not named.
    if (value === null)
      throw new SealkitError(
        'bad-secret',
        `The ${field} of Secret ${describe(secret.metadata)} has an entry with no value; if a ": " is missing between a key and its value, add it.`,
      );
    const problem = secretKeyProblem(key);
    if (problem)
      throw new SealkitError(
        'bad-secret',
        `The ${field} key ${quoteKey(key)} of Secret ${describe(secret.metadata)} is not a valid Secret key; ${problem}.`,
      );
    if (typeof value !== 'string')
      throw new SealkitError('bad-secret', `The ${field} key ${quoteKey(key)} of Secret ${describe(secret.metadata)} is not a string.`);
  }
  return entries as [string, string][];
}

function plaintextsOf(secret: SecretManifest): Map<string, Uint8Array> {
  const values = new Map<string, Uint8Array>();
  for (const [key, value] of entriesOf(secret, 'data'))
    values.set(key, fromBase64(value, `data key ${quoteKey(key)} of Secret ${describe(secret.metadata)}`));
  // stringData wins over data, as the API server merges them.
  for (const [key, value] of entriesOf(secret, 'stringData')) values.set(key, utf8(value));
  return values;
}

function checkSecret(value: unknown): asserts value is SecretManifest {
  const object = value as Partial<SecretManifest> | null;
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new SealkitError('bad-secret', 'The input is not a Kubernetes object; expected a Secret manifest.');
  }
  if (isSealedSecret(value))
    throw new SealkitError('bad-secret', `The input ${describe(value.metadata)} is already a SealedSecret; give the plain Secret to seal.`);
  if (object.kind !== 'Secret' || (object.apiVersion !== undefined && object.apiVersion !== 'v1')) {
    throw new SealkitError(
      'bad-secret',
      `The input is ${typeof object.kind === 'string' ? `${/^[AEIOU]/i.test(object.kind) ? 'an' : 'a'} ${object.kind}` : 'an object without kind'}, not a v1 Secret.`,
    );
  }
  const { name, namespace } = object.metadata ?? {};
  if (typeof name !== 'string' || name === '')
    throw new SealkitError('bad-secret', 'The Secret has no metadata.name; name it before sealing.');
  if (namespace !== undefined && typeof namespace !== 'string')
    throw new SealkitError(
      'bad-secret',
      `The Secret ${quoteName(name)} has a malformed metadata.namespace; it must be text (quote it: YAML 1.1 reads n, no and off as false).`,
    );
}

/** Seals a Secret manifest into a SealedSecret, field for field as kubeseal does. */
export async function sealSecret(
  secret: object,
  certOrPublicKeyPem: string | Keyring,
  options: SealOptions = {},
): Promise<SealedSecretManifest> {
  checkSecret(secret);
  const meta = secret.metadata;
  const scope = options.scope ?? scopeFromAnnotations(meta.annotations);
  const annotations = options.scope ? withScopeAnnotations(meta.annotations, scope) : { ...meta.annotations };
  if (scope !== 'cluster-wide' && !meta.namespace) {
    throw new SealkitError(
      'bad-secret',
      `The Secret ${quoteName(meta.name!)} has no namespace; set metadata.namespace or use the cluster-wide scope.`,
    );
  }
  const values = plaintextsOf(secret);
  if (values.size === 0 && !options.allowEmptyData) {
    throw new SealkitError('bad-secret', `The Secret ${describe(meta)} has no data to seal; add data or allow empty data.`);
  }
  const keyring = await sealingKeyring(certOrPublicKeyPem, options);
  const target: Target = { namespace: meta.namespace, name: meta.name, scope };
  const keys = [...values.keys()].sort();
  const sealed = await Promise.all(keys.map((key) => keyring.seal(values.get(key)!, target, options)));

  // No creationTimestamp: kubeseal stopped printing `creationTimestamp: null` in v0.32.
  const sealedMeta: ObjectMeta = { name: meta.name, namespace: meta.namespace };
  if (!meta.namespace) delete sealedMeta.namespace;
  if (scope !== 'strict') sealedMeta.annotations = withScopeAnnotations({}, scope);
  const template: SealedSecretManifest['spec']['template'] = { metadata: templateMetadata(meta, annotations) };
  if (secret.type) template.type = secret.type;
  if (secret.immutable !== undefined) template.immutable = secret.immutable;
  return {
    kind: 'SealedSecret',
    apiVersion: SEALED_SECRET_API_VERSION,
    metadata: sealedMeta,
    spec: { template, encryptedData: Object.fromEntries(keys.map((key, i) => [key, sealed[i]!])) },
  } as SealedSecretManifest;
}

/** Renders spec.template.data over the opened values: key → rendered bytes. */
export type TemplateRenderer = (
  templates: Record<string, string>,
  values: Record<string, Uint8Array>,
) => Promise<Record<string, Uint8Array>>;

export interface UnsealOptions {
  /** Open the deprecated spec.data (a whole Secret sealed as one blob); default true. */
  acceptDeprecatedData?: boolean;
  /**
   * Renders the templates; default renderSecretTemplates, in this thread. A template is
   * unauthenticated input: callers that must stay responsive (the controller, the CLI)
   * run it off the thread, with a deadline and a memory cap.
   */
  renderTemplates?: TemplateRenderer;
}

function checkSealedSecret(value: unknown): asserts value is SealedSecretManifest {
  if (!isSealedSecret(value)) throw new SealkitError('bad-secret', `The input is not a ${SEALED_SECRET_API_VERSION} SealedSecret.`);
  const { name, namespace } = value.metadata ?? {};
  if (typeof name !== 'string' || name === '') throw new SealkitError('bad-secret', 'The SealedSecret has no metadata.name.');
  if (namespace !== undefined && typeof namespace !== 'string')
    throw new SealkitError('bad-secret', `The SealedSecret ${quoteName(name)} has a malformed metadata.namespace.`);
  const { spec } = value;
  const isRecord = (field: unknown) => typeof field === 'object' && field !== null && !Array.isArray(field);
  const malformed = (field: string) =>
    new SealkitError('bad-secret', `The SealedSecret ${describe(value.metadata)} has a malformed ${field}.`);
  if (!isRecord(spec)) throw malformed('spec');
  if (spec.encryptedData !== undefined && !isRecord(spec.encryptedData)) throw malformed('spec.encryptedData');
  if (spec.data !== undefined && spec.data !== null && typeof spec.data !== 'string') throw malformed('spec.data');
  if (spec.template !== undefined && !isRecord(spec.template)) throw malformed('spec.template');
  if (spec.template?.metadata !== undefined && !isRecord(spec.template.metadata)) throw malformed('spec.template.metadata');
  if (spec.template?.data !== undefined && spec.template.data !== null && !isRecord(spec.template.data))
    throw malformed('spec.template.data');
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

async function openEncryptedData(sealed: SealedSecretManifest, keyring: Keyring, target: Target): Promise<Record<string, Uint8Array>> {
  const encrypted = sealed.spec.encryptedData;
  const keys = Object.keys(encrypted).sort();
  const failed: string[] = [];
  let firstError: SealkitError | undefined;
  const openOne = async (key: string, hint?: string) => {
    try {
      const value = encrypted[key];
      if (typeof value !== 'string') throw new SealkitError('bad-input', 'The sealed value is not a string.');
      return await keyring.open(value, target, hint);
    } catch (error) {
      if (!(error instanceof SealkitError)) throw error;
      failed.push(key);
      firstError ??= error;
      return undefined;
    }
  };
  // The key that opens one value almost always opens the others: with several keys, find it once, then open the
  // rest with it first; with one (--recovery-private-key k.pem), open them all at once, on every core.
  const severalKeys = keyring.keys.filter((key) => key.canOpen).length > 1;
  const first = keys.length > 0 && severalKeys ? await openOne(keys[0]!) : undefined;
  const rest = await Promise.all(keys.slice(severalKeys ? 1 : 0).map((key) => openOne(key, first?.fingerprint)));
  const opened = severalKeys ? [first, ...rest] : rest;
  if (firstError) {
    const names = failed.map(quoteKey).join(', ');
    throw new SealkitError(
      firstError.code,
      `Cannot unseal ${names} of SealedSecret ${describe(sealed.metadata)}: ${lowerFirst(firstError.message)}`,
    );
  }
  return Object.fromEntries(keys.map((key, i) => [key, opened[i]!.plaintext]));
}

/** The deprecated spec.data: a whole Secret, JSON-encoded, sealed as one value. */
async function openDeprecatedData(sealed: SealedSecretManifest, keyring: Keyring, target: Target): Promise<Partial<SecretManifest>> {
  const { plaintext } = await keyring.open(sealed.spec.data!, target);
  try {
    const secret = JSON.parse(fromUtf8(plaintext)) as Partial<SecretManifest>;
    if (typeof secret !== 'object' || secret === null || Array.isArray(secret)) throw new Error('not an object');
    return secret;
  } catch {
    throw new SealkitError(
      'bad-secret',
      `The deprecated spec.data of SealedSecret ${describe(sealed.metadata)} does not hold a JSON Secret.`,
    );
  }
}

/** The SealedSecret's spec.template.data rendered over its values, in this thread. */
export async function renderSecretTemplates(
  templates: Record<string, string>,
  values: Record<string, Uint8Array>,
): Promise<Record<string, Uint8Array>> {
  if (Object.keys(templates).length === 0) return {};
  // Loaded only when needed: the template engine is a fifth of the CLI bundle, and most SealedSecrets have no templates.
  const { GoTemplateError, renderTemplate } = await import('@sealkit/gotemplate');
  const render = (key: string, source: string): Uint8Array => {
    try {
      // The values are bytes, as in Go's map[string]string: a binary value passes through unchanged.
      return renderTemplate(key, source, values);
    } catch (e) {
      // The engine's messages name the template and a source position, never a value.
      if (e instanceof GoTemplateError) throw new SealkitError('bad-template', e.message);
      throw e;
    }
  };
  return Object.fromEntries(Object.entries(templates).map(([key, source]) => [key, render(key, String(source))]));
}

/** Opens a SealedSecret into the Secret the controller would write. */
export async function unsealSecret(sealedSecret: object, keys: Keys, options: UnsealOptions = {}): Promise<SecretManifest> {
  checkSealedSecret(sealedSecret);
  const { metadata, spec } = sealedSecret;
  const keyring = await toKeyring(keys);
  // The scope is read from the SealedSecret's own annotations, as the controller does.
  const target: Target = { namespace: metadata.namespace, name: metadata.name, scope: scopeFromAnnotations(metadata.annotations) };

  let secretMeta: ObjectMeta;
  let type: string | undefined;
  let immutable: boolean | undefined;
  let data: Record<string, string>;
  const hasEncryptedData = spec.encryptedData && Object.keys(spec.encryptedData).length > 0;
  // No encryptedData at all (sealed with --allow-empty-data) opens into a Secret without data, as Bitnami's.
  if (hasEncryptedData || !spec.data) {
    const values = hasEncryptedData ? await openEncryptedData(sealedSecret, keyring, target) : {};
    const templates = spec.template?.data ?? {};
    const render = options.renderTemplates ?? renderSecretTemplates;
    if (Object.keys(templates).length > 0) Object.assign(values, await render(templates, values));
    secretMeta = structuredClone(spec.template?.metadata ?? {});
    type = spec.template?.type;
    immutable = spec.template?.immutable;
    data = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, toBase64(value)]));
  } else {
    if (options.acceptDeprecatedData === false) {
      throw new SealkitError('bad-secret', `The SealedSecret ${describe(metadata)} uses the deprecated spec.data, which is turned off.`);
    }
    const inner = await openDeprecatedData(sealedSecret, keyring, target);
    secretMeta = structuredClone(inner.metadata ?? {});
    type = inner.type;
    immutable = inner.immutable;
    // The same checks as sealing applies, so that a bad inner Secret fails here, naming keys only.
    data = Object.fromEntries(
      [...plaintextsOf({ ...inner, metadata: { name: metadata.name } } as SecretManifest)].map(([key, value]) => [key, toBase64(value)]),
    );
  }

  delete secretMeta.creationTimestamp;
  secretMeta.name = metadata.name;
  secretMeta.namespace = metadata.namespace;
  if (secretMeta.annotations?.[ANNOTATIONS.skipSetOwnerReferences] === 'true') delete secretMeta.ownerReferences;
  else
    secretMeta.ownerReferences = [
      { apiVersion: SEALED_SECRET_API_VERSION, kind: 'SealedSecret', name: metadata.name!, uid: metadata.uid ?? '', controller: true },
    ];
  const secret: SecretManifest = { apiVersion: 'v1', kind: 'Secret', metadata: secretMeta };
  if (type) secret.type = type;
  if (immutable !== undefined) secret.immutable = immutable;
  if (Object.keys(data).length > 0) secret.data = sortedRecord(data);
  return secret;
}
