// The controller process with --post-quantum-keys: its certificate carries the ML-KEM key, its key
// Secret the seed; it opens post-quantum and classic SealedSecrets alike (controller, /v1/verify,
// /v1/rotate), and the seed shows nowhere but in its key Secret: logs, events, statuses, Secrets.
import { inspectSealed, Keyring, sealSecret, type SealedSecretManifest } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, KubeApiServer } from '../kube-api-server/index.js';
import { bytesCanary, findCanaries, type Canary } from '../canary/capture.js';
import { decoded, killControllers, startCluster, startController, syncedCondition, waitFor, type ControllerProcess } from './harness.js';

let server: KubeApiServer;
let controller: ControllerProcess;
let keyring: Keyring;
let seed: Canary;
let keySecretName: string;

const sealed = (name: string, classic: boolean) =>
  sealSecret(
    { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'prod' }, stringData: { password: `pw-${name}`, user: 'admin' } },
    keyring,
    { classic },
  );

beforeAll(async () => {
  server = await startCluster();
  controller = await startController(server, ['--post-quantum-keys', '--update-status']);
  keyring = await Keyring.from(await (await fetch(`${controller.apiUrl}/v1/cert.pem`)).text());
  const [key] = server.list('Secret', 'kube-system').filter((secret) => secret.metadata?.name?.startsWith('sealed-secrets-key'));
  keySecretName = key!.metadata.name;
  seed = bytesCanary(Buffer.from(key!.data['mlkem768.seed'], 'base64'), 'mlkem-seed');
});

afterAll(async () => {
  await killControllers();
  await server?.close();
});

describe('the controller with --post-quantum-keys', () => {
  it('serves a post-quantum certificate and keeps the seed in its key Secret', () => {
    expect(keyring.keys[0]!.postQuantum).toBe(true);
    expect(findCanaries(JSON.stringify(server.get('Secret', 'kube-system', keySecretName)), [seed])).not.toEqual([]);
  });

  it('unseals post-quantum and classic SealedSecrets into their Secrets', async () => {
    for (const [name, classic] of [
      ['pq', false],
      ['classic', true],
    ] as const) {
      const manifest = await sealed(name, classic);
      expect(inspectSealed(manifest.spec.encryptedData.password!).format).toBe(classic ? 'classic' : 'post-quantum');
      server.put(manifest as unknown as JsonObject);
      await waitFor(`prod/${name} synced`, () => syncedCondition(server, 'prod', name)?.status === 'True');
      expect(decoded(server.get('Secret', 'prod', name)?.data)).toEqual({ password: `pw-${name}`, user: 'admin' });
    }
  });

  it('verifies post-quantum SealedSecrets and rotates classic ones into post-quantum', async () => {
    const post = (path: string, body: SealedSecretManifest) =>
      fetch(`${controller.apiUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('/v1/verify', await sealed('verify', false))).status).toBe(200);
    const rotated = (await (await post('/v1/rotate', await sealed('rotate', true))).json()) as SealedSecretManifest;
    expect(inspectSealed(rotated.spec.encryptedData.password!).format).toBe('post-quantum');
  });

  it('never puts the seed into a log line, an event, a status or another Secret', () => {
    const others = [
      ...server.list('Event'),
      ...server.list('SealedSecret'),
      ...server.list('Secret').filter((secret) => secret.metadata?.name !== keySecretName),
    ];
    expect(findCanaries(JSON.stringify(others), [seed])).toEqual([]);
    expect(findCanaries(JSON.stringify(controller.logs()), [seed])).toEqual([]);
  });
});
