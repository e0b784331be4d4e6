/** RSA key formats: PKCS#1 and PKCS#8 private keys, PKCS#1 and SPKI public keys. */
import { concatBytes, toBase64Unpadded, utf8 } from '../platform/bytes.js';
import { TAG, decodeOid, encodeTlv, expectTlv, readChildren, sequence, unsignedInteger } from './der.js';
import { SealkitError } from '../platform/errors.js';
import { sha256 } from '../platform/webcrypto.js';

const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
// Named in errors, so people see what they gave instead of an OID.
const OTHER_KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.10045.2.1': 'an EC key',
  '1.3.101.112': 'an Ed25519 key',
  '1.3.101.113': 'an Ed448 key',
  '1.2.840.10040.4.1': 'a DSA key',
  '1.2.840.113549.1.1.10': 'an RSA-PSS-only key',
};
const RSA_ALGORITHM_IDENTIFIER = sequence(
  encodeTlv(TAG.OID, Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01)),
  encodeTlv(TAG.NULL, new Uint8Array(0)),
);

export interface RsaPublicKey {
  /** DER SubjectPublicKeyInfo, what WebCrypto imports. */
  spki: Uint8Array;
  /** Unsigned big-endian modulus. */
  modulus: Uint8Array;
  exponent: Uint8Array;
  /** Modulus size in bits; RSA ciphertexts are exactly `ceil(bits / 8)` bytes. */
  bits: number;
}

export interface RsaPrivateKey {
  /** DER PKCS#8 PrivateKeyInfo, what WebCrypto imports. */
  pkcs8: Uint8Array;
  /** DER PKCS#1 RSAPrivateKey, what the controller stores as `tls.key`. */
  pkcs1: Uint8Array;
  publicKey: RsaPublicKey;
}

function bitLength(magnitude: Uint8Array): number {
  if (magnitude.length === 0 || (magnitude.length === 1 && magnitude[0] === 0)) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]!));
}

const MAX_MODULUS_BITS = 16_384;

function rsaPublicKey(modulusTlv: Uint8Array, exponentTlv: Uint8Array, what: string): RsaPublicKey {
  const n = expectTlv(modulusTlv, TAG.INTEGER, what).value;
  const e = expectTlv(exponentTlv, TAG.INTEGER, what).value;
  if (n.length === 0 || e.length === 0 || n[0]! & 0x80 || e[0]! & 0x80) {
    throw new SealkitError('bad-key', `The ${what} has a negative or empty RSA parameter.`);
  }
  const modulus = unsignedInteger(n);
  const exponent = unsignedInteger(e);
  // Go's crypto/rsa (the controller) rejects exponents that do not fit an int32 or are < 2.
  const eBits = bitLength(exponent);
  if (eBits > 31 || eBits < 2 || !(exponent[exponent.length - 1]! & 1)) {
    throw new SealkitError('bad-key', `The ${what} has an unusable RSA public exponent.`);
  }
  // WebCrypto refuses moduli over 16,384 bits (with an error of its own), and an even one is no RSA key.
  const bits = bitLength(modulus);
  if (bits > MAX_MODULUS_BITS)
    throw new SealkitError('bad-key', `The ${what} has a ${bits}-bit RSA modulus; keys of at most ${MAX_MODULUS_BITS} bits are supported.`);
  if (!(modulus[modulus.length - 1]! & 1)) throw new SealkitError('bad-key', `The ${what} has an even RSA modulus, which no RSA key has.`);
  const rsaPublicKeyDer = sequence(modulusTlv, exponentTlv);
  const spki = sequence(RSA_ALGORITHM_IDENTIFIER, encodeTlv(TAG.BIT_STRING, concatBytes(Uint8Array.of(0), rsaPublicKeyDer)));
  return { spki, modulus, exponent, bits };
}

/** Splits a SEQUENCE into the raw TLV bytes of its children. */
function sequenceItems(der: Uint8Array, what: string): Uint8Array[] {
  return readChildren(expectTlv(der, TAG.SEQUENCE, what).value, what).map((child) => child.raw);
}

