// @sealkit/core/manifest: reading (and, later, writing) Kubernetes manifests.
export { checkManifestSize, readYamlDocuments, MAX_YAML_BYTES, type YamlDocument, type YamlReadOptions } from './yaml.js';
export { DEFAULT_YAML_LIMITS, STREAM_YAML_LIMITS, type YamlLimits } from './yaml-limits.js';
export { lineAndColumn } from './position.js';
export { checkNestingDepth } from './depth.js';
