// List + watch against the test API server: pages, resumed watches, 410 relists, failures.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '@sealkit/kube';
import { waitFor } from '../../../test/controller/process.js';
import type { KubeApiServer } from '../../../test/kube-api-server/index.js';
import { Informer, type KubeObject } from '../src/kube/informer.js';
import { collectionPath, SECRETS } from '../src/kube/resources.js';
import { clusterAndClient, silentLog } from './helpers.js';

let server: KubeApiServer;
let client: KubeClient;
let informer: Informer<KubeObject> | undefined;

beforeAll(async () => {
  ({ server, client } = await clusterAndClient());
});
afterAll(async () => {
  client.close();
  await server.close();
});
afterEach(async () => {
  await informer?.stop();
  server.clearFailures();
});

const configMap = (namespace: string, name: string, value = '1') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { value },
});

const watching = (namespace: string) =>
  waitFor(`a watch in ${namespace}`, () => server.activeWatches().some((w) => w.namespace === namespace));

function watch(namespace: string) {
  const seen: string[] = [];
  informer = new Informer<KubeObject>({
    client,
    path: collectionPath({ ...SECRETS, plural: 'configmaps' }, namespace),
    transform: (object) => object,
    handlers: {
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (_, o) => seen.push(`update ${o.metadata.name}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    },
    log: silentLog,
    description: 'ConfigMaps',
    pageSize: 2,
  });
  return { informer, seen };
}

describe('Informer', () => {
  it('lists page by page, then follows changes', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.put(configMap('pages', name));
    server.clearRequests();
    const { informer, seen } = watch('pages');
    await informer.start();
    const lists = server.requests.filter((r) => r.verb === 'list' && r.namespace === 'pages');
    expect(lists.map((r) => r.query.limit)).toEqual(['2', '2', '2']);
    expect(lists.filter((r) => r.query.continue).length).toBe(2);
    expect(seen.sort()).toEqual(['add a', 'add b', 'add c', 'add d', 'add e']);
    expect(informer.size).toBe(5);

    seen.length = 0;
    server.put(configMap('pages', 'f'));
    server.put(configMap('pages', 'a', '2'));
    server.delete('ConfigMap', 'pages', 'b');
    await waitFor('three changes', () => seen.length === 3);
    expect(seen).toEqual(['add f', 'update a', 'delete b']);
    expect(informer.get('pages', 'a')?.metadata.resourceVersion).toBe(server.get('ConfigMap', 'pages', 'a')!.metadata.resourceVersion);
  });

  it('resumes a dropped watch where it was, missing nothing and repeating nothing', async () => {
    server.put(configMap('drops', 'a'));
    const { informer, seen } = watch('drops');
    await informer.start();
    await watching('drops');
    server.clearRequests();
    expect(server.dropWatches()).toBeGreaterThan(0);
    server.put(configMap('drops', 'b'));
    await waitFor('the change made while the watch was down', () => seen.includes('add b'));
    expect(seen).toEqual(['add a', 'add b']);
    expect(server.requests.some((r) => r.verb === 'list' && r.namespace === 'drops')).toBe(false);
  });

  it('lists again when its version is too old (410), reporting what was deleted meanwhile', async () => {
    server.put(configMap('expired', 'a'));
    server.put(configMap('expired', 'b'));
    const { informer, seen } = watch('expired');
    await informer.start();
    await watching('expired');
    seen.length = 0;
    server.clearRequests();
    server.dropWatches();
    server.delete('ConfigMap', 'expired', 'a');
    server.compact();
    await waitFor('the deletion found by listing again', () => seen.includes('delete a'));
    // The server says 410 inside the watch stream, as a real one does.
    expect(
      server.requests
        .filter((r) => r.namespace === 'expired')
        .map((r) => r.verb)
        .slice(0, 2),
    ).toEqual(['watch', 'list']);
    expect(informer.get('expired', 'a')).toBeUndefined();
    expect(informer.get('expired', 'b')).toBeDefined();
  });

  it('keeps retrying a list that fails', async () => {
    server.put(configMap('failing', 'a'));
    server.failNext({ method: 'GET', pathIncludes: '/namespaces/failing/configmaps', status: 500, count: 3 });
    const { informer, seen } = watch('failing');
    await informer.start();
    expect(seen).toEqual(['add a']);
  });
});
