// The cluster paths kubeseal takes (--fetch-cert, sealing with the controller's certificate,
// --validate, --re-encrypt) through the API server's service proxy, against the test API
// server and a stand-in controller; and the precedence between the cluster and local keys.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Keyring, generateKeyPair, unsealSecret } from '../../packages/core/src/index.js';
import { startKubeApiServer, type KubeApiServer } from '../kube-api-server/index.js';
import { startControllerStub, type ControllerStub } from './controller-stub.js';
import { Sandbox, decode, documents, secretYaml } from './helpers.js';

let api: KubeApiServer;
let controller: ControllerStub;
let controllerKeys: Keyring;
let sandbox: Sandbox;
const secret = secretYaml('db', 'prod', { password: 'hunter2' });

beforeAll(async () => {
  const older = await generateKeyPair({ bits: 2048, notBefore: new Date(Date.now() - 86_400_000) });
  const newer = await generateKeyPair({ bits: 2048 });
  controllerKeys = await Keyring.from(older.certificatePem + older.privateKeyPem, newer.certificatePem + newer.privateKeyPem);
  [api, controller] = await Promise.all([startKubeApiServer(), startControllerStub(controllerKeys)]);
  api.registerService('kube-system', 'sealed-secrets-controller', controller.url);
  sandbox = new Sandbox();
});
afterAll(async () => {
  await Promise.all([api.close(), controller.close()]);
  sandbox.cleanup();
});
afterEach(() => api.clearFailures());

const withCluster = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
  sandbox.run(args, { ...options, env: { KUBECONFIG: api.kubeconfigPath, ...options.env } });

describe('through the service proxy', () => {
  it("--fetch-cert prints the controller's certificate, asked for as kubeseal asks", async () => {
    api.clearRequests();
    const result = await withCluster(['--fetch-cert']);
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: controllerKeys.activeCertificatePem });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/kube-system/services/sealed-secrets-controller',
      'GET /api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:/proxy/v1/cert.pem',
    ]);
  });

  it("seals with the controller's certificate when nothing else is given", async () => {
    const result = await withCluster([], { input: secret });
    expect(result.code).toBe(0);
    const opened = await unsealSecret(JSON.parse(result.stdout), controllerKeys);
    expect(decode(opened.data!.password!)).toBe('hunter2');
  });

  it('--validate: 200 passes silently, 409 fails with one line', async () => {
    const sealed = (await withCluster([], { input: secret })).stdout;
    expect(await withCluster(['--validate'], { input: sealed })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const foreign = await Keyring.from((await generateKeyPair({ bits: 2048 })).certificatePem);
    const other = (await sandbox.run(['--cert', sandbox.write('foreign.pem', foreign.activeCertificatePem!)], { input: secret })).stdout;
    const rejected = await withCluster(['--validate'], { input: other });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toBe(
      'error: Unable to decrypt SealedSecret "prod/db": the controller kube-system/sealed-secrets-controller cannot open it (sealed for another cluster, name, namespace or scope, or altered).\n',
    );
  });

  it("--re-encrypt returns the controller's answer without server-set fields", async () => {
    const sealed = (await withCluster(['-o', 'yaml'], { input: secret })).stdout;
    const result = await withCluster(['--re-encrypt', '-o', 'yaml'], { input: sealed });
    expect(result.code).toBe(0);
    const [rotated] = documents(result.stdout);
    expect(rotated!.metadata).toEqual({ name: 'db', namespace: 'prod' });
    expect(rotated!.spec.encryptedData.password).not.toBe(documents(sealed)[0]!.spec.encryptedData.password);
    expect(controller.calls).toContain('POST /v1/rotate');
  });

  it('finds the controller by --controller-name/--controller-namespace and by their SEALED_SECRETS_ variables', async () => {
    api.registerService('security', 'sealer', controller.url);
    const flags = await withCluster(['--fetch-cert', '--controller-name', 'sealer', '--controller-namespace', 'security']);
    expect(flags.stdout).toBe(controllerKeys.activeCertificatePem);
    const variables = await withCluster(['--fetch-cert'], {
      env: { SEALED_SECRETS_CONTROLLER_NAME: 'sealer', SEALED_SECRETS_CONTROLLER_NAMESPACE: 'security' },
    });
    expect(variables.stdout).toBe(controllerKeys.activeCertificatePem);
  });
});

