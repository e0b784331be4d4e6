// @sealkit/core: Bitnami sealed-secrets compatible sealing, in any JavaScript runtime with WebCrypto.
export { seal, unseal, sealingKeyring, type Keys } from './seal.js';
export { Keyring, type KeyInfo, type KeyringSealOptions, type Opened } from './keys/keyring.js';
export { inspectSealed, type SealedFormat, type SealedLayout } from './format/inspect.js';
export {
  sealSecret,
  unsealSecret,
  renderSecretTemplates,
  type SealOptions,
  type UnsealOptions,
  type TemplateRenderer,
} from './objects/sealed-secret.js';
export { generateKeyPair, type KeyPairOptions, type GeneratedKeyPair } from './keys/generate.js';
export {
  parseKeyMaterial,
  keySecret,
  KEY_SECRET_LABEL,
  MLKEM_SEED_ENTRY,
  type KeyMaterial,
  type KeySecretOptions,
} from './keys/key-backup.js';
export { parseCertificate, checkValidity, type CertificateInfo, type ValidityOptions } from './keys/certificate.js';
export { parsePemBlocks } from './keys/pem.js';
export { fingerprint } from './keys/rsa-keys.js';
export { ANNOTATIONS, SCOPES, isScope, labelText, scopeFromAnnotations, type Scope, type Target } from './objects/scope.js';
export {
  SEALED_SECRET_API_VERSION,
  isSealedSecret,
  type ObjectMeta,
  type OwnerReference,
  type SealedSecretManifest,
  type SecretManifest,
  type SecretTemplate,
  type SyncedCondition,
} from './objects/manifests.js';
export { fromBase64, toBase64 } from './platform/bytes.js';
export { secretKeyProblem, quoteKey } from './objects/data-keys.js';
export { escapeName, quoteName } from './objects/printable.js';
export { SealkitError, type SealkitErrorCode } from './platform/errors.js';
