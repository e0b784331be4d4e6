// @sealkit/core: Bitnami sealed-secrets compatible sealing, in any JavaScript runtime with WebCrypto.
export { seal, unseal, sealingKeyring, type Keys } from './seal.js';
export { Keyring, type KeyInfo, type KeyringSealOptions, type Opened } from './keyring.js';
export { inspectSealed, type SealedFormat, type SealedLayout } from './sealed-value.js';
export {
  sealSecret,
  unsealSecret,
  renderSecretTemplates,
  type SealOptions,
  type UnsealOptions,
  type TemplateRenderer,
} from './sealed-secret.js';
export { generateKeyPair, type KeyPairOptions, type GeneratedKeyPair } from './generate.js';
export {
  parseKeyMaterial,
  keySecret,
  KEY_SECRET_LABEL,
  MLKEM_SEED_ENTRY,
  type KeyMaterial,
  type KeySecretOptions,
} from './key-material.js';
export { parseCertificate, checkValidity, type CertificateInfo, type ValidityOptions } from './certificate.js';
export { parsePemBlocks } from './pem.js';
export { fingerprint } from './rsa-keys.js';
export { ANNOTATIONS, SCOPES, isScope, labelText, scopeFromAnnotations, type Scope, type Target } from './scope.js';
export {
  SEALED_SECRET_API_VERSION,
  isSealedSecret,
  type ObjectMeta,
  type OwnerReference,
  type SealedSecretManifest,
  type SecretManifest,
  type SecretTemplate,
  type SyncedCondition,
} from './manifests.js';
export { fromBase64, toBase64 } from './bytes.js';
export { secretKeyProblem, quoteKey } from './secret-keys.js';
export { escapeName, quoteName } from './printable.js';
export { SealkitError, type SealkitErrorCode } from './errors.js';
