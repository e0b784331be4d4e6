/**
 * One reconcile of one SealedSecret, as the Bitnami controller does it: unseal
 * it, create or update its Secret, emit an event, write the status. Writes
 * nothing when the Secret and the status already say what they should, so a
 * restart or a new leader repeats no work beyond the decryption.
 */
import { SealkitError, unsealSecret, type SealedSecretManifest, type SecretManifest } from '@sealkit/core';
import type { Logger } from 'pino';
import { isAlreadyExists, isConflict, isNotFound, KubeApiError, type KubeClient } from '@sealkit/kube';
import { messageOf } from '../error-message.js';
import type { KeyRegistry } from '../keys/key-registry.js';
import type { EventRecorder } from '../kube/events.js';
import { objectKey } from '../kube/informer.js';
import { collectionPath, objectPath, SEALED_SECRETS, SECRETS } from '../kube/resources.js';
import type { ControllerMetrics, UnsealErrorReason } from '../metrics.js';
import { renderTemplatesInSandbox } from '../sandbox/templates.js';
import { contentDigest, type SecretObject, type SecretSummary } from './secret-content.js';
import { ownership, updatedSecret } from './secret-update.js';
import { nextStatus, type SyncResult } from './status.js';
import type { Outcome } from './work-queue.js';

export interface ReconcilerOptions {
  client: KubeClient;
  keys: KeyRegistry;
  /** The cached SealedSecret, undefined once deleted. */
  sealedSecret(namespace: string, name: string): SealedSecretManifest | undefined;
  /** The cached Secret; absent with --skip-recreate, which reads Secrets when needed instead. */
  secret?(namespace: string, name: string): SecretSummary | undefined;
  events: EventRecorder;
  metrics: ControllerMetrics;
  updateStatus: boolean;
  acceptDeprecatedData: boolean;
  oldGcBehavior: boolean;
  log: Logger;
}

/** A failed reconcile: the event's reason and message, and the status message (Bitnami words them apart). */
interface Failure {
  reason: 'ErrUnsealFailed' | 'ErrUpdateFailed';
  event: string;
  status: string;
}

/** An existing Secret of the same name that the SealedSecret may not write. */
class NotOurs extends Error {}

// Conflicts in a row on one Secret before the reconcile is retried later instead.
const WRITE_ATTEMPTS = 3;

/** 409s, 429s, 5xx, timeouts and lost connections pass; other 4xx need something to change first. */
const retryFor = (error: KubeApiError): 'transient' | 'bounded' =>
  error.status === 0 || error.status === 409 || error.status === 429 || error.status >= 500 ? 'transient' : 'bounded';

export class Reconciler {
  readonly #options: ReconcilerOptions;
  /** The content digest each Secret had after this controller last wrote or checked it. */
  readonly #applied = new Map<string, string>();
  readonly #unsealFailures = new Set<string>();
  /** uids of deleted SealedSecrets whose Secrets --old-gc-behavior deletes. */
  readonly #tombstones = new Map<string, string>();

  constructor(options: ReconcilerOptions) {
    this.#options = options;
  }

  /** SealedSecrets that did not open: worth another try when a key arrives. */
  get unsealFailures(): ReadonlySet<string> {
    return this.#unsealFailures;
  }

  /** Whether `secret` differs from what this controller last left in it (someone else changed it). */
  changedBehindOurBack(secret: SecretSummary): boolean {
    return this.#applied.get(objectKey(secret.metadata.namespace, secret.metadata.name)) !== secret.digest;
  }

