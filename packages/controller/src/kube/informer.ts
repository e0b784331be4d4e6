/**
 * List + watch of one collection, kept in memory: lists page by page, watches
 * from the list's resourceVersion, resumes after a dropped watch from the last
 * version seen, and lists again (reporting what changed meanwhile) when the
 * server says that version is too old (410 Gone).
 */
import type { ObjectMeta } from '@sealkit/core';
import type { Logger } from 'pino';
import { isExpired, KubeApiError, type KubeClient, type Query, type WatchEvent } from '@sealkit/kube';
import { messageOf } from '../error-message.js';
import { retryDelay, sleep } from '../pacing/backoff.js';

export interface KubeObject {
  metadata: ObjectMeta;
}

export interface InformerHandlers<T> {
  onAdd?(object: T): void;
  onUpdate?(previous: T, object: T): void;
  onDelete?(object: T): void;
}

export interface InformerOptions<T> {
  client: KubeClient;
  /** The collection's path, e.g. /apis/bitnami.com/v1alpha1/sealedsecrets. */
  path: string;
  labelSelector?: string;
  /** Keeps what the controller needs of each object: less memory, and no secret values held. */
  transform: (object: KubeObject) => T;
  handlers: InformerHandlers<T>;
  log: Logger;
  /** What is watched, for log lines: "SealedSecrets in all namespaces". */
  description: string;
  /** Objects per list request (default 500): smaller for large objects, so that no page is huge. */
  pageSize?: number;
}

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

interface StatusObject {
  code?: number;
  message?: string;
}

const QUICK_END_MS = 1000;

export const objectKey = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

export class Informer<T extends KubeObject> {
  readonly #options: InformerOptions<T>;
  #objects = new Map<string, T>();
  #resourceVersion = '';
  readonly #stop = new AbortController();
  #synced = false;
  #running: Promise<void> | undefined;

  constructor(options: InformerOptions<T>) {
    this.#options = options;
  }

  get(namespace: string | undefined, name: string | undefined): T | undefined {
    return this.#objects.get(objectKey(namespace, name));
  }

  get size(): number {
    return this.#objects.size;
  }

  /** Starts listing and watching; resolves once the first complete list is in. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#running = this.#run(resolve).catch(reject);
    });
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  async #run(onSynced: () => void): Promise<void> {
    const signal = this.#stop.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!this.#resourceVersion) await this.#list();
        if (!this.#synced) {
          this.#synced = true;
          onSynced();
        }
        const watched = Date.now();
        await this.#watch();
        // A watch the server ends at once, again and again, must not spin.
        failures = Date.now() - watched < QUICK_END_MS ? failures + 1 : 0;
        if (failures > 0) await sleep(retryDelay(failures), signal);
      } catch (error) {
        if (signal.aborted) break;
        if (isExpired(error)) {
          this.#options.log.info(`The watch of ${this.#options.description} expired; listing them again.`);
          this.#resourceVersion = '';
          continue;
        }
        failures++;
        this.#options.log.warn({ error: messageOf(error) }, `Listing or watching ${this.#options.description} failed; retrying.`);
        await sleep(retryDelay(failures), signal);
      }
    }
    // Stopped before the first list: let start() return; callers check whether they stopped.
    if (!this.#synced) onSynced();
  }

  async #list(): Promise<void> {
    const { client, path, labelSelector, transform, pageSize = 500 } = this.#options;
    const listed = new Map<string, T>();
    let page: ListPage;
    let continueToken: string | undefined;
    do {
      page = await client.get<ListPage>(path, { labelSelector, limit: pageSize, continue: continueToken });
      for (const item of page.items ?? []) listed.set(objectKey(item.metadata.namespace, item.metadata.name), transform(item));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken && !this.#stop.signal.aborted);

    const { onAdd, onUpdate, onDelete } = this.#options.handlers;
    const previous = this.#objects;
    this.#objects = listed;
    this.#resourceVersion = page.metadata?.resourceVersion ?? '';
    for (const [key, object] of listed) {
      const old = previous.get(key);
      if (!old) onAdd?.(object);
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) onUpdate?.(old, object);
    }
    for (const [key, old] of previous) if (!listed.has(key)) onDelete?.(old);
  }

  async #watch(): Promise<void> {
    const { client, path, labelSelector } = this.#options;
    // Spread reconnections over time, as client-go does.
    const timeoutSeconds = 240 + Math.floor(Math.random() * 60);
    const query: Query = { labelSelector, resourceVersion: this.#resourceVersion, allowWatchBookmarks: true, timeoutSeconds };
    await client.watch<KubeObject>(path, query, (event) => this.#apply(event), this.#stop.signal, (timeoutSeconds + 30) * 1000);
  }

  #apply(event: WatchEvent<KubeObject>): void {
    if (event.type === 'ERROR') {
      const status = event.object as unknown as StatusObject;
      throw new KubeApiError(
        status.code ?? 500,
        '',
        `The watch of ${this.#options.description} failed: ${status.message ?? 'no reason given'}`,
      );
    }
    const { metadata } = event.object;
    this.#resourceVersion = metadata.resourceVersion ?? this.#resourceVersion;
    if (event.type === 'BOOKMARK') return;
    const key = objectKey(metadata.namespace, metadata.name);
    const old = this.#objects.get(key);
    const { onAdd, onUpdate, onDelete } = this.#options.handlers;
    if (event.type === 'DELETED') {
      this.#objects.delete(key);
      if (old) onDelete?.(old);
      return;
    }
    const object = this.#options.transform(event.object);
    this.#objects.set(key, object);
    if (old) onUpdate?.(old, object);
    else onAdd?.(object);
  }
}
