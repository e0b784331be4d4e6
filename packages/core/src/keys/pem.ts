import { fromBase64, toBase64 } from '../platform/bytes.js';

export interface PemBlock {
  /** The label between BEGIN and END, e.g. `CERTIFICATE` or `RSA PRIVATE KEY`. */
  type: string;
  der: Uint8Array;
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;
const END = /-----END ([A-Z0-9 ]+)-----/g;

/**
 * Every PEM block in `text`, in order; text around and between blocks is ignored. Each
 * BEGIN is closed by the next END of its label. Linear: the ENDs are found in one pass
 * first (a regex matching BEGIN…END rescanned the rest of the text for every unclosed
 * BEGIN: 1 MB of them took a minute).
 */
export function parsePemBlocks(text: string): PemBlock[] {
  const ends = new Map<string, number[]>();
  for (const match of text.matchAll(END)) {
    const at = ends.get(match[1]!);
    if (at) at.push(match.index);
    else ends.set(match[1]!, [match.index]);
  }
  const next = new Map<string, number>(); // per label, the first END not yet passed
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let match = BEGIN.exec(text); match; match = BEGIN.exec(text)) {
    const type = match[1]!;
    const bodyStart = match.index + match[0].length;
    const candidates = ends.get(type) ?? [];
    let i = next.get(type) ?? 0;
    while (i < candidates.length && candidates[i]! < bodyStart) i++;
    next.set(type, i);
    if (i === candidates.length) continue; // never closed
    const end = candidates[i]!;
    // Encrypted PEM (RFC 1421 headers) is not supported; the headers would break base64 anyway.
    const base64 = text.slice(bodyStart, end).replace(/\s+/g, '');
    blocks.push({ type, der: fromBase64(base64, `PEM block "${type}"`) });
    BEGIN.lastIndex = end + `-----END ${type}-----`.length;
  }
  return blocks;
}

export function toPem(type: string, der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${type}-----\n`;
}
