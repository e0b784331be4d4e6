// @sealkit/core/manifest: reading Kubernetes manifests (bounded, quoting nothing of the text) and writing them as kubeseal does.
export {
  describeObject,
  isObject,
  parseManifests,
  parseSource,
  MAX_DATA_ENTRIES,
  type KubeObject,
  type Manifests,
  type ParsedSource,
  type SourceDocument,
  type SourceFormat,
} from './documents.js';
export { repeatedKeyOffset, splitJsonStream, stringTokenOffsets, type JsonValueRange } from './json-stream.js';
export { checkSecretFields } from './secret-fields.js';
export { goYamlKeyOrder, renderJson, renderObject, renderObjects, renderYaml, type OutputFormat } from './render.js';
export { checkManifestSize, readYamlDocuments, MAX_YAML_BYTES, type YamlDocument, type YamlReadOptions } from './yaml.js';
export { DEFAULT_YAML_LIMITS, STREAM_YAML_LIMITS, type YamlLimits } from './yaml-limits.js';
export { lineAndColumn } from './position.js';
export { checkNestingDepth } from './depth.js';
