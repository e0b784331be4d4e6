/**
 * Kubernetes Events on SealedSecrets, as client-go's recorder writes them for
 * the Bitnami controller (source component "sealed-secrets"). A repeat of the
 * same event within ten minutes bumps the count of the first instead of making
 * a new one. Events are sent in the background, a few at a time; when the API
 * server falls far behind they are dropped rather than held without bound.
 */
import type { Logger } from 'pino';
import { isNotFound, type KubeClient } from '@sealkit/kube';
import { messageOf } from '../error-message.js';
import type { KubeObject } from './informer.js';
import { collectionPath, EVENTS, MERGE_PATCH, objectPath } from './resources.js';

export type EventType = 'Normal' | 'Warning';

export interface InvolvedObject extends KubeObject {
  apiVersion: string;
  kind: string;
}

export interface EventRecorderOptions {
  client: KubeClient;
  /** Which replica reports, for reportingInstance. */
  instance: string;
  log: Logger;
}

interface Recorded {
  name: string;
  count: number;
  at: number;
}

const COMPONENT = 'sealed-secrets';
const AGGREGATION_WINDOW_MS = 10 * 60_000;
const REMEMBERED = 4096;
const IN_FLIGHT = 8;
const MAX_PENDING = 1000;
const MAX_MESSAGE = 1024;

/** metav1.Time: RFC 3339 in whole seconds. */
const kubeTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export class EventRecorder {
  readonly #options: EventRecorderOptions;
  readonly #recorded = new Map<string, Recorded>();
  readonly #pending: (() => Promise<void>)[] = [];
  #inFlight = 0;
  #sequence = 0;
  #idle: (() => void)[] = [];

  constructor(options: EventRecorderOptions) {
    this.#options = options;
  }

  record(object: InvolvedObject, type: EventType, reason: string, message: string): void {
    const { log } = this.#options;
    const { namespace, name } = object.metadata;
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
    (type === 'Normal' ? log.info : log.warn).call(log, { namespace, name, reason }, `Event: ${text}`);
    if (this.#pending.length >= MAX_PENDING) return void log.warn('Dropping an event: the API server is not keeping up.');
    this.#pending.push(() => this.#send(object, type, reason, text));
    this.#pump();
  }

  /** Resolves once every event recorded so far has been sent (or has failed). */
  flush(): Promise<void> {
    if (this.#inFlight === 0 && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#inFlight < IN_FLIGHT && this.#pending.length > 0) {
      const send = this.#pending.shift()!;
      this.#inFlight++;
      void send().finally(() => {
        this.#inFlight--;
        this.#pump();
        if (this.#inFlight === 0 && this.#pending.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #send(object: InvolvedObject, type: EventType, reason: string, message: string): Promise<void> {
    const { client, log } = this.#options;
    const { namespace = 'default', uid } = object.metadata;
    const key = `${uid}\n${type}\n${reason}\n${message}`;
    const now = Date.now();
    const previous = this.#recorded.get(key);
    if (previous && now - previous.at < AGGREGATION_WINDOW_MS && (await this.#countRepeat(previous, namespace, now))) return;
    const name = `${object.metadata.name}.${(BigInt(now) * 1_000_000n + BigInt(this.#sequence++ % 1_000_000)).toString(16)}`;
    // Remembered before it is sent, so that a repeat recorded meanwhile counts on this one.
    this.#remember(key, { name, count: 1, at: now });
    try {
      await client.request('POST', collectionPath(EVENTS, namespace), {
        body: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject: {
            apiVersion: object.apiVersion,
            kind: object.kind,
            name: object.metadata.name,
            namespace,
            uid,
            resourceVersion: object.metadata.resourceVersion,
          },
          reason,
          message,
          type,
          count: 1,
          firstTimestamp: kubeTime(now),
          lastTimestamp: kubeTime(now),
          source: { component: COMPONENT },
          reportingComponent: COMPONENT,
          reportingInstance: this.#options.instance,
        },
      });
    } catch (error) {
      if (this.#recorded.get(key)?.name === name) this.#recorded.delete(key);
      log.debug({ error: messageOf(error) }, 'Could not write an event.');
    }
  }

  /** Counts a repeat on the event written before; false when that event is gone and a new one is needed. */
  async #countRepeat(recorded: Recorded, namespace: string, now: number): Promise<boolean> {
    recorded.count++;
    recorded.at = now;
    try {
      await this.#options.client.request('PATCH', objectPath(EVENTS, namespace, recorded.name), {
        body: { count: recorded.count, lastTimestamp: kubeTime(now) },
        contentType: MERGE_PATCH,
      });
    } catch (error) {
      if (isNotFound(error)) return false;
      this.#options.log.debug({ error: messageOf(error) }, 'Could not update an event.');
    }
    return true;
  }

  #remember(key: string, recorded: Recorded): void {
    this.#recorded.delete(key);
    this.#recorded.set(key, recorded);
    if (this.#recorded.size > REMEMBERED) this.#recorded.delete(this.#recorded.keys().next().value!);
  }
}
