/** Where the controller finds its cluster: --kubeconfig, else the in-cluster service account, else $KUBECONFIG or ~/.kube/config. */
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { defaultKubeconfigFiles } from '@sealkit/kube';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function loadKubeConfig(path?: string): KubeConfig {
  const config = new KubeConfig();
  if (path) config.loadFromFile(path);
  else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) config.loadFromCluster();
  else if (defaultKubeconfigFiles().length > 0) config.loadFromDefault();
  // client-node would fall back to http://localhost:8080 and fail later with a message about TLS.
  else
    throw new Error(
      'Found neither a kubeconfig ($KUBECONFIG or ~/.kube/config) nor an in-cluster service account; run the controller in a cluster, or give it a kubeconfig with --kubeconfig PATH.',
    );
  return config;
}
