// Keys as the Bitnami controller keeps them: generated, renewed, picked up, served, and reached through the API server proxy.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { KEY_SECRET_LABEL, Keyring, parseCertificate, parsePemBlocks } from '@sealkit/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { JsonObject, KubeApiServer } from '../kube-api-server/index.js';
import { addKey, decoded, killControllers, repoRoot, seal, startCluster, startController, syncedCondition, waitFor } from './harness.js';
import { cliEnv } from './process.js';

let server: KubeApiServer;
afterEach(async () => {
  await killControllers();
  await server?.close();
});
afterAll(killControllers);

const keySecrets = () => server.list('Secret', 'kube-system').filter((s) => s.metadata.labels?.[KEY_SECRET_LABEL] === 'active');
const certificate = async (url: string) => (await fetch(`${url}/v1/cert.pem`)).text();
const commonName = (pem: string) => parseCertificate(parsePemBlocks(pem)[0]!.der).commonName;

describe('keys', () => {
  it('makes a key the way Bitnami stores it when there is none, and serves its certificate', async () => {
    server = await startCluster();
    const controller = await startController(server, [
      '--my-cn',
      'sealkit-test',
      '--privatekey-labels',
      'team=security',
      '--privatekey-annotations',
      'backup=daily',
    ]);
    const [key] = await waitFor('a key Secret', () => keySecrets().length === 1 && keySecrets());
    expect(key!.type).toBe('kubernetes.io/tls');
    expect(key!.metadata.generateName).toBe('sealed-secrets-key');
    expect(key!.metadata.name).toMatch(/^sealed-secrets-key[a-z0-9]{5}$/);
    expect(key!.metadata.labels).toEqual({ [KEY_SECRET_LABEL]: 'active', team: 'security' });
    expect(key!.metadata.annotations).toEqual({ backup: 'daily' });
    const { 'tls.crt': crt, 'tls.key': pem } = decoded(key!.data);
    expect(pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const served = await waitFor(
      'the certificate',
      async () => (await fetch(`${controller.apiUrl}/v1/cert.pem`)).ok && certificate(controller.apiUrl),
    );
    expect(served).toBe(crt);
    expect(commonName(served)).toBe('sealkit-test');
    expect(controller.output()).not.toContain('PRIVATE KEY');
  });

  it('renews the key every period, serving the newest and still opening what older keys sealed', async () => {
    server = await startCluster();
    const controller = await startController(server, ['--key-renew-period', '2s']);
    const first = await waitFor('the first key', async () => keySecrets().length === 1 && (await certificate(controller.apiUrl)));
    const oldKeyring = await Keyring.from(first);
    await waitFor('a renewed key', () => keySecrets().length >= 2, 10_000);
    const renewed = await waitFor('the new certificate', async () => {
      const pem = await certificate(controller.apiUrl);
      return pem !== first && pem;
    });
    expect(keySecrets().map((s) => decoded(s.data)['tls.crt'])).toContain(renewed);

    server.put((await seal(oldKeyring, { name: 'old', namespace: 'apps', data: { v: 'sealed-before-renewal' } })) as unknown as JsonObject);
    await waitFor('the old SealedSecret to open', () => syncedCondition(server, 'apps', 'old')?.status === 'True');
    expect(decoded(server.get('Secret', 'apps', 'old')!.data)).toEqual({ v: 'sealed-before-renewal' });
    expect(keySecrets().length).toBeGreaterThanOrEqual(2); // old keys stay
  });

  it('makes a new key at start when the newest is older than --key-cutoff-time', async () => {
    server = await startCluster();
    await addKey(server, { notBefore: new Date('2024-01-01T00:00:00Z') });
    const controller = await startController(server, ['--key-cutoff-time', 'Mon, 01 Jul 2024 00:00:00 +0000']);
    const notBefore = async () => parseCertificate(parsePemBlocks(await certificate(controller.apiUrl))[0]!.der).notBefore.getTime();
    await waitFor('a certificate newer than the cutoff', async () => (await notBefore()) > Date.parse('2024-07-01'));
    expect(keySecrets()).toHaveLength(2);
  });

  it('picks up a key Secret created by someone else with --watch-for-secrets', async () => {
    server = await startCluster();
    await addKey(server, { notBefore: new Date(Date.now() - 3_600_000) });
    const controller = await startController(server, ['--watch-for-secrets']);
    const before = await certificate(controller.apiUrl);
    const restored = await addKey(server, { name: 'restored-from-backup' });
    const after = await waitFor('the new certificate', async () => {
      const pem = await certificate(controller.apiUrl);
      return pem !== before && pem;
    });
    expect(after).toBe(restored.activeCertificatePem);

    // A SealedSecret sealed for that key opens, without a restart.
    server.put((await seal(restored, { name: 'fresh', namespace: 'apps', data: { v: 'for-the-restored-key' } })) as unknown as JsonObject);
    await waitFor('the SealedSecret to open', () => syncedCondition(server, 'apps', 'fresh')?.status === 'True');
  });
});

describe('kubeseal through the API server proxy', () => {
  // kubeseal names the Service's first port in the path: empty for Bitnami's
  // controller.yaml (an unnamed port), "http" for its Helm chart and our example.
  it.each([
    ['an unnamed port', undefined, 'http:sealed-secrets-controller:'],
    ['the port named http', 'http', 'http:sealed-secrets-controller:http'],
  ])('reaches /v1/cert.pem, /v1/verify and /v1/rotate through %s', async (_, portName, service) => {
    server = await startCluster();
    const keyring = await addKey(server);
    const controller = await startController(server);
    server.registerService('kube-system', 'sealed-secrets-controller', controller.apiUrl, { port: 8080, portName });
    const proxy = `${server.url}/api/v1/namespaces/kube-system/services/${service}/proxy`;

    const cert = await fetch(`${proxy}/v1/cert.pem`);
    expect(cert.status).toBe(200);
    expect(await cert.text()).toBe(keyring.activeCertificatePem);

    const sealed = await seal(keyring, { name: 'db', namespace: 'prod', data: { password: 'through-the-proxy' } });
    const post = (path: string, body: unknown) =>
      fetch(`${proxy}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect((await post('/v1/verify', sealed)).status).toBe(200);
    expect((await post('/v1/verify', { ...sealed, metadata: { name: 'db', namespace: 'staging' } })).status).toBe(409);
    const rotated = await post('/v1/rotate', sealed);
    expect(rotated.status).toBe(200);
    expect(((await rotated.json()) as { kind: string }).kind).toBe('SealedSecret');
  });

  it('serves the sealkit CLI: --fetch-cert, --validate and --re-encrypt', async () => {
    server = await startCluster();
    await addKey(server);
    const controller = await startController(server);
    server.registerService('kube-system', 'sealed-secrets-controller', controller.apiUrl, { port: 8080, portName: 'http' });

    const fetched = await sealkit(['--fetch-cert']);
    expect(fetched).toMatchObject({ code: 0, stdout: await certificate(controller.apiUrl) });
    const sealed = await seal(await Keyring.from(fetched.stdout), { name: 'db', namespace: 'prod', data: { password: 'through-sealkit' } });
    expect((await sealkit(['--validate'], JSON.stringify(sealed))).code).toBe(0);
    const moved = await sealkit(['--validate'], JSON.stringify({ ...sealed, metadata: { name: 'db', namespace: 'staging' } }));
    expect(moved.code).not.toBe(0);
    const reencrypted = await sealkit(['--re-encrypt', '-o', 'json'], JSON.stringify(sealed));
    expect(reencrypted.code).toBe(0);
    expect(JSON.parse(reencrypted.stdout)).toMatchObject({ kind: 'SealedSecret', metadata: { name: 'db', namespace: 'prod' } });
  });
});

/** Runs the sealkit CLI against the test API server (asynchronously: the server runs in this process). */
function sealkit(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(repoRoot, 'packages/cli/bin/sealkit.js'), '--kubeconfig', server.kubeconfigPath, ...args],
      { env: cliEnv() },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}
