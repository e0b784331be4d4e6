import { fromBase64, toBase64 } from './bytes.js';

export interface PemBlock {
  /** The label between BEGIN and END, e.g. `CERTIFICATE` or `RSA PRIVATE KEY`. */
  type: string;
  der: Uint8Array;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order; text around and between blocks is ignored. */
export function parsePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const type = match[1]!;
    const body = match[2]!;
    // Encrypted PEM (RFC 1421 headers) is not supported; the headers would break base64 anyway.
    const base64 = body.replace(/\s+/g, '');
    blocks.push({ type, der: fromBase64(base64, `PEM block "${type}"`) });
  }
  return blocks;
}

export function toPem(type: string, der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${type}-----\n`;
}