function checkRsaAlgorithm(algorithmIdentifier: Uint8Array, what: string): void {
  const [oid] = readChildren(expectTlv(algorithmIdentifier, TAG.SEQUENCE, what).value, what);
  if (oid?.tag !== TAG.OID) throw new SealkitError('bad-input', `The ${what} is not valid DER.`);
  const algorithm = decodeOid(oid.value);
  if (algorithm !== RSA_ENCRYPTION_OID) {
    const name = OTHER_KEY_ALGORITHMS[algorithm] ?? `algorithm ${algorithm}`;
    throw new SealkitError('bad-key', `The ${what} is not an RSA key but ${name}; sealed secrets use RSA keys.`);
  }
}

/** PKCS#1 RSAPublicKey: SEQUENCE { modulus, publicExponent }. */
export function publicKeyFromPkcs1(der: Uint8Array, what = 'RSA public key'): RsaPublicKey {
  const [n, e] = sequenceItems(der, what);
  if (!n || !e) throw new SealkitError('bad-input', `The ${what} is not valid DER.`);
  return rsaPublicKey(n, e, what);
}

/** SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier, BIT STRING { RSAPublicKey } }. */
export function publicKeyFromSpki(der: Uint8Array, what = 'public key'): RsaPublicKey {
  const [algorithm, bits] = sequenceItems(der, what);
  if (!algorithm || !bits) throw new SealkitError('bad-input', `The ${what} is not valid DER.`);
  checkRsaAlgorithm(algorithm, what);
  const bitString = expectTlv(bits, TAG.BIT_STRING, what).value;
  if (bitString[0] !== 0) throw new SealkitError('bad-input', `The ${what} is not valid DER.`);
  return publicKeyFromPkcs1(bitString.subarray(1), what);
}

/** PKCS#1 RSAPrivateKey: SEQUENCE { version, n, e, d, p, q, dp, dq, qinv }. */
export function privateKeyFromPkcs1(der: Uint8Array, what = 'RSA private key'): RsaPrivateKey {
  const items = sequenceItems(der, what);
  if (items.length < 9) throw new SealkitError('bad-input', `The ${what} is not valid DER.`);
  const publicKey = rsaPublicKey(items[1]!, items[2]!, what);
  const pkcs8 = sequence(encodeTlv(TAG.INTEGER, Uint8Array.of(0)), RSA_ALGORITHM_IDENTIFIER, encodeTlv(TAG.OCTET_STRING, der));
  return { pkcs8, pkcs1: der, publicKey };
}

/** PKCS#8 PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier, OCTET STRING { RSAPrivateKey } }. */
export function privateKeyFromPkcs8(der: Uint8Array, what = 'private key'): RsaPrivateKey {
  const [, algorithm, octets] = sequenceItems(der, what);
  if (!algorithm || !octets) throw new SealkitError('bad-input', `The ${what} is not valid DER.`);
  checkRsaAlgorithm(algorithm, what);
  return privateKeyFromPkcs1(expectTlv(octets, TAG.OCTET_STRING, what).value, what);
}

function sshString(bytes: Uint8Array): Uint8Array {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, bytes.length);
  return concatBytes(length, bytes);
}

function sshMpint(magnitude: Uint8Array): Uint8Array {
  return sshString(magnitude[0]! & 0x80 ? concatBytes(Uint8Array.of(0), magnitude) : magnitude);
}

/**
 * The controller's key name: SHA-256 of the SSH wire-format public key as
 * `SHA256:` + unpadded base64 (Go's ssh.FingerprintSHA256), e.g. in logs and `sealkit keys`.
 */
export async function fingerprint(key: RsaPublicKey): Promise<string> {
  const wire = concatBytes(sshString(utf8('ssh-rsa')), sshMpint(key.exponent), sshMpint(key.modulus));
  return `SHA256:${toBase64Unpadded(await sha256(wire))}`;
}
