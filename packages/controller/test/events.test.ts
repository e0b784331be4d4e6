// Events as client-go records them for Bitnami: a repeat counts on the first instead of piling up.
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient, type RequestOptions } from '@sealkit/kube';
import { EventRecorder } from '../src/kube/events.js';
import { silentLog } from './helpers.js';

interface Call {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

function recorder(answer: (call: Call) => unknown = () => ({})) {
  const calls: Call[] = [];
  const client = {
    async request(method: string, path: string, options: RequestOptions = {}) {
      const call = { method, path, body: options.body as Record<string, unknown> };
      calls.push(call);
      return answer(call);
    },
  } as unknown as KubeClient;
  return { calls, events: new EventRecorder({ client, instance: 'replica-1', log: silentLog }) };
}

const sealedSecret = {
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name: 'db', namespace: 'prod', uid: 'u-1', resourceVersion: '5' },
};

describe('EventRecorder', () => {
  it("writes a core/v1 Event on the SealedSecret from the component 'sealed-secrets'", async () => {
    const { calls, events } = recorder();
    events.record(sealedSecret, 'Normal', 'Unsealed', 'SealedSecret unsealed successfully');
    await events.flush();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.path).toBe('/api/v1/namespaces/prod/events');
    expect(calls[0]!.body).toMatchObject({
      metadata: { namespace: 'prod' },
      involvedObject: { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'db', namespace: 'prod', uid: 'u-1' },
      type: 'Normal',
      reason: 'Unsealed',
      count: 1,
      source: { component: 'sealed-secrets' },
    });
    expect((calls[0]!.body.metadata as { name: string }).name).toMatch(/^db\.[0-9a-f]+$/);
  });

  it('counts repeats on the first event, even when recorded at once', async () => {
    const { calls, events } = recorder();
    for (let i = 0; i < 3; i++) events.record(sealedSecret, 'Warning', 'ErrUnsealFailed', 'Failed to unseal: no key opens it');
    events.record(sealedSecret, 'Warning', 'ErrUnsealFailed', 'Failed to unseal: another reason');
    await events.flush();
    const first = (calls[0]!.body.metadata as { name: string }).name;
    expect(calls.map((c) => c.method)).toEqual(['POST', 'PATCH', 'PATCH', 'POST']);
    expect(calls.slice(1, 3).map((c) => [c.path.endsWith(`/events/${first}`), c.body.count])).toEqual([
      [true, 2],
      [true, 3],
    ]);
  });

  it('writes a new event when the one to count on is gone', async () => {
    const { calls, events } = recorder((call) => {
      if (call.method === 'PATCH') throw new KubeApiError(404, 'NotFound', 'gone');
      return {};
    });
    events.record(sealedSecret, 'Warning', 'ErrUpdateFailed', 'm');
    await events.flush();
    events.record(sealedSecret, 'Warning', 'ErrUpdateFailed', 'm');
    await events.flush();
    expect(calls.map((c) => c.method)).toEqual(['POST', 'PATCH', 'POST']);
  });

  it('does not count on an event the server refused', async () => {
    const { calls, events } = recorder((call) => {
      if (calls.length === 1) throw new KubeApiError(500, '', 'broken');
      return call;
    });
    events.record(sealedSecret, 'Warning', 'ErrUpdateFailed', 'm');
    await events.flush();
    events.record(sealedSecret, 'Warning', 'ErrUpdateFailed', 'm');
    await events.flush();
    expect(calls.map((c) => c.method)).toEqual(['POST', 'POST']);
  });
});
