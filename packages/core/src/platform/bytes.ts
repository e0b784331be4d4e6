import { SealkitError } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function toBytes(value: Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? utf8(value) : value;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ENCODE[i]!] = i;
const latin1 = new TextDecoder('latin1');
const EQUALS = 61;

/** Standard padded base64, as Go's base64.StdEncoding writes it. Table-driven: fast on MiB values, no Buffer needed. */
export function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENCODE[n >>> 18]!;
    out[o++] = ENCODE[(n >>> 12) & 63]!;
    out[o++] = ENCODE[(n >>> 6) & 63]!;
    out[o++] = ENCODE[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = ENCODE[n >>> 18]!;
    out[o++] = ENCODE[(n >>> 12) & 63]!;
    out[o++] = rest === 2 ? ENCODE[(n >>> 6) & 63]! : EQUALS;
    out[o] = EQUALS;
  }
  return latin1.decode(out);
}

export function toBase64Unpadded(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/=+$/, '');
}

/** The 6-bit value of the base64 character at `index`, or -1. */
function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 256 ? DECODE[code]! : -1;
}

/**
 * Decodes standard padded base64 strictly, like Go's base64.StdEncoding
 * (which also skips line breaks). `what` names the input in the error.
 */
export function fromBase64(text: string, what = 'value'): Uint8Array {
  const compact = /[\r\n]/.test(text) ? text.replace(/[\r\n]/g, '') : text;
  const invalid = () => new SealkitError('bad-input', `The ${what} is not valid base64; expected standard padded base64.`);
  if (compact.length % 4 !== 0) throw invalid();
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((compact.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < compact.length; i += 4) {
    const last = i + 4 === compact.length;
    const a = sextet(compact, i);
    const b = sextet(compact, i + 1);
    const c = last && padding === 2 ? 0 : sextet(compact, i + 2);
    const d = last && padding >= 1 ? 0 : sextet(compact, i + 3);
    if ((a | b | c | d) < 0) throw invalid();
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}
