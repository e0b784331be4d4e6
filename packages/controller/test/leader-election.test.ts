// Lease-based leader election against the test API server, with short durations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '@sealkit/kube';
import { waitFor } from '../../../test/controller/process.js';
import type { KubeApiServer } from '../../../test/kube-api-server/index.js';
import { LeaderElector } from '../src/kube/leader-election.js';
import { clusterAndClient, silentLog } from './helpers.js';

let server: KubeApiServer;
let client: KubeClient;

beforeAll(async () => {
  ({ server, client } = await clusterAndClient());
});
afterAll(async () => {
  client.close();
  await server.close();
});

interface Candidate {
  identity: string;
  leading: boolean;
  terms: number;
  stop(): Promise<void>;
}

function candidate(
  lease: string,
  identity: string,
  durations = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 },
): Candidate {
  const abort = new AbortController();
  const elector = new LeaderElector({ client, namespace: 'kube-system', name: lease, identity, log: silentLog, ...durations });
  const state: Candidate = {
    identity,
    leading: false,
    terms: 0,
    async stop() {
      abort.abort();
      await running;
    },
  };
  const running = elector.run(
    {
      onStartedLeading: async () => {
        state.leading = true;
        state.terms++;
      },
      onStoppedLeading: async () => {
        state.leading = false;
      },
    },
    abort.signal,
  );
  return state;
}

const holder = (lease: string) => server.get('Lease', 'kube-system', lease)?.spec?.holderIdentity;

describe('LeaderElector', () => {
  it("leads alone when RBAC grants no Leases (Bitnami's RBAC), instead of waiting forever", async () => {
    server.failNext({ pathIncludes: '/leases/forbidden', status: 403, reason: 'Forbidden', message: 'leases is forbidden', count: 1 });
    const alone = candidate('forbidden', 'alone');
    await waitFor('it to lead', () => alone.leading);
    expect(server.get('Lease', 'kube-system', 'forbidden')).toBeUndefined();
    await alone.stop();
    expect(alone.leading).toBe(false);
  });

  it('elects one leader; when it stops it hands the Lease over at once', async () => {
    const a = candidate('handover', 'a');
    await waitFor('a to lead', () => a.leading);
    const b = candidate('handover', 'b');
    await new Promise((r) => setTimeout(r, 300));
    expect(b.leading).toBe(false);
    expect(holder('handover')).toBe('a');

    const stopped = Date.now();
    await a.stop();
    await waitFor('b to lead', () => b.leading);
    expect(Date.now() - stopped).toBeLessThan(700); // released: no waiting for the 1 s lease to lapse
    expect(holder('handover')).toBe('b');
    expect(server.get('Lease', 'kube-system', 'handover')!.spec.leaseTransitions).toBe(1);
    await b.stop();
  });

  it('takes over a Lease whose holder died, only once it has lapsed', async () => {
    const now = new Date().toISOString().replace('Z', '000Z');
    server.put({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'orphaned', namespace: 'kube-system' },
      spec: { holderIdentity: 'dead-replica', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: 4 },
    });
    const started = Date.now();
    const b = candidate('orphaned', 'b');
    await waitFor('b to lead', () => b.leading);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.get('Lease', 'kube-system', 'orphaned')!.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 5 });
    await b.stop();
  });

  it('steps down when it cannot renew within the deadline, and campaigns again', async () => {
    const a = candidate('flaky', 'a');
    await waitFor('a to lead', () => a.leading);
    server.failNext({ pathIncludes: '/leases/flaky', status: 500, count: 12 });
    await waitFor('a to step down', () => !a.leading, 5000);
    await waitFor('a to lead again', () => a.leading, 5000);
    expect(a.terms).toBe(2);
    await a.stop();
    server.clearFailures();
  });
});
