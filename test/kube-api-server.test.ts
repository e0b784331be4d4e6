import http from 'node:http';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import * as k8s from '../packages/controller/node_modules/@kubernetes/client-node/dist/index.js';
import { startKubeApiServer, type KubeApiServer } from './kube-api-server/index.js';

let server: KubeApiServer;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let custom: k8s.CustomObjectsApi;

beforeAll(async () => {
  server = await startKubeApiServer({ bookmarkIntervalMs: 200 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  core = kc.makeApiClient(k8s.CoreV1Api);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
});

afterAll(async () => {
  await server?.close();
});

afterEach(() => {
  server.clearFailures();
});

const SS = { group: 'bitnami.com', version: 'v1alpha1', plural: 'sealedsecrets' } as const;

/** Status body of a failed client-node call. */
async function apiError(p: Promise<unknown>): Promise<{ code: number; status: any }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof k8s.ApiException) {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      return { code: e.code, status: body };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

async function ensureNamespace(name: string) {
  if (!server.get('Namespace', null, name)) await core.createNamespace({ body: { metadata: { name } } });
}

function sealedSecret(name: string, namespace: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name, namespace },
    spec: { encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA==' }, template: { metadata: { name } } },
    ...extra,
  };
}

// ---------------------------------------------------------------------------

describe('core v1 secrets via @kubernetes/client-node', () => {
  beforeAll(() => ensureNamespace('crud'));

  it('creates, reads, updates, patches and deletes with real metadata semantics', async () => {
    const created = await core.createNamespacedSecret({
      namespace: 'crud',
      body: { metadata: { name: 's1', labels: { app: 'a' } }, stringData: { user: 'admin' }, data: { pw: 'cHc=' } },
    });
    expect(created.data).toEqual({ user: 'YWRtaW4=', pw: 'cHc=' });
    expect(created.stringData).toBeUndefined();
    expect(created.type).toBe('Opaque');
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.generation).toBeUndefined();
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);

    const dup = await apiError(core.createNamespacedSecret({ namespace: 'crud', body: { metadata: { name: 's1' } } }));
    expect(dup.code).toBe(409);
    expect(dup.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'AlreadyExists',
      message: 'secrets "s1" already exists',
      details: { name: 's1', kind: 'secrets' },
    });

    const read = await core.readNamespacedSecret({ name: 's1', namespace: 'crud' });
    read.data = { ...read.data, extra: 'eA==' };
    const updated = await core.replaceNamespacedSecret({ name: 's1', namespace: 'crud', body: read });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    expect(updated.metadata?.uid).toBe(created.metadata?.uid);

    // stale resourceVersion → 409 Conflict
    const stale = await apiError(core.replaceNamespacedSecret({ name: 's1', namespace: 'crud', body: read }));
    expect(stale.code).toBe(409);
    expect(stale.status.reason).toBe('Conflict');
    expect(stale.status.message).toBe(
      'Operation cannot be fulfilled on secrets "s1": the object has been modified; please apply your changes to the latest version and try again',
    );

    // Secrets allow unconditional updates (no resourceVersion)
    const unconditional = await core.replaceNamespacedSecret({
      name: 's1',
      namespace: 'crud',
      body: { metadata: { name: 's1', labels: { app: 'b' } }, data: { only: 'b25seQ==' } },
    });
    expect(unconditional.data).toEqual({ only: 'b25seQ==' });

    // a no-op update keeps the resourceVersion
    const same = await core.replaceNamespacedSecret({ name: 's1', namespace: 'crud', body: unconditional });
    expect(same.metadata?.resourceVersion).toBe(unconditional.metadata?.resourceVersion);

    const merged = await core.patchNamespacedSecret(
      { name: 's1', namespace: 'crud', body: { metadata: { labels: { tier: 'x' } }, stringData: { s: 't' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ app: 'b', tier: 'x' });
    expect(merged.data?.s).toBe('dA==');

    const jsonPatched = await core.patchNamespacedSecret({
      name: 's1',
      namespace: 'crud',
      body: [{ op: 'remove', path: '/metadata/labels/app' }],
    });
    expect(jsonPatched.metadata?.labels).toEqual({ tier: 'x' });

    const badPatch = await apiError(
      core.patchNamespacedSecret({ name: 's1', namespace: 'crud', body: [{ op: 'test', path: '/type', value: 'nope' }] }),
    );
    expect(badPatch.code).toBe(422);

    const list = await core.listNamespacedSecret({ namespace: 'crud', labelSelector: 'tier in (x,y)' });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(['s1']);
    expect(list.metadata?.resourceVersion).toBe(server.resourceVersion);

    const del = await core.deleteNamespacedSecret({ name: 's1', namespace: 'crud' });
    expect(del).toMatchObject({ status: 'Success', details: { name: 's1', kind: 'secrets' } });
    const gone = await apiError(core.readNamespacedSecret({ name: 's1', namespace: 'crud' }));
    expect(gone.code).toBe(404);
    expect(gone.status).toMatchObject({ reason: 'NotFound', message: 'secrets "s1" not found', code: 404 });
  });

  it('validates like the real API server', async () => {
    const b64 = await apiError(
      core.createNamespacedSecret({ namespace: 'crud', body: { metadata: { name: 'bad' }, data: { k: 'not base64!' } } }),
    );
    expect(b64.code).toBe(400);
    expect(b64.status.message).toContain('illegal base64 data at input byte 3');

    const key = await apiError(
      core.createNamespacedSecret({ namespace: 'crud', body: { metadata: { name: 'bad' }, stringData: { 'a b': 'x' } } }),
    );
    expect(key.code).toBe(422);
    expect(key.status.reason).toBe('Invalid');
    expect(key.status.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'data[a b]' });

    const tls = await apiError(
      core.createNamespacedSecret({ namespace: 'crud', body: { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: {} } }),
    );
    expect(tls.status.message).toBe('Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]');

    await core.createNamespacedSecret({
      namespace: 'crud',
      body: { metadata: { name: 'frozen' }, immutable: true, data: { a: 'YQ==' } },
    });
    const frozen = await apiError(
      core.patchNamespacedSecret(
        { name: 'frozen', namespace: 'crud', body: { data: { a: 'Yg==' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    );
    expect(frozen.code).toBe(422);
    expect(frozen.status.message).toContain('data: Forbidden: field is immutable when `immutable` is set');

    const noNs = await apiError(core.createNamespacedSecret({ namespace: 'missing-ns', body: { metadata: { name: 'x' } } }));
    expect(noNs.code).toBe(404);
    expect(noNs.status.message).toBe('namespaces "missing-ns" not found');

    const generated = await core.createNamespacedSecret({ namespace: 'crud', body: { metadata: { generateName: 'gen-' } } });
    expect(generated.metadata?.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('pages lists and applies label and field selectors', async () => {
    await ensureNamespace('paging');
    for (let i = 0; i < 5; i++) {
      await core.createNamespacedSecret({
        namespace: 'paging',
        body: { metadata: { name: `p${i}`, labels: { idx: String(i), ...(i % 2 ? { odd: 'true' } : {}) } } },
      });
    }
    const page1 = await core.listNamespacedSecret({ namespace: 'paging', limit: 2 });
    expect(page1.items.map((s) => s.metadata?.name)).toEqual(['p0', 'p1']);
    expect(page1.metadata?._continue).toBeTruthy();
    expect(page1.metadata?.remainingItemCount).toBe(3);
    // a change between pages does not show up: continue lists a consistent snapshot
    await core.deleteNamespacedSecret({ name: 'p3', namespace: 'paging' });
    const page2 = await core.listNamespacedSecret({ namespace: 'paging', limit: 2, _continue: page1.metadata!._continue });
    expect(page2.items.map((s) => s.metadata?.name)).toEqual(['p2', 'p3']);
    expect(page2.metadata?.resourceVersion).toBe(page1.metadata?.resourceVersion);

    const sel = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedSecret({ namespace: 'paging', labelSelector, fieldSelector })).items.map((s) => s.metadata?.name);
    expect(await sel('odd')).toEqual(['p1']);
    expect(await sel('!odd')).toEqual(['p0', 'p2', 'p4']);
    expect(await sel('idx notin (0,1),odd!=true')).toEqual(['p2', 'p4']);
    expect(await sel('idx==4')).toEqual(['p4']);
    expect(await sel(undefined, 'metadata.name=p2')).toEqual(['p2']);
    expect(await sel(undefined, 'metadata.name!=p2,metadata.namespace=paging')).toEqual(['p0', 'p1', 'p4']);
    const badField = await apiError(core.listNamespacedSecret({ namespace: 'paging', fieldSelector: 'spec.foo=bar' }));
    expect(badField.code).toBe(400);
    expect(badField.status.message).toBe('field label not supported: spec.foo');

    const all = await core.listSecretForAllNamespaces({ labelSelector: 'idx' });
    expect(all.items.every((s) => s.metadata?.namespace === 'paging')).toBe(true);

    // compaction expires old continue tokens
    const p = await core.listNamespacedSecret({ namespace: 'paging', limit: 1 });
    server.compact();
    const expired = await apiError(core.listNamespacedSecret({ namespace: 'paging', limit: 1, _continue: p.metadata!._continue }));
    expect(expired.code).toBe(410);
    expect(expired.status.reason).toBe('Expired');
  });
});

// ---------------------------------------------------------------------------

describe('SealedSecrets (bitnami.com/v1alpha1) via CustomObjectsApi', () => {
  beforeAll(() => ensureNamespace('ss'));

  it('serves the status subresource and tracks generation', async () => {
    const created = await custom.createNamespacedCustomObject({
      ...SS,
      namespace: 'ss',
      body: sealedSecret('s1', 'ss', { status: { observedGeneration: 9 } }),
    });
    expect(created.metadata.generation).toBe(1);
    expect(created.status).toBeUndefined(); // dropped on create with a status subresource

    const withStatus = await custom.replaceNamespacedCustomObjectStatus({
      ...SS,
      namespace: 'ss',
      name: 's1',
      body: {
        ...created,
        metadata: { ...created.metadata, labels: { ignored: 'true' } },
        spec: { encryptedData: { ignored: 'x' } },
        status: { observedGeneration: 1, conditions: [{ type: 'Synced', status: 'True' }] },
      },
    });
    expect(withStatus.status.conditions[0].type).toBe('Synced');
    expect(withStatus.spec).toEqual(created.spec); // /status only changes status
    expect(withStatus.metadata.labels).toBeUndefined();
    expect(withStatus.metadata.generation).toBe(1);

    const patched = await custom.patchNamespacedCustomObjectStatus(
      { ...SS, namespace: 'ss', name: 's1', body: { status: { observedGeneration: 2 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(patched.status).toEqual({ observedGeneration: 2, conditions: [{ type: 'Synced', status: 'True' }] });

    // a main-resource update ignores status and bumps generation only for spec changes
    const relabeled = await custom.replaceNamespacedCustomObject({
      ...SS,
      namespace: 'ss',
      name: 's1',
      body: { ...patched, metadata: { ...patched.metadata, labels: { a: 'b' } }, status: { observedGeneration: 99 } },
    });
    expect(relabeled.metadata.generation).toBe(1);
    expect(relabeled.status.observedGeneration).toBe(2);
    const respec = await custom.patchNamespacedCustomObject(
      { ...SS, namespace: 'ss', name: 's1', body: { spec: { encryptedData: { password: 'AgNEW' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(respec.metadata.generation).toBe(2);

    // CRs: resourceVersion is required on PUT, stale ones conflict, SMP is unsupported
    const noRv = await apiError(
      custom.replaceNamespacedCustomObject({ ...SS, namespace: 'ss', name: 's1', body: sealedSecret('s1', 'ss') }),
    );
    expect(noRv.code).toBe(422);
    expect(noRv.status.message).toContain('metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    const staleRv = await apiError(custom.replaceNamespacedCustomObject({ ...SS, namespace: 'ss', name: 's1', body: relabeled }));
    expect(staleRv.code).toBe(409);
    expect(staleRv.status.message).toContain('sealedsecrets.bitnami.com "s1"');
    const smp = await apiError(
      custom.patchNamespacedCustomObject(
        { ...SS, namespace: 'ss', name: 's1', body: { spec: {} } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(smp.code).toBe(415);

    const invalidSpec = await apiError(
      custom.createNamespacedCustomObject({
        ...SS,
        namespace: 'ss',
        body: { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'nospec' }, spec: {} },
      }),
    );
    expect(invalidSpec.code).toBe(422);
    expect(invalidSpec.status.message).toBe('SealedSecret.bitnami.com "nospec" is invalid: spec.encryptedData: Required value');

    const all = await custom.listClusterCustomObject(SS);
    expect(all.kind).toBe('SealedSecretList');
    expect(all.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`)).toContain('ss/s1');
    expect(all.items[0].kind).toBe('SealedSecret'); // CR list items keep kind/apiVersion

    const deleted = await custom.deleteNamespacedCustomObject({ ...SS, namespace: 'ss', name: 's1' });
    expect(deleted.kind).toBe('SealedSecret'); // CRs return the deleted object
  });

  it('garbage-collects Secrets owned by a deleted SealedSecret', async () => {
    const owner = await custom.createNamespacedCustomObject({ ...SS, namespace: 'ss', body: sealedSecret('owner', 'ss') });
    const ownerRef = {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      name: 'owner',
      uid: owner.metadata.uid,
      controller: true,
    };
    await core.createNamespacedSecret({ namespace: 'ss', body: { metadata: { name: 'owner', ownerReferences: [ownerRef] } } });
    await core.createNamespacedSecret({ namespace: 'ss', body: { metadata: { name: 'unowned' } } });
    await custom.deleteNamespacedCustomObject({ ...SS, namespace: 'ss', name: 'owner' });
    await vi.waitFor(() => expect(server.get('Secret', 'ss', 'owner')).toBeUndefined(), { timeout: 2000 });
    expect(server.get('Secret', 'ss', 'unowned')).toBeDefined();

    // Orphan keeps the dependent and strips the reference
    const owner2 = await custom.createNamespacedCustomObject({ ...SS, namespace: 'ss', body: sealedSecret('owner2', 'ss') });
    await core.createNamespacedSecret({
      namespace: 'ss',
      body: { metadata: { name: 'owner2', ownerReferences: [{ ...ownerRef, name: 'owner2', uid: owner2.metadata.uid }] } },
    });
    await custom.deleteNamespacedCustomObject({ ...SS, namespace: 'ss', name: 'owner2', propagationPolicy: 'Orphan' });
    await vi.waitFor(() => expect(server.get('SealedSecret', 'ss', 'owner2')).toBeUndefined(), { timeout: 2000 });
    expect(server.get('Secret', 'ss', 'owner2')?.metadata.ownerReferences).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------

describe('informers (list + watch)', () => {
  beforeAll(() => ensureNamespace('inf'));
  const watching = (urlPart: string) => server.activeWatches().filter((w) => w.url.includes(urlPart)).length;
  // wait until earlier informers' streams are gone
  beforeEach(() => vi.waitFor(() => expect(server.activeWatches()).toEqual([]), { timeout: 3000 }));

  it('sees ADDED/MODIFIED/DELETED and recovers from dropped watches and compaction', async () => {
    const path = '/api/v1/namespaces/inf/secrets';
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedSecret({ namespace: 'inf' }));
    const events: string[] = [];
    let errors = 0;
    let stopped = false;
    informer.on('add', (o) => events.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => events.push(`update:${o.metadata?.name}`));
    informer.on('delete', (o) => events.push(`delete:${o.metadata?.name}`));
    informer.on('error', () => {
      if (stopped) return; // stop() aborts the request, which client-node reports as an error too
      errors++;
      // what a controller does: restart after an error
      setTimeout(() => void (stopped || informer.start()), 100);
    });
    await core.createNamespacedSecret({ namespace: 'inf', body: { metadata: { name: 'pre' } } });
    await informer.start();
    try {
      await vi.waitFor(() => expect(watching('/namespaces/inf/secrets')).toBe(1));
      expect(events).toEqual(['add:pre']);

      await core.createNamespacedSecret({ namespace: 'inf', body: { metadata: { name: 'a' } } });
      await core.patchNamespacedSecret(
        { name: 'a', namespace: 'inf', body: { metadata: { labels: { x: 'y' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedSecret({ name: 'a', namespace: 'inf' });
      await vi.waitFor(() => expect(events).toEqual(['add:pre', 'add:a', 'update:a', 'delete:a']));

      // graceful end of the stream (like a server-side timeout): the informer re-watches from its resourceVersion
      server.clearRequests();
      expect(server.dropWatches({ graceful: true })).toBe(1);
      await vi.waitFor(() => expect(watching('/namespaces/inf/secrets')).toBe(1));
      const rewatch = server.requests.find((r) => r.verb === 'watch');
      expect(Number(rewatch?.query.resourceVersion)).toBeGreaterThan(0);
      expect(server.requests.some((r) => r.verb === 'list')).toBe(false);

      // abrupt drop: client-node reports an error; the restart relists and re-watches
      server.dropWatches();
      await vi.waitFor(() => expect(errors).toBe(1));
      await core.createNamespacedSecret({ namespace: 'inf', body: { metadata: { name: 'b' } } });
      await vi.waitFor(() => expect(events).toContain('add:b'));

      // compaction while disconnected: the re-watch gets a 410 ERROR event, the informer relists,
      // and notices the object deleted in the meantime
      await vi.waitFor(() => expect(watching('/namespaces/inf/secrets')).toBe(1));
      server.dropWatches(); // → error → restart in 100 ms
      server.delete('Secret', 'inf', 'pre');
      await vi.waitFor(() => expect(errors).toBe(2));
      server.compact();
      server.clearRequests();
      await vi.waitFor(() => expect(events).toContain('delete:pre'), { timeout: 3000 });
      await vi.waitFor(() => expect(watching('/namespaces/inf/secrets')).toBe(1));
      expect(server.requests.some((r) => r.verb === 'list')).toBe(true);

      // live events after relist
      await core.createNamespacedSecret({ namespace: 'inf', body: { metadata: { name: 'c' } } });
      await vi.waitFor(() => expect(events).toContain('add:c'));
    } finally {
      stopped = true;
      await informer.stop();
    }
  });

  it('informs on SealedSecrets across all namespaces', async () => {
    await ensureNamespace('inf2');
    const informer = k8s.makeInformer(kc, '/apis/bitnami.com/v1alpha1/sealedsecrets', () => custom.listClusterCustomObject(SS));
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata?.namespace}/${o.metadata?.name}`));
    informer.on('update', (o: any) => seen.push(`update:${o.metadata?.name}:${o.status?.observedGeneration}`));
    await informer.start();
    try {
      await vi.waitFor(() => expect(watching('/sealedsecrets')).toBe(1));
      const before = seen.length;
      const created = await custom.createNamespacedCustomObject({ ...SS, namespace: 'inf2', body: sealedSecret('w', 'inf2') });
      await custom.replaceNamespacedCustomObjectStatus({
        ...SS,
        namespace: 'inf2',
        name: 'w',
        body: { ...created, status: { observedGeneration: 1 } },
      });
      await vi.waitFor(() => expect(seen.slice(before)).toEqual(['add:inf2/w', 'update:w:1']));
    } finally {
      await informer.stop();
    }
  });

  it('a watch from a compacted resourceVersion gets an ERROR event with a 410 Status', async () => {
    const rv = server.resourceVersion;
    await core.createNamespacedSecret({ namespace: 'inf', body: { metadata: { name: 'old' } } });
    server.compact();
    const res = await fetch(`${server.url}/api/v1/namespaces/inf/secrets?watch=true&resourceVersion=${rv}`);
    expect(res.status).toBe(200);
    const text = await res.text(); // the stream ends after the error
    const ev = JSON.parse(text.trim().split('\n')[0]!);
    expect(ev.type).toBe('ERROR');
    expect(ev.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(ev.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('filters watch events by label selector, with bookmarks', async () => {
    const informer = k8s.makeInformer(
      kc,
      '/api/v1/namespaces/inf/secrets',
      () => core.listNamespacedSecret({ namespace: 'inf', labelSelector: 'team=blue' }),
      'team=blue',
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    await informer.start();
    try {
      await vi.waitFor(() => expect(watching('labelSelector=team')).toBe(1));
      await core.createNamespacedSecret({ namespace: 'inf', body: { metadata: { name: 'red', labels: { team: 'red' } } } });
      await core.createNamespacedSecret({ namespace: 'inf', body: { metadata: { name: 'blue', labels: { team: 'blue' } } } });
      // relabeling out of the selector is seen as DELETED by a filtered watch
      await core.patchNamespacedSecret(
        { name: 'blue', namespace: 'inf', body: { metadata: { labels: { team: 'green' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await vi.waitFor(() => expect(seen).toEqual(['add:blue', 'delete:blue']));
    } finally {
      await informer.stop();
    }

    const ctrl = new AbortController();
    const res = await fetch(
      `${server.url}/api/v1/namespaces/inf/secrets?watch=1&allowWatchBookmarks=true&resourceVersion=${server.resourceVersion}`,
      {
        signal: ctrl.signal,
      },
    );
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    ctrl.abort();
    const bookmark = JSON.parse(new TextDecoder().decode(value).split('\n')[0]!);
    expect(bookmark.type).toBe('BOOKMARK');
    expect(bookmark.object.metadata.resourceVersion).toBe(server.resourceVersion);
  });
});

// ---------------------------------------------------------------------------

describe('leases, events, discovery', () => {
  it('updates Leases with optimistic concurrency', async () => {
    const coord = kc.makeApiClient(k8s.CoordinationV1Api);
    const lease = await coord.createNamespacedLease({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'sealkit-leader' },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: new Date('2024-01-01T00:00:00.123Z') as any },
      },
    });
    expect(lease.spec?.holderIdentity).toBe('a');
    const raw = server.get('Lease', 'kube-system', 'sealkit-leader');
    expect(raw?.spec.renewTime).toBe('2024-01-01T00:00:00.123000Z'); // MicroTime

    lease.spec!.holderIdentity = 'b';
    const renewed = await coord.replaceNamespacedLease({ name: 'sealkit-leader', namespace: 'kube-system', body: lease });
    expect(renewed.spec?.holderIdentity).toBe('b');
    const lost = await apiError(coord.replaceNamespacedLease({ name: 'sealkit-leader', namespace: 'kube-system', body: lease }));
    expect(lost.code).toBe(409);
    const noRv = await apiError(
      coord.replaceNamespacedLease({
        name: 'sealkit-leader',
        namespace: 'kube-system',
        body: { metadata: { name: 'sealkit-leader' }, spec: { holderIdentity: 'c' } },
      }),
    );
    expect(noRv.code).toBe(422);
    // Leases may be created with PUT
    const put = await coord.replaceNamespacedLease({
      name: 'other',
      namespace: 'kube-system',
      body: { metadata: { name: 'other' }, spec: { holderIdentity: 'x' } },
    });
    expect(put.metadata?.uid).toBeTruthy();
  });

  it('creates and lists core Events', async () => {
    const ev = await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'ss.' },
        involvedObject: { kind: 'SealedSecret', apiVersion: 'bitnami.com/v1alpha1', name: 'x', namespace: 'default' },
        reason: 'Unsealed',
        message: 'SealedSecret unsealed successfully',
        type: 'Normal',
        source: { component: 'sealed-secrets-controller' },
        count: 1,
      },
    });
    expect(ev.metadata?.name).toMatch(/^ss\./);
    const listed = await core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'reason=Unsealed' });
    expect(listed.items[0]).toMatchObject({ message: 'SealedSecret unsealed successfully', involvedObject: { name: 'x' } });
  });
});

// ---------------------------------------------------------------------------

describe('service proxy', () => {
  it('forwards GET and POST to the registered target', async () => {
    const seen: Array<{ method?: string; url?: string; body: string; contentType?: string }> = [];
    const target = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body, contentType: req.headers['content-type'] });
        if (req.url === '/v1/cert.pem') {
          res.writeHead(200, { 'Content-Type': 'application/x-pem-file' });
          res.end('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
        } else {
          res.writeHead(201, { 'Content-Type': 'application/json', 'X-Echo': 'yes' });
          res.end(JSON.stringify({ echoed: body }));
        }
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
    try {
      const base = `${server.url}/api/v1/namespaces/kube-system/services`;
      const before = await fetch(`${base}/http:sealed-secrets-controller:/proxy/v1/cert.pem`);
      expect(before.status).toBe(404); // no Service object yet

      server.registerService('kube-system', 'sealed-secrets-controller', targetUrl);
      expect(server.get('Service', 'kube-system', 'sealed-secrets-controller')?.spec.ports[0].port).toBe(8080);

      for (const id of ['http:sealed-secrets-controller:', 'sealed-secrets-controller', 'http:sealed-secrets-controller:8080']) {
        const res = await fetch(`${base}/${id}/proxy/v1/cert.pem`, { headers: { Accept: 'application/x-pem-file, */*' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/x-pem-file');
        expect(await res.text()).toContain('BEGIN CERTIFICATE');
      }

      const post = await fetch(`${base}/http:sealed-secrets-controller:/proxy/v1/verify?x=1`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"hello":"world"}',
      });
      expect(post.status).toBe(201);
      expect(post.headers.get('x-echo')).toBe('yes');
      expect(await post.json()).toEqual({ echoed: '{"hello":"world"}' });
      expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/v1/verify?x=1', contentType: 'application/json' });

      // through client-node (which percent-encodes the path; it only parses JSON answers)
      const pem = await core.connectGetNamespacedServiceProxyWithPath({
        name: 'http:sealed-secrets-controller:',
        namespace: 'kube-system',
        path: 'v1/info',
      });
      expect(pem).toEqual({ echoed: '' });
      expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/info' });

      // a named port must be addressed by name, like a real cluster
      server.registerService('default', 'named', targetUrl, { portName: 'http' });
      expect((await fetch(`${server.url}/api/v1/namespaces/default/services/named:http/proxy/v1/cert.pem`)).status).toBe(200);
      const wrongPort = await fetch(`${server.url}/api/v1/namespaces/default/services/http:named:/proxy/v1/cert.pem`);
      expect(wrongPort.status).toBe(503);
      expect(await wrongPort.json()).toMatchObject({
        kind: 'Status',
        reason: 'ServiceUnavailable',
        message: 'no endpoints available for service "http:named:"',
      });

      server.unregisterService('kube-system', 'sealed-secrets-controller');
      const unavailable = await fetch(`${base}/http:sealed-secrets-controller:/proxy/v1/cert.pem`);
      expect(unavailable.status).toBe(503);
      expect((await unavailable.json()).message).toBe('no endpoints available for service "sealed-secrets-controller"');
    } finally {
      target.closeAllConnections();
      await new Promise((r) => target.close(r));
    }
  });
});

// ---------------------------------------------------------------------------

describe('fault injection and request log', () => {
  it('failNext answers with a Status that the client sees, then recovers', async () => {
    await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'flaky' } } });
    server.failNext({ method: 'GET', pathIncludes: '/secrets/flaky', status: 500, count: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await apiError(core.readNamespacedSecret({ name: 'flaky', namespace: 'default' }));
      expect(err.code).toBe(500);
      expect(err.status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'InternalError', code: 500 });
    }
    const ok = await core.readNamespacedSecret({ name: 'flaky', namespace: 'default' });
    expect(ok.metadata?.name).toBe('flaky');
    const injected = server.requests.filter((r) => r.injected);
    expect(injected.length).toBeGreaterThanOrEqual(2);
    expect(injected.at(-1)).toMatchObject({ method: 'GET', status: 500, verb: 'get', resource: 'secrets', name: 'flaky' });
  });

  it('put/get/list give direct store access that emits watch events', async () => {
    const put = server.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seeded', namespace: 'seeded-ns' }, data: { a: 'b' } });
    expect(put.metadata.uid).toBeTruthy();
    expect(server.get('Namespace', null, 'seeded-ns')).toBeDefined();
    const cm = await core.readNamespacedConfigMap({ name: 'seeded', namespace: 'seeded-ns' });
    expect(cm.data).toEqual({ a: 'b' });
    expect(server.list('configmaps', 'seeded-ns').map((o) => o.metadata.name)).toEqual(['seeded']);
    const ss = server.put({ ...sealedSecret('seeded', 'seeded-ns'), status: { observedGeneration: 1 } });
    expect(ss.status).toEqual({ observedGeneration: 1 });
    expect(ss.metadata.generation).toBe(1);
  });
});
