// Checksums of byte strings, synchronous because template functions are: SHA via @noble/hashes, Adler-32 here.
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { charge } from './limits.js';
import { bstrToBytes } from './utf8.js';

const digestHex = (hash: (b: Uint8Array) => Uint8Array, s: string): string => {
  charge(s.length * 4); // hashing costs a few times copying
  return bytesToHex(hash(bstrToBytes(s)));
};
/** Hex SHA-1 of a byte string. */
export const sha1Hex = (s: string): string => digestHex(sha1, s);
/** Hex SHA-256 of a byte string. */
export const sha256Hex = (s: string): string => digestHex(sha256, s);
/** Hex SHA-512 of a byte string. */
export const sha512Hex = (s: string): string => digestHex(sha512, s);
/** hash/adler32.Checksum. */
export function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    a = (a + s.charCodeAt(i)) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
