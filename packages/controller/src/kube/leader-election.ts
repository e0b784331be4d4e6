/**
 * Leader election through a coordination.k8s.io/v1 Lease, the way client-go's
 * leaderelection does it: candidates take the Lease once its holder has not
 * renewed it for the lease duration (timed by the local clock since the record
 * last changed, so clock skew between nodes does not matter); the leader
 * renews every retry period and steps down if it could not renew within the
 * renew deadline, which is shorter than the lease duration, so it has stopped
 * before anyone else can start.
 */
import type { Logger } from 'pino';
import { isAlreadyExists, isConflict, isNotFound, KubeApiError, type KubeClient } from '@sealkit/kube';
import { messageOf } from '../error-message.js';
import { sleep } from '../pacing/backoff.js';
import type { KubeObject } from './informer.js';
import { collectionPath, LEASES, objectPath } from './resources.js';

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  log: Logger;
}

export interface LeadershipCallbacks {
  /** Runs the leader's work; may return before the work ends. */
  onStartedLeading(): Promise<void>;
  /** Stops the leader's work; resolves when it has stopped. */
  onStoppedLeading(): Promise<void>;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** metav1.MicroTime: RFC 3339 with six fraction digits. */
const microTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');
const jittered = (ms: number) => ms * (1 + Math.random() * 0.2);

export class LeaderElector {
  readonly #options: LeaderElectionOptions;
  #observedRecord = '';
  #observedAt = 0;

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
  }

  /** Campaigns, leads, and campaigns again after losing the Lease, until `signal` aborts; then hands the Lease back. */
  async run(callbacks: LeadershipCallbacks, signal: AbortSignal): Promise<void> {
    const { log, identity, name, namespace } = this.#options;
    let campaigned = false;
    while (!signal.aborted) {
      try {
        await this.#acquire(signal);
      } catch (error) {
        // Bitnami's RBAC grants no Leases: a drop-in swap of the image must still unseal.
        if (campaigned || !(error instanceof KubeApiError && error.status === 403)) throw error;
        log.warn(
          { lease: `${namespace}/${name}` },
          'No permission to use Leases; leading alone, without leader election. Run one replica, or grant get, create and update on leases for several.',
        );
        return this.#leadAlone(callbacks, signal);
      }
      campaigned = true;
      if (signal.aborted) break;
      log.info({ identity, lease: `${namespace}/${name}` }, 'Became the leader.');
      const leading = callbacks
        .onStartedLeading()
        .catch((error: unknown) => log.error({ error: messageOf(error) }, 'Starting to lead failed.'));
      await this.#renewUntilLost(signal);
      await callbacks.onStoppedLeading(); // also ends a start that is still waiting
      await leading;
      if (signal.aborted) {
        await this.#release();
        break;
      }
      log.warn({ identity }, 'Lost the Lease; stopped unsealing and campaigning again.');
    }
  }

  async #leadAlone(callbacks: LeadershipCallbacks, signal: AbortSignal): Promise<void> {
    const leading = callbacks
      .onStartedLeading()
      .catch((error: unknown) => this.#options.log.error({ error: messageOf(error) }, 'Starting to lead failed.'));
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    await callbacks.onStoppedLeading();
    await leading;
  }

  /** Waits for the Lease; throws a 403 at once (no rights to Leases), retries other failures. */
  async #acquire(signal: AbortSignal): Promise<void> {
    const { log, retryPeriodMs } = this.#options;
    let holder = '';
    while (!signal.aborted) {
      try {
        if (await this.#tryAcquireOrRenew()) return;
        const current = this.#observedRecord.split('\n')[0] ?? '';
        if (current !== holder) log.info({ leader: current }, 'Another replica leads; waiting for its Lease to lapse.');
        holder = current;
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 403) throw error;
        log.warn({ error: messageOf(error) }, 'Could not take the Lease; retrying.');
      }
      await sleep(jittered(retryPeriodMs), signal);
    }
  }

  async #renewUntilLost(signal: AbortSignal): Promise<void> {
    const { log, retryPeriodMs, renewDeadlineMs } = this.#options;
    let renewed = Date.now();
    while (!signal.aborted) {
      await sleep(retryPeriodMs, signal);
      if (signal.aborted) return;
      try {
        if (await this.#tryAcquireOrRenew()) {
          renewed = Date.now();
          continue;
        }
      } catch (error) {
        log.warn({ error: messageOf(error) }, 'Could not renew the Lease.');
      }
      if (Date.now() - renewed >= renewDeadlineMs) return;
    }
  }

  /** One attempt to take or keep the Lease; false when another replica holds it. */
  async #tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity, leaseDurationMs, renewDeadlineMs } = this.#options;
    const now = Date.now();
    const request = { timeoutMs: renewDeadlineMs / 2 };
    const spec: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    let lease: Lease;
    try {
      lease = await client.request<Lease>('GET', objectPath(LEASES, namespace, name), request);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await client.request('POST', collectionPath(LEASES, namespace), {
          ...request,
          body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec },
        });
        this.#observe(spec, now);
        return true;
      } catch (createError) {
        if (isAlreadyExists(createError)) return false;
        throw createError;
      }
    }
    const current = lease.spec ?? {};
    this.#observe(current, now);
    const heldByOther = !!current.holderIdentity && current.holderIdentity !== identity;
    if (heldByOther && this.#observedAt + (current.leaseDurationSeconds ?? 0) * 1000 > now) return false;
    if (current.holderIdentity === identity) {
      spec.acquireTime = current.acquireTime;
      spec.leaseTransitions = current.leaseTransitions ?? 0;
    } else {
      spec.leaseTransitions = (current.leaseTransitions ?? 0) + 1;
    }
    try {
      await client.request('PUT', objectPath(LEASES, namespace, name), { ...request, body: { ...lease, spec } });
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
    this.#observe(spec, now);
    return true;
  }

  #observe(spec: LeaseSpec, now: number): void {
    const record = `${spec.holderIdentity ?? ''}\n${spec.renewTime ?? ''}\n${spec.leaseDurationSeconds ?? ''}`;
    if (record === this.#observedRecord) return;
    this.#observedRecord = record;
    this.#observedAt = now;
  }

  /** Hands the Lease back so that another replica takes over at once instead of after the lease duration. */
  async #release(): Promise<void> {
    const { client, namespace, name, identity, log } = this.#options;
    try {
      const lease = await client.request<Lease>('GET', objectPath(LEASES, namespace, name), { timeoutMs: 2000 });
      if (lease.spec?.holderIdentity !== identity) return;
      const now = microTime(Date.now());
      const spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now };
      await client.request('PUT', objectPath(LEASES, namespace, name), { body: { ...lease, spec }, timeoutMs: 2000 });
      log.info('Released the Lease.');
    } catch (error) {
      log.warn({ error: messageOf(error) }, 'Could not release the Lease; another replica takes over when it lapses.');
    }
  }
}
