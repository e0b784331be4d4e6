// How an unsealed Secret lands on an existing one, and the status written after.
import type { SecretManifest } from '@sealkit/core';
import { describe, expect, it } from 'vitest';
import { contentDigest, summarizeSecret, type SecretObject } from '../src/reconcile/secret-content.js';
import { ownership, updatedSecret } from '../src/reconcile/secret-update.js';
import { nextStatus } from '../src/reconcile/status.js';

const sealedSecret = { metadata: { name: 'db', uid: 'ss-uid' }, spec: { template: { metadata: {} } } };
const ownerRef = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'db', uid: 'ss-uid', controller: true };

function existing(metadata: Partial<SecretObject['metadata']> = {}, data: Record<string, string> = { old: 'b2xk' }): SecretObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'ns', resourceVersion: '7', finalizers: ['keep'], ...metadata },
    type: 'Opaque',
    data,
  };
}

const desired: SecretManifest = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'ns', labels: { app: 'db' }, annotations: { team: 'a' }, ownerReferences: [ownerRef] },
  type: 'Opaque',
  data: { password: 'cGFzcw==' },
};

describe('ownership', () => {
  it('owns a Secret whose controller reference is this SealedSecret, by uid', () => {
    expect(ownership(existing({ ownerReferences: [ownerRef] }), sealedSecret)).toBe('controlled');
    expect(ownership(existing({ ownerReferences: [{ ...ownerRef, uid: 'an-older-one' }] }), sealedSecret)).toBe('foreign');
    expect(ownership(existing({ ownerReferences: [{ ...ownerRef, controller: false }] }), sealedSecret)).toBe('foreign');
  });

  it('takes over a Secret annotated managed, and patches one annotated patch', () => {
    expect(ownership(existing({ annotations: { 'sealedsecrets.bitnami.com/managed': 'true' } }), sealedSecret)).toBe('managed');
    expect(ownership(existing({ annotations: { 'sealedsecrets.bitnami.com/patch': 'true' } }), sealedSecret)).toBe('patched');
    expect(ownership(existing({ annotations: { 'sealedsecrets.bitnami.com/managed': 'false' } }), sealedSecret)).toBe('foreign');
  });

  it('leaves alone a Secret someone else made', () => {
    expect(ownership(existing(), sealedSecret)).toBe('foreign');
  });

  it('does not take a Secret for ours because it carries skip-set-owner-references', () => {
    expect(ownership(existing({ annotations: { 'sealedsecrets.bitnami.com/skip-set-owner-references': 'true' } }), sealedSecret)).toBe(
      'foreign',
    );
  });
});

