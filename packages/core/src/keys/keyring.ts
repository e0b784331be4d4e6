/**
 * Keys ordered by age: the newest seals, every key opens. Opening tries as few
 * RSA operations as it can: only keys whose modulus matches the ciphertext
 * length, first the key that last opened a value with the same label (the same
 * object, usually), then newest to oldest.
 */
import { fromBase64, toBase64, toBytes } from '../platform/bytes.js';
import type { CertificateInfo } from './certificate.js';
import { SealkitError } from '../platform/errors.js';
import { hybridEncrypt, openPayload, openSessionKey, splitSealed } from '../format/classic.js';
import { parseKeyMaterial, type KeyMaterial } from './key-backup.js';
import { KeyPool } from './private-key-pool.js';
import { bytesEqual } from '../platform/bytes.js';
import { mlkemKeyFromSeed, type MlKemPrivateKey } from './mlkem-key.js';
import { isPostQuantum, openPostQuantum, postQuantumEncrypt, splitPostQuantum } from '../format/post-quantum.js';
import { fingerprint } from './rsa-keys.js';
import { labelFor, labelText, type Target } from '../objects/scope.js';

export interface KeyInfo {
  fingerprint: string;
  bits: number;
  createdAt?: Date;
  certificate?: CertificateInfo;
  /** Whether the ring holds the private key (can open), not only the public one. */
  canOpen: boolean;
  /** The newest key: the one that seals. */
  active: boolean;
  /** The certificate carries an ML-KEM-768 key: values sealed to it are post-quantum unless `classic` is asked. */
  postQuantum: boolean;
}

export interface KeyringSealOptions {
  /** Seal Bitnami's RSA-only format even when the certificate carries an ML-KEM key. */
  classic?: boolean;
}

interface Entry extends KeyMaterial {
  fingerprint: string;
  order: number;
  publicPool: KeyPool;
  privatePool?: KeyPool;
  mlkem?: MlKemPrivateKey;
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
    const mlkems = await Promise.all(materials.map(mlkemKeyOf));
    // No await from here on: concurrent adds of the same key cannot both see it missing.
    materials.forEach((material, i) => this.#addOne(material, ids[i]!, mlkems[i]));
    // Stable sort: undated keys keep the order they were added in, after dated ones.
    this.#entries.sort((a, b) => (a.createdAt?.getTime() ?? Infinity) - (b.createdAt?.getTime() ?? Infinity) || a.order - b.order);
    return this;
  }

  #addOne(material: KeyMaterial, id: string, mlkem: MlKemPrivateKey | undefined): void {
    const existing = this.#entries.find((e) => e.fingerprint === id);
    if (existing) {
      existing.certificate ??= material.certificate;
      existing.createdAt ??= material.createdAt;
      const sealsTo = existing.certificate?.mlkemEncapsulationKey;
      if (mlkem && !existing.mlkem && sealsTo && !bytesEqual(sealsTo, mlkem.encapsulationKey)) {
        // The seed was checked against its own certificate, not the one this key seals with.
        throw new SealkitError('bad-key', `Two certificates of the key ${id} carry different ML-KEM keys; keep the key Secret of one.`);
      }
      existing.mlkem ??= mlkem;
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
      mlkem,
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
        postQuantum: !!e.certificate?.mlkemEncapsulationKey,
      }))
      .reverse();
  }

  /** The newest key's certificate PEM, what `kubeseal --fetch-cert` would print. */
  get activeCertificatePem(): string | undefined {
    return this.#entries.at(-1)?.certificate?.pem;
  }

  /**
   * Seals with the newest key; returns the base64 value as it goes into `encryptedData`.
   * Post-quantum when its certificate carries an ML-KEM key, unless `classic` is asked.
   */
  async seal(plaintext: Uint8Array | string, target: Target, options: KeyringSealOptions = {}): Promise<string> {
    const newest = this.#entries.at(-1);
    if (!newest) throw new SealkitError('no-key', 'The keyring is empty; add a certificate or key first.');
    const encapsulationKey = options.classic ? undefined : newest.certificate?.mlkemEncapsulationKey;
    const rsaKey = await newest.publicPool.take();
    const bytes = toBytes(plaintext);
    const label = labelFor(target);
    return toBase64(
      encapsulationKey ? await postQuantumEncrypt(rsaKey, encapsulationKey, bytes, label) : await hybridEncrypt(rsaKey, bytes, label),
    );
  }

  /** Opens a value (base64 text or raw bytes, either format) sealed for `target` with any key of the ring. */
  async open(sealed: string | Uint8Array, target: Target, hint?: string): Promise<Opened> {
    const bytes = typeof sealed === 'string' ? fromBase64(sealed.trim(), 'sealed value') : sealed;
    const labelKey = labelText(target);
    const label = labelFor(target);
    const opener = openerFor(bytes, label);
    for (const entry of this.#candidates(opener.rsaBytes, hint ?? this.#lastOpener.get(labelKey))) {
      const plaintext = await opener.open(await entry.privatePool!.take(), entry.mlkem);
      if (!plaintext) continue;
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

/** A key's ML-KEM half from its seed, which must derive the key in its certificate. */
async function mlkemKeyOf(material: KeyMaterial): Promise<MlKemPrivateKey | undefined> {
  if (!material.mlkemSeed) return undefined;
  const mlkem = await mlkemKeyFromSeed(material.mlkemSeed, 'ML-KEM seed in the key backup');
  const expected = material.certificate?.mlkemEncapsulationKey;
  if (!expected || !bytesEqual(expected, mlkem.encapsulationKey)) {
    throw new SealkitError('bad-key', "The ML-KEM seed in the key backup does not belong to its certificate's ML-KEM key.");
  }
  return mlkem;
}

interface Opener {
  /** Size of the value's RSA part: only keys of that modulus size can open it. */
  rsaBytes: number;
  /** The plaintext, or undefined when this RSA key (or label) does not open the value; throws when it opens but the rest fails. */
  open(privateKey: CryptoKey, mlkem: MlKemPrivateKey | undefined): Promise<Uint8Array | undefined>;
}

/** How to try keys on a value, by its format: Bitnami's, or post-quantum (two zero bytes first). */
function openerFor(bytes: Uint8Array, label: Uint8Array): Opener {
  if (isPostQuantum(bytes)) {
    const parts = splitPostQuantum(bytes);
    return { rsaBytes: parts.rsa.length, open: (privateKey, mlkem) => openPostQuantum(parts, privateKey, mlkem, label) };
  }
  const { rsa, aes } = splitSealed(bytes);
  return {
    rsaBytes: rsa.length,
    async open(privateKey) {
      const sessionKey = await openSessionKey(privateKey, rsa, label);
      return sessionKey && openPayload(sessionKey, aes);
    },
  };
}
