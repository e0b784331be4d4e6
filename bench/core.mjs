// Core throughput against openssl measured in the same run: 4096-bit keys, 32-byte values.
import { generateKeyPair as nodeGenerateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { Keyring, generateKeyPair } from '@sealkit/core';
import { fmt, opensslRsa4096, report, throughput } from './lib.mjs';

const newKeyPem = async () =>
  (
    await promisify(nodeGenerateKeyPair)('rsa', {
      modulusLength: 4096,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    })
  ).privateKey;

export async function benchCore() {
  console.log('\n== core: seal / unseal, RSA-4096, 32-byte values ==');
  const openssl = opensslRsa4096();
  report('openssl speed rsa4096 private ops (1 core)', openssl.sign, 'ops/s');
  report('openssl speed rsa4096 public ops (1 core)', openssl.verify, 'ops/s');

  const { privateKeyPem } = await generateKeyPair({ bits: 4096 });
  const one = await Keyring.from(privateKeyPem);
  const value = new Uint8Array(32).fill(7);
  const target = { namespace: 'bench', name: 'secret' };

  const sealRate = await throughput(() => one.seal(value, target));
  report('sealkit seal', sealRate, 'ops/s', sealRate / openssl.verify, '>= 0.7 x openssl public');

  const sealed = await Promise.all(Array.from({ length: 256 }, () => one.seal(value, target)));
  const unsealOne = await throughput((i) => one.open(sealed[i % sealed.length], target));
  report('sealkit unseal, 1-key ring', unsealOne, 'ops/s', unsealOne / openssl.sign, '>= 1.8 x openssl private (1 core)');

  process.stdout.write('generating 23 more RSA-4096 keys for the 24-key ring ...\n');
  const older = await Promise.all(Array.from({ length: 23 }, newKeyPem));
  // Bare PEM keys carry no date, so the ring keeps the order given: the sealing key last, the newest.
  const ring = await Keyring.from(...older, privateKeyPem);
  const unseal24 = await throughput((i) => ring.open(sealed[i % sealed.length], target));
  report('sealkit unseal, 24-key ring', unseal24, 'ops/s');
  const costRatio = unsealOne / unseal24;
  console.log(`24-key ring cost / 1-key cost: ${fmt(costRatio, 2)} (goal <= 1.2)`);
  return { sealRate, unsealOne, unseal24, openssl };
}