describe('cluster failures, each one line that says what to do', () => {
  it('names the flags when the controller Service is not there', async () => {
    const result = await withCluster(['--fetch-cert', '--controller-name', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: The sealed-secrets controller\'s Service "kube-system/nope" was not found; set --controller-name and --controller-namespace to where the controller runs.\n',
    );
  });

  it('reports a controller that does not answer, and a refused request', async () => {
    api.registerService('down', 'sealed-secrets-controller', 'http://127.0.0.1:1');
    const down = await withCluster(['--fetch-cert', '--controller-namespace', 'down']);
    expect(down.stderr).toMatch(
      /^error: The sealed-secrets controller did not answer for its certificate \(503: .*\); check that it runs: kubectl get pods -n down\.\n$/,
    );
    api.failNext({ pathIncludes: '/services/sealed-secrets-controller', status: 403, message: 'forbidden' });
    const refused = await withCluster(['--fetch-cert']);
    expect(refused.stderr).toMatch(
      /^error: The API server refused to show the Service "kube-system\/sealed-secrets-controller" \(403: forbidden\); check your kubeconfig credentials/,
    );
  });

  it('reports an API server that cannot be reached, and an unknown --context', async () => {
    const unreachable = sandbox.write(
      'unreachable.kubeconfig',
      `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1', insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {}\n`,
    );
    const result = await sandbox.run(['--fetch-cert', '--kubeconfig', unreachable]);
    expect(result.stderr).toBe(
      'error: Cannot reach the Kubernetes API server at http://127.0.0.1:1: the connection was refused; check your kubeconfig context, or seal offline with --cert FILE.\n',
    );
    const context = await withCluster(['--fetch-cert', '--context', 'missing']);
    expect(context.stderr).toBe('error: The context "missing" is not in your kubeconfig; list them with kubectl config get-contexts.\n');
  });
});

describe('local keyring and cluster together', () => {
  it('uses the configured cluster as kubeseal does, saying so; --local-keyring or SEALKIT_LOCAL_KEYRING picks the local keyring', async () => {
    const local = new Sandbox();
    try {
      await local.run(['keygen', '--key-size', '2048']);
      const env = { KUBECONFIG: api.kubeconfigPath };
      const sealedByCluster = await local.run([], { input: secret, env });
      expect(sealedByCluster.code).toBe(0);
      expect(sealedByCluster.stderr).toMatch(
        /^\(sealkit: sealing with the cluster's controller kube-system\/sealed-secrets-controller; --local-keyring uses the local keyring instead\)\n$/,
      );
      await expect(unsealSecret(JSON.parse(sealedByCluster.stdout), controllerKeys)).resolves.toBeDefined();
      for (const [args, extra] of [
        [['--local-keyring'], {}],
        [[], { SEALKIT_LOCAL_KEYRING: '1' }],
      ] as const) {
        const sealedLocally = await local.run([...args], { input: secret, env: { ...env, ...extra } });
        expect(sealedLocally.code).toBe(0);
        expect(sealedLocally.stderr).toMatch(/^\(sealkit: sealing with the local keyring in .*\)\n$/);
        await expect(unsealSecret(JSON.parse(sealedLocally.stdout), controllerKeys)).rejects.toThrow();
      }
      const both = await local.run(['--local-keyring', '--context', 'test'], { input: secret, env });
      expect(both).toMatchObject({ code: 2, stdout: '' });
      expect(both.stderr).toBe('error: --local-keyring and --context ask for different keys; drop one.\n');
    } finally {
      local.cleanup();
    }
  });
});
