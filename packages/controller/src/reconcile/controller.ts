/**
 * The reconcile loop of the leader: watches SealedSecrets (and Secrets, to
 * restore the ones someone deletes or edits), queues what changed, and
 * reconciles with a few workers at once. One instance per term as leader.
 */
import { SEALED_SECRET_API_VERSION, type ObjectMeta, type SealedSecretManifest } from '@sealkit/core';
import type { Logger } from 'pino';
import type { KubeClient } from '@sealkit/kube';
import type { ControllerOptions } from '../flags.js';
import type { KeyRegistry } from '../keys/key-registry.js';
import type { EventRecorder } from '../kube/events.js';
import { InformerSet } from '../kube/informer-set.js';
import { objectKey, type KubeObject } from '../kube/informer.js';
import { collectionPath, SEALED_SECRETS, SECRETS } from '../kube/resources.js';
import type { ControllerMetrics } from '../metrics.js';
import { Reconciler } from './reconciler.js';
import { summarizeSecret, type SecretSummary } from './secret-content.js';
import { ownership } from './secret-update.js';
import { WorkQueue } from './work-queue.js';

export interface ControllerDependencies {
  client: KubeClient;
  keys: KeyRegistry;
  events: EventRecorder;
  metrics: ControllerMetrics;
  options: ControllerOptions;
  log: Logger;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The namespaces to watch; undefined for all. */
function watchedNamespaces(options: Pick<ControllerOptions, 'allNamespaces' | 'additionalNamespaces' | 'namespace'>): string[] | undefined {
  if (options.allNamespaces && options.additionalNamespaces.length === 0) return undefined;
  return [...new Set([options.namespace, ...options.additionalNamespaces])];
}

/** A SealedSecret as cached: without managedFields and kubectl's applied copy, which double its size. */
function cachedSealedSecret(object: KubeObject): SealedSecretManifest {
  const metadata: ObjectMeta = { ...object.metadata };
  delete metadata.managedFields;
  if (metadata.annotations?.[LAST_APPLIED] !== undefined) {
    metadata.annotations = { ...metadata.annotations };
    delete metadata.annotations[LAST_APPLIED];
  }
  // Items of a list carry no apiVersion and kind; the core checks them.
  return { ...(object as SealedSecretManifest), apiVersion: SEALED_SECRET_API_VERSION, kind: 'SealedSecret', metadata };
}

/** Whether an update can change the Secret: status-only updates (ours) cannot. */
function needsReconcile(previous: SealedSecretManifest, current: SealedSecretManifest): boolean {
  return (
    previous.metadata.uid !== current.metadata.uid ||
    JSON.stringify(previous.spec) !== JSON.stringify(current.spec) ||
    JSON.stringify(previous.metadata.annotations) !== JSON.stringify(current.metadata.annotations)
  );
}

const keyOf = (object: KubeObject) => objectKey(object.metadata.namespace, object.metadata.name);

export class Controller {
  readonly #log: Logger;
  readonly #sealedSecrets: InformerSet<SealedSecretManifest>;
  readonly #secrets: InformerSet<SecretSummary> | undefined;
  readonly #reconciler: Reconciler;
  readonly #queue: WorkQueue;
  readonly #stopListening: () => void;
  /** Keys whose Secret changed while they were being reconciled: checked again after. */
  readonly #recheck = new Set<string>();
  #running = false;
  #stopped = false;

