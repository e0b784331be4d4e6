/**
 * Reads keys from whatever users have: PEM (certificates, SPKI/PKCS#1 public keys,
 * PKCS#1/PKCS#8 private keys, several per file) or a controller key backup
 * (`kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml|json`).
 */
import { bytesEqual, fromBase64, fromUtf8, toBase64, utf8 } from '../platform/bytes.js';
import { parseCertificate, type CertificateInfo } from './certificate.js';
import { SealkitError } from '../platform/errors.js';
import type { ObjectMeta, SecretManifest } from '../objects/manifests.js';
import { readYamlDocuments } from '../manifest/yaml.js';
import { quoteName } from '../objects/printable.js';
import { parsePemBlocks } from './pem.js';
import {
  privateKeyFromPkcs1,
  privateKeyFromPkcs8,
  publicKeyFromPkcs1,
  publicKeyFromSpki,
  type RsaPrivateKey,
  type RsaPublicKey,
} from './rsa-keys.js';

export interface KeyMaterial {
  publicKey: RsaPublicKey;
  privateKey?: RsaPrivateKey;
  certificate?: CertificateInfo;
  /** When the key was made: the backup Secret's creationTimestamp, else the certificate's notBefore. */
  createdAt?: Date;
  /** The ML-KEM-768 seed of a post-quantum key, from its key Secret's MLKEM_SEED_ENTRY. */
  mlkemSeed?: Uint8Array;
}

// Hundreds of 4096-bit keys fit in 2 MiB; anything far bigger is not a key file.
const MAX_KEY_TEXT = 16 << 20;

export const KEY_SECRET_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';
/** The key Secret's data entry holding the ML-KEM-768 seed of a post-quantum key; Bitnami's controller ignores it. */
export const MLKEM_SEED_ENTRY = 'mlkem768.seed';

export interface KeySecretOptions {
  certificatePem: string;
  privateKeyPem: string;
  /** The 64-byte ML-KEM-768 seed of a post-quantum key (generateKeyPair's `mlkemSeed`). */
  mlkemSeed?: Uint8Array;
  /** Extra metadata (name, creationTimestamp, labels, annotations); labels gain the key label. */
  metadata?: ObjectMeta;
}

/**
 * A key as the controller stores it: a kubernetes.io/tls Secret in kube-system,
 * generateName `sealed-secrets-key`, labelled as a sealing key. Both controllers
 * and `sealkit` read and write this shape, so keys move between them.
 */
export function keySecret({ certificatePem, privateKeyPem, mlkemSeed, metadata = {} }: KeySecretOptions): SecretManifest {
  const data: Record<string, string> = { 'tls.crt': toBase64(utf8(certificatePem)), 'tls.key': toBase64(utf8(privateKeyPem)) };
  if (mlkemSeed) data[MLKEM_SEED_ENTRY] = toBase64(mlkemSeed);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      generateName: 'sealed-secrets-key',
      namespace: 'kube-system',
      ...metadata,
      labels: { ...metadata.labels, [KEY_SECRET_LABEL]: 'active' },
    },
    type: 'kubernetes.io/tls',
    data,
  };
}