describe('updatedSecret', () => {
  it('replaces data, labels, annotations, owners and type, keeping the rest of the object', () => {
    const next = updatedSecret(existing({ labels: { stale: 'x' } }), desired, 'controlled');
    expect(next.data).toEqual({ password: 'cGFzcw==' });
    expect(next.metadata.labels).toEqual({ app: 'db' });
    expect(next.metadata.annotations).toEqual({ team: 'a' });
    expect(next.metadata.ownerReferences).toEqual([ownerRef]);
    expect(next.metadata.resourceVersion).toBe('7');
    expect(next.metadata.finalizers).toEqual(['keep']);
  });

  it('merges into a patched Secret and takes ownership only when it is also managed', () => {
    const patched = updatedSecret(
      existing({ annotations: { 'sealedsecrets.bitnami.com/patch': 'true' }, labels: { other: 'y' } }),
      desired,
      'patched',
    );
    expect(patched.data).toEqual({ old: 'b2xk', password: 'cGFzcw==' });
    expect(patched.metadata.labels).toEqual({ other: 'y', app: 'db' });
    expect(patched.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/patch': 'true', team: 'a' });
    expect(patched.metadata.ownerReferences).toBeUndefined();

    const managed = { 'sealedsecrets.bitnami.com/patch': 'true', 'sealedsecrets.bitnami.com/managed': 'true' };
    expect(updatedSecret(existing({ annotations: managed }), desired, 'patched').metadata.ownerReferences).toEqual([ownerRef]);
  });

  it('gives a template without a type the type the API server would store', () => {
    const untyped = { ...desired, type: undefined };
    expect(updatedSecret(existing(), untyped, 'controlled').type).toBe('Opaque');
    expect(
      updatedSecret(
        { ...existing({ annotations: { 'sealedsecrets.bitnami.com/patch': 'true' } }), type: 'kubernetes.io/tls' },
        untyped,
        'patched',
      ).type,
    ).toBe('kubernetes.io/tls');
  });
});

describe('contentDigest', () => {
  it('is equal for content the API server stores equally, and differs when a value changes', () => {
    const written = updatedSecret(existing(), desired, 'controlled');
    expect(contentDigest(written)).toBe(contentDigest(desired));
    expect(contentDigest({ ...desired, type: undefined })).toBe(contentDigest({ ...desired, type: 'Opaque' }));
    expect(contentDigest({ metadata: {}, data: {} })).toBe(contentDigest({ metadata: { labels: {} } }));
    expect(contentDigest({ ...desired, data: { password: 'b3RoZXI=' } })).not.toBe(contentDigest(desired));
    expect(contentDigest({ ...desired, metadata: { ...desired.metadata, labels: { app: 'web' } } })).not.toBe(contentDigest(desired));
  });

  it('keeps no values in a summary, not even those in kubectl last-applied annotation', () => {
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { password: 'secret-value' } });
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied, 'sealedsecrets.bitnami.com/managed': 'true' };
    const full = { ...existing({ annotations, ownerReferences: [ownerRef] }), data: { password: 'c2VjcmV0LXZhbHVl' } };
    const summary = summarizeSecret(full);
    expect(JSON.stringify(summary)).not.toMatch(/c2VjcmV0LXZhbHVl|secret-value/);
    expect(summary.digest).toBe(contentDigest(full));
    expect(ownership(summary, sealedSecret)).toBe('controlled');
    expect(summary.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/managed': 'true' });
  });
});

describe('nextStatus', () => {
  const at = (s: string) => new Date(`2030-01-01T00:00:${s}Z`);
  const synced = { synced: true, message: '' };
  const failed = { synced: false, message: 'no key opens it' };

  it('writes observedGeneration and a Synced condition the first time', () => {
    expect(nextStatus(undefined, 3, synced, at('01'))).toEqual({
      observedGeneration: 3,
      conditions: [{ type: 'Synced', status: 'True', lastUpdateTime: '2030-01-01T00:00:01Z', lastTransitionTime: '2030-01-01T00:00:01Z' }],
    });
  });

  it('leaves a status Bitnami wrote alone when it says the same', () => {
    const bitnami = {
      observedGeneration: 2,
      conditions: [
        {
          type: 'Synced' as const,
          status: 'True' as const,
          lastUpdateTime: '2029-01-01T00:00:00Z',
          lastTransitionTime: '2029-01-01T00:00:00Z',
        },
      ],
    };
    expect(nextStatus(bitnami, 2, synced, at('01'))).toBeUndefined();
  });

  it('writes nothing when the status already says it', () => {
    const status = nextStatus(undefined, 3, synced, at('01'));
    expect(nextStatus(status, 3, synced, at('09'))).toBeUndefined();
    expect(nextStatus(status, 4, synced, at('09'))?.observedGeneration).toBe(4);
  });

  it('moves lastTransitionTime only when the status flips', () => {
    const failing = nextStatus(undefined, 1, failed, at('01'));
    const stillFailing = nextStatus(failing, 1, { ...failed, message: 'another reason' }, at('05'))!;
    expect(stillFailing.conditions![0]).toMatchObject({
      status: 'False',
      lastUpdateTime: '2030-01-01T00:00:05Z',
      lastTransitionTime: '2030-01-01T00:00:01Z',
    });
    const recovered = nextStatus(stillFailing, 1, synced, at('07'))!;
    expect(recovered.conditions![0]).toMatchObject({ status: 'True', lastTransitionTime: '2030-01-01T00:00:07Z' });
    expect(recovered.conditions![0]).not.toHaveProperty('message');
  });
});
