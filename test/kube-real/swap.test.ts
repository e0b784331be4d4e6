// Swapping controllers on one cluster, both ways: the one that takes over uses the key
// Secrets the other made, leaves alone what is already in sync (Secrets, statuses, no new
// events) and keeps unsealing what comes next.
import { KEY_SECRET_LABEL, Keyring, sealSecret } from '@sealkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { killControllers, waitFor, type ControllerProcess } from '../controller/process.js';
import {
  bitnamiSkipReason,
  create,
  getObject,
  kubectl,
  listObjects,
  newNamespace,
  skipReason,
  startBitnami,
  startOurs,
  type JsonObject,
} from './harness.js';

const skip = skipReason ?? bitnamiSkipReason();

const certificate = async (controller: ControllerProcess) => (await fetch(`${controller.apiUrl}/v1/cert.pem`)).text();

async function sealInto(
  namespace: string,
  name: string,
  certificatePem: string,
  scope: 'strict' | 'namespace-wide' = 'strict',
): Promise<void> {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { app: name } },
    stringData: { password: `p-${name}` },
  };
  create((await sealSecret(secret, await Keyring.from(certificatePem), { scope })) as unknown as JsonObject);
}

const synced = (namespace: string, name: string) =>
  waitFor(
    `${namespace}/${name} to be Synced`,
    () =>
      getObject('sealedsecret', namespace, name)?.status?.conditions?.some((c: JsonObject) => c.type === 'Synced' && c.status === 'True'),
    30_000,
  );

const password = (namespace: string, name: string) => {
  const data = getObject('secret', namespace, name)?.data as Record<string, string> | undefined;
  return data && Buffer.from(data.password!, 'base64').toString();
};

/** resourceVersions of every SealedSecret and Secret, and the number of events: what a takeover must not change. */
function snapshot(namespace: string) {
  const versions = (kind: string) =>
    Object.fromEntries(listObjects(kind, namespace).map((o) => [o.metadata.name, o.metadata.resourceVersion]));
  return {
    sealedSecrets: versions('sealedsecrets'),
    secrets: versions('secrets'),
    events: listObjects('events', namespace).reduce((n, e) => n + (e.count ?? 1), 0),
  };
}

const keySecrets = (namespace: string) =>
  kubectl(['get', 'secrets', '-n', namespace, '-l', KEY_SECRET_LABEL, '-o', 'name']).split('\n').filter(Boolean);

/** Long enough for a controller to list, reconcile and write whatever it would. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 4000));

describe.skipIf(skip)('swapping controllers on one cluster', () => {
  afterAll(killControllers);

  it("ours takes over from Bitnami's: its key, its Secrets and statuses untouched, then keeps unsealing", async () => {
    const ns = newNamespace('swap-from-bitnami');
    const bitnami = await startBitnami(ns);
    const cert = await certificate(bitnami);
    await sealInto(ns, 'first', cert);
    await sealInto(ns, 'second', cert, 'namespace-wide');
    await synced(ns, 'first');
    await synced(ns, 'second');
    await bitnami.kill();
    const before = snapshot(ns);
    expect(keySecrets(ns)).toHaveLength(1);

    const ours = await startOurs(ns);
    expect(await certificate(ours)).toBe(cert);
    await settle();
    expect(snapshot(ns)).toEqual(before);
    expect(keySecrets(ns)).toHaveLength(1);

    await sealInto(ns, 'third', await certificate(ours));
    await synced(ns, 'third');
    expect(password(ns, 'third')).toBe('p-third');
    kubectl(['delete', 'secret', '-n', ns, 'first']);
    await waitFor('the deleted Secret to be restored', () => password(ns, 'first') === 'p-first');
  }, 120_000);

  it("Bitnami's takes over from ours, with a key ours made and one it renewed", async () => {
    const ns = newNamespace('swap-from-ours');
    const ours = await startOurs(ns);
    const first = await certificate(ours);
    await sealInto(ns, 'first', first);
    await synced(ns, 'first');
    // Certificates carry whole seconds: a key renewed in the same second would not be the newer one to Bitnami.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    ours.child.kill('SIGUSR1');
    await waitFor('a second key', () => keySecrets(ns).length === 2);
    const renewed = await waitFor('the renewed certificate', async () => {
      const cert = await certificate(ours);
      return cert !== first && cert;
    });
    await sealInto(ns, 'second', renewed);
    await synced(ns, 'second');
    await ours.kill();
    const before = snapshot(ns);

    const bitnami = await startBitnami(ns);
    expect(await certificate(bitnami)).toBe(renewed);
    await settle();
    const after = snapshot(ns);
    // Bitnami records an Unsealed event at every reconcile, also of what is in sync; it writes nothing else.
    expect({ ...after, events: 0 }).toEqual({ ...before, events: 0 });
    expect(keySecrets(ns)).toHaveLength(2);

    await sealInto(ns, 'third', await certificate(bitnami));
    await synced(ns, 'third');
    expect([password(ns, 'first'), password(ns, 'second'), password(ns, 'third')]).toEqual(['p-first', 'p-second', 'p-third']);
  }, 120_000);
});
