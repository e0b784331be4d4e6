// The byte encoding of Go's results in test/vectors/gotemplate-go.json and test/gotemplate-oracle: a string
// when the bytes are valid UTF-8, else {"b64": base64}.
export type GoBytes = string | { b64: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export const fromGoBytes = (v: GoBytes): Uint8Array =>
  typeof v === 'string' ? new TextEncoder().encode(v) : new Uint8Array(Buffer.from(v.b64, 'base64'));

export function toGoBytes(bytes: Uint8Array): GoBytes {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return { b64: Buffer.from(bytes).toString('base64') };
  }
}

/** A render's outcome as Go's oracle reports it: the output bytes, or error. */
export interface GoResult {
  output: GoBytes;
  error: boolean;
}