  sealedSecretDeleted(sealedSecret: SealedSecretManifest): void {
    const { namespace, name, uid } = sealedSecret.metadata;
    if (this.#options.oldGcBehavior && uid) this.#tombstones.set(objectKey(namespace, name), uid);
    this.#options.metrics.forgetConditions(sealedSecret);
  }

  async reconcile(key: string): Promise<Outcome> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const sealedSecret = this.#options.sealedSecret(namespace, name);
    if (!sealedSecret) return this.#gone(key, namespace, name);
    this.#tombstones.delete(key);
    const { metrics, keys, acceptDeprecatedData, events, log } = this.#options;
    metrics.unsealRequests.inc();

    let secret: SecretManifest;
    try {
      secret = await unsealSecret(sealedSecret, keys.keyring, { acceptDeprecatedData, renderTemplates: renderTemplatesInSandbox });
    } catch (error) {
      if (!(error instanceof SealkitError)) throw error;
      this.#unsealFailures.add(key);
      return this.#failed(
        sealedSecret,
        'unseal',
        { reason: 'ErrUnsealFailed', event: `Failed to unseal: ${error.message}`, status: error.message },
        'bounded',
      );
    }
    this.#unsealFailures.delete(key);

    let written: boolean;
    try {
      written = await this.#write(key, sealedSecret, secret);
    } catch (error) {
      if (error instanceof NotOurs)
        return this.#failed(
          sealedSecret,
          'unmanaged',
          { reason: 'ErrUpdateFailed', event: error.message, status: `failed update: ${error.message}` },
          'bounded',
        );
      if (!(error instanceof KubeApiError)) throw error;
      return this.#failed(
        sealedSecret,
        'update',
        { reason: 'ErrUpdateFailed', event: error.message, status: error.message },
        retryFor(error),
      );
    }
    // As Bitnami's, the event comes before the status write (and stays when that fails); unlike
    // Bitnami's, only when this reconcile changes something, so restarts and new leaders add none.
    const synced: SyncResult = { synced: true, message: '' };
    if (written || this.#statusWouldChange(sealedSecret, synced))
      events.record(sealedSecret, 'Normal', 'Unsealed', 'SealedSecret unsealed successfully');
    try {
      await this.#writeStatus(sealedSecret, synced);
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      metrics.unsealError('status', namespace);
      log.error({ namespace, name, error: error.message }, 'Could not update the status of a SealedSecret.');
      return { ok: false, retry: retryFor(error) };
    }
    return { ok: true };
  }

  async #failed(
    sealedSecret: SealedSecretManifest,
    reason: UnsealErrorReason,
    failure: Failure,
    retry: 'bounded' | 'transient',
  ): Promise<Outcome> {
    const { metrics, events, log } = this.#options;
    const { namespace, name } = sealedSecret.metadata;
    metrics.unsealError(reason, namespace);
    events.record(sealedSecret, 'Warning', failure.reason, failure.event);
    try {
      await this.#writeStatus(sealedSecret, { synced: false, message: failure.status });
    } catch (error) {
      metrics.unsealError('status', namespace);
      log.error({ namespace, name, error: messageOf(error) }, 'Could not update the status of a SealedSecret.');
    }
    return { ok: false, retry };
  }

  /** Creates or updates the Secret; true when it wrote. */
  async #write(key: string, sealedSecret: SealedSecretManifest, desired: SecretManifest): Promise<boolean> {
    const { client } = this.#options;
    const namespace = desired.metadata.namespace!;
    const name = desired.metadata.name!;
    let existing: SecretSummary | SecretObject | undefined = this.#options.secret
      ? this.#options.secret(namespace, name)
      : await this.#readSecret(namespace, name);
    if (!existing) {
      try {
        const created = await client.request<SecretObject>('POST', collectionPath(SECRETS, namespace), { body: desired });
        this.#applied.set(key, contentDigest(created));
        return true;
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        existing = await this.#readSecret(namespace, name); // the cache was behind
        if (!existing) throw error;
      }
    }
    const desiredDigest = contentDigest(desired);
    for (let attempt = 1; ; attempt++) {
      const how = ownership(existing, sealedSecret);
      const existingDigest = 'digest' in existing ? existing.digest : contentDigest(existing);
      if (how === 'foreign') {
        // Already what we would write (a template that skips owner references, after a restart): in sync, nothing to take over.
        if (existingDigest !== desiredDigest) throw new NotOurs(`Resource "${name}" already exists and is not managed by SealedSecret`);
        this.#applied.set(key, desiredDigest);
        return false;
      }
      if ('digest' in existing) {
        // A cached summary: replacing gives exactly the desired content, so the digests tell whether to write.
        if (how !== 'patched' && existingDigest === desiredDigest) {
          this.#applied.set(key, desiredDigest);
          return false;
        }
        existing = await this.#readSecret(namespace, name);
        if (!existing) throw new KubeApiError(409, 'Conflict', `The Secret ${namespace}/${name} was deleted while being updated.`);
        continue;
      }
      const next = updatedSecret(existing, desired, how);
      const nextDigest = contentDigest(next);
      if (nextDigest === existingDigest) {
        this.#applied.set(key, nextDigest);
        return false;
      }
      try {
        const updated = await client.request<SecretObject>('PUT', objectPath(SECRETS, namespace, name), { body: next });
        this.#applied.set(key, contentDigest(updated));
        return true;
      } catch (error) {
        if (!isConflict(error) || attempt >= WRITE_ATTEMPTS) throw error;
        existing = await this.#readSecret(namespace, name);
        if (!existing) throw error;
      }
    }
  }

  #readSecret(namespace: string, name: string): Promise<SecretObject | undefined> {
    return this.#read<SecretObject>(objectPath(SECRETS, namespace, name));
  }

  /** The object at `path`, undefined when there is none. */
  async #read<T>(path: string): Promise<T | undefined> {
    try {
      return await this.#options.client.get<T>(path);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  #statusWouldChange(sealedSecret: SealedSecretManifest, result: SyncResult): boolean {
    return (
      this.#options.updateStatus && nextStatus(sealedSecret.status, sealedSecret.metadata.generation, result, new Date()) !== undefined
    );
  }

  /**
   * Writes the status when it changes. An update of the
   * status subresource (not a patch) needs only what Bitnami's RBAC grants.
   */
  async #writeStatus(sealedSecret: SealedSecretManifest, result: SyncResult): Promise<void> {
    const { client, updateStatus, metrics } = this.#options;
    if (!updateStatus) return;
    const { namespace, name, generation, uid } = sealedSecret.metadata;
    let current = sealedSecret;
    for (let attempt = 1; ; attempt++) {
      const status = nextStatus(current.status, generation, result, new Date());
      if (!status) {
        metrics.observeConditions(current);
        return;
      }
      try {
        const updated = await client.request<SealedSecretManifest>('PUT', objectPath(SEALED_SECRETS, namespace!, name!, 'status'), {
          body: { ...current, status },
        });
        // The cached object shows it until the watch delivers the update, so that a quick retry neither conflicts nor writes it again.
        sealedSecret.status = updated.status;
        sealedSecret.metadata.resourceVersion = updated.metadata.resourceVersion;
        metrics.observeConditions(updated);
        return;
      } catch (error) {
        if (isNotFound(error)) return; // deleted meanwhile
        if (!isConflict(error) || attempt >= WRITE_ATTEMPTS) throw error;
        const fresh = await this.#read<SealedSecretManifest>(objectPath(SEALED_SECRETS, namespace!, name!));
        // Gone, or changed since it was unsealed: the reconcile of the change writes its status.
        if (!fresh || fresh.metadata.uid !== uid || fresh.metadata.generation !== generation) return;
        current = fresh;
      }
    }
  }

  /** The SealedSecret is gone: its Secret goes by owner reference, or here with --old-gc-behavior. */
  async #gone(key: string, namespace: string, name: string): Promise<Outcome> {
    this.#applied.delete(key);
    this.#unsealFailures.delete(key);
    const uid = this.#tombstones.get(key);
    if (!uid) return { ok: true };
    try {
      const secret = await this.#readSecret(namespace, name);
      if (secret && ownership(secret, { metadata: { uid } }) === 'controlled') {
        await this.#options.client.request('DELETE', objectPath(SECRETS, namespace, name), {
          body: { preconditions: { uid: secret.metadata.uid } },
        });
        this.#options.log.info({ namespace, name }, 'Deleted the Secret of a deleted SealedSecret.');
      }
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      if (!isNotFound(error)) return { ok: false, retry: retryFor(error) };
    }
    this.#tombstones.delete(key);
    return { ok: true };
  }
}