  constructor({ client, keys, events, metrics, options, log }: ControllerDependencies) {
    this.#log = log;
    const namespaces = watchedNamespaces(options);
    const informerOptions = { client, labelSelector: options.labelSelector, log };
    this.#sealedSecrets = new InformerSet<SealedSecretManifest>(
      namespaces,
      (namespace) => collectionPath(SEALED_SECRETS, namespace),
      {
        ...informerOptions,
        transform: cachedSealedSecret,
        handlers: {
          onAdd: (sealedSecret) => this.#queue.add(keyOf(sealedSecret)),
          onUpdate: (previous, sealedSecret) => needsReconcile(previous, sealedSecret) && this.#queue.add(keyOf(sealedSecret)),
          onDelete: (sealedSecret) => {
            this.#reconciler.sealedSecretDeleted(sealedSecret);
            this.#queue.add(keyOf(sealedSecret));
          },
        },
      },
      'SealedSecrets',
    );
    if (!options.skipRecreate) {
      this.#secrets = new InformerSet<SecretSummary>(
        namespaces,
        (namespace) => collectionPath(SECRETS, namespace),
        {
          ...informerOptions,
          // Secrets can be large (Helm keeps releases in them): smaller pages bound what one list holds.
          pageSize: 100,
          transform: summarizeSecret,
          handlers: {
            onAdd: (secret) => this.#secretChanged(secret),
            onUpdate: (_, secret) => this.#secretChanged(secret),
            onDelete: (secret) => this.#secretDeleted(secret),
          },
        },
        'Secrets',
      );
    }
    const secrets = this.#secrets;
    this.#reconciler = new Reconciler({
      client,
      keys,
      events,
      metrics,
      log,
      sealedSecret: (namespace, name) => this.#sealedSecrets.get(namespace, name),
      secret: secrets && ((namespace, name) => secrets.get(namespace, name)),
      updateStatus: options.updateStatus,
      acceptDeprecatedData: options.acceptDeprecatedV1Data,
      oldGcBehavior: options.oldGcBehavior,
    });
    this.#queue = new WorkQueue({
      workers: options.workers,
      maxRetries: options.maxUnsealRetries,
      process: (key) => this.#reconciler.reconcile(key),
      onProcessed: (key) => this.#afterProcessed(key),
      log,
    });
    this.#stopListening = keys.onNewKey(() => {
      for (const key of this.#reconciler.unsealFailures) this.#queue.add(key);
    });
  }

  /** Lists and watches, then reconciles everything listed and whatever changes. */
  async start(): Promise<void> {
    await Promise.all([this.#secrets?.start(), this.#sealedSecrets.start()]);
    if (this.#stopped) return;
    this.#running = true;
    this.#queue.start();
    this.#log.info({ sealedSecrets: this.#sealedSecrets.size }, 'Reconciling SealedSecrets.');
  }

  /** Stops watching and taking work; resolves when the reconciles in progress are done. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopListening();
    await this.#queue.stop();
    await Promise.all([this.#sealedSecrets.stop(), this.#secrets?.stop()]);
  }

  /** Whether `secret` is the Secret of a SealedSecret that owns or manages it. */
  #isOurs(secret: SecretSummary): boolean {
    const sealedSecret = this.#sealedSecrets.get(secret.metadata.namespace ?? '', secret.metadata.name ?? '');
    if (!sealedSecret) return false;
    const how = ownership(secret, sealedSecret);
    return how === 'controlled' || how === 'managed';
  }

  /**
   * A Secret of a template with skip-set-owner-references that held what we left
   * there: restored when deleted, as an owned one is. Not a patched one (Bitnami
   * leaves those alone), nor one whose SealedSecret is going away.
   */
  #madeWithoutOwner(secret: SecretSummary): boolean {
    const sealedSecret = this.#sealedSecrets.get(secret.metadata.namespace ?? '', secret.metadata.name ?? '');
    if (!sealedSecret || sealedSecret.metadata.deletionTimestamp) return false;
    return ownership(secret, sealedSecret) === 'foreign' && !this.#reconciler.changedBehindOurBack(secret);
  }

  #secretChanged(secret: SecretSummary): void {
    // Until the workers run, every listed SealedSecret is queued anyway.
    if (!this.#running || !this.#isOurs(secret)) return;
    const key = keyOf(secret);
    if (this.#queue.isProcessing(key)) return void this.#recheck.add(key);
    if (!this.#reconciler.changedBehindOurBack(secret)) return;
    this.#log.info(
      { namespace: secret.metadata.namespace, name: secret.metadata.name },
      'A Secret was changed by someone else; restoring it.',
    );
    this.#queue.add(key);
  }

  #secretDeleted(secret: SecretSummary): void {
    if (!this.#running || !(this.#isOurs(secret) || this.#madeWithoutOwner(secret))) return;
    this.#log.info({ namespace: secret.metadata.namespace, name: secret.metadata.name }, 'A Secret was deleted; restoring it.');
    this.#queue.add(keyOf(secret));
  }

  #afterProcessed(key: string): void {
    if (!this.#recheck.delete(key)) return;
    const slash = key.indexOf('/');
    const secret = this.#secrets?.get(key.slice(0, slash), key.slice(slash + 1));
    if (secret) this.#secretChanged(secret);
  }
}
