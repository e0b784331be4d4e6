/**
 * A real Kubernetes API server for tests and benchmarks: etcd and kube-apiserver (the
 * reference binaries) on 127.0.0.1, free ports, a static admin token, RBAC, and a
 * service-account issuer so that `kubectl create token` works. Started once per test run
 * (test/kube-real/global-setup.ts) and stopped by pid.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referencePath } from '../reference/binaries.js';

export interface RealClusterInfo {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The kubeconfig of the admin (group system:masters). */
  adminKubeconfig: string;
  /** PEM of the CA that signed the API server's serving certificate. */
  caPath: string;
  dir: string;
  etcdPid: number;
  apiServerPid: number;
}

export interface RealCluster extends RealClusterInfo {
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

/** A CA, a serving certificate for 127.0.0.1/localhost signed by it, and the service-account signing key. */
function makeCertificates(dir: string): void {
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=sealkit-test-ca'],
    dir,
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver'], dir);
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n`);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    ],
    dir,
  );
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
}

/** A kubeconfig for `token` at `url`, trusting `caPath`; `tlsServerName` when `url` is not 127.0.0.1 (a forwarded port). */
export function kubeconfigYaml(url: string, caPath: string, token: string, namespace = 'default', tlsServerName?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: real\n  cluster:\n    server: ${url}\n    certificate-authority: ${caPath}${tlsServerName ? `\n    tls-server-name: ${tlsServerName}` : ''}`,
    'users:',
    `- name: user\n  user:\n    token: ${token}`,
    'contexts:',
    `- name: real\n  context:\n    cluster: real\n    user: user\n    namespace: ${namespace}`,
    'current-context: real',
    '',
  ].join('\n');
}

async function waitReady(url: string, token: string, caPath: string, process: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (process.exitCode !== null) throw new Error(`kube-apiserver exited with ${process.exitCode}:\n${output().slice(-3000)}`);
    try {
      execFileSync('curl', ['-sf', '--cacert', caPath, '-H', `Authorization: Bearer ${token}`, `${url}/readyz`], { stdio: 'ignore' });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`kube-apiserver was not ready within 120 s:\n${output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function stopByPid(pid: number): Promise<void> {
  return new Promise((resolve) => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return resolve();
    }
    const deadline = Date.now() + 10_000;
    const check = setInterval(() => {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive && Date.now() < deadline) return;
      if (alive) process.kill(pid, 'SIGKILL');
      clearInterval(check);
      resolve();
    }, 50);
  });
}

/** `apiServer`: another kube-apiserver binary than the reference one (an older release). */
export async function startRealCluster(apiServer = referencePath('kube-apiserver')): Promise<RealCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'sealkit-kube-'));
  makeCertificates(dir);
  const adminToken = `admin-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,admin,"system:masters"\n`, { mode: 0o600 });
  const [etcdClient, etcdPeer, port] = [await freePort(), await freePort(), await freePort()];

  let etcdOutput = '';
  const etcd = spawn(
    referencePath('etcd'),
    [
      '--data-dir',
      join(dir, 'etcd'),
      '--listen-client-urls',
      `http://127.0.0.1:${etcdClient}`,
      '--advertise-client-urls',
      `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${etcdPeer}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster',
      `default=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: false },
  );
  etcd.stderr!.on('data', (chunk: Buffer) => (etcdOutput = (etcdOutput + chunk.toString()).slice(-20_000)));

  let apiOutput = '';
  const apiServerProcess = spawn(
    apiServer,
    [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none',
      `--cert-dir=${join(dir, 'certs')}`,
      `--tls-cert-file=${join(dir, 'server.crt')}`,
      `--tls-private-key-file=${join(dir, 'server.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${join(dir, 'sa.key')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--enable-priority-and-fairness=false',
      '--v=0',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  apiServerProcess.stderr!.on('data', (chunk: Buffer) => (apiOutput = (apiOutput + chunk.toString()).slice(-20_000)));

  const url = `https://127.0.0.1:${port}`;
  const caPath = join(dir, 'ca.crt');
  const stop = async () => {
    await stopByPid(apiServerProcess.pid!);
    await stopByPid(etcd.pid!);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, adminToken, caPath, apiServerProcess, () => `${apiOutput}\n--- etcd ---\n${etcdOutput}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const adminKubeconfig = join(dir, 'admin.kubeconfig');
  writeFileSync(adminKubeconfig, kubeconfigYaml(url, caPath, adminToken), { mode: 0o600 });
  return { url, port, adminKubeconfig, caPath, dir, etcdPid: etcd.pid!, apiServerPid: apiServerProcess.pid!, stop };
}

/** Applies examples/controller/crd.yaml and rbac.yaml as a user would (kubectl apply), and waits for the CRD. */
export function applyControllerManifests(cluster: Pick<RealClusterInfo, 'adminKubeconfig'>): void {
  const examples = join(import.meta.dirname, '../../examples/controller');
  const kubectl = (...args: string[]) =>
    execFileSync('kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  kubectl('apply', '-f', join(examples, 'crd.yaml'), '-f', join(examples, 'rbac.yaml'));
  kubectl('wait', '--for=condition=Established', '--timeout=60s', 'crd/sealedsecrets.bitnami.com');
}
