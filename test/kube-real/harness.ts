/**
 * What tests on the real API server share: kubectl as the admin, a namespace per test,
 * the controllers' service-account kubeconfig, and our controller and Bitnami's started
 * as that service account with exactly examples/controller/rbac.yaml.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { referencePath, referenceSkipReason } from '../reference/binaries.js';
import { freePort, startController } from '../controller/harness.js';
import { launchController, type ControllerProcess } from '../controller/process.js';
import { kubeconfigYaml, type RealClusterInfo } from './cluster.js';

export type JsonObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const provided = inject('kubeReal');

/** The cluster, or why these tests are skipped (one line). */
export const cluster: RealClusterInfo | undefined = 'cluster' in provided ? provided.cluster : undefined;
export const skipReason: string | undefined = 'skip' in provided ? provided.skip : undefined;

export function kubectl(args: string[], input?: string, kubeconfig = cluster!.adminKubeconfig): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

export const kubectlJson = (args: string[]): JsonObject => JSON.parse(kubectl([...args, '-o', 'json'])) as JsonObject;

/** Creates `objects` (any kinds) as the admin, as `kubectl create -f` does. */
export function create(...objects: JsonObject[]): void {
  kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
}

let namespaces = 0;
/** A fresh namespace for one test. */
export function newNamespace(prefix: string): string {
  const name = `${prefix}-${process.pid}-${++namespaces}-${Math.random().toString(36).slice(2, 6)}`;
  kubectl(['create', 'namespace', name]);
  return name;
}

export function getObject(kind: string, namespace: string, name: string): JsonObject | undefined {
  try {
    return kubectlJson(['get', kind, '-n', namespace, name]);
  } catch {
    return undefined;
  }
}

export const listObjects = (kind: string, namespace: string): JsonObject[] => kubectlJson(['get', kind, '-n', namespace]).items as JsonObject[];

let serviceAccountKubeconfig: string | undefined;
/** A kubeconfig with a token of the controller's ServiceAccount (kube-system/sealed-secrets-controller). */
export function controllerKubeconfig(): string {
  if (serviceAccountKubeconfig) return serviceAccountKubeconfig;
  const token = kubectl(['create', 'token', 'sealed-secrets-controller', '-n', 'kube-system', '--duration', '4h']).trim();
  const path = join(cluster!.dir, `controller-${process.pid}.kubeconfig`);
  writeFileSync(path, kubeconfigYaml(cluster!.url, cluster!.caPath, token, 'kube-system'), { mode: 0o600 });
  serviceAccountKubeconfig = path;
  return path;
}

/**
 * Our controller as the ServiceAccount, keeping its keys in `namespace` and watching only
 * it (so tests running at once do not meet), unless `args` say otherwise.
 */
export function startOurs(namespace: string, args: string[] = []): Promise<ControllerProcess> {
  return startController({ kubeconfigPath: controllerKubeconfig() }, ['--namespace', namespace, '--all-namespaces=false', '--kubeclient-qps=-1', ...args]);
}

export const bitnamiSkipReason = () => referenceSkipReason('controller');

/**
 * Bitnami's controller as the same ServiceAccount. It reads only the in-cluster
 * configuration (rest.InClusterConfig, no kubeconfig), so it runs in a mount namespace of
 * its own where /run/secrets/kubernetes.io/serviceaccount holds the token and the CA.
 */
export async function startBitnami(namespace: string, args: string[] = []): Promise<ControllerProcess> {
  controllerKubeconfig();
  const token = kubectl(['create', 'token', 'sealed-secrets-controller', '-n', 'kube-system', '--duration', '4h']).trim();
  const [apiPort, metricsPort] = [await freePort(), await freePort()];
  const mount = [
    'set -e',
    'mount -t tmpfs tmpfs /run',
    'dir=/run/secrets/kubernetes.io/serviceaccount',
    'mkdir -p "$dir"',
    'printf %s "$SA_TOKEN" > "$dir/token"',
    'cp "$SA_CA" "$dir/ca.crt"',
    'printf %s "$POD_NAMESPACE" > "$dir/namespace"',
    'unset SA_TOKEN',
    'exec "$@"',
  ].join('\n');
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  return launchController({
    command: 'unshare',
    args: [
      '--mount', '--propagation', 'private', 'sh', '-c', mount, 'sh',
      referencePath('controller'),
      `--listen-addr=127.0.0.1:${apiPort}`,
      `--listen-metrics-addr=127.0.0.1:${metricsPort}`,
      '--all-namespaces=false',
      '--key-size=2048',
      '--kubeclient-qps=-1',
      '--log-format=json',
      ...args,
    ],
    env: {
      PATH: process.env.PATH,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(cluster!.port),
      POD_NAMESPACE: namespace,
      SA_TOKEN: token,
      SA_CA: cluster!.caPath,
    },
    apiUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    // Bitnami's controller serves /healthz at once, and /v1/cert.pem once it has a key.
    readyUrl: `${apiUrl}/v1/cert.pem`,
    readyTimeoutMs: 60_000,
  });
}
