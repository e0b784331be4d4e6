/**
 * The controller's keys, stored exactly as the Bitnami controller stores them
 * so that either controller reads the other's: Secrets of type
 * kubernetes.io/tls in the controller namespace, generateName = the key prefix,
 * label sealedsecrets.bitnami.com/sealed-secrets-key=active, data tls.crt
 * (certificate PEM) and tls.key (PKCS#1 PEM), and for a post-quantum key the ML-KEM
 * seed in mlkem768.seed, which Bitnami's controller ignores. Keys are only ever added.
 */
import { generateKeyPair, KEY_SECRET_LABEL, Keyring, keySecret, type KeyInfo } from '@sealkit/core';
import type { Logger } from 'pino';
import { isNotFound, type KubeClient } from '@sealkit/kube';
import { messageOf } from '../error-message.js';
import type { KeyOrderPriority } from '../flags.js';
import { Informer, type KubeObject } from '../kube/informer.js';
import { collectionPath, objectPath, SECRETS } from '../kube/resources.js';

export interface KeySecret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

export interface NewKeyOptions {
  bits: number;
  /** Also an ML-KEM-768 key: in the certificate's extension, its seed in the Secret. */
  postQuantum?: boolean;
  commonName: string;
  validForMs: number;
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

export interface KeyRegistryOptions {
  client: KubeClient;
  namespace: string;
  keyPrefix: string;
  orderPriority: KeyOrderPriority;
  log: Logger;
}

const KEY_SELECTOR = `${KEY_SECRET_LABEL}=active`;
const DAY_MS = 86_400_000;

export class KeyRegistry {
  readonly keyring = new Keyring();
  readonly #options: KeyRegistryOptions;
  readonly #listeners = new Set<() => void>();
  #watch: Informer<KeySecret> | undefined;
  #adding = Promise.resolve();

  constructor(options: KeyRegistryOptions) {
    this.#options = options;
  }

  /** The newest key: the one that seals and whose certificate /v1/cert.pem serves. */
  get newest(): KeyInfo | undefined {
    return this.keyring.keys[0];
  }

  /** Calls `listener` whenever the keyring gains a key; returns what stops that. */
  onNewKey(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads every key Secret; the legacy one named exactly like the prefix too, as Bitnami does. */
  async load(): Promise<void> {
    const { client, namespace, keyPrefix } = this.#options;
    const list = await client.get<{ items: KeySecret[] }>(collectionPath(SECRETS, namespace), { labelSelector: KEY_SELECTOR });
    const secrets = list.items;
    try {
      secrets.push(await client.get<KeySecret>(objectPath(SECRETS, namespace, keyPrefix)));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    for (const secret of secrets) await this.add(secret);
  }

  /** Keeps the keyring up to date with key Secrets created by others (another replica, an admin restoring a backup). */
  async watch(): Promise<void> {
    const { client, namespace, log } = this.#options;
    const add = (secret: KeySecret) => void this.add(secret);
    this.#watch = new Informer<KeySecret>({
      client,
      path: collectionPath(SECRETS, namespace),
      labelSelector: KEY_SELECTOR,
      transform: (object) => object,
      handlers: { onAdd: add, onUpdate: (_, secret) => add(secret) },
      log,
      description: `key Secrets in ${namespace}`,
    });
    await this.#watch.start();
  }

  async stop(): Promise<void> {
    await this.#watch?.stop();
  }

  /** Adds the key in a key Secret; a Secret that holds no usable key is logged and skipped. */
  add(secret: KeySecret): Promise<void> {
    // One at a time: the core keyring checks for a known key before an await and adds after it,
    // so the same key arriving twice at once (written here, seen by the watch) would be added twice.
    this.#adding = this.#adding.then(() => this.#addNow(secret));
    return this.#adding;
  }

  async #addNow(secret: KeySecret): Promise<void> {
    const name = secret.metadata.name;
    const known = new Set(this.keyring.fingerprints);
    try {
      await this.keyring.add(this.#keyText(secret));
    } catch (error) {
      this.#options.log.error({ secret: name, error: messageOf(error) }, 'Skipping a key Secret that holds no usable key.');
      return;
    }
    const added = this.keyring.fingerprints.filter((fingerprint) => !known.has(fingerprint));
    if (added.length === 0) return;
    this.#options.log.info(
      { secret: name, fingerprint: added.join(', '), newest: added.includes(this.newest!.fingerprint) },
      'Loaded a key.',
    );
    for (const listener of this.#listeners) listener();
  }

  /** Makes a key pair, stores it as a key Secret, and adds it. */
  async generate(options: NewKeyOptions): Promise<void> {
    const { client, namespace, keyPrefix, log } = this.#options;
    const pair = await generateKeyPair({
      bits: options.bits,
      commonName: options.commonName,
      validDays: options.validForMs / DAY_MS,
      postQuantum: options.postQuantum,
    });
    const body = keySecret({
      ...pair,
      metadata: {
        generateName: keyPrefix,
        namespace,
        labels: options.labels,
        ...(Object.keys(options.annotations).length > 0 && { annotations: options.annotations }),
      },
    });
    const created = await client.request<KeySecret>('POST', collectionPath(SECRETS, namespace), { body });
    log.info({ secret: created.metadata.name, certificate: pair.certificatePem }, 'New key written.');
    await this.add(created);
  }

  /**
   * What the keyring reads: the Secret (with its ML-KEM seed, if any). Bitnami orders keys
   * by certificate NotBefore unless told to use the Secrets' creationTimestamp; the core
   * keyring takes the latter from a Secret that has one, else the former.
   */
  #keyText(secret: KeySecret): string {
    if (this.#options.orderPriority === 'SecretCreationTimestamp') return JSON.stringify({ ...secret, kind: 'Secret' });
    const { creationTimestamp: _, ...metadata } = secret.metadata;
    return JSON.stringify({ ...secret, kind: 'Secret', metadata });
  }
}
