// Fuzzing the parsers and the opener: on arbitrary input nothing throws anything but
// a SealkitError, and nothing hangs. Short runs in CI; SEALKIT_FUZZ_RUNS=100000 for long ones.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Keyring,
  SealkitError,
  generateKeyPair,
  parseCertificate,
  parseKeyMaterial,
  sealSecret,
  toBase64,
  unsealSecret,
} from '../src/index.js';
import { parsePemBlocks } from '../src/keys/pem.js';

const runs = Number(process.env.SEALKIT_FUZZ_RUNS ?? 300);

async function onlySealkitErrors(action: () => unknown): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof SealkitError)) throw error;
  }
}

let pair: { privateKeyPem: string; certificatePem: string };
let ring: Keyring;
let certificateDer: Uint8Array;
beforeAll(async () => {
  pair = await generateKeyPair({ bits: 2048 });
  ring = await Keyring.from(pair.certificatePem + pair.privateKeyPem);
  certificateDer = parsePemBlocks(pair.certificatePem)[0]!.der;
});

/** Mutations of a valid input: flips, cuts, insertions — nearer to the parser's edge cases than random bytes. */
const mutated = (original: () => Uint8Array) =>
  fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert', 'set')), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) => {
      let bytes = original().slice();
      for (const [position, value, kind] of edits) {
        const at = position % Math.max(bytes.length, 1);
        if (kind === 'flip') bytes[at]! ^= 1 << (value & 7);
        if (kind === 'set') bytes[at] = value;
        if (kind === 'cut') bytes = bytes.slice(0, at);
        if (kind === 'insert') bytes = Uint8Array.from([...bytes.slice(0, at), value, ...bytes.slice(at)]);
      }
      return bytes;
    });

describe('fuzzing', () => {
  it('parseKeyMaterial and Keyring.from on arbitrary text', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc.string().map((s) => `-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----\n`),
      fc.string().map((s) => `apiVersion: v1\nkind: Secret\nmetadata: {name: k}\ndata:\n  tls.crt: ${s}\n  tls.key: ${s}\n`),
      fc.json().map((j) => `{"kind":"List","items":[${j}]}`),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        await onlySealkitErrors(() => parseKeyMaterial(t));
        await onlySealkitErrors(() => Keyring.from(t));
      }),
      { numRuns: runs },
    );
  });

  it('parseCertificate on mutated certificates', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutated(() => certificateDer),
        async (der) => {
          await onlySealkitErrors(() => parseCertificate(der));
        },
      ),
      { numRuns: runs },
    );
  });

  it('opening arbitrary bytes and base64 text fails cleanly', async () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 2000 }).map(toBase64), fc.string({ maxLength: 600 }));
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        await expect(ring.open(value, { namespace: 'a', name: 'b' })).rejects.toBeInstanceOf(SealkitError);
      }),
      { numRuns: runs },
    );
  });

  it('unsealSecret on arbitrary objects', async () => {
    const sealedSecretLike = fc.record(
      {
        apiVersion: fc.constantFrom('bitnami.com/v1alpha1', 'v1', 42),
        kind: fc.constantFrom('SealedSecret', 'Secret'),
        metadata: fc.oneof(
          fc.record(
            { name: fc.string(), namespace: fc.string(), annotations: fc.dictionary(fc.string(), fc.string()) },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
        spec: fc.oneof(
          fc.record(
            {
              encryptedData: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.anything())),
              template: fc.anything(),
              data: fc.anything(),
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(sealedSecretLike, async (object) => {
        await onlySealkitErrors(() => unsealSecret(object, ring));
      }),
      { numRuns: runs },
    );
  });

  it('sealSecret on arbitrary objects', async () => {
    const secretLike = fc.record(
      {
        apiVersion: fc.constantFrom('v1', 'bitnami.com/v1alpha1', undefined),
        kind: fc.constantFrom('Secret', 'SealedSecret', 'List'),
        metadata: fc.oneof(
          fc.record(
            {
              name: fc.oneof(fc.string(), fc.anything()),
              namespace: fc.oneof(fc.string(), fc.anything()),
              annotations: fc.anything(),
              labels: fc.anything(),
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
        type: fc.anything(),
        data: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.base64String(), fc.string())), fc.anything()),
        stringData: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(secretLike, async (object) => {
        await onlySealkitErrors(() => sealSecret(object, pair.certificatePem));
      }),
      { numRuns: runs },
    );
  });

  it('refuses a 100 MB key text at once instead of parsing it', async () => {
    const huge = 'A'.repeat(100_000_000);
    const started = performance.now();
    await expect(Keyring.from(huge)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('larger than') });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
