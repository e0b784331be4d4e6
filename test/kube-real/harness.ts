/**
 * What tests on the real API server share: kubectl as the admin, a namespace per test,
 * the controllers' service-account kubeconfig, and our controller and Bitnami's started
 * as that service account with exactly examples/controller/rbac.yaml.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { referenceSkipReason } from '../reference/binaries.js';
import { freePort, startController } from '../controller/harness.js';
import { launchController, type ControllerProcess } from '../controller/process.js';
import { bitnamiCommand } from './bitnami.js';
import { kubeconfigYaml, type RealClusterInfo } from './cluster.js';

export type JsonObject = Record<string, any>;

const provided = inject('kubeReal');

/** The cluster, or why these tests are skipped (one line). */
export const cluster: RealClusterInfo | undefined = 'cluster' in provided ? provided.cluster : undefined;
export const skipReason: string | undefined = 'skip' in provided ? provided.skip : undefined;

export function kubectl(args: string[], input?: string, kubeconfig = cluster!.adminKubeconfig): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
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

export const listObjects = (kind: string, namespace: string): JsonObject[] =>
  kubectlJson(['get', kind, '-n', namespace]).items as JsonObject[];

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
  return startController({ kubeconfigPath: controllerKubeconfig() }, [
    '--namespace',
    namespace,
    '--all-namespaces=false',
    '--kubeclient-qps=-1',
    ...args,
  ]);
}

export const bitnamiSkipReason = () => referenceSkipReason('controller');

/** Bitnami's controller as the same ServiceAccount (test/kube-real/bitnami.ts), on free loopback ports, with 2048-bit keys. */
export async function startBitnami(namespace: string, args: string[] = []): Promise<ControllerProcess> {
  const token = kubectl(['create', 'token', 'sealed-secrets-controller', '-n', 'kube-system', '--duration', '4h']).trim();
  const [apiPort, metricsPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const listen = [
    `--listen-addr=127.0.0.1:${apiPort}`,
    `--listen-metrics-addr=127.0.0.1:${metricsPort}`,
    '--all-namespaces=false',
    '--key-size=2048',
  ];
  return launchController({
    ...bitnamiCommand(cluster!, token, namespace, [...listen, ...args]),
    apiUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    // It serves /v1/cert.pem once it has a key.
    readyUrl: `${apiUrl}/v1/cert.pem`,
    readyTimeoutMs: 60_000,
  });
}
