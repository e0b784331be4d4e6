// Property tests: round trips for any plaintext and target; tampering and wrong targets always rejected.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Keyring, SealkitError, fromBase64, generateKeyPair, toBase64, type Target } from '../src/index.js';

let ring: Keyring;
beforeAll(async () => {
  const pair = await generateKeyPair({ bits: 2048 });
  ring = await Keyring.from(pair.certificatePem + pair.privateKeyPem);
});

// Kubernetes names: DNS labels/subdomains, never containing '/' (which would make labels ambiguous).
const dnsName = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,30}[a-z0-9])?$/);
const target: fc.Arbitrary<Target> = fc.record({
  namespace: dnsName,
  name: dnsName,
  scope: fc.constantFrom('strict', 'namespace-wide', 'cluster-wide'),
});

/** Deterministic pseudo-random bytes, so large plaintexts are cheap to generate and shrink by length. */
function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
const plaintext = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(fc.integer({ min: 0, max: 1 << 20 }), fc.integer()).map(([n, seed]) => bytesOf(n, seed)),
);

const labelOf = (t: Target) => (t.scope === 'cluster-wide' ? '' : t.scope === 'namespace-wide' ? t.namespace : `${t.namespace}/${t.name}`);

describe('sealing properties', () => {
  it('round-trips any plaintext from 0 B to 1 MiB for any target', async () => {
    await fc.assert(
      fc.asyncProperty(plaintext, target, async (bytes, t) => {
        const sealed = await ring.seal(bytes, t);
        expect(sealed).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        // Buffer.equals: vitest's deep equality is slow on MiB arrays.
        expect(Buffer.from((await ring.open(sealed, t)).plaintext).equals(bytes)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects a value with any single bit flipped', async () => {
    const t: Target = { namespace: 'default', name: 'mysecret' };
    const sealed = fromBase64(await ring.seal('s3cr3t value', t));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: sealed.length * 8 - 1 }), async (bit) => {
        const tampered = sealed.slice();
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        await expect(ring.open(toBase64(tampered), t)).rejects.toBeInstanceOf(SealkitError);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects any truncation', async () => {
    const t: Target = { namespace: 'default', name: 'mysecret' };
    const sealed = fromBase64(await ring.seal('s3cr3t value', t));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: sealed.length - 1 }), async (length) => {
        await expect(ring.open(sealed.subarray(0, length), t)).rejects.toBeInstanceOf(SealkitError);
      }),
      { numRuns: 100 },
    );
  });

  it('never opens a value sealed for one target as another', async () => {
    await fc.assert(
      fc.asyncProperty(target, target, async (sealedFor, openedAs) => {
        fc.pre(labelOf(sealedFor) !== labelOf(openedAs));
        const sealed = await ring.seal('only for its target', sealedFor);
        await expect(ring.open(sealed, openedAs)).rejects.toMatchObject({ code: 'no-key' });
      }),
      { numRuns: 60 },
    );
  });
});
