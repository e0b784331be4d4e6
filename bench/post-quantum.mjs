// Post-quantum (ML-KEM-768 + RSA-OAEP) against classic (RSA-OAEP) sealing with the same RSA-4096
// key, 32-byte values: seal and unseal throughput, the cost ratios, and the size overhead per value.
// Rounds alternate classic and post-quantum so that load from elsewhere hits both alike.
import { Keyring, fromBase64, generateKeyPair, keySecret } from '@sealkit/core';
import { fmt, report, throughput } from './lib.mjs';

const ROUNDS = 2;

/** The best rate of each of two operations over alternating rounds. */
async function alternate(classic, postQuantum, seconds) {
  let best = [0, 0];
  for (let round = 0; round < ROUNDS; round++) {
    const rates = [await throughput(classic, { seconds }), await throughput(postQuantum, { seconds })];
    best = best.map((b, i) => Math.max(b, rates[i]));
  }
  return best;
}

export async function benchPostQuantum() {
  console.log('\n== post-quantum vs classic: RSA-4096 (+ ML-KEM-768), 32-byte values ==');
  const pair = await generateKeyPair({ bits: 4096, postQuantum: true });
  const ring = await Keyring.from(JSON.stringify(keySecret(pair)));
  const value = new Uint8Array(32).fill(7);
  const target = { namespace: 'bench', name: 'secret' };

  const [sealClassic, sealPq] = await alternate(
    () => ring.seal(value, target, { classic: true }),
    () => ring.seal(value, target),
    2,
  );
  report('seal, classic', sealClassic, 'ops/s');
  report('seal, post-quantum', sealPq, 'ops/s', sealClassic / sealPq, '<= 1.3 x classic cost');

  const classicValues = await Promise.all(Array.from({ length: 64 }, () => ring.seal(value, target, { classic: true })));
  const pqValues = await Promise.all(Array.from({ length: 64 }, () => ring.seal(value, target)));
  const [unsealClassic, unsealPq] = await alternate(
    (i) => ring.open(classicValues[i % classicValues.length], target),
    (i) => ring.open(pqValues[i % pqValues.length], target),
    3,
  );
  report('unseal, classic', unsealClassic, 'ops/s');
  report('unseal, post-quantum', unsealPq, 'ops/s', unsealClassic / unsealPq, '<= 1.1 x classic cost');

  const bytes = (values) => fromBase64(values[0]).length;
  const text = (values) => values[0].length;
  console.log(
    `size per value: classic ${bytes(classicValues)} B (${text(classicValues)} base64 chars), post-quantum ${bytes(pqValues)} B (${text(pqValues)} chars): +${bytes(pqValues) - bytes(classicValues)} B, +${fmt(text(pqValues) - text(classicValues))} chars`,
  );
  return { sealClassic, sealPq, unsealClassic, unsealPq };
}
