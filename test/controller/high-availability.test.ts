// Several replicas: one leader through a Lease, every replica serving the API, failover when the leader dies.
import { KEY_SECRET_LABEL, Keyring } from '@sealkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject, KubeApiServer } from '../kube-api-server/index.js';
import {
  eventsFor,
  killControllers,
  seal,
  startCluster,
  startController,
  syncedCondition,
  waitFor,
  type ControllerProcess,
} from './harness.js';

let server: KubeApiServer;
afterAll(async () => {
  await killControllers();
  await server?.close();
});

const LEASE_MS = 2000;
const replicaArgs = [
  '--leader-elect',
  '--leader-elect-lease-duration',
  '2s',
  '--leader-elect-renew-deadline',
  '1500ms',
  '--leader-elect-retry-period',
  '250ms',
];
const leaseHolder = () => server.get('Lease', 'kube-system', 'sealed-secrets-controller')?.spec?.holderIdentity as string | undefined;
const identityOf = (replica: ControllerProcess) =>
  replica.logs().find((line) => line.msg === 'Became the leader.')?.identity as string | undefined;
const certificate = async (replica: ControllerProcess) => (await fetch(`${replica.apiUrl}/v1/cert.pem`)).text();

async function applyMany(keyring: Keyring, names: string[]) {
  for (const name of names)
    server.put((await seal(keyring, { name, namespace: 'apps', data: { value: `value of ${name}` } })) as unknown as JsonObject);
}
const allSynced = (names: string[]) =>
  waitFor(`${names.join(', ')} to be synced`, () => names.every((name) => syncedCondition(server, 'apps', name)?.status === 'True'));

describe('high availability', () => {
  it('elects one leader, fails over when it dies, and repeats nothing', async () => {
    server = await startCluster();
    const first = await startController(server, replicaArgs);
    const second = await startController(server, replicaArgs);
    expect(leaseHolder()).toBe(identityOf(first));
    expect(identityOf(second)).toBeUndefined();

    // One key, made by the leader; the follower serves it too.
    const keys = server.list('Secret', 'kube-system').filter((s) => s.metadata.labels?.[KEY_SECRET_LABEL] === 'active');
    expect(keys).toHaveLength(1);
    const pem = await certificate(first);
    expect(await certificate(second)).toBe(pem);

    const keyring = await Keyring.from(pem);
    const before = ['a', 'b', 'c', 'd', 'e'];
    await applyMany(keyring, before);
    await allSynced(before);
    await waitFor('the events', () => before.every((name) => eventsFor(server, 'apps', name).length === 1));

    await first.kill('SIGKILL');
    const died = Date.now();
    const after = ['f', 'g', 'h'];
    await applyMany(keyring, after);
    await waitFor('the follower to take the Lease', () => leaseHolder() === identityOf(second), 10_000);
    expect(Date.now() - died).toBeLessThan(LEASE_MS + 1500);
    await allSynced(after);

    // The new leader found the first five done: no second write, no second event, no second key.
    await new Promise((r) => setTimeout(r, 300));
    for (const name of before) expect(eventsFor(server, 'apps', name), name).toHaveLength(1);
    expect(server.list('Secret', 'apps')).toHaveLength(8);
    expect(server.list('Secret', 'kube-system').filter((s) => s.metadata.labels?.[KEY_SECRET_LABEL] === 'active')).toHaveLength(1);
    expect(server.get('Lease', 'kube-system', 'sealed-secrets-controller')!.spec.leaseTransitions).toBe(1);

    // A leader that shuts down hands the Lease over at once.
    const third = await startController(server, replicaArgs);
    const stopping = Date.now();
    expect(await second.kill('SIGTERM')).toBe(0);
    await waitFor('the third replica to lead', () => leaseHolder() !== undefined && leaseHolder() === identityOf(third), 5000);
    expect(Date.now() - stopping).toBeLessThan(LEASE_MS);
    expect(await certificate(third)).toBe(pem);
  });
});
