// The controller as a process against the test API server: SealedSecrets in, Secrets out.
import { Keyring, type SealedSecretManifest } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, KubeApiServer } from '../kube-api-server/index.js';
import {
  addKey,
  decoded,
  eventsFor,
  killControllers,
  loadVectorKeys,
  seal,
  vectorYaml,
  startCluster,
  startController,
  syncedCondition,
  waitFor,
  type ControllerProcess,
} from './harness.js';

let server: KubeApiServer;
let controller: ControllerProcess;
let keyring: Keyring; // seals with the controller's certificate, as kubeseal does
// Every plaintext a test seals; none may show in a log line, event, status or metric.
const plaintexts: string[] = [];

async function apply(
  name: string,
  namespace: string,
  data: Record<string, string>,
  extra: { annotations?: Record<string, string>; labels?: Record<string, string> } = {},
) {
  plaintexts.push(...Object.values(data));
  const sealed = await seal(keyring, { name, namespace, data, ...extra });
  server.put(sealed as unknown as JsonObject);
  return sealed;
}

const secret = (namespace: string, name: string) => server.get('Secret', namespace, name);
const synced = (namespace: string, name: string) =>
  waitFor(`${namespace}/${name} to be synced`, () => syncedCondition(server, namespace, name)?.status === 'True');

beforeAll(async () => {
  server = await startCluster();
  loadVectorKeys(server);
  for (const sealedSecret of vectorYaml('sealedsecrets.yaml')) server.put(sealedSecret);
  controller = await startController(server, ['--update-status']);
  keyring = await Keyring.from(await (await fetch(`${controller.apiUrl}/v1/cert.pem`)).text());
});

afterAll(async () => {
  await killControllers();
  await server?.close();
});

describe('unsealing', () => {
  it('turns the reference SealedSecrets into the expected Secrets, owned by them', async () => {
    const expected = vectorYaml('sealedsecrets.expected.yaml');
    for (const want of expected) {
      const { namespace, name } = want.metadata;
      await synced(namespace, name);
      const got = secret(namespace, name)!;
      const owner = server.get('SealedSecret', namespace, name)!;
      expect(got.data, name).toEqual(want.data);
      expect(got.type, name).toBe(want.type);
      expect(got.metadata.labels, name).toEqual(want.metadata.labels);
      expect(got.metadata.annotations, name).toEqual(want.metadata.annotations);
      expect(got.metadata.ownerReferences, name).toEqual([
        { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name, uid: owner.metadata.uid, controller: true },
      ]);
      expect(owner.status.observedGeneration).toBe(owner.metadata.generation);
      await waitFor(`the event of ${name}`, () => eventsFor(server, namespace, name).length > 0);
      expect(eventsFor(server, namespace, name).map((e) => [e.type, e.reason, e.message, e.source?.component])).toEqual([
        ['Normal', 'Unsealed', 'SealedSecret unsealed successfully', 'sealed-secrets'],
      ]);
    }
  });

  it('follows a changed SealedSecret', async () => {
    await apply('rotating', 'apps', { token: 'first-token' });
    await waitFor('the first value', () => decoded(secret('apps', 'rotating')?.data).token === 'first-token');
    await apply('rotating', 'apps', { token: 'second-token' });
    await waitFor('the second value', () => decoded(secret('apps', 'rotating')?.data).token === 'second-token');
  });

  it('opens the deprecated spec.data, a whole Secret sealed as one value', async () => {
    const inner = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'legacy', namespace: 'apps' },
      stringData: { token: 'legacy-token' },
    };
    plaintexts.push('legacy-token');
    const data = await keyring.seal(JSON.stringify(inner), { namespace: 'apps', name: 'legacy' });
    server.put({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'legacy', namespace: 'apps' },
      spec: { data, encryptedData: {} },
    });
    await synced('apps', 'legacy');
    expect(decoded(secret('apps', 'legacy')!.data)).toEqual({ token: 'legacy-token' });
  });

  it('leaves out owner references when the template opts out, and then, as Bitnami, updates the Secret only if it also says managed', async () => {
    const skip = { 'sealedsecrets.bitnami.com/skip-set-owner-references': 'true' };
    await apply('unowned', 'apps', { a: 'unowned-value' }, { annotations: skip });
    await synced('apps', 'unowned');
    expect(secret('apps', 'unowned')!.metadata.ownerReferences).toBeUndefined();

    server.delete('Secret', 'apps', 'unowned');
    await waitFor('the deleted Secret to come back', () => secret('apps', 'unowned'));

    await apply('unowned', 'apps', { a: 'changed-value' }, { annotations: skip });
    await waitFor('Synced=False', () => syncedCondition(server, 'apps', 'unowned')?.status === 'False');
    expect(syncedCondition(server, 'apps', 'unowned')!.message).toBe(
      'failed update: Resource "unowned" already exists and is not managed by SealedSecret',
    );
    expect(decoded(secret('apps', 'unowned')!.data)).toEqual({ a: 'unowned-value' });

    // The Secret carries the template's annotations, so one made with managed stays updatable.
    const skipManaged = { ...skip, 'sealedsecrets.bitnami.com/managed': 'true' };
    await apply('unowned-managed', 'apps', { a: 'first-value' }, { annotations: skipManaged });
    await synced('apps', 'unowned-managed');
    await apply('unowned-managed', 'apps', { a: 'second-value' }, { annotations: skipManaged });
    await waitFor('the managed update', () => decoded(secret('apps', 'unowned-managed')?.data).a === 'second-value');
    expect(secret('apps', 'unowned-managed')!.metadata.ownerReferences).toBeUndefined();
  });
});

