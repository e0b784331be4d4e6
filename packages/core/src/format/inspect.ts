/** What a sealed value is, without opening it: its format and the size of its RSA part (the key size it was sealed for). */
import { fromBase64 } from '../platform/bytes.js';
import { splitSealed } from './classic.js';
import { isPostQuantum, splitPostQuantum } from './post-quantum.js';

/** `classic`: Bitnami's format; `post-quantum`: sealkit's hybrid format, which only sealkit opens. */
export type SealedFormat = 'classic' | 'post-quantum';

export interface SealedLayout {
  format: SealedFormat;
  /** Bytes of the RSA-OAEP part: the sealing key's modulus size. */
  rsaBytes: number;
}

/** The layout of a base64 (or raw) value; throws `bad-input` for bad base64 or a truncated value, `unknown-format` for an unknown version. */
export function inspectSealed(sealed: string | Uint8Array): SealedLayout {
  const bytes = typeof sealed === 'string' ? fromBase64(sealed.trim(), 'sealed value') : sealed;
  if (isPostQuantum(bytes)) return { format: 'post-quantum', rsaBytes: splitPostQuantum(bytes).rsa.length };
  return { format: 'classic', rsaBytes: splitSealed(bytes).rsa.length };
}
