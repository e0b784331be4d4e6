// The status and events on an older API server than the reference one: the controller's
// status updates must be accepted by every API server version users still run (an empty
// string some turn into null is refused by the CRD's schema). scripts/reference-binaries.sh
// builds kube-apiserver-old beside the current one.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, Keyring, sealSecret } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startController } from '../controller/harness.js';
import { killControllers, waitFor } from '../controller/process.js';
import { referencePath, referenceSkipReason } from '../reference/binaries.js';
import { applyControllerManifests, kubeconfigYaml, startRealCluster, type RealCluster } from './cluster.js';

const oldApiServer = referencePath('kube-apiserver-old');
const skip = referenceSkipReason('etcd', 'kube-apiserver-old');

let cluster: RealCluster;
const kubectl = (args: string[], input?: string) =>
  execFileSync('kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], { input, encoding: 'utf8' });
const get = (kind: string, name: string) => JSON.parse(kubectl(['get', kind, '-n', 'apps', name, '-o', 'json'])) as Record<string, any>;

beforeAll(async () => {
  if (skip) return;
  cluster = await startRealCluster(oldApiServer);
  applyControllerManifests(cluster);
}, 120_000);

afterAll(async () => {
  await killControllers();
  await cluster?.stop();
});

describe.skipIf(skip)(`an older API server (${skip ? 'not built' : readFileSync(`${oldApiServer}.version`, 'utf8').trim()})`, () => {
  it('accepts the Synced and failed statuses and the events, in the shape of Bitnami', async () => {
    const token = kubectl(['create', 'token', 'sealed-secrets-controller', '-n', 'kube-system']).trim();
    const kubeconfigPath = join(cluster.dir, 'controller.kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfigYaml(cluster.url, cluster.caPath, token, 'kube-system'), { mode: 0o600 });
    kubectl(['create', 'namespace', 'apps']);
    const controller = await startController({ kubeconfigPath }, ['--namespace', 'apps', '--all-namespaces=false']);
    const keyring = await Keyring.from(await (await fetch(`${controller.apiUrl}/v1/cert.pem`)).text());
    const stranger = await Keyring.from((await generateKeyPair({ bits: 2048 })).certificatePem);
    const secret = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'apps' },
      stringData: { password: `p-${name}` },
    });
    const items = [await sealSecret(secret('opens'), keyring), await sealSecret(secret('wrong-key'), stranger)];
    kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));

    const condition = (name: string) => get('sealedsecret', name).status?.conditions?.find((c: { type: string }) => c.type === 'Synced');
    await waitFor('both statuses', () => condition('opens') && condition('wrong-key'), 30_000);
    expect(Object.keys(condition('opens')).sort()).toEqual(['lastTransitionTime', 'lastUpdateTime', 'status', 'type']);
    expect(condition('opens').status).toBe('True');
    expect(condition('wrong-key')).toMatchObject({ status: 'False', message: expect.stringMatching(/^Cannot unseal "password"/) });
    const events = JSON.parse(kubectl(['get', 'events', '-n', 'apps', '-o', 'json'])).items as {
      reason: string;
      involvedObject: { name: string };
    }[];
    expect(events.map((e) => `${e.involvedObject.name} ${e.reason}`)).toEqual(
      expect.arrayContaining(['opens Unsealed', 'wrong-key ErrUnsealFailed']),
    );
    expect(controller.output()).not.toMatch(/Could not update the status/);
  }, 90_000);
});
