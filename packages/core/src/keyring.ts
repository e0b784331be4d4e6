/**
 * Keys ordered by age: the newest seals, every key opens. Opening tries as few
 * RSA operations as it can: only keys whose modulus matches the ciphertext
 * length, first the key that last opened a value with the same label (the same
 * object, usually), then newest to oldest.
 */
import { fromBase64, toBase64, toBytes } from './bytes.js';
import type { CertificateInfo } from './certificate.js';
import { SealkitError } from './errors.js';
import { hybridEncrypt, openPayload, openSessionKey, splitSealed } from './hybrid.js';
import { parseKeyMaterial, type KeyMaterial } from './key-material.js';
import { KeyPool } from './key-pool.js';
import { fingerprint } from './rsa-keys.js';
import { labelFor, labelText, type Target } from './scope.js';

export interface KeyInfo {
  fingerprint: string;
  bits: number;
  createdAt?: Date;
  certificate?: CertificateInfo;
  /** Whether the ring holds the private key (can open), not only the public one. */
  canOpen: boolean;
  /** The newest key: the one that seals. */
  active: boolean;
}

interface Entry extends KeyMaterial {
  fingerprint: string;
  order: number;
  publicPool: KeyPool;
  privatePool?: KeyPool;
}

export interface Opened {
  plaintext: Uint8Array;
  /** Fingerprint of the key that opened the value. */
  fingerprint: string;
}

const MEMO_LIMIT = 4096;

export class Keyring {
  #entries: Entry[] = []; // oldest first
  #added = 0;
  readonly #lastOpener = new Map<string, string>(); // label → fingerprint

  /** A keyring from PEM texts and/or controller key backups. */
  static async from(...texts: string[]): Promise<Keyring> {
    return new Keyring().add(...texts);
  }

  /** Adds keys; a key already present gains what it lacked (certificate, private key). */
  async add(...sources: (string | KeyMaterial)[]): Promise<this> {
    const materials = sources.flatMap((source) => (typeof source === 'string' ? parseKeyMaterial(source) : [source]));
    const ids = await Promise.all(materials.map((material) => fingerprint(material.publicKey)));
    // No await from here on: concurrent adds of the same key cannot both see it missing.
    materials.forEach((material, i) => this.#addOne(material, ids[i]!));
    // Stable sort: undated keys keep the order they were added in, after dated ones.
    this.#entries.sort((a, b) => (a.createdAt?.getTime() ?? Infinity) - (b.createdAt?.getTime() ?? Infinity) || a.order - b.order);
    return this;
  }

  #addOne(material: KeyMaterial, id: string): void {
    const existing = this.#entries.find((e) => e.fingerprint === id);
    if (existing) {
      existing.certificate ??= material.certificate;
      existing.createdAt ??= material.createdAt;
      if (!existing.privateKey && material.privateKey) {
        existing.privateKey = material.privateKey;
        existing.privatePool = new KeyPool('pkcs8', material.privateKey.pkcs8);
      }
      return;
    }
    this.#entries.push({
      ...material,
      fingerprint: id,
      order: this.#added++,
      publicPool: new KeyPool('spki', material.publicKey.spki),
      privatePool: material.privateKey && new KeyPool('pkcs8', material.privateKey.pkcs8),
    });
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Fingerprints, newest first. */
  get fingerprints(): string[] {
    return this.keys.map((k) => k.fingerprint);
  }

  /** The keys, newest first. */
  get keys(): KeyInfo[] {
    const newest = this.#entries.at(-1);
    return this.#entries
      .map((e) => ({
        fingerprint: e.fingerprint,
        bits: e.publicKey.bits,
        createdAt: e.createdAt,
        certificate: e.certificate,
        canOpen: !!e.privateKey,
        active: e === newest,
      }))
      .reverse();
  }

  /** The newest key's certificate PEM, what `kubeseal --fetch-cert` would print. */
  get activeCertificatePem(): string | undefined {
    return this.#entries.at(-1)?.certificate?.pem;
  }

  /** Seals with the newest key; returns the base64 value as it goes into `encryptedData`. */
  async seal(plaintext: Uint8Array | string, target: Target): Promise<string> {
    const newest = this.#entries.at(-1);
    if (!newest) throw new SealkitError('no-key', 'The keyring is empty; add a certificate or key first.');
    return toBase64(await hybridEncrypt(await newest.publicPool.take(), toBytes(plaintext), labelFor(target)));
  }

  /** Opens a value (base64 text or raw bytes) sealed for `target` with any key of the ring. */
  async open(sealed: string | Uint8Array, target: Target, hint?: string): Promise<Opened> {
    const bytes = typeof sealed === 'string' ? fromBase64(sealed.trim(), 'sealed value') : sealed;
    const { rsa, aes } = splitSealed(bytes);
    const labelKey = labelText(target);
    const label = labelFor(target);
    for (const entry of this.#candidates(rsa.length, hint ?? this.#lastOpener.get(labelKey))) {
      const sessionKey = await openSessionKey(await entry.privatePool!.take(), rsa, label);
      if (!sessionKey) continue;
      const plaintext = await openPayload(sessionKey, aes);
      this.#remember(labelKey, entry.fingerprint);
      return { plaintext, fingerprint: entry.fingerprint };
    }
    const openers = this.#entries.filter((e) => e.privateKey).length;
    if (openers === 0) throw new SealkitError('no-key', 'The keyring holds no private key, so it cannot open sealed values.');
    throw new SealkitError(
      'no-key',
      `None of the ${openers} private key(s) opens this value: it was sealed with another key or for another namespace, name or scope, or it was altered.`,
    );
  }

  /** Keys that can open an RSA ciphertext of this length, in the order worth trying. */
  #candidates(rsaLength: number, first: string | undefined): Entry[] {
    const fitting = this.#entries.filter((e) => e.privatePool && Math.ceil(e.publicKey.bits / 8) === rsaLength).reverse();
    const preferred = fitting.findIndex((e) => e.fingerprint === first);
    if (preferred > 0) fitting.unshift(...fitting.splice(preferred, 1));
    return fitting;
  }

  #remember(label: string, id: string): void {
    this.#lastOpener.delete(label);
    this.#lastOpener.set(label, id);
    if (this.#lastOpener.size > MEMO_LIMIT) this.#lastOpener.delete(this.#lastOpener.keys().next().value!);
  }
}
