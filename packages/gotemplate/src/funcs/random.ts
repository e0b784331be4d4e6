// Sprig's random functions (in sealed-secrets' full sprig map): random strings and bytes, randInt and uuidv4.
import { b64enc } from '../base-encoding.js';
import { ferr } from '../errors.js';
import { MAX_STRING, checkStringLength } from '../limits.js';
import { hex } from '../strconv.js';
import { bytesToBstr } from '../utf8.js';
import { int } from '../values.js';
import { defineFuncs, intArg } from './signature.js';

/** count characters drawn from the alphabet with Web Crypto. */
function randomString(count: number, alphabet: string): string {
  if (count < 0) throw ferr('count must be non-negative');
  checkStringLength(count);
  const buf = new Uint32Array(count);
  crypto.getRandomValues(buf);
  return [...buf].map((x) => alphabet[x % alphabet.length]!).join('');
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const RANDOM_FUNCS = defineFuncs((def) => {
  def('randInt', ['int', 'int'], (a) => {
    const span = intArg(a, 1) - intArg(a, 0);
    if (span <= 0) throw ferr('invalid argument to Intn');
    return int(intArg(a, 0) + (crypto.getRandomValues(new Uint32Array(1))[0]! % span));
  });
  def('randAlphaNum', ['int'], (a) => randomString(intArg(a, 0), ALNUM));
  def('randAlpha', ['int'], (a) => randomString(intArg(a, 0), ALNUM.slice(0, 52)));
  def('randNumeric', ['int'], (a) => randomString(intArg(a, 0), ALNUM.slice(52)));
  def('randAscii', ['int'], (a) => randomString(intArg(a, 0), Array.from({ length: 95 }, (_x, i) => String.fromCharCode(32 + i)).join('')));
  def('randBytes', ['int'], (a) => {
    if (intArg(a, 0) < 0 || intArg(a, 0) > MAX_STRING) throw ferr('invalid count');
    return b64enc(bytesToBstr(crypto.getRandomValues(new Uint8Array(intArg(a, 0)))));
  });
  def('uuidv4', [], () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = [...b].map((x) => hex(x, 2)).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  });
});
