/**
 * Wires the controller together: the HTTP API and metrics on every replica,
 * the keys (kept current by a watch when several replicas run), and, on the
 * leader only, key renewal and the reconcile loop.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { KubeClient } from '@sealkit/kube';
import { messageOf } from './error-message.js';
import type { ControllerOptions } from './flags.js';
import { createApiHandler } from './http/api-server.js';
import { closeServer, listen } from './http/listen.js';
import { createMetricsHandler } from './http/metrics-server.js';
import { RateLimiter } from './http/rate-limiter.js';
import { KeyRegistry } from './keys/key-registry.js';
import { EventRecorder } from './kube/events.js';
import { loadKubeConfig } from './kube/kubeconfig.js';
import { LeaderElector } from './kube/leader-election.js';
import { LeaderTerm, retryUntilDone } from './leader-term.js';
import { ControllerMetrics } from './metrics.js';
import { TokenBucket } from './pacing/token-bucket.js';

export interface RunningController {
  apiAddress: AddressInfo;
  metricsAddress: AddressInfo;
  /** Makes a new key now, if this replica leads (SIGUSR1). */
  renewKeyNow(): void;
  /** Stops leading (handing the Lease back), serving and watching. */
  stop(): Promise<void>;
}

const EVENT_FLUSH_MS = 2000;

const formatAddress = ({ address, port }: AddressInfo) => `${address.includes(':') ? `[${address}]` : address}:${port}`;

export async function startController(options: ControllerOptions, log: Logger, version: string): Promise<RunningController> {
  const { kubeclientQps: qps, kubeclientBurst: burst } = options;
  const client = await KubeClient.connect(loadKubeConfig(options.kubeconfig), {
    // A rate not positive means unlimited.
    limiter: qps > 0 ? new TokenBucket(qps, Math.max(1, burst)) : undefined,
    userAgent: `sealkit-controller/${version}`,
  });
  log.info({ server: client.server, namespace: options.namespace }, 'Using the Kubernetes API.');
  const metrics = new ControllerMetrics(version, options.metricsOmitSecretLabels);
  const keys = new KeyRegistry({
    client,
    namespace: options.namespace,
    keyPrefix: options.keyPrefix,
    orderPriority: options.keyOrderPriority,
    log,
  });

  const api = http.createServer(
    createApiHandler({
      keys,
      metrics,
      rateLimiter: new RateLimiter(options.rateLimit, options.rateLimitBurst),
      acceptDeprecatedData: options.acceptDeprecatedV1Data,
      webDir: options.web,
      log,
    }),
  );
  const metricsServer = http.createServer(createMetricsHandler(metrics.registry));
  const timeouts = { readTimeoutMs: options.readTimeoutMs, writeTimeoutMs: options.writeTimeoutMs };
  const apiAddress = await listen(api, options.listenAddr, timeouts);
  log.info({ address: formatAddress(apiAddress), web: options.web }, 'HTTP server serving.');
  const metricsAddress = await listen(metricsServer, options.listenMetricsAddr, timeouts);
  log.info({ address: formatAddress(metricsAddress) }, 'HTTP metrics server serving.');

  const shutdown = new AbortController();
  await retryUntilDone(() => keys.load(), 'Reading the keys failed; retrying.', shutdown.signal, log);
  // Followers serve /v1/cert.pem too, so they follow the keys the leader makes.
  if (options.watchForSecrets || options.leaderElect) await keys.watch();

  const identity = `${hostname()}_${randomUUID()}`;
  const events = new EventRecorder({ client, instance: identity, log });
  let term: LeaderTerm | undefined;
  const lead = async () => {
    term = new LeaderTerm({ client, keys, events, metrics, options, log });
    await term.start();
  };
  const stepDown = async () => {
    const ending = term;
    term = undefined;
    await ending?.stop();
  };

  let leading: Promise<void>;
  if (options.leaderElect) {
    const elector = new LeaderElector({
      client,
      namespace: options.namespace,
      name: options.leaderElectionId,
      identity,
      leaseDurationMs: options.leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs,
      log,
    });
    leading = elector.run({ onStartedLeading: lead, onStoppedLeading: stepDown }, shutdown.signal);
  } else {
    leading = lead().catch((error: unknown) => log.error({ error: messageOf(error) }, 'Starting failed.'));
  }

  return {
    apiAddress,
    metricsAddress,
    renewKeyNow() {
      if (term) void term.renewal.renewNow();
      else log.info('Not the leader; the leader makes new keys.');
    },
    async stop() {
      shutdown.abort();
      await leading;
      await stepDown();
      await Promise.race([events.flush(), new Promise((resolve) => setTimeout(resolve, EVENT_FLUSH_MS).unref())]);
      await keys.stop();
      await Promise.all([closeServer(api), closeServer(metricsServer)]);
      client.close();
    },
  };
}
