// The keyring behind the controller: which key is newest, duplicates, unusable key Secrets.
import { generateKeyPair, type GeneratedKeyPair } from '@sealkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '@sealkit/kube';
import { keySecret } from '../../../test/controller/harness.js';
import type { KeyOrderPriority } from '../src/flags.js';
import { KeyRegistry, type KeySecret } from '../src/keys/key-registry.js';
import { silentLog } from './helpers.js';

const registry = (orderPriority: KeyOrderPriority = 'CertNotBefore') =>
  new KeyRegistry({ client: {} as KubeClient, namespace: 'kube-system', keyPrefix: 'sealed-secrets-key', orderPriority, log: silentLog });

let older: GeneratedKeyPair;
let newer: GeneratedKeyPair;
beforeAll(async () => {
  [older, newer] = await Promise.all([
    generateKeyPair({ bits: 2048, notBefore: new Date('2030-01-01T00:00:00Z') }),
    generateKeyPair({ bits: 2048, notBefore: new Date('2031-01-01T00:00:00Z') }),
  ]);
});

/** A key Secret whose creationTimestamp says otherwise than its certificate. */
const created = (pair: GeneratedKeyPair, at: string) => {
  const secret = keySecret(pair) as KeySecret;
  return { ...secret, metadata: { ...secret.metadata, creationTimestamp: at } };
};

describe('KeyRegistry', () => {
  it("orders keys by certificate NotBefore, or by the Secrets' creationTimestamp when told to", async () => {
    const byCertificate = registry('CertNotBefore');
    const byCreation = registry('SecretCreationTimestamp');
    for (const keys of [byCertificate, byCreation]) {
      await keys.add(created(newer, '2020-01-01T00:00:00Z'));
      await keys.add(created(older, '2021-01-01T00:00:00Z'));
    }
    expect(byCertificate.keyring.activeCertificatePem).toBe(newer.certificatePem);
    expect(byCreation.keyring.activeCertificatePem).toBe(older.certificatePem);
  });

  it('adds a key that arrives twice at once only once, and says so once', async () => {
    const keys = registry();
    let told = 0;
    keys.onNewKey(() => told++);
    await Promise.all([keys.add(keySecret(older) as KeySecret), keys.add(keySecret(older) as KeySecret)]);
    expect(keys.keyring.size).toBe(1);
    expect(told).toBe(1);
  });

  it('skips a key Secret that holds no usable key, keeping the others', async () => {
    const keys = registry();
    const broken = { ...(keySecret(older) as KeySecret), data: { 'tls.crt': Buffer.from('not a certificate').toString('base64') } };
    await keys.add(broken);
    await keys.add(keySecret(newer) as KeySecret);
    expect(keys.keyring.size).toBe(1);
    expect(keys.newest?.canOpen).toBe(true);
  });
});
