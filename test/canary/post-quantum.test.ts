// Leak canaries for post-quantum key material: the ML-KEM seed (the decapsulation key) may
// appear only in its key Secret's mlkem768.seed entry: never in the certificate, the PEM
// private key, sealed values, SealedSecrets, key listings or any error sealkit gives.
import { beforeAll, describe, expect, it } from 'vitest';
import { Keyring, SealkitError, generateKeyPair, keySecret, sealSecret, type Target } from '../../packages/core/src/index.js';
import { bytesCanary, findCanaries, makeCanaryValue, type Canary } from './capture.js';

const value = makeCanaryValue('pq-value');
let pair: Awaited<ReturnType<typeof generateKeyPair>>;
let seed: Canary;
let ring: Keyring;
const target: Target = { namespace: 'prod', name: 'db' };

beforeAll(async () => {
  pair = await generateKeyPair({ bits: 2048, postQuantum: true });
  seed = bytesCanary(pair.mlkemSeed!, 'mlkem-seed');
  ring = await Keyring.from(JSON.stringify(keySecret({ ...pair })));
});

const seedIn = (text: string) => findCanaries(text, [seed]);

describe('the ML-KEM seed', () => {
  it('is in its key Secret, in the mlkem768.seed entry and nowhere else', () => {
    const secret = keySecret({ ...pair, metadata: { name: 'sealed-secrets-key1' } });
    expect(seedIn(JSON.stringify(secret))).not.toEqual([]); // the canary can find it
    const { 'mlkem768.seed': entry, ...rest } = secret.data!;
    expect(seedIn(entry!)).not.toEqual([]);
    expect(seedIn(JSON.stringify({ ...secret, data: rest }))).toEqual([]);
  });

  it('is not in the certificate or the private key PEM', () => {
    expect(seedIn(pair.certificatePem)).toEqual([]);
    expect(seedIn(pair.privateKeyPem)).toEqual([]);
  });

  it('is not in sealed values, SealedSecrets or key listings', async () => {
    const values = await Promise.all(Array.from({ length: 20 }, () => ring.seal(value.value, target)));
    const sealed = await sealSecret(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'prod' }, stringData: { password: value.value } },
      ring,
    );
    for (const text of [...values, JSON.stringify(sealed), JSON.stringify(ring.keys), ring.activeCertificatePem!]) {
      expect(findCanaries(text, [seed, value])).toEqual([]);
    }
  });

  it('is not in any error: wrong scope, tampering, a missing or mismatched seed', async () => {
    const sealed = await ring.seal(value.value, target);
    const other = await generateKeyPair({ bits: 2048, postQuantum: true });
    const tampered = Buffer.from(sealed, 'base64');
    tampered[tampered.length - 1]! ^= 1;
    const attempts = [
      () => ring.open(sealed, { namespace: 'prod', name: 'other' }),
      () => ring.open(tampered, target),
      async () => (await Keyring.from(pair.privateKeyPem + pair.certificatePem)).open(sealed, target),
      () => Keyring.from(JSON.stringify(keySecret({ ...pair, mlkemSeed: other.mlkemSeed }))),
      () => Keyring.from(JSON.stringify(keySecret({ ...pair, mlkemSeed: pair.mlkemSeed!.subarray(0, 40) }))),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SealkitError);
      const { message, code, stack } = error as SealkitError;
      expect(findCanaries(`${message} ${code} ${stack}`, [seed, bytesCanary(other.mlkemSeed!, 'other-seed'), value])).toEqual([]);
    }
  });
});
