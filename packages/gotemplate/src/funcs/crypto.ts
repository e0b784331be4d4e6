// Sprig's cryptographic functions: derivePassword (Master Password's algorithm over scrypt),
// encryptAES / decryptAES (AES-256-CBC, PKCS#7, a random IV in front, base64), bcrypt and htpasswd.
// bcrypt's salt is random in Go too: the hash matches in form ($2a$10$, 60 characters) and verifies.
import { cbc } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { genSaltSync, hashSync } from 'bcryptjs';
import { b64dec, b64enc } from '../base-encoding.js';
import { ferr } from '../errors.js';
import { charge, checkDeadline } from '../limits.js';
import { bstrToBytes, bytesToBstr, jsStr } from '../utf8.js';
import { defineFuncs, intArg, strArg } from './signature.js';

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';
const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv',
    'CvcvCvcvnoCvcv',
    'CvcvCvcvCvcvno',
    'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno',
    'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc',
    'CvcvCvcvCvccno',
    'CvccnoCvccCvcv',
    'CvccCvccnoCvcv',
    'CvccCvccCvcvno',
    'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc',
    'CvcvCvccCvccno',
    'CvccnoCvcvCvcc',
    'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};
/** scrypt with N=32768, r=8, p=2 takes 32 MiB and a few hundred milliseconds here (it reports progress, so the deadline still holds). */
const SCRYPT_COST = 40_000_000;
/** bcrypt at cost 10 takes a quarter of a second here, in one step the deadline cannot interrupt. */
const BCRYPT_COST = 40_000_000;

const uint32be = (n: number): string => String.fromCharCode((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);

/** sprig's derivePassword: the Master Password algorithm (v3). */
function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = Object.hasOwn(PASSWORD_TEMPLATES, type) ? PASSWORD_TEMPLATES[type]! : undefined;
  if (!templates) return `cannot find password template ${type}`;
  charge(SCRYPT_COST);
  const salt = MASTER_PASSWORD_SEED + uint32be(user.length) + user;
  const key = scrypt(bstrToBytes(password), bstrToBytes(salt), { N: 32768, r: 8, p: 2, dkLen: 64, onProgress: checkDeadline });
  const seed = hmac(sha256, key, bstrToBytes(MASTER_PASSWORD_SEED + uint32be(site.length) + site + uint32be(counter)));
  const template = templates[seed[0]! % templates.length]!;
  return [...template].map((c, i) => TEMPLATE_CHARACTERS[c]![seed[i + 1]! % TEMPLATE_CHARACTERS[c]!.length]).join('');
}

/** bcrypt at Go's DefaultCost, as x/crypto writes it ($2a$); its limit of 72 bytes is Go's error text. */
function bcrypt(input: string): string {
  if (input.length > 72) return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  charge(BCRYPT_COST);
  // bcryptjs takes text (UTF-8): a password that is not valid UTF-8 is hashed as its U+FFFD-decoded text.
  return hashSync(jsStr(input), genSaltSync(10).replace(/^\$2b\$/, '$2a$'));
}

/** The AES-256 key sprig makes of a password: its bytes, zero-padded or cut to 32. */
function aesKey(password: string): Uint8Array {
  const key = new Uint8Array(32);
  key.set(bstrToBytes(password.slice(0, 32)));
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  charge(plaintext.length * 8);
  const padding = 16 - (plaintext.length % 16);
  const content = bstrToBytes(plaintext + String.fromCharCode(padding).repeat(padding));
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const ciphertext = cbc(aesKey(password), iv, { disablePadding: true }).encrypt(content);
  return b64enc(bytesToBstr(iv) + bytesToBstr(ciphertext));
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const crypt = bstrToBytes(b64dec(crypt64));
  charge(crypt.length * 8);
  // Go panics on these (slice bounds, partial blocks): the call fails.
  if (crypt.length < 16) throw ferr('runtime error: slice bounds out of range');
  if ((crypt.length - 16) % 16 !== 0) throw ferr('crypto/cipher: input not full blocks');
  if (crypt.length === 16) throw ferr('runtime error: index out of range [-1]');
  const decrypted = cbc(aesKey(password), crypt.subarray(0, 16), { disablePadding: true }).decrypt(crypt.subarray(16));
  const cut = decrypted.length - decrypted[decrypted.length - 1]!;
  if (cut < 0) throw ferr('runtime error: slice bounds out of range');
  return bytesToBstr(decrypted.subarray(0, cut));
}

export const CRYPTO_FUNCS = defineFuncs((def) => {
  def('derivePassword', ['uint32', 'string', 'string', 'string', 'string'], (a) =>
    derivePassword(intArg(a, 0), strArg(a, 1), strArg(a, 2), strArg(a, 3), strArg(a, 4)),
  );
  def('encryptAES', ['string', 'string'], (a) => encryptAES(strArg(a, 0), strArg(a, 1)));
  def('bcrypt', ['string'], (a) => bcrypt(strArg(a, 0)));
  def('htpasswd', ['string', 'string'], (a) =>
    strArg(a, 0).includes(':') ? `invalid username: ${strArg(a, 0)}` : `${strArg(a, 0)}:${bcrypt(strArg(a, 1))}`,
  );
  def('decryptAES', ['string', 'string'], (a) => decryptAES(strArg(a, 0), strArg(a, 1)));
});
