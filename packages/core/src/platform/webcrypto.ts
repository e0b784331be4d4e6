/**
 * The platform's WebCrypto (OpenSSL underneath in Node, the browser's own in a
 * page). @peculiar/webcrypto is only for runtimes without one; it is imported
 * lazily because loading it costs ~160 ms.
 */
let fallback: Promise<Crypto> | undefined;

export function webCrypto(): Crypto | Promise<Crypto> {
  const native = globalThis.crypto;
  if (native?.subtle) return native;
  fallback ??= import('#webcrypto-fallback').then((m) => new m.Crypto() as unknown as Crypto);
  return fallback;
}

export async function subtle(): Promise<SubtleCrypto> {
  return (await webCrypto()).subtle;
}

export async function randomBytes(length: number): Promise<Uint8Array> {
  return (await webCrypto()).getRandomValues(new Uint8Array(length));
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await (await subtle()).digest('SHA-256', buffer(data)));
}

/** Our bytes never live in a SharedArrayBuffer; this tells TypeScript so at the WebCrypto boundary. */
export function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
