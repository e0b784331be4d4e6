/**
 * The ML-KEM-768 (FIPS 203) half of post-quantum keys. The encapsulation key travels in
 * the controller's certificate, as a non-critical extension whose value is an OCTET
 * STRING of the 1184-byte key; the decapsulation key is kept as its 64-byte seed (d || z),
 * the form FIPS 203 and Go's crypto/mlkem store. @noble/post-quantum is loaded on first
 * use, so classic sealing (and the CLI's start-up) never pays for it.
 */
import { bytesEqual } from '../platform/bytes.js';
import { TAG, encodeOid, expectTlv } from './der.js';
import { SealkitError } from '../platform/errors.js';

export const MLKEM768 = { encapsulationKeyBytes: 1184, ciphertextBytes: 1088, seedBytes: 64, sharedSecretBytes: 32 } as const;

/**
 * The random UUID 3b6b831d-89c8-4611-b4dc-48f77f73da6f on Microsoft's registration-free
 * GUID arc (1.2.840.113556.1.8000.2554 + the UUID in 16,16,16,16,16,24,24-bit parts). Not
 * 2.25.<UUID>: Go's crypto/x509 (kubeseal, Bitnami's controller) refuses a certificate
 * with an extension OID arc over 31 bits.
 */
export const MLKEM768_EXTENSION_OID_TEXT = '1.2.840.113556.1.8000.2554.15211.33565.35272.17937.46300.4781951.7592559';
const MLKEM768_EXTENSION_OID = encodeOid(MLKEM768_EXTENSION_OID_TEXT);

type MlKem = (typeof import('@noble/post-quantum/ml-kem.js'))['ml_kem768'];
let loaded: Promise<MlKem> | undefined;
export function mlkem768(): Promise<MlKem> {
  loaded ??= import('@noble/post-quantum/ml-kem.js').then((m) => m.ml_kem768);
  return loaded;
}

/** The encapsulation key in a certificate extension's value (extnValue contents). */
export function encapsulationKeyFromExtension(extnValue: Uint8Array): Uint8Array {
  const key = expectTlv(extnValue, TAG.OCTET_STRING, 'ML-KEM-768 certificate extension').value;
  if (key.length !== MLKEM768.encapsulationKeyBytes) {
    throw new SealkitError(
      'bad-key',
      `The certificate's ML-KEM-768 key is ${key.length} bytes, not ${MLKEM768.encapsulationKeyBytes}; the certificate is damaged.`,
    );
  }
  if (!coefficientsReduced(key)) {
    throw new SealkitError('bad-key', "The certificate's ML-KEM-768 key fails FIPS 203's modulus check; the certificate is damaged.");
  }
  return key;
}

const MLKEM_Q = 3329;
const POLYNOMIAL_BYTES = 1152; // 3 polynomials x 256 coefficients x 12 bits, then the 32-byte seed rho

/** FIPS 203 7.2's input check: every 12-bit coefficient of the key's polynomials is below q. */
function coefficientsReduced(key: Uint8Array): boolean {
  for (let i = 0; i < POLYNOMIAL_BYTES; i += 3) {
    const low = key[i]! | ((key[i + 1]! & 0x0f) << 8);
    const high = (key[i + 1]! >> 4) | (key[i + 2]! << 4);
    if (low >= MLKEM_Q || high >= MLKEM_Q) return false;
  }
  return true;
}

export const isMlKemExtension = (oid: Uint8Array): boolean => bytesEqual(oid, MLKEM768_EXTENSION_OID);

/** The decapsulation side of a key: built from its seed, checked against the certificate's key when there is one. */
export interface MlKemPrivateKey {
  seed: Uint8Array;
  encapsulationKey: Uint8Array;
  /** The expanded FIPS 203 decapsulation key (2400 bytes). */
  decapsulationKey: Uint8Array;
}

export async function mlkemKeyFromSeed(seed: Uint8Array, what: string): Promise<MlKemPrivateKey> {
  if (seed.length !== MLKEM768.seedBytes) {
    throw new SealkitError('bad-key', `The ${what} is ${seed.length} bytes; an ML-KEM-768 seed is ${MLKEM768.seedBytes}.`);
  }
  const { publicKey, secretKey } = (await mlkem768()).keygen(seed);
  return { seed, encapsulationKey: publicKey, decapsulationKey: secretKey };
}
