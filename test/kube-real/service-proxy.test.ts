// The real kubeseal, and our CLI, against our controller through the real API server's
// service proxy, as an ordinary user whom only examples/controller/rbac.yaml lets in.
// The controller runs on a test host (a network namespace of this test), since the API
// server does not proxy to loopback; a Service and its Endpoints point there.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../controller/harness.js';
import { cliEnv, killControllers, launchController, waitFor, type ControllerProcess } from '../controller/process.js';
import { referencePath, referenceSkipReason } from '../reference/binaries.js';
import { kubeconfigYaml } from './cluster.js';
import { cluster, controllerKubeconfig, create, getObject, kubectl, newNamespace, skipReason, type JsonObject } from './harness.js';
import { createTestHost, testHostSkipReason, type TestHost } from './test-host.js';

const skip = skipReason ?? testHostSkipReason() ?? referenceSkipReason('kubeseal');
const CONTROLLER_NAMESPACE = 'kube-system'; // where kubeseal and sealkit look by default
const PORT = 8080;
const TEST_HOST_POD = 'sealed-secrets-controller-test-host';

let host: TestHost;
let controller: ControllerProcess;
let namespace: string;
let userKubeconfig: string;

const kubeseal = (args: string[], input?: string) =>
  spawnSync(referencePath('kubeseal'), ['--kubeconfig', userKubeconfig, ...args], { input, encoding: 'utf8', timeout: 30_000 });
const sealkit = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(repoRoot, 'packages/cli/bin/sealkit.js'), '--kubeconfig', userKubeconfig, ...args], {
    input,
    encoding: 'utf8',
    timeout: 30_000,
    env: cliEnv(),
  });
const CLIS = { kubeseal, sealkit } as const;

const secret = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: { password: `p-${name}` } });

beforeAll(async () => {
  if (skip) return;
  host = await createTestHost();
  namespace = newNamespace('proxy');
  // The controller, as its ServiceAccount, reaches the API server through a port forwarded to this machine's end.
  const apiPort = await host.forward(cluster!.port);
  const token = kubectl(['create', 'token', 'sealed-secrets-controller', '-n', 'kube-system', '--duration', '1h']).trim();
  const controllerConfig = join(cluster!.dir, `controller-on-test-host-${process.pid}.kubeconfig`);
  writeFileSync(
    controllerConfig,
    kubeconfigYaml(`https://${host.hostAddress}:${apiPort}`, cluster!.caPath, token, CONTROLLER_NAMESPACE, 'localhost'),
    { mode: 0o600 },
  );
  controllerKubeconfig(); // the ServiceAccount exists (rbac.yaml)
  const apiUrl = `http://${host.address}:${PORT}`;
  controller = await launchController({
    command: 'ip',
    args: [
      'netns',
      'exec',
      host.name,
      process.execPath,
      join(repoRoot, 'packages/controller/bin/sealkit-controller.js'),
      '--kubeconfig',
      controllerConfig,
      '--namespace',
      CONTROLLER_NAMESPACE,
      '--all-namespaces=false',
      '--additional-namespaces',
      namespace,
      '--listen-addr',
      `${host.address}:${PORT}`,
      '--listen-metrics-addr',
      `${host.address}:${PORT + 1}`,
      '--key-size=2048',
      '--leader-elect=false',
      '--log-format=json',
    ],
    apiUrl,
    metricsUrl: `http://${host.address}:${PORT + 1}`,
    readyUrl: `${apiUrl}/readyz`,
    readyTimeoutMs: 30_000,
  });
  const labels = { 'app.kubernetes.io/name': 'sealed-secrets-controller' };
  create(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sealed-secrets-controller', namespace: CONTROLLER_NAMESPACE, labels },
      spec: { ports: [{ name: 'http', port: PORT, targetPort: PORT }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'sealed-secrets-controller', namespace: CONTROLLER_NAMESPACE, labels },
      subsets: [{ addresses: [{ ip: host.address }], ports: [{ name: 'http', port: PORT }] }],
    },
    // The service proxy reads EndpointSlices (no controller manager here mirrors Endpoints), and only
    // proxies to an endpoint that names a Pod with that address: a Pod object stands for the test host.
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: TEST_HOST_POD, namespace: CONTROLLER_NAMESPACE, labels },
      spec: {
        serviceAccountName: 'sealed-secrets-controller',
        automountServiceAccountToken: false,
        containers: [{ name: 'controller', image: 'sealkit-controller:test-host' }],
      },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: TEST_HOST_POD,
        namespace: CONTROLLER_NAMESPACE,
        labels: { ...labels, 'kubernetes.io/service-name': 'sealed-secrets-controller' },
      },
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: [host.address],
          conditions: { ready: true },
          targetRef: { kind: 'Pod', namespace: CONTROLLER_NAMESPACE, name: TEST_HOST_POD },
        },
      ],
      ports: [{ name: 'http', port: PORT, protocol: 'TCP' }],
    },
  );
  kubectl([
    'patch',
    'pod',
    TEST_HOST_POD,
    '-n',
    CONTROLLER_NAMESPACE,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { podIP: host.address, podIPs: [{ ip: host.address }] } }),
  ]);
  // An ordinary user: allowed in only by the service-proxier Role of rbac.yaml.
  kubectl(['create', 'serviceaccount', 'someone', '-n', namespace]);
  const userToken = kubectl(['create', 'token', 'someone', '-n', namespace, '--duration', '1h']).trim();
  userKubeconfig = join(cluster!.dir, `user-${process.pid}.kubeconfig`);
  writeFileSync(userKubeconfig, kubeconfigYaml(cluster!.url, cluster!.caPath, userToken, namespace), { mode: 0o600 });
}, 90_000);

