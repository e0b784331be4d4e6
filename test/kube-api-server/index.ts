// In-memory Kubernetes API server for tests. See README.md.
export {
  startKubeApiServer,
  type ActiveWatch,
  type FailureRule,
  type KubeApiServer,
  type KubeApiServerOptions,
  type RegisterServiceOptions,
  type RequestLogEntry,
} from './server.js';
export type { JsonObject, Status } from './errors.js';
export { RESOURCE_TYPES, resolveType, type ResourceType } from './resources.js';
