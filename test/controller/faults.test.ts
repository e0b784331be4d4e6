// Kubernetes misbehaving: 500s, dropped and expired watches, 409s, the controller killed mid-way.
// Every SealedSecret must converge, none lost, none duplicated.
import { Keyring } from '@sealkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject, KubeApiServer } from '../kube-api-server/index.js';
import { addKey, decoded, eventsFor, killControllers, seal, startCluster, startController, syncedCondition, waitFor } from './harness.js';

let server: KubeApiServer;
let keyring: Keyring;
afterEach(async () => {
  await killControllers();
  await server?.close();
});

async function cluster() {
  server = await startCluster();
  keyring = await addKey(server);
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

async function apply(name: string, value = `value of ${name}`) {
  server.put((await seal(keyring, { name, namespace: 'apps', data: { value } })) as unknown as JsonObject);
}

/** Every SealedSecret Synced, with exactly its Secret holding its value. */
async function converged(all: string[], value = (name: string) => `value of ${name}`) {
  await waitFor(
    'every SealedSecret to converge',
    () =>
      all.every(
        (name) =>
          syncedCondition(server, 'apps', name)?.status === 'True' &&
          decoded(server.get('Secret', 'apps', name)?.data).value === value(name),
      ),
    30_000,
  );
  expect(
    server
      .list('Secret', 'apps')
      .map((s) => s.metadata.name)
      .sort(),
  ).toEqual([...all].sort());
  for (const name of all) expect(server.get('Secret', 'apps', name)!.metadata.ownerReferences, name).toHaveLength(1);
}

describe('faults', () => {
  it('converges through 500s on every kind of request', async () => {
    await cluster();
    server.failNext({ method: 'GET', pathIncludes: 'sealedsecrets', status: 500, count: 2 });
    const controller = startController(server);
    const all = names('flaky', 12);
    server.failNext({ method: 'POST', pathIncludes: '/secrets', status: 500, count: 6 });
    server.failNext({ method: 'PUT', pathIncludes: '/status', status: 500, count: 6 });
    server.failNext({ method: 'POST', pathIncludes: '/events', status: 503, count: 3 });
    for (const name of all) await apply(name);
    await controller;
    await converged(all);
    expect(server.requests.filter((r) => r.injected).length).toBe(17);
  });

  it('converges while its watches are dropped and expire', async () => {
    await cluster();
    await startController(server);
    const all = names('dropped', 24);
    for (const [i, name] of all.entries()) {
      await apply(name);
      if (i % 4 === 0) server.dropWatches();
      if (i === 12) server.compact();
    }
    await converged(all);
  });

  it('converges through 409s on updates and status writes', async () => {
    await cluster();
    await startController(server);
    const all = names('conflict', 6);
    for (const name of all) await apply(name);
    await converged(all);
    server.failNext({ method: 'PUT', pathIncludes: '/secrets/conflict', status: 409, count: 4, reason: 'Conflict' });
    server.failNext({ method: 'PUT', pathIncludes: '/status', status: 409, count: 4, reason: 'Conflict' });
    server.clearRequests();
    for (const name of all) await apply(name, `changed ${name}`);
    await converged(all, (name) => `changed ${name}`);
    expect(server.requests.filter((r) => r.injected).length).toBe(8);
  });

  it('converges after being killed mid-way and restarted, without duplicates', async () => {
    await cluster();
    const all = names('restart', 80);
    for (const name of all) await apply(name);
    const first = await startController(server, ['--workers', '2']);
    await waitFor('some to be synced', () => all.filter((name) => syncedCondition(server, 'apps', name)?.status === 'True').length >= 10);
    await first.kill('SIGKILL');
    const unfinished = all.filter((name) => syncedCondition(server, 'apps', name)?.status !== 'True');
    expect(unfinished.length).toBeGreaterThan(0);

    await startController(server);
    await converged(all);
    await new Promise((r) => setTimeout(r, 300));
    for (const name of all)
      expect(eventsFor(server, 'apps', name).filter((e) => e.reason === 'Unsealed').length, name).toBeLessThanOrEqual(1);
  });
});
