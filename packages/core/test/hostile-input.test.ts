// Issue 12, the low items in core: a linear PEM parser, typed errors for keys WebCrypto
// cannot use, names escaped in every message, no key named that may be a value, and a
// namespace that YAML 1.1 made a boolean refused instead of defaulted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, parsePemBlocks, quoteName, sealSecret, SealkitError, unsealSecret } from '../src/index.js';
import { publicKeyFromPkcs1 } from '../src/keys/rsa-keys.js';
import { checkNestingDepth } from '../src/manifest/index.js';

function errorOf(run: () => unknown): SealkitError {
  try {
    run();
  } catch (error) {
    if (error instanceof SealkitError) return error;
    throw error;
  }
  throw new Error('no error');
}

async function rejectionOf(run: () => Promise<unknown>): Promise<SealkitError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof SealkitError) return error;
    throw error;
  }
  throw new Error('no error');
}

/** DER of an RSAPublicKey (PKCS#1) with the given modulus bytes and exponent 65537. */
function pkcs1(modulus: Uint8Array): Uint8Array {
  const length = (n: number) =>
    n < 128 ? [n] : n < 256 ? [0x81, n] : n < 65536 ? [0x82, n >> 8, n & 255] : [0x83, n >> 16, (n >> 8) & 255, n & 255];
  const integer = (bytes: Uint8Array) => [0x02, ...length(bytes.length), ...bytes];
  const body = [...integer(Uint8Array.of(0, ...modulus)), ...integer(Uint8Array.of(1, 0, 1))];
  return Uint8Array.from([0x30, ...length(body.length), ...body]);
}

describe('the PEM parser', () => {
  it('is linear in unclosed BEGIN lines, of one label or of many', () => {
    for (const text of [
      '-----BEGIN A-----\n'.repeat(64_000),
      Array.from({ length: 60_000 }, (_, i) => `-----BEGIN A${i}-----\n`).join(''),
    ]) {
      const started = performance.now();
      expect(parsePemBlocks(text)).toEqual([]);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('reads blocks as the regex it replaces did (BEGIN…the next END of the label)', () => {
    const OLD = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
    const outcome = (run: () => { type: string; der: Uint8Array }[]) => {
      try {
        return run().map(({ type, der }) => `${type}:${Buffer.from(der).toString('hex')}`);
      } catch (error) {
        return error instanceof SealkitError ? 'refused' : String(error);
      }
    };
    const regexBlocks = (text: string) =>
      [...text.matchAll(OLD)].map((m) => {
        const base64 = m[2]!.replace(/\s+/g, '');
        if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64))
          throw new SealkitError('bad-input', 'bad base64');
        return { type: m[1]!, der: Uint8Array.from(Buffer.from(base64, 'base64')) };
      });
    const piece = fc.constantFrom(
      '-----BEGIN A-----',
      '-----END A-----',
      '-----BEGIN B-----',
      '-----END B-----',
      'AQ==',
      'Ag==',
      '\n',
      'x',
      '-----BEGIN A B-----',
      '-----END A B-----',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join('');
        expect(outcome(() => parsePemBlocks(text))).toEqual(outcome(() => regexBlocks(text)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('RSA keys WebCrypto cannot use', () => {
  it('refuses a modulus over 16,384 bits and an even one with a typed error', () => {
    const huge = new Uint8Array(2049).fill(0xff);
    expect(errorOf(() => publicKeyFromPkcs1(pkcs1(huge))).message).toBe(
      'The RSA public key has a 16392-bit RSA modulus; keys of at most 16384 bits are supported.',
    );
    const even = new Uint8Array(256).fill(0xff);
    even[255] = 0xfe;
    expect(errorOf(() => publicKeyFromPkcs1(pkcs1(even))).message).toBe(
      'The RSA public key has an even RSA modulus, which no RSA key has.',
    );
  });
});

describe('names in messages', () => {
  it('escapes control, line-break and direction characters', () => {
    expect(quoteName('a\u001b[31m\n\u009b\u202e\u2028b"')).toBe('"a\\u001b[31m\\n\\u009b\\u202e\\u2028b\\""');
  });

  it('escapes metadata names in core messages (describe)', async () => {
    const { certificatePem, privateKeyPem } = await generateKeyPair({ bits: 2048 });
    const sealed = {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: '\u001b[2Jx', namespace: '\u001b]0;t\u0007' },
      spec: { encryptedData: { a: 'AgBB' } },
    };
    const error = await rejectionOf(() => unsealSecret(sealed, certificatePem + privateKeyPem));
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(error.message).toContain('SealedSecret \\u001b]0;t\\u0007/\\u001b[2Jx');
    const noData = await rejectionOf(() =>
      sealSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: '\u001b[31mred', namespace: 'n' } }, certificatePem),
    );
    expect(noData.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('what the input held', () => {
  it('names no key of an entry without a value: the value may be in the key', async () => {
    const { certificatePem } = await generateKeyPair({ bits: 2048 });
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'n' },
      stringData: { user: 'admin', S3cret: null },
    };
    const error = await rejectionOf(() => sealSecret(secret, certificatePem));
    expect(error.message).toBe(
      'The stringData of Secret n/s has an entry with no value; if a ": " is missing between a key and its value, add it.',
    );
  });

  it('refuses a namespace that is not text (false, 0: YAML 1.1 reads n as false)', async () => {
    const { certificatePem } = await generateKeyPair({ bits: 2048 });
    for (const namespace of [false, 0]) {
      const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace }, stringData: { a: 'b' } };
      expect((await rejectionOf(() => sealSecret(secret, certificatePem))).message).toMatch(
        /^The Secret "s" has a malformed metadata\.namespace; it must be text/,
      );
    }
  });

  it('refuses JSON nested a million deep before anything recurses into it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = { a: deep };
    expect(errorOf(() => checkNestingDepth(deep, 'input')).message).toBe(
      'The input has lists or mappings nested more than 500 deep, more than any manifest needs.',
    );
    expect(() => checkNestingDepth({ a: [{ b: 1 }] }, 'input')).not.toThrow();
  });
});
