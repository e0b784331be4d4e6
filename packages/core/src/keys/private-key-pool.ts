/**
 * Several imported copies of one RSA key, used in turn. OpenSSL serialises
 * concurrent private operations on a single RSA object (its blinding state is
 * locked), so one CryptoKey keeps Node at ~1 core; four copies let the thread
 * pool use both cores here (measured: 252 → 502 decrypts/s, 12k → 18k encrypts/s
 * for RSA-4096). Copies are imported as they are first asked for, so a command
 * that opens one value imports one (an RSA-4096 private key costs ~1 ms each).
 */
import { RSA_OAEP } from '../format/classic.js';
import { buffer, subtle } from '../platform/webcrypto.js';

const COPIES = 4;

export class KeyPool {
  readonly #copies: Promise<CryptoKey>[] = [];
  #next = 0;

  constructor(
    private readonly format: 'spki' | 'pkcs8',
    private readonly der: Uint8Array,
  ) {}

  take(): Promise<CryptoKey> {
    if (this.#copies.length < COPIES) {
      // After the first: a bad key fails once, not once per copy.
      const first = this.#copies[0];
      this.#copies.push(first ? first.then(() => this.#import()) : this.#import());
      return this.#copies.at(-1)!;
    }
    return this.#copies[this.#next++ % COPIES]!;
  }

  async #import(): Promise<CryptoKey> {
    const crypto = await subtle();
    const usage: KeyUsage = this.format === 'spki' ? 'encrypt' : 'decrypt';
    return crypto.importKey(this.format, buffer(this.der), RSA_OAEP, false, [usage]);
  }
}
