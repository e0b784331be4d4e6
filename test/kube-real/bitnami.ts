/**
 * How Bitnami's controller is run against the real API server outside a cluster. It reads
 * only the in-cluster configuration (rest.InClusterConfig: no kubeconfig, whatever its flags
 * suggest), so it runs in a private mount namespace where /run/secrets/kubernetes.io/serviceaccount
 * holds a token of its ServiceAccount and the API server's CA.
 */
import { referencePath } from '../reference/binaries.js';
import type { RealClusterInfo } from './cluster.js';

export interface BitnamiLaunch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** `namespace` holds its keys (POD_NAMESPACE); `args` follow the defaults, which they may override. */
export function bitnamiCommand(
  cluster: Pick<RealClusterInfo, 'port' | 'caPath'>,
  token: string,
  namespace: string,
  args: string[],
): BitnamiLaunch {
  const mount = [
    'set -e',
    'mount -t tmpfs tmpfs /run',
    'dir=/run/secrets/kubernetes.io/serviceaccount',
    'mkdir -p "$dir"',
    'printf %s "$SA_TOKEN" > "$dir/token"',
    'cp "$SA_CA" "$dir/ca.crt"',
    'printf %s "$POD_NAMESPACE" > "$dir/namespace"',
    'unset SA_TOKEN SA_CA',
    'exec "$@"',
  ].join('\n');
  return {
    command: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      mount,
      'sh',
      referencePath('controller'),
      '--kubeclient-qps=-1',
      '--log-format=json',
      ...args,
    ],
    env: {
      PATH: process.env.PATH,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(cluster.port),
      POD_NAMESPACE: namespace,
      SA_TOKEN: token,
      SA_CA: cluster.caPath,
    },
  };
}