describe('existing Secrets', () => {
  const existing = (name: string, annotations: Record<string, string> = {}) =>
    server.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'taken', annotations },
      data: { theirs: Buffer.from('kept-value').toString('base64') },
    });

  it('leaves alone a Secret it does not own, and says why in the status and an event', async () => {
    existing('foreign');
    await apply('foreign', 'taken', { mine: 'not-written' });
    await waitFor('Synced=False', () => syncedCondition(server, 'taken', 'foreign')?.status === 'False');
    expect(syncedCondition(server, 'taken', 'foreign')).toMatchObject({
      message: 'failed update: Resource "foreign" already exists and is not managed by SealedSecret',
    });
    await waitFor('the event', () =>
      eventsFor(server, 'taken', 'foreign').some((e) => e.reason === 'ErrUpdateFailed' && e.type === 'Warning'),
    );
    expect(decoded(secret('taken', 'foreign')!.data)).toEqual({ theirs: 'kept-value' });
  });

  it('leaves alone a Secret someone else made that merely carries skip-set-owner-references', async () => {
    const skip = { 'sealedsecrets.bitnami.com/skip-set-owner-references': 'true' };
    existing('lookalike', skip);
    await apply('lookalike', 'taken', { mine: 'lookalike-value' }, { annotations: skip });
    await waitFor('Synced=False', () => syncedCondition(server, 'taken', 'lookalike')?.status === 'False');
    expect(decoded(secret('taken', 'lookalike')!.data)).toEqual({ theirs: 'kept-value' });
  });

  it('takes over a Secret annotated managed', async () => {
    existing('managed', { 'sealedsecrets.bitnami.com/managed': 'true' });
    await apply('managed', 'taken', { mine: 'managed-value' });
    await synced('taken', 'managed');
    const taken = secret('taken', 'managed')!;
    expect(decoded(taken.data)).toEqual({ mine: 'managed-value' });
    expect(taken.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'SealedSecret', name: 'managed', controller: true });
  });

  it('merges its keys into a Secret annotated patch', async () => {
    existing('patched', { 'sealedsecrets.bitnami.com/patch': 'true' });
    await apply('patched', 'taken', { mine: 'patched-value' });
    await synced('taken', 'patched');
    expect(decoded(secret('taken', 'patched')!.data)).toEqual({ theirs: 'kept-value', mine: 'patched-value' });
    expect(secret('taken', 'patched')!.metadata.ownerReferences).toBeUndefined();
    // Not ours: when its owner deletes it, it stays deleted (as with Bitnami).
    server.delete('Secret', 'taken', 'patched');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(secret('taken', 'patched')).toBeUndefined();
  });
});

describe('restoring', () => {
  it('recreates a Secret someone deletes', async () => {
    await apply('deleted', 'restore', { key: 'deleted-value' });
    await synced('restore', 'deleted');
    const before = secret('restore', 'deleted')!.metadata.uid;
    server.delete('Secret', 'restore', 'deleted');
    const after = await waitFor('the Secret to come back', () => secret('restore', 'deleted'));
    expect(after.metadata.uid).not.toBe(before);
    expect(decoded(after.data)).toEqual({ key: 'deleted-value' });
  });

  it('puts back a Secret someone edits', async () => {
    await apply('edited', 'restore', { key: 'edited-value' }, { labels: { app: 'x' } });
    await synced('restore', 'edited');
    const edited = secret('restore', 'edited')!;
    server.put({
      ...edited,
      data: { key: Buffer.from('tampered').toString('base64'), extra: 'eA==' },
      metadata: { ...edited.metadata, labels: { app: 'y' } },
    });
    await waitFor('the value to be restored', () => decoded(secret('restore', 'edited')?.data).key === 'edited-value');
    const restored = secret('restore', 'edited')!;
    expect(decoded(restored.data)).toEqual({ key: 'edited-value' });
    expect(restored.metadata.labels).toEqual({ app: 'x' });
  });

  it('does not rewrite a Secret that is as it should be', async () => {
    await apply('steady', 'restore', { key: 'steady-value' });
    await synced('restore', 'steady');
    const version = secret('restore', 'steady')!.metadata.resourceVersion;
    await apply('steady-neighbour', 'restore', { key: 'neighbour-value' });
    await synced('restore', 'steady-neighbour');
    expect(secret('restore', 'steady')!.metadata.resourceVersion).toBe(version);
    expect(eventsFor(server, 'restore', 'steady')).toHaveLength(1);
  });
});

