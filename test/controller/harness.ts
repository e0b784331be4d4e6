/**
 * What the controller tests share: the test API server, the controller run as
 * a separate process (its built bin, as users run it), keys, sealing, waiting.
 * The unit tests of its modules are in packages/controller/test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, KEY_SECRET_LABEL, type GeneratedKeyPair, Keyring, sealSecret, type SealedSecretManifest } from '@sealkit/core';
import { vectorPath } from '../vectors/vectors.js';
import { startKubeApiServer, type JsonObject, type KubeApiServer } from '../kube-api-server/index.js';
import { launchController, type ControllerProcess } from './process.js';

export { killControllers, waitFor, type ControllerProcess } from './process.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const controllerBin = join(repoRoot, 'packages/controller/bin/sealkit-controller.js');
const controllerBundle = join(repoRoot, 'packages/controller/dist/sealkit-controller.mjs');
// The root has no yaml dependency of its own; use the controller's.
const { parseAllDocuments } = createRequire(join(repoRoot, 'packages/controller/package.json'))('yaml') as typeof import('yaml');

/** Every document of a YAML file. */
export function yamlFile(path: string): JsonObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJS() as JsonObject)
    .filter((document) => document !== null);
}

/** Every document of a vendored vector YAML file. */
export const vectorYaml = (path: string) => yamlFile(vectorPath(path));

export function startCluster(): Promise<KubeApiServer> {
  return startKubeApiServer({ autoCreateNamespaces: true, bookmarkIntervalMs: 200 });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

const DEFAULT_ARGS = [
  ['--key-size', '2048'],
  ['--leader-elect', 'false'],
  ['--log-format', 'json'],
  ['--log-level', 'debug'],
] as const;

/**
 * Starts the built controller against `server` (the test API server, or any
 * cluster given by its kubeconfig), on free loopback ports, with 2048-bit keys
 * and without leader election unless `args` say otherwise; resolves once it is
 * ready: serving its HTTP API, with a key.
 */
export async function startController(server: Pick<KubeApiServer, 'kubeconfigPath'>, args: string[] = []): Promise<ControllerProcess> {
  if (!existsSync(controllerBundle))
    throw new Error('The controller is not built; run pnpm build (or pnpm --filter @sealkit/controller... build) first.');
  const [apiPort, metricsPort] = [await freePort(), await freePort()];
  const given = new Set(args.filter((arg) => arg.startsWith('--')).map((arg) => arg.split('=')[0]));
  const defaults = DEFAULT_ARGS.filter(([flag]) => !given.has(flag)).map(([flag, value]) => `${flag}=${value}`);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  return launchController({
    command: process.execPath,
    args: [
      controllerBin,
      '--kubeconfig',
      server.kubeconfigPath,
      '--listen-addr',
      `127.0.0.1:${apiPort}`,
      '--listen-metrics-addr',
      `127.0.0.1:${metricsPort}`,
      ...defaults,
      ...args,
    ],
    apiUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    readyUrl: `${apiUrl}/readyz`,
  });
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A controller key Secret, as the Bitnami controller stores a key pair. */
export function keySecret(
  pair: GeneratedKeyPair,
  name = `sealed-secrets-key${Math.random().toString(36).slice(2, 7)}`,
  namespace = 'kube-system',
): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name, namespace, labels: { [KEY_SECRET_LABEL]: 'active' } },
    data: { 'tls.crt': base64(pair.certificatePem), 'tls.key': base64(pair.privateKeyPem) },
  };
}

/** Makes a key pair and stores it as a controller key Secret; returns a keyring that seals with it. */
export async function addKey(
  server: KubeApiServer,
  options: { namespace?: string; name?: string; notBefore?: Date } = {},
): Promise<Keyring> {
  const pair = await generateKeyPair({ bits: 2048, notBefore: options.notBefore });
  server.put(keySecret(pair, options.name, options.namespace));
  return Keyring.from(pair.certificatePem);
}

/** Loads the Bitnami key backup of ../shared into the controller namespace. */
export function loadVectorKeys(server: KubeApiServer): void {
  const [backup] = vectorYaml('controller-keys-backup.yaml');
  for (const item of backup!.items as JsonObject[]) {
    const { resourceVersion: _rv, uid: _uid, ...metadata } = item.metadata as JsonObject;
    server.put({ ...item, metadata });
  }
}

export interface SecretInput {
  name: string;
  namespace: string;
  data: Record<string, string>;
  type?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A SealedSecret, sealed as kubeseal would. */
export function seal(keyring: Keyring, input: SecretInput): Promise<SealedSecretManifest> {
  const { name, namespace, data, type, labels, annotations } = input;
  return sealSecret(
    { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels, annotations }, type, stringData: data },
    keyring,
  );
}

export const decoded = (data: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));

export function syncedCondition(server: KubeApiServer, namespace: string, name: string): JsonObject | undefined {
  const sealedSecret = server.get('SealedSecret', namespace, name);
  return (sealedSecret?.status?.conditions as JsonObject[] | undefined)?.find((c) => c.type === 'Synced');
}

export function eventsFor(server: KubeApiServer, namespace: string, name: string): JsonObject[] {
  return server
    .list('Event', namespace)
    .filter((event) => event.involvedObject?.name === name && event.involvedObject?.kind === 'SealedSecret');
}
