/**
 * Prometheus metrics with the Bitnami controller's names and labels, so its
 * Grafana dashboard and alerts work unchanged. No label ever holds a value
 * from a Secret: only namespaces, names, reasons and HTTP paths.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SealedSecretManifest } from '@sealkit/core';

const PREFIX = 'sealed_secrets_controller_';

/** Why a reconcile failed, as Bitnami labels unseal_errors_total. */
export type UnsealErrorReason = 'fetch' | 'unseal' | 'update' | 'unmanaged' | 'status';

const CONDITION_VALUE: Record<string, number> = { True: 1, Unknown: 0, False: -1 };
// Bitnami copies this label of the SealedSecret into condition_info, prefixed "ss_".
const INSTANCE_LABEL = 'app.kubernetes.io/instance';

export class ControllerMetrics {
  readonly registry = new Registry();
  readonly unsealRequests = new Counter({
    name: `${PREFIX}unseal_requests_total`,
    help: 'Total number of sealed secret unseal requests',
    registers: [this.registry],
  });
  readonly unsealErrors = new Counter({
    name: `${PREFIX}unseal_errors_total`,
    help: 'Total number of sealed secret unseal errors by reason',
    labelNames: ['reason', 'namespace'] as const,
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'A counter for requests to the wrapped handler.',
    labelNames: ['path', 'code', 'method'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'A histogram of latencies for requests.',
    labelNames: ['path', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #conditionInfo: Gauge<'namespace' | 'name' | 'condition' | 'ss_app_kubernetes_io_instance'> | undefined;

  /** `omitSecretLabels` leaves out condition_info, which names every SealedSecret. */
  constructor(version: string, omitSecretLabels = false) {
    const buildInfo = new Gauge({
      name: `${PREFIX}build_info`,
      help: 'Build information.',
      labelNames: ['revision'] as const,
      registers: [this.registry],
    });
    buildInfo.set({ revision: version }, 1);
    if (!omitSecretLabels) {
      this.#conditionInfo = new Gauge({
        name: `${PREFIX}condition_info`,
        help: 'Current SealedSecret condition status. Values are -1 (false), 0 (unknown or absent), 1 (true)',
        labelNames: ['namespace', 'name', 'condition', 'ss_app_kubernetes_io_instance'] as const,
        registers: [this.registry],
      });
    }
    collectDefaultMetrics({ register: this.registry });
  }

  unsealError(reason: UnsealErrorReason, namespace = ''): void {
    this.unsealErrors.inc({ reason, namespace });
  }

  /** Publishes the conditions of a SealedSecret's status. */
  observeConditions(sealedSecret: Pick<SealedSecretManifest, 'metadata' | 'status'>): void {
    for (const condition of sealedSecret.status?.conditions ?? []) {
      this.#conditionInfo?.set(conditionLabels(sealedSecret, condition.type), CONDITION_VALUE[condition.status] ?? 0);
    }
  }

  forgetConditions(sealedSecret: Pick<SealedSecretManifest, 'metadata' | 'status'>): void {
    for (const condition of sealedSecret.status?.conditions ?? [])
      this.#conditionInfo?.remove(conditionLabels(sealedSecret, condition.type));
  }
}

function conditionLabels({ metadata }: Pick<SealedSecretManifest, 'metadata'>, condition: string) {
  return {
    namespace: metadata.namespace ?? '',
    name: metadata.name ?? '',
    condition,
    ss_app_kubernetes_io_instance: metadata.labels?.[INSTANCE_LABEL] ?? '',
  };
}