describe('SealedSecrets that do not open', () => {
  let moved: SealedSecretManifest;

  beforeAll(async () => {
    // Sealed for prod/db, applied as prod/other: the strict scope refuses it.
    const sealed = await seal(keyring, { name: 'db', namespace: 'prod', data: { password: 'never-leaked-password' } });
    plaintexts.push('never-leaked-password');
    moved = { ...sealed, metadata: { ...sealed.metadata, name: 'other' } };
    server.put(moved as unknown as JsonObject);
  });

  it('get Synced=False and an ErrUnsealFailed event, and no Secret', async () => {
    await waitFor('Synced=False', () => syncedCondition(server, 'prod', 'other')?.status === 'False');
    const condition = syncedCondition(server, 'prod', 'other')!;
    expect(condition).not.toHaveProperty('reason');
    expect(condition.message).toMatch(/^Cannot unseal "password" of SealedSecret prod\/other: /);
    const events = await waitFor('the event', () => eventsFor(server, 'prod', 'other').filter((e) => e.reason === 'ErrUnsealFailed'));
    expect(events[0]!.type).toBe('Warning');
    expect(events[0]!.message).toMatch(/^Failed to unseal: Cannot unseal "password" of SealedSecret prod\/other: /);
    expect(secret('prod', 'other')).toBeUndefined();
  });

  it('show in the metrics, next to the synced ones', async () => {
    const text = await waitFor('the metrics', async () => {
      const body = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
      return body.includes('reason="unseal",namespace="prod"') && body;
    });
    expect(text).toMatch(
      /sealed_secrets_controller_condition_info\{namespace="prod",name="other",condition="Synced",ss_app_kubernetes_io_instance=""\} -1/,
    );
    expect(text).toMatch(
      /sealed_secrets_controller_condition_info\{namespace="default",name="db-credentials",condition="Synced",ss_app_kubernetes_io_instance=""\} 1/,
    );
    expect(text).toMatch(/sealed_secrets_controller_unseal_requests_total \d+/);
    expect(text).toMatch(/sealed_secrets_controller_unseal_errors_total\{reason="unmanaged",namespace="taken"\} \d+/);
  });
});

describe('secrecy', () => {
  it('never puts a value into a log line, event, status or metric', async () => {
    const metrics = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
    const events = JSON.stringify(server.list('Event'));
    const statuses = JSON.stringify(server.list('SealedSecret').map((s) => s.status));
    const logs = controller.output();
    expect(controller.logs().length).toBeGreaterThan(10);
    const encoded = plaintexts.filter((p) => p.length >= 8).flatMap((p) => [p, Buffer.from(p).toString('base64')]);
    for (const value of encoded) {
      for (const [where, text] of Object.entries({ logs, events, statuses, metrics }))
        expect(text.includes(value), `${value} in ${where}`).toBe(false);
    }
  });
});

describe('scope of the watch', () => {
  it('watches its own namespace and --additional-namespaces only, filtered by --label-selector', async () => {
    const scoped = await startCluster();
    let scopedController: ControllerProcess | undefined;
    try {
      const key = await addKey(scoped);
      scopedController = await startController(scoped, [
        '--all-namespaces=false',
        '--additional-namespaces',
        'team-a',
        '--label-selector',
        'env=prod',
      ]);
      const put = async (namespace: string, name: string, labels: Record<string, string>) => {
        const sealed = await seal(key, { name, namespace, data: { v: name } });
        scoped.put({ ...sealed, metadata: { ...sealed.metadata, labels } } as unknown as JsonObject);
      };
      await put('kube-system', 'own', { env: 'prod' });
      await put('team-a', 'listed', { env: 'prod' });
      await put('team-a', 'unlabelled', {});
      await put('team-b', 'elsewhere', { env: 'prod' });
      await waitFor('the watched ones', () => scoped.get('Secret', 'kube-system', 'own') && scoped.get('Secret', 'team-a', 'listed'));
      await new Promise((r) => setTimeout(r, 300));
      expect(scoped.get('Secret', 'team-a', 'unlabelled')).toBeUndefined();
      expect(scoped.get('Secret', 'team-b', 'elsewhere')).toBeUndefined();
      expect(syncedCondition(scoped, 'team-b', 'elsewhere')).toBeUndefined();
    } finally {
      await scopedController?.kill();
      await scoped.close();
    }
  });
});
