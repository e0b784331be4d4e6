/** Where the controller finds its cluster: --kubeconfig, else the in-cluster service account, else $KUBECONFIG or ~/.kube/config. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The kubeconfig files client-node's loadFromDefault would read, when one exists. */
function defaultKubeconfigExists(): boolean {
  const fromEnv = process.env.KUBECONFIG?.split(delimiter).filter(Boolean) ?? [];
  return (fromEnv.length > 0 ? fromEnv : [join(homedir(), '.kube', 'config')]).some((path) => existsSync(path));
}

export function loadKubeConfig(path?: string): KubeConfig {
  const config = new KubeConfig();
  if (path) config.loadFromFile(path);
  else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) config.loadFromCluster();
  else if (defaultKubeconfigExists()) config.loadFromDefault();
  // client-node would fall back to http://localhost:8080 and fail later with a message about TLS.
  else
    throw new Error(
      'Found neither a kubeconfig ($KUBECONFIG or ~/.kube/config) nor an in-cluster service account; run the controller in a cluster, or give it a kubeconfig with --kubeconfig PATH.',
    );
  return config;
}
