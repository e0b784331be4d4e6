// Post-quantum keys on a real API server, beside Bitnami's controller: ours (--post-quantum-keys)
// opens post-quantum and classic SealedSecrets; Bitnami's, taking over, reads the same key Secret
// (the certificate's ML-KEM extension and the mlkem768.seed entry are ignored), serves the same
// certificate, opens classic values, and fails on post-quantum ones without misreading them.
import { inspectSealed, Keyring, sealSecret } from '@sealkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { killControllers, waitFor, type ControllerProcess } from '../controller/process.js';
import { bitnamiSkipReason, create, getObject, newNamespace, skipReason, startBitnami, startOurs, type JsonObject } from './harness.js';

const skip = skipReason ?? bitnamiSkipReason();

const certificate = async (controller: ControllerProcess) => (await fetch(`${controller.apiUrl}/v1/cert.pem`)).text();

async function sealInto(namespace: string, name: string, certificatePem: string, classic: boolean): Promise<string> {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: { password: `p-${name}` } };
  const sealed = await sealSecret(secret, await Keyring.from(certificatePem), { classic });
  create(sealed as unknown as JsonObject);
  return inspectSealed(sealed.spec.encryptedData.password!).format;
}

const condition = (namespace: string, name: string) =>
  getObject('sealedsecret', namespace, name)?.status?.conditions?.find((c: JsonObject) => c.type === 'Synced') as JsonObject | undefined;
const synced = (namespace: string, name: string) =>
  waitFor(`${namespace}/${name} to be Synced`, () => condition(namespace, name)?.status === 'True', 30_000);
const password = (namespace: string, name: string) => {
  const data = getObject('secret', namespace, name)?.data as Record<string, string> | undefined;
  return data && Buffer.from(data.password!, 'base64').toString();
};

describe.skipIf(skip)('post-quantum keys on a real cluster', () => {
  afterAll(killControllers);

  it("ours opens both formats; Bitnami's, taking over, reads the same key, opens classic values and refuses post-quantum ones", async () => {
    const ns = newNamespace('post-quantum');
    const ours = await startOurs(ns, ['--post-quantum-keys']);
    const cert = await certificate(ours);
    expect((await Keyring.from(cert)).keys[0]!.postQuantum).toBe(true);
    expect(await sealInto(ns, 'pq', cert, false)).toBe('post-quantum');
    expect(await sealInto(ns, 'classic', cert, true)).toBe('classic');
    await synced(ns, 'pq');
    await synced(ns, 'classic');
    expect([password(ns, 'pq'), password(ns, 'classic')]).toEqual(['p-pq', 'p-classic']);
    await ours.kill();

    const bitnami = await startBitnami(ns);
    expect(await certificate(bitnami)).toBe(cert);
    expect(await sealInto(ns, 'classic-later', cert, true)).toBe('classic');
    await synced(ns, 'classic-later');
    expect(password(ns, 'classic-later')).toBe('p-classic-later');
    await sealInto(ns, 'pq-later', cert, false);
    await waitFor('Bitnami to fail on the post-quantum value', () => condition(ns, 'pq-later')?.status === 'False', 30_000);
    expect(getObject('secret', ns, 'pq-later')).toBeUndefined();
  }, 180_000);
});
