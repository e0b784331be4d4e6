// Versioned in-memory storage: one global resourceVersion counter (like etcd's
// revision), per-type buckets, a bounded change history used for watch replay
// and consistent (exact / continue) lists, and change listeners.

import type { JsonObject } from './errors.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  type: ChangeType;
  rv: number;
  storage: string;
  key: string;
  /** stored object after the change (for DELETED: last state, with the deletion RV) */
  obj: JsonObject;
  /** stored object before the change (undefined for ADDED) */
  prev?: JsonObject;
}

export const objectKey = (namespace: string | undefined, name: string) => (namespace ? `${namespace}/${name}` : name);

export class Store {
  rv: number;
  /** every change with rv > historyStartRV is in `history` */
  historyStartRV: number;
  readonly history: Change[] = [];
  readonly historyLimit: number;
  private readonly buckets = new Map<string, Map<string, JsonObject>>();
  private readonly uidIndex = new Map<string, { storage: string; key: string }>();
  /** uids of objects that were deleted (for garbage collection) */
  readonly tombstones = new Set<string>();
  private readonly listeners = new Set<(c: Change) => void>();
  private readonly waiters = new Set<() => void>();

  constructor(opts: { initialResourceVersion?: number; historyLimit?: number } = {}) {
    this.rv = opts.initialResourceVersion ?? 1;
    this.historyStartRV = this.rv;
    this.historyLimit = opts.historyLimit ?? 2000;
  }

  private bucket(storage: string): Map<string, JsonObject> {
    let b = this.buckets.get(storage);
    if (!b) {
      b = new Map();
      this.buckets.set(storage, b);
    }
    return b;
  }

  storages(): string[] {
    return [...this.buckets.keys()];
  }

  /** The stored object (not a copy — callers must not mutate). */
  get(storage: string, namespace: string | undefined, name: string): JsonObject | undefined {
    return this.buckets.get(storage)?.get(objectKey(namespace, name));
  }

  getByUid(uid: string): JsonObject | undefined {
    const loc = this.uidIndex.get(uid);
    if (!loc) return undefined;
    return this.buckets.get(loc.storage)?.get(loc.key);
  }

  /** Stored objects sorted by key (like etcd range reads). Not copies. */
  list(storage: string, namespace?: string): Array<[string, JsonObject]> {
    const b = this.buckets.get(storage);
    if (!b) return [];
    const out: Array<[string, JsonObject]> = [];
    for (const [k, v] of b) {
      if (namespace && v.metadata?.namespace !== namespace) continue;
      out.push([k, v]);
    }
    out.sort((a, b2) => (a[0] < b2[0] ? -1 : a[0] > b2[0] ? 1 : 0));
    return out;
  }

  /** All stored objects of all types (not copies). */
  *all(): Generator<[string, JsonObject]> {
    for (const [storage, b] of this.buckets) for (const v of b.values()) yield [storage, v];
  }

  /**
   * The state of a bucket at resourceVersion `rv`, reconstructed by undoing
   * newer history entries. Caller must ensure rv >= historyStartRV.
   */
  snapshot(storage: string, rv: number, namespace?: string): Array<[string, JsonObject]> {
    const b = new Map(this.buckets.get(storage) ?? []);
    for (let i = this.history.length - 1; i >= 0; i--) {
      const c = this.history[i]!;
      if (c.rv <= rv) break;
      if (c.storage !== storage) continue;
      if (c.type === 'ADDED') b.delete(c.key);
      else b.set(c.key, c.prev!);
    }
    const out: Array<[string, JsonObject]> = [];
    for (const [k, v] of b) {
      if (namespace && v.metadata?.namespace !== namespace) continue;
      out.push([k, v]);
    }
    out.sort((a, b2) => (a[0] < b2[0] ? -1 : a[0] > b2[0] ? 1 : 0));
    return out;
  }

  /**
   * Write a change. `obj` is stored as given (after being assigned the new
   * resourceVersion); pass a private copy.
   */
  commit(type: ChangeType, storage: string, obj: JsonObject): Change {
    const ns = obj.metadata?.namespace || undefined;
    const key = objectKey(ns, obj.metadata.name);
    const b = this.bucket(storage);
    const prev = b.get(key);
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    if (type === 'DELETED') {
      b.delete(key);
      if (obj.metadata.uid) {
        this.uidIndex.delete(obj.metadata.uid);
        this.tombstones.add(obj.metadata.uid);
      }
    } else {
      b.set(key, obj);
      if (obj.metadata.uid) this.uidIndex.set(obj.metadata.uid, { storage, key });
    }
    const change: Change = { type, rv: this.rv, storage, key, obj, prev };
    this.history.push(change);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift()!;
      this.historyStartRV = dropped.rv;
    }
    for (const l of this.listeners) l(change);
    for (const w of [...this.waiters]) w();
    return change;
  }

  /** Forget history: every resourceVersion issued so far becomes too old. */
  compact(): void {
    this.rv += 1;
    this.historyStartRV = this.rv;
    this.history.length = 0;
    for (const w of [...this.waiters]) w();
  }

  onChange(l: (c: Change) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Resolve when rv >= target or after timeoutMs (returns whether reached). */
  waitForRV(target: number, timeoutMs: number): Promise<boolean> {
    if (this.rv >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (this.rv >= target) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(true);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}