/** Every key in a PEM text; certificates and private keys with the same modulus are paired. */
export function parsePemKeys(text: string, createdAt?: Date): KeyMaterial[] {
  const found: KeyMaterial[] = [];
  const merge = (item: KeyMaterial) => {
    const twin = found.find((k) => bytesEqual(k.publicKey.modulus, item.publicKey.modulus));
    if (!twin) return void found.push(item);
    twin.privateKey ??= item.privateKey;
    twin.certificate ??= item.certificate;
  };
  for (const { type, der } of parsePemBlocks(text)) {
    switch (type) {
      case 'CERTIFICATE': {
        const certificate = parseCertificate(der);
        merge({ publicKey: certificate.publicKey, certificate });
        break;
      }
      case 'PUBLIC KEY':
        merge({ publicKey: publicKeyFromSpki(der) });
        break;
      case 'RSA PUBLIC KEY':
        merge({ publicKey: publicKeyFromPkcs1(der) });
        break;
      case 'RSA PRIVATE KEY':
      case 'PRIVATE KEY': {
        const privateKey = type === 'PRIVATE KEY' ? privateKeyFromPkcs8(der) : privateKeyFromPkcs1(der);
        merge({ publicKey: privateKey.publicKey, privateKey });
        break;
      }
      case 'ENCRYPTED PRIVATE KEY':
        throw new SealkitError(
          'bad-key',
          'Encrypted private keys are not supported; decrypt it first (openssl pkey -in key.pem -out plain.pem).',
        );
      case 'EC PRIVATE KEY':
      case 'OPENSSH PRIVATE KEY':
        throw new SealkitError('bad-key', `A "${type}" is not an RSA key; sealed secrets use RSA keys.`);
      default:
      // Other blocks (parameters, CSRs) carry no key we use.
    }
  }
  for (const key of found) key.createdAt ??= createdAt ?? key.certificate?.notBefore;
  return found;
}

interface SecretLike {
  kind?: unknown;
  items?: unknown;
  metadata?: { creationTimestamp?: unknown; name?: unknown };
  data?: Record<string, unknown>;
}

function keysOfSecret(secret: SecretLike): KeyMaterial[] {
  const name = typeof secret.metadata?.name === 'string' ? `Secret ${quoteName(secret.metadata.name)}` : 'key Secret';
  const field = (key: string) => {
    const value = secret.data?.[key];
    if (typeof value !== 'string')
      throw new SealkitError('bad-key', `The ${name} in the key backup has no data "${key}"; back up with kubectl get secret -o yaml.`);
    return fromUtf8(fromBase64(value, `"${key}" of the ${name}`));
  };
  const created = secret.metadata?.creationTimestamp;
  const createdAt = typeof created === 'string' && !Number.isNaN(Date.parse(created)) ? new Date(created) : undefined;
  const keys = parsePemKeys(`${field('tls.crt')}\n${field('tls.key')}`, createdAt);
  if (!keys.some((k) => k.privateKey)) throw new SealkitError('bad-key', `The ${name} in the key backup holds no private key.`);
  const seed = secret.data?.[MLKEM_SEED_ENTRY];
  if (seed !== undefined) {
    const owner = keys.find((k) => k.privateKey && k.certificate?.mlkemEncapsulationKey);
    if (typeof seed !== 'string' || !owner) {
      throw new SealkitError('bad-key', `The ${name} in the key backup has an ML-KEM seed but no post-quantum certificate to go with it.`);
    }
    owner.mlkemSeed = fromBase64(seed, `"${MLKEM_SEED_ENTRY}" of the ${name}`);
  }
  return keys;
}

function keysOfObject(doc: unknown): KeyMaterial[] {
  const object = (doc ?? {}) as SecretLike;
  if (object.kind === 'Secret') return keysOfSecret(object);
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    return object.items.flatMap((item) => keysOfObject(item));
  }
  throw new SealkitError('bad-key', 'The key backup is neither a Secret nor a List of Secrets with tls.crt and tls.key.');
}

/** Keys from PEM text or from a controller key backup (YAML or JSON, one or many documents). */
export function parseKeyMaterial(text: string): KeyMaterial[] {
  if (text.length > MAX_KEY_TEXT) {
    throw new SealkitError('bad-input', `The key text is larger than ${MAX_KEY_TEXT >> 20} MiB; a key file or key backup is far smaller.`);
  }
  if (text.includes('-----BEGIN ')) {
    const keys = parsePemKeys(text);
    if (keys.length > 0) return keys;
  } else if (text.trim() !== '') {
    const documents = readYamlDocuments(text, { what: 'key text', expected: 'PEM, YAML or JSON' });
    if (documents.length === 0) throw new SealkitError('bad-input', 'The key text is neither PEM nor a YAML/JSON key backup.');
    const objects = documents.map((document) => document.value);
    return objects.flatMap(keysOfObject);
  }
  throw new SealkitError('bad-key', 'No key or certificate was found in the given text; expected PEM or a controller key backup.');
}
