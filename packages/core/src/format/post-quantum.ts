/**
 * sealkit's post-quantum value format, version 1 (SECURITY.md, "Post-quantum sealing"):
 *
 *   0x00 0x00 || 0x01 || uint16BE(len R) || R || C || A
 *   R = RSA-OAEP(SHA-256, label)(ss_rsa), ss_rsa 32 random bytes
 *   C = ML-KEM-768 ciphertext (1088 bytes) encapsulating ss_kem
 *   K = HKDF-SHA256(ss_rsa || ss_kem, salt "sealkit post-quantum v1", info = SHA-256(header || R || C) || label)
 *   A = AES-256-GCM(K, 12 zero bytes)(plaintext) || tag
 *
 * A Bitnami value starts with len(R), never zero, so the two formats cannot be confused.
 */
import { utf8 } from '../platform/bytes.js';
import { aesGcm } from './aes-gcm.js';
import { SealkitError } from '../platform/errors.js';
import { MLKEM768, mlkem768, type MlKemPrivateKey } from '../keys/mlkem-key.js';
import { buffer, randomBytes, sha256, subtle } from '../platform/webcrypto.js';

export const PQ_VERSION = 1;
const HEADER_BYTES = 5; // 0x00 0x00, version, uint16BE(len R)
const TAG_BYTES = 16;
const SS_RSA_BYTES = 32;
const SALT = utf8('sealkit post-quantum v1');
const ZERO_NONCE = new Uint8Array(12);

/** Whether a raw value is in sealkit's post-quantum format (of any version). */
export const isPostQuantum = (sealed: Uint8Array): boolean => sealed.length >= 2 && sealed[0] === 0 && sealed[1] === 0;

export interface PqParts {
  rsa: Uint8Array;
  kem: Uint8Array;
  /** Every byte before A: what K is bound to, with the label. */
  bound: Uint8Array;
  aes: Uint8Array;
}

export function splitPostQuantum(sealed: Uint8Array): PqParts {
  if (sealed.length < HEADER_BYTES) throw truncated();
  if (sealed[2] !== PQ_VERSION) {
    throw new SealkitError(
      'unknown-format',
      `The sealed value is in sealkit's post-quantum format version ${sealed[2]}, which this sealkit cannot open; upgrade sealkit.`,
    );
  }
  const rsaLength = (sealed[3]! << 8) | sealed[4]!;
  const aesStart = HEADER_BYTES + rsaLength + MLKEM768.ciphertextBytes;
  if (rsaLength === 0 || sealed.length < aesStart + TAG_BYTES) throw truncated();
  return {
    rsa: sealed.subarray(HEADER_BYTES, HEADER_BYTES + rsaLength),
    kem: sealed.subarray(HEADER_BYTES + rsaLength, aesStart),
    bound: sealed.subarray(0, aesStart),
    aes: sealed.subarray(aesStart),
  };
}

function truncated(): SealkitError {
  return new SealkitError('bad-input', 'The post-quantum sealed value is truncated; it is shorter than its header says.');
}

async function deriveKey(ssRsa: Uint8Array, ssKem: Uint8Array, bound: Uint8Array, label: Uint8Array): Promise<Uint8Array> {
  const crypto = await subtle();
  const ikm = new Uint8Array(ssRsa.length + ssKem.length);
  ikm.set(ssRsa);
  ikm.set(ssKem, ssRsa.length);
  // The ciphertexts enter through their hash: WebCrypto (OpenSSL) caps HKDF info at 1024 bytes.
  const transcript = await sha256(bound);
  const info = new Uint8Array(transcript.length + label.length);
  info.set(transcript);
  info.set(label, transcript.length);
  const hkdf = await crypto.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  ikm.fill(0);
  return new Uint8Array(await crypto.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: buffer(SALT), info }, hkdf, 256));
}

export async function postQuantumEncrypt(
  rsaKey: CryptoKey,
  encapsulationKey: Uint8Array,
  plaintext: Uint8Array,
  label: Uint8Array,
): Promise<Uint8Array> {
  const ssRsa = await randomBytes(SS_RSA_BYTES);
  const rsaPending = (await subtle()).encrypt({ name: 'RSA-OAEP', label: buffer(label) }, rsaKey, buffer(ssRsa));
  const { cipherText, sharedSecret } = (await mlkem768()).encapsulate(encapsulationKey);
  const rsa = new Uint8Array(await rsaPending);
  const bound = new Uint8Array(HEADER_BYTES + rsa.length + cipherText.length);
  bound.set([0, 0, PQ_VERSION, rsa.length >> 8, rsa.length & 0xff]);
  bound.set(rsa, HEADER_BYTES);
  bound.set(cipherText, HEADER_BYTES + rsa.length);
  const key = await deriveKey(ssRsa, sharedSecret, bound, label);
  ssRsa.fill(0);
  sharedSecret.fill(0);
  const aes = await aesGcm.seal(key, ZERO_NONCE, plaintext);
  key.fill(0);
  const out = new Uint8Array(bound.length + aes.length);
  out.set(bound);
  out.set(aes, bound.length);
  return out;
}

/**
 * The plaintext, or undefined when this RSA key (or label) does not open R. The RSA
 * decryption runs on WebCrypto's threads while ML-KEM decapsulates on this one. A wrong
 * ML-KEM key gives a wrong secret (implicit rejection), which GCM then refuses.
 */
export async function openPostQuantum(
  parts: PqParts,
  rsaKey: CryptoKey,
  mlkem: MlKemPrivateKey | undefined,
  label: Uint8Array,
): Promise<Uint8Array | undefined> {
  const kem = await mlkem768();
  const rsaPending = (await subtle()).decrypt({ name: 'RSA-OAEP', label: buffer(label) }, rsaKey, buffer(parts.rsa));
  const ssKem = mlkem && kem.decapsulate(parts.kem, mlkem.decapsulationKey);
  let ssRsa: Uint8Array;
  try {
    ssRsa = new Uint8Array(await rsaPending);
  } catch {
    ssKem?.fill(0);
    return undefined;
  }
  if (!ssKem) {
    ssRsa.fill(0);
    throw new SealkitError(
      'no-key',
      'The value is sealed post-quantum and its RSA key is here without its ML-KEM key; use the key backup with its "mlkem768.seed" entry.',
    );
  }
  const key = await deriveKey(ssRsa, ssKem, parts.bound, label);
  ssRsa.fill(0);
  ssKem.fill(0);
  try {
    return await aesGcm.open(key, ZERO_NONCE, parts.aes);
  } finally {
    key.fill(0);
  }
}
