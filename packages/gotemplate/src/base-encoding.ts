// Go's encoding/base64 and encoding/base32 (standard alphabets, padded) over byte strings.
import { ferr } from './errors.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** encoding/base64 StdEncoding.EncodeToString. */
export function b64enc(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const [a, b, c] = [s.charCodeAt(i), s.charCodeAt(i + 1), s.charCodeAt(i + 2)];
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + (i + 1 < s.length ? B64[(n >> 6) & 63]! : '=') + (i + 2 < s.length ? B64[n & 63]! : '=');
  }
  return out;
}
/** encoding/base64 StdEncoding.DecodeString: newlines ignored, strict padding. Throws the Go error text. */
export function b64dec(src: string): string {
  let out = '';
  let si = 0;
  const isNl = (c: string | undefined): boolean => c === '\n' || c === '\r';
  for (;;) {
    const q: number[] = [];
    let j = 0;
    while (j < 4) {
      if (si === src.length) {
        if (j === 0) return out;
        throw ferr(`illegal base64 data at input byte ${si - j}`);
      }
      const c = src[si++]!;
      if (isNl(c)) continue;
      if (c === '=') {
        if (j < 2) throw ferr(`illegal base64 data at input byte ${si - 1}`);
        if (j === 2) {
          while (si < src.length && isNl(src[si])) si++;
          if (si === src.length) throw ferr(`illegal base64 data at input byte ${src.length}`);
          if (src[si] !== '=') throw ferr(`illegal base64 data at input byte ${si - 1}`);
          si++;
        }
        while (si < src.length && isNl(src[si])) si++;
        if (si < src.length) throw ferr(`illegal base64 data at input byte ${si}`);
        break;
      }
      const d = B64.indexOf(c);
      if (d < 0) throw ferr(`illegal base64 data at input byte ${si - 1}`);
      q.push(d);
      j++;
    }
    const n = ((q[0] ?? 0) << 18) | ((q[1] ?? 0) << 12) | ((q[2] ?? 0) << 6) | (q[3] ?? 0);
    out += String.fromCharCode(n >> 16);
    if (q.length > 2) out += String.fromCharCode((n >> 8) & 255);
    if (q.length > 3) out += String.fromCharCode(n & 255);
    if (q.length < 4) return out;
  }
}
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** encoding/base32 StdEncoding.EncodeToString. */
export function b32enc(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 5) {
    const chunk = s.slice(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk.charCodeAt(k) || 0);
    const chars = [0, 2, 4, 5, 7, 8][chunk.length]!;
    for (let k = 0; k < 8; k++) out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)]! : '=';
  }
  return out;
}
/** encoding/base32 StdEncoding.DecodeString: newlines ignored, strict padding. Throws the Go error text. */
export function b32dec(src: string): string {
  const s = src.replace(/[\r\n]/g, '');
  if (s.length % 8 !== 0) throw ferr(`illegal base32 data at input byte ${s.length - (s.length % 8)}`);
  let out = '';
  for (let i = 0; i < s.length; i += 8) {
    const block = s.slice(i, i + 8);
    const data = block.replace(/=+$/, '');
    const bytes = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[data.length];
    if (bytes === undefined || (data.length < 8 && i + 8 < s.length)) throw ferr(`illegal base32 data at input byte ${i + data.length}`);
    let bits = 0n;
    for (let k = 0; k < 8; k++) {
      const d = k < data.length ? B32.indexOf(data[k]!) : 0;
      if (d < 0) throw ferr(`illegal base32 data at input byte ${i + k}`);
      bits = (bits << 5n) | BigInt(d);
    }
    for (let k = 0; k < bytes; k++) out += String.fromCharCode(Number((bits >> BigInt(32 - 8 * k)) & 255n));
  }
  return out;
}
