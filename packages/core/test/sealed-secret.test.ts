// The SealedSecret object model: sealing a Secret as kubeseal does, unsealing as the controller does.
import { beforeAll, describe, expect, it } from 'vitest';
import { Keyring, SealkitError, generateKeyPair, sealSecret, seal, unsealSecret, type SealedSecretManifest } from '../src/index.js';

const CANARY = 'CANARY-value-7f3a9c';
const b64 = (text: string) => Buffer.from(text).toString('base64');
let pair: { privateKeyPem: string; certificatePem: string };
let ring: Keyring;

beforeAll(async () => {
  pair = await generateKeyPair({ bits: 2048 });
  ring = await Keyring.from(pair.certificatePem + pair.privateKeyPem);
});

const secret = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'db',
    namespace: 'prod',
    uid: '1234',
    resourceVersion: '99',
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl' }],
    ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'x', uid: 'y' }],
    labels: { app: 'db' },
    annotations: { team: 'platform', 'kubectl.kubernetes.io/last-applied-configuration': `{"stringData":{"password":"${CANARY}"}}` },
  },
  type: 'Opaque',
  data: { password: b64(CANARY), user: b64('admin') },
  ...extra,
});

describe('sealSecret', () => {
  it('produces kubeseal v0.36’s shape: metadata (no creationTimestamp), template without server fields or applied config, sorted encryptedData', async () => {
    const sealed = await sealSecret(secret({ stringData: { 'a-first': 'x' }, immutable: true }), pair.certificatePem);
    expect(Object.keys(sealed)).toEqual(['kind', 'apiVersion', 'metadata', 'spec']);
    expect(sealed.metadata).toEqual({ name: 'db', namespace: 'prod' });
    expect(sealed.spec.template).toEqual({
      metadata: { name: 'db', namespace: 'prod', labels: { app: 'db' }, annotations: { team: 'platform' } },
      type: 'Opaque',
      immutable: true,
    });
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(['a-first', 'password', 'user']);
    expect(JSON.stringify(sealed)).not.toContain(CANARY);
  });

  it('lets stringData win over data for the same key, as the API server does', async () => {
    const sealed = await sealSecret(secret({ stringData: { user: 'root' } }), pair.certificatePem);
    const opened = await unsealSecret(sealed, ring);
    expect(Buffer.from(opened.data!.user!, 'base64').toString()).toBe('root');
  });

  it.each(['namespace-wide', 'cluster-wide'] as const)('applies the %s scope to the annotations and the label', async (scope) => {
    const sealed = await sealSecret(secret(), pair.certificatePem, { scope });
    const annotation = `sealedsecrets.bitnami.com/${scope}`;
    expect(sealed.metadata.annotations).toEqual({ [annotation]: 'true' });
    expect(sealed.spec.template.metadata.annotations).toEqual({ team: 'platform', [annotation]: 'true' });
    // Renaming the object (and, for cluster-wide, moving it) still opens.
    const moved = structuredClone(sealed);
    moved.metadata.name = 'renamed';
    if (scope === 'cluster-wide') moved.metadata.namespace = 'elsewhere';
    expect((await unsealSecret(moved, ring)).data!.password).toBe(b64(CANARY));
  });

  it('reads the scope from the Secret’s own annotations when no scope is given', async () => {
    const s = secret();
    (s.metadata.annotations as Record<string, string>)['sealedsecrets.bitnami.com/namespace-wide'] = 'true';
    const sealed = await sealSecret(s, pair.certificatePem);
    expect(sealed.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
  });

  it.each([
    ['a missing namespace', { metadata: { name: 'db' } }, 'namespace'],
    ['no data', { data: undefined }, 'no data'],
    ['a SealedSecret', { kind: 'SealedSecret', apiVersion: 'bitnami.com/v1alpha1' }, 'already a SealedSecret'],
    ['a ConfigMap', { kind: 'ConfigMap' }, 'not a v1 Secret'],
    ['no name', { metadata: { namespace: 'x' } }, 'metadata.name'],
    ['a data value that is not base64', { data: { password: CANARY } }, '"password"'],
    [
      'a key Kubernetes refuses',
      { stringData: { 'bad key/with slash': CANARY } },
      'stringData key "bad key/with slash" of Secret prod/db is not a valid Secret key; use only letters',
    ],
    ['a key starting with ".."', { data: { '..data': 'eA==' } }, 'must not be "." or start with ".."'],
    ['a key of 254 characters', { stringData: { ['k'.repeat(254)]: CANARY } }, 'use at most 253 characters'],
    ['data given as a list', { data: [CANARY] }, 'The data of Secret prod/db is a list; it must map each key to its value.'],
    ['a value that is not a string', { stringData: { password: 42 } }, 'The stringData key "password" of Secret prod/db is not a string.'],
  ])('refuses %s with a clear error that leaks no value', async (_, change, words) => {
    const error = await sealSecret(secret(change), pair.certificatePem).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealkitError);
    expect((error as Error).message).toContain(words);
    expect((error as Error).message).not.toContain(CANARY);
  });

  it('allows an empty Secret when asked, and a cluster-wide one without namespace', async () => {
    const empty = await sealSecret(secret({ data: undefined }), pair.certificatePem, { allowEmptyData: true });
    expect(empty.spec.encryptedData).toEqual({});
    const noNamespace = await sealSecret(secret({ metadata: { name: 'db' } }), pair.certificatePem, { scope: 'cluster-wide' });
    expect(noNamespace.metadata).not.toHaveProperty('namespace');
  });
});

