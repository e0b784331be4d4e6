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

// Chunked so that large values do not overflow the argument limit of fromCharCode.
function toBinaryString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}

/** Standard padded base64, as Go's base64.StdEncoding writes it. */
export function toBase64(bytes: Uint8Array): string {
  return btoa(toBinaryString(bytes));
}

export function toBase64Unpadded(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/=+$/, '');
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard padded base64 strictly, like Go's base64.StdEncoding
 * (which also skips line breaks). `what` names the input in the error.
 */
export function fromBase64(text: string, what = 'value'): Uint8Array {
  const compact = text.replace(/[\r\n]/g, '');
  if (!STRICT_BASE64.test(compact)) {
    throw new SealkitError('bad-input', `The ${what} is not valid base64; expected standard padded base64.`);
  }
  const binary = atob(compact);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
