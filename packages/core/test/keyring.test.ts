// Keyring rotation and the cost of opening: the newest key seals, every key opens,
// and the usual case costs one RSA decryption however many keys the ring holds.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Keyring, generateKeyPair, sealSecret, unsealSecret } from '../src/index.js';

const target = { namespace: 'default', name: 'app' };
let pairs: { privateKeyPem: string; certificatePem: string }[];

beforeAll(async () => {
  // Dated a month apart, oldest first, like 30-day controller rotation.
  pairs = await Promise.all(
    Array.from({ length: 24 }, (_, i) => generateKeyPair({ bits: 2048, notBefore: new Date(Date.UTC(2025, i, 1)) })),
  );
});
afterEach(() => vi.restoreAllMocks());

function countRsaDecrypts() {
  const real = crypto.subtle.decrypt.bind(crypto.subtle);
  const spy = vi.spyOn(crypto.subtle, 'decrypt').mockImplementation((algorithm, key, data) => real(algorithm, key, data));
  return () => spy.mock.calls.filter(([algorithm]) => (algorithm as { name: string }).name === 'RSA-OAEP').length;
}

describe('Keyring', () => {
  it('seals with the newest key and opens with every key', async () => {
    const newest = await Keyring.from(pairs[23]!.privateKeyPem);
    const ring = await Keyring.from(...[...pairs].reverse().map((p) => p.certificatePem + p.privateKeyPem));
    expect(ring.keys[0]!.active).toBe(true);
    expect(ring.fingerprints[0]).toBe(newest.fingerprints[0]);
    expect(ring.activeCertificatePem).toBe(pairs[23]!.certificatePem);
    const sealed = await ring.seal('v', target);
    expect((await newest.open(sealed, target)).fingerprint).toBe(newest.fingerprints[0]);
    for (const pair of [pairs[0]!, pairs[11]!]) {
      const old = await (await Keyring.from(pair.certificatePem)).seal('old', target);
      expect(new TextDecoder().decode((await ring.open(old, target)).plaintext)).toBe('old');
    }
  });

  it('opens a value sealed with the newest key of 24 with one RSA decryption', async () => {
    const ring = await Keyring.from(...pairs.map((p) => p.certificatePem + p.privateKeyPem));
    const sealed = await ring.seal('v', { namespace: 'fresh', name: 'object' });
    const count = countRsaDecrypts();
    await ring.open(sealed, { namespace: 'fresh', name: 'object' });
    expect(count()).toBe(1);
  });

  it('skips keys of another modulus size without trying them', async () => {
    const big = await generateKeyPair({ bits: 3072, notBefore: new Date(Date.UTC(2020, 0, 1)) });
    const ring = await Keyring.from(big.certificatePem + big.privateKeyPem, ...pairs.map((p) => p.certificatePem + p.privateKeyPem));
    const sealed = await (await Keyring.from(big.certificatePem)).seal('v', target);
    const count = countRsaDecrypts();
    await ring.open(sealed, target);
    expect(count()).toBe(1); // the only 3072-bit key, though it is the oldest
  });

  it('after finding an old key for one value of an object, opens its other values with one RSA decryption each', async () => {
    const ring = await Keyring.from(...pairs.map((p) => p.certificatePem + p.privateKeyPem));
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'legacy', namespace: 'ns' },
      stringData: { a: '1', b: '2', c: '3', d: '4' },
    };
    const sealed = await sealSecret(secret, pairs[2]!.certificatePem);
    const count = countRsaDecrypts();
    const opened = await unsealSecret(sealed, ring);
    expect(Object.keys(opened.data!)).toEqual(['a', 'b', 'c', 'd']);
    // 22 tries to find the key (newest first) for the first value, then one per remaining value.
    expect(count()).toBe(22 + 3);
    const again = countRsaDecrypts();
    await unsealSecret(sealed, ring);
    expect(again()).toBe(4); // remembered for the next reconcile of the same object
  });

  it('merges a key added twice and keeps what each copy brought', async () => {
    const ring = await Keyring.from(pairs[0]!.certificatePem);
    expect(ring.keys[0]!.canOpen).toBe(false);
    await ring.add(pairs[0]!.privateKeyPem);
    expect(ring.size).toBe(1);
    expect(ring.keys[0]).toMatchObject({ canOpen: true, certificate: expect.anything() });
  });

  it('stores a key once when it is added concurrently', async () => {
    const ring = new Keyring();
    await Promise.all([ring.add(pairs[1]!.privateKeyPem), ring.add(pairs[1]!.certificatePem), ring.add(pairs[1]!.privateKeyPem)]);
    expect(ring.size).toBe(1);
    expect(ring.keys[0]).toMatchObject({ canOpen: true, certificate: expect.anything() });
  });
});
