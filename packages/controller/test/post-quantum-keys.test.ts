// --post-quantum-keys: new keys carry an ML-KEM-768 key (certificate extension, seed in the key
// Secret's mlkem768.seed), the controller opens both formats with them, and the seed is never logged.
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, inspectSealed, keySecret, seal } from '@sealkit/core';
import type { KeyOrderPriority } from '../src/flags.js';
import { KeyRegistry, type KeySecret } from '../src/keys/key-registry.js';
import type { KubeClient } from '@sealkit/kube';
import { bytesCanary, findCanaries } from '../../../test/canary/capture.js';

const newKey = { bits: 2048, commonName: '', validForMs: 86_400_000, annotations: {}, labels: {} };
const target = { namespace: 'prod', name: 'db' };

/** A registry whose API server stores what is POSTed (as the Secret it would return) and whose log is kept. */
function registry(orderPriority: KeyOrderPriority = 'CertNotBefore') {
  const written: KeySecret[] = [];
  const logged: unknown[] = [];
  const client = {
    async request(_method: string, _path: string, { body }: { body: KeySecret }) {
      const secret = {
        ...body,
        metadata: { ...body.metadata, name: `sealed-secrets-key${written.length}`, creationTimestamp: new Date().toISOString() },
      };
      written.push(secret);
      return secret;
    },
  } as unknown as KubeClient;
  const record = (...args: unknown[]) => void logged.push(args);
  const log = { debug: record, info: record, warn: record, error: record } as unknown as Logger;
  return {
    keys: new KeyRegistry({ client, namespace: 'kube-system', keyPrefix: 'sealed-secrets-key', orderPriority, log }),
    written,
    logged,
  };
}

describe('post-quantum controller keys', () => {
  it('a new post-quantum key is written with its seed, seals post-quantum and opens both formats; the seed is never logged', async () => {
    const { keys, written, logged } = registry();
    await keys.generate({ ...newKey, postQuantum: true });
    const seed = Buffer.from(written[0]!.data!['mlkem768.seed']!, 'base64');
    expect(seed).toHaveLength(64);
    expect(keys.newest?.postQuantum).toBe(true);
    const pq = await keys.keyring.seal('hunter2', target);
    const classic = await keys.keyring.seal('hunter2', target, { classic: true });
    expect([inspectSealed(pq).format, inspectSealed(classic).format]).toEqual(['post-quantum', 'classic']);
    for (const value of [pq, classic]) expect(new TextDecoder().decode((await keys.keyring.open(value, target)).plaintext)).toBe('hunter2');
    expect(findCanaries(JSON.stringify(logged), [bytesCanary(seed, 'mlkem-seed')])).toEqual([]);
    expect(JSON.stringify(logged)).toContain('New key written.');
  });

  it('without the flag, new keys are classic and have no seed entry', async () => {
    const { keys, written } = registry();
    await keys.generate(newKey);
    expect(Object.keys(written[0]!.data!).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(keys.newest?.postQuantum).toBe(false);
    expect(inspectSealed(await keys.keyring.seal('x', target)).format).toBe('classic');
  });

  it('reads the seed of a restored post-quantum key Secret, whichever order of keys is chosen', async () => {
    const pair = await generateKeyPair({ bits: 2048, postQuantum: true });
    const sealed = await seal(pair.certificatePem, 'restored', target);
    for (const order of ['CertNotBefore', 'SecretCreationTimestamp'] as const) {
      const { keys } = registry(order);
      await keys.add(keySecret({ ...pair, metadata: { name: 'restored', creationTimestamp: '2026-01-01T00:00:00Z' } }) as KeySecret);
      expect(new TextDecoder().decode((await keys.keyring.open(sealed, target)).plaintext)).toBe('restored');
    }
  });
});
