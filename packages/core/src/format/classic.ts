/**
 * The sealed-secrets value format (Bitnami pkg/crypto, byte for byte):
 *
 *   uint16BE(len(R)) || R || A
 *   R = RSA-OAEP(SHA-256, MGF1-SHA-256, label)(K), K a fresh 32-byte key
 *   A = AES-256-GCM(K, nonce = 12 zero bytes, no AAD)(plaintext) || 16-byte tag
 *
 * The zero nonce is safe because every K encrypts exactly one message.
 * The label binds the value to its scope (see scope.ts).
 */
import { aesGcm } from './aes-gcm.js';
import { SealkitError } from '../platform/errors.js';
import { buffer, randomBytes, subtle } from '../platform/webcrypto.js';

const SESSION_KEY_BYTES = 32;
const ZERO_NONCE = new Uint8Array(12);

export const RSA_OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;

export async function hybridEncrypt(publicKey: CryptoKey, plaintext: Uint8Array, label: Uint8Array): Promise<Uint8Array> {
  const crypto = await subtle();
  const sessionKey = await randomBytes(SESSION_KEY_BYTES);
  const [rsa, aes] = await Promise.all([
    crypto.encrypt({ name: 'RSA-OAEP', label: buffer(label) }, publicKey, buffer(sessionKey)),
    aesGcm.seal(sessionKey, ZERO_NONCE, plaintext),
  ]);
  sessionKey.fill(0);
  const out = new Uint8Array(2 + rsa.byteLength + aes.byteLength);
  new DataView(out.buffer).setUint16(0, rsa.byteLength);
  out.set(new Uint8Array(rsa), 2);
  out.set(aes, 2 + rsa.byteLength);
  return out;
}

export interface SealedParts {
  rsa: Uint8Array;
  aes: Uint8Array;
}

export function splitSealed(sealed: Uint8Array): SealedParts {
  const tooShort = () => new SealkitError('bad-input', 'The sealed value is truncated; it is shorter than its header says.');
  if (sealed.length < 2) throw tooShort();
  const rsaLength = (sealed[0]! << 8) | sealed[1]!;
  if (sealed.length < 2 + rsaLength) throw tooShort();
  return { rsa: sealed.subarray(2, 2 + rsaLength), aes: sealed.subarray(2 + rsaLength) };
}

/** The session key, or undefined when this private key (or label) does not open `rsa`. */
export async function openSessionKey(privateKey: CryptoKey, rsa: Uint8Array, label: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await (await subtle()).decrypt({ name: 'RSA-OAEP', label: buffer(label) }, privateKey, buffer(rsa)));
  } catch {
    return undefined;
  }
}

/** Opens A with the session key, which is wiped afterwards. */
export async function openPayload(sessionKey: Uint8Array, aes: Uint8Array): Promise<Uint8Array> {
  try {
    return await aesGcm.open(sessionKey, ZERO_NONCE, aes);
  } finally {
    sessionKey.fill(0);
  }
}