afterAll(async () => {
  if (skip) return;
  await killControllers();
  try {
    kubectl(['delete', 'service,endpoints', '-n', CONTROLLER_NAMESPACE, 'sealed-secrets-controller', '--ignore-not-found']);
    kubectl([
      'delete',
      'endpointslice,pod',
      '-n',
      CONTROLLER_NAMESPACE,
      TEST_HOST_POD,
      '--ignore-not-found',
      '--grace-period=0',
      '--force',
    ]);
  } finally {
    await host?.remove();
  }
});

describe.skipIf(skip)('kubeseal and sealkit through the service proxy to our controller', () => {
  for (const [cli, run] of Object.entries(CLIS)) {
    it(`${cli} --fetch-cert gets the controller's certificate`, async () => {
      const result = run(['--fetch-cert']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(await (await fetch(`${controller.apiUrl}/v1/cert.pem`)).text());
    });

    it(`${cli} seals with it, the controller unseals, --validate and --re-encrypt answer`, async () => {
      const name = `from-${cli}`;
      const sealing = run(['-o', 'json'], secret(name));
      expect(sealing.status, sealing.stderr).toBe(0);
      const sealed = JSON.parse(sealing.stdout) as JsonObject;
      create(sealed);
      await waitFor(`${name} to be unsealed`, () => getObject('secret', namespace, name), 30_000);
      expect(Buffer.from(getObject('secret', namespace, name)!.data.password, 'base64').toString()).toBe(`p-${name}`);

      expect(run(['--validate'], JSON.stringify(sealed)).status).toBe(0);
      const tampered = structuredClone(sealed);
      const bytes = Buffer.from(tampered.spec.encryptedData.password, 'base64');
      bytes[bytes.length - 20]! ^= 1;
      tampered.spec.encryptedData.password = bytes.toString('base64');
      expect(run(['--validate'], JSON.stringify(tampered)).status).not.toBe(0);

      const reEncrypted = run(['--re-encrypt', '-o', 'json'], JSON.stringify(sealed));
      expect(reEncrypted.status, reEncrypted.stderr).toBe(0);
      const fresh = JSON.parse(reEncrypted.stdout) as JsonObject;
      expect(fresh.spec.encryptedData.password).not.toBe(sealed.spec.encryptedData.password);
      expect(run(['--validate'], reEncrypted.stdout).status).toBe(0);
    });
  }

  it('stays closed to a user without the rights rbac.yaml grants', () => {
    kubectl(['delete', 'rolebinding', '-n', CONTROLLER_NAMESPACE, 'sealed-secrets-service-proxier']);
    try {
      for (const run of Object.values(CLIS)) expect(run(['--fetch-cert']).status).not.toBe(0);
    } finally {
      kubectl(['apply', '-f', join(repoRoot, 'examples/controller/rbac.yaml')]);
    }
  });
});
