/** What the controller's unit tests share: the test API server with a client for it, and a silent logger. */
import { KubeClient } from '@sealkit/kube';
import type { Logger } from 'pino';
import { startCluster } from '../../../test/controller/harness.js';
import type { KubeApiServer } from '../../../test/kube-api-server/index.js';
import { loadKubeConfig } from '../src/kube/kubeconfig.js';

/** The test API server and the controller's client for it, for controller modules run in-process. */
export async function clusterAndClient(): Promise<{ server: KubeApiServer; client: KubeClient }> {
  const server = await startCluster();
  return { server, client: await KubeClient.connect(loadKubeConfig(server.kubeconfigPath)) };
}

/** A logger that drops everything, for controller modules run in-process. */
export const silentLog = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