describe('unsealSecret', () => {
  let sealed: SealedSecretManifest;
  beforeAll(async () => {
    sealed = await sealSecret(secret(), pair.certificatePem);
    sealed.metadata.uid = 'ss-uid-1';
  });

  it('rebuilds the Secret with the template metadata, forced name/namespace and an owner reference', async () => {
    const moved = structuredClone(sealed);
    moved.spec.template.metadata.name = 'ignored';
    const opened = await unsealSecret(moved, ring);
    expect(opened).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'prod',
        labels: { app: 'db' },
        annotations: { team: 'platform' },
        ownerReferences: [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'db', uid: 'ss-uid-1', controller: true }],
      },
      type: 'Opaque',
      data: { password: b64(CANARY), user: b64('admin') },
    });
  });

  it('skips the owner reference when the template asks', async () => {
    const skip = structuredClone(sealed);
    skip.spec.template.metadata.annotations = { 'sealedsecrets.bitnami.com/skip-set-owner-references': 'true' };
    expect((await unsealSecret(skip, ring)).metadata).not.toHaveProperty('ownerReferences');
  });

  it('renders spec.template.data over the decrypted values', async () => {
    const templated = structuredClone(sealed);
    templated.spec.template.data = { dsn: 'postgres://{{ .user }}:{{ .password }}@db' };
    const opened = await unsealSecret(templated, ring);
    expect(Buffer.from(opened.data!.dsn!, 'base64').toString()).toBe(`postgres://admin:${CANARY}@db`);
  });

  it('passes binary values through templates as bytes, as Go does (issue 12, item 10)', async () => {
    const keystore = Uint8Array.from([0xfe, 0xed, 0xfe, 0xed, 0x00, 0x02, 0xff, 0x80, 0xc3]);
    const templated = structuredClone(sealed);
    templated.spec.encryptedData.keystore = await seal(pair.certificatePem, keystore, { namespace: 'prod', name: 'db' });
    templated.spec.template.data = { copy: '{{ .keystore }}', size: '{{ len .keystore }}' };
    const opened = await unsealSecret(templated, ring);
    expect(Buffer.from(opened.data!.copy!, 'base64')).toEqual(Buffer.from(keystore));
    expect(Buffer.from(opened.data!.size!, 'base64').toString()).toBe('9');
  });

  it('refuses a costly template within about a second, as bad-template (issue 12, item 2)', async () => {
    const hostile = {
      ...structuredClone(sealed),
      spec: { encryptedData: {}, template: { data: { x: '{{ until 25000 | uniq | len }}' } } },
    };
    const t0 = performance.now();
    const error = (await unsealSecret(hostile, ring).catch((e: unknown) => e)) as SealkitError;
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(SealkitError);
    expect(error.code).toBe('bad-template');
    expect(error.message).toMatch(/^template: x: rendering (needs more work or output|took longer) than allowed; simplify the template$/);
  });

  it('opens the deprecated spec.data (a whole Secret sealed as one blob)', async () => {
    const inner = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'prod', labels: { old: 'yes' } },
      type: 'Opaque',
      data: { k: b64(CANARY) },
    };
    const legacy = {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'db', namespace: 'prod' },
      spec: { data: await seal(pair.certificatePem, JSON.stringify(inner), { namespace: 'prod', name: 'db' }) },
    };
    const opened = await unsealSecret(legacy, ring);
    expect(opened.metadata.labels).toEqual({ old: 'yes' });
    expect(opened.data).toEqual({ k: b64(CANARY) });
    await expect(unsealSecret(legacy, ring, { acceptDeprecatedData: false })).rejects.toMatchObject({ code: 'bad-secret' });
  });

  it('names every key that fails, and no value', async () => {
    const broken = structuredClone(sealed);
    broken.spec.encryptedData.user = broken.spec.encryptedData.password!; // sealed fine, but one value tampered:
    broken.spec.encryptedData.password = broken.spec.encryptedData.password!.slice(0, -8) + 'AAAAAAA=';
    broken.spec.encryptedData.extra = 'not base64!';
    const error = (await unsealSecret(broken, ring).catch((e: unknown) => e)) as SealkitError;
    expect(error).toBeInstanceOf(SealkitError);
    expect(error.message).toMatch(/"extra", "password"|"password", "extra"/);
    expect(error.message).not.toContain('"user"');
    expect(error.message).not.toContain(CANARY);
  });

  it('refuses to open a value moved to another SealedSecret (strict scope)', async () => {
    const moved = structuredClone(sealed);
    moved.metadata.namespace = 'staging';
    await expect(unsealSecret(moved, ring)).rejects.toMatchObject({ code: 'no-key' });
  });

  it('refuses a Secret; opens a SealedSecret without encryptedData into a Secret without data, as Bitnami does', async () => {
    await expect(unsealSecret(secret(), ring)).rejects.toMatchObject({ code: 'bad-secret' });
    const empty = structuredClone(sealed);
    empty.spec.encryptedData = {};
    const opened = await unsealSecret(empty, ring);
    expect(opened).toMatchObject({ kind: 'Secret', metadata: { name: 'db', namespace: 'prod' } });
    expect(opened.data).toBeUndefined();
  });
});
