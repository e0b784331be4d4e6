// @sealkit/kube: the Kubernetes REST client of the CLI and the controller (Node only).
export { isAlreadyExists, isConflict, isExpired, isNotFound, KubeApiError } from './api-error.js';
export {
  KubeClient,
  type Answer,
  type ExchangeOptions,
  type KubeClientOptions,
  type KubeCredentials,
  type Query,
  type RequestOptions,
  type WatchEvent,
} from './client.js';
export { defaultKubeconfigFiles } from './kubeconfig-files.js';
