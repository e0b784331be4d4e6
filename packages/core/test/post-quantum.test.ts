// The post-quantum format (format/post-quantum.ts) under the same properties as the classic one, and
// what is particular to it: a value opens only with both keys and only as what it is.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Keyring,
  SealkitError,
  fromBase64,
  generateKeyPair,
  keySecret,
  parseKeyMaterial,
  sealSecret,
  inspectSealed,
  toBase64,
  unsealSecret,
  type KeyMaterial,
  type Target,
} from '../src/index.js';
import { parseCertificate } from '../src/keys/certificate.js';
import { parsePemBlocks } from '../src/keys/pem.js';

type Pair = Awaited<ReturnType<typeof generateKeyPair>>;
let a: Pair; // the key values are sealed to
let b: Pair; // another post-quantum key
let ring: Keyring; // a's key Secret: RSA key and ML-KEM seed
let certOnly: Keyring;
const strict: Target = { namespace: 'default', name: 'mysecret' };

const backup = (pair: Pair) => JSON.stringify(keySecret({ ...pair }));
/** The key material of one pair with the ML-KEM half of another: for wrong-key cases the public API cannot make. */
const mixed = (rsa: Pair, mlkem: Pair): KeyMaterial => ({
  ...parseKeyMaterial(rsa.privateKeyPem)[0]!,
  certificate: parseKeyMaterial(mlkem.certificatePem)[0]!.certificate,
  mlkemSeed: mlkem.mlkemSeed,
});

beforeAll(async () => {
  [a, b] = await Promise.all([generateKeyPair({ bits: 2048, postQuantum: true }), generateKeyPair({ bits: 2048, postQuantum: true })]);
  ring = await Keyring.from(backup(a));
  certOnly = await Keyring.from(a.certificatePem);
});

const dnsName = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,30}[a-z0-9])?$/);
const target: fc.Arbitrary<Target> = fc.record({
  namespace: dnsName,
  name: dnsName,
  scope: fc.constantFrom('strict', 'namespace-wide', 'cluster-wide'),
});
const labelOf = (t: Target) => (t.scope === 'cluster-wide' ? '' : t.scope === 'namespace-wide' ? t.namespace : `${t.namespace}/${t.name}`);
const rsaEnd = (value: Uint8Array) => 5 + ((value[3]! << 8) | value[4]!);

describe('post-quantum keys', () => {
  it('generateKeyPair puts the ML-KEM key into a non-critical certificate extension and returns its 64-byte seed', () => {
    expect(a.mlkemSeed).toHaveLength(64);
    const info = parseCertificate(parsePemBlocks(a.certificatePem)[0]!.der);
    expect(info.mlkemEncapsulationKey).toHaveLength(1184);
    expect(ring.keys[0]).toMatchObject({ postQuantum: true, canOpen: true });
  });

  it("refuses a certificate whose ML-KEM key fails FIPS 203's modulus check with a typed error (never noble's plain one at sealing)", () => {
    const der = parsePemBlocks(a.certificatePem)[0]!.der.slice();
    const key = parseCertificate(der).mlkemEncapsulationKey!;
    const at = Buffer.from(der).indexOf(Buffer.from(key));
    der.fill(0xff, at, at + 3); // one coefficient of 0xfff >= q
    expect(() => parseCertificate(der)).toThrow(
      expect.objectContaining({ code: 'bad-key', message: expect.stringMatching(/modulus check/) }),
    );
  });

  it('refuses a seed for another ML-KEM key than the one the key already seals to (a second certificate of the same RSA key)', async () => {
    const sealsToA: KeyMaterial = {
      ...parseKeyMaterial(a.privateKeyPem)[0]!,
      certificate: parseKeyMaterial(a.certificatePem)[0]!.certificate,
    };
    await expect(new Keyring().add(sealsToA, mixed(a, b))).rejects.toMatchObject({
      code: 'bad-key',
      message: expect.stringMatching(/different ML-KEM keys/),
    });
    expect((await new Keyring().add(sealsToA, backup(a))).keys[0]).toMatchObject({ postQuantum: true, canOpen: true });
  });

  it('a classic key pair has no extension and seals classic values', async () => {
    const classic = await generateKeyPair({ bits: 2048 });
    expect(classic.mlkemSeed).toBeUndefined();
    const keyring = await Keyring.from(classic.certificatePem);
    expect(keyring.keys[0]!.postQuantum).toBe(false);
    expect(inspectSealed(await keyring.seal('x', strict)).format).toBe('classic');
  });

  it('the key Secret carries the seed as mlkem768.seed, and a backup without it cannot open post-quantum values', async () => {
    const secret = keySecret({ ...a });
    expect(Object.keys(secret.data!).sort()).toEqual(['mlkem768.seed', 'tls.crt', 'tls.key']);
    const sealed = await certOnly.seal('x', strict);
    const { 'mlkem768.seed': _, ...classicData } = secret.data!;
    const withoutSeed = await Keyring.from(JSON.stringify({ ...secret, data: classicData }));
    await expect(withoutSeed.open(sealed, strict)).rejects.toThrow(/without its ML-KEM key.*mlkem768\.seed/);
  });

  it("refuses a seed that is not the certificate's, and a seed without a post-quantum certificate", async () => {
    const wrongSeed = JSON.stringify(keySecret({ ...a, mlkemSeed: b.mlkemSeed }));
    await expect(Keyring.from(wrongSeed)).rejects.toThrow(/does not belong to its certificate/);
    const classic = await generateKeyPair({ bits: 2048 });
    const orphan = JSON.stringify(keySecret({ ...classic, mlkemSeed: a.mlkemSeed }));
    expect(() => parseKeyMaterial(orphan)).toThrow(/ML-KEM seed but no post-quantum certificate/);
    const short = JSON.stringify(keySecret({ ...a, mlkemSeed: a.mlkemSeed!.subarray(0, 32) }));
    await expect(Keyring.from(short)).rejects.toThrow(/32 bytes; an ML-KEM-768 seed is 64/);
  });
});

describe('post-quantum sealing properties', () => {
  it('round-trips any plaintext for any target, sealed with the certificate alone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), target, async (bytes, t) => {
        const sealed = await certOnly.seal(bytes, t);
        expect(inspectSealed(sealed).format).toBe('post-quantum');
        expect(fromBase64(sealed)).toHaveLength(5 + 256 + 1088 + bytes.length + 16);
        expect(Buffer.from((await ring.open(sealed, t)).plaintext).equals(bytes)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('classic: true seals Bitnami format with the same certificate, which still opens', async () => {
    const sealed = await certOnly.seal('classic', strict, { classic: true });
    expect(inspectSealed(sealed).format).toBe('classic');
    expect(new TextDecoder().decode((await ring.open(sealed, strict)).plaintext)).toBe('classic');
  });

  it('rejects a value with any single bit flipped (every header bit, and a sample of the rest)', async () => {
    const sealed = fromBase64(await certOnly.seal('s3cr3t value', strict));
    const flip = async (bit: number) => {
      const tampered = sealed.slice();
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      await expect(ring.open(tampered, strict)).rejects.toBeInstanceOf(SealkitError);
    };
    for (let bit = 0; bit < 5 * 8; bit++) await flip(bit);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 40, max: sealed.length * 8 - 1 }), flip), { numRuns: 150 });
  });

  it('rejects every truncation', async () => {
    const sealed = fromBase64(await certOnly.seal('s3cr3t value', strict));
    for (let length = 0; length < sealed.length; length++) {
      await expect(ring.open(sealed.subarray(0, length), strict)).rejects.toBeInstanceOf(SealkitError);
    }
  });

  it('never opens a value sealed for one target as another', async () => {
    await fc.assert(
      fc.asyncProperty(target, target, async (sealedFor, openedAs) => {
        fc.pre(labelOf(sealedFor) !== labelOf(openedAs));
        const sealed = await certOnly.seal('only for its target', sealedFor);
        await expect(ring.open(sealed, openedAs)).rejects.toMatchObject({ code: 'no-key' });
      }),
      { numRuns: 40 },
    );
  });

  it('needs both keys: the wrong RSA key with the right ML-KEM key, or the reverse, opens nothing', async () => {
    const sealed = await certOnly.seal('both keys', strict);
    const wrongRsa = await new Keyring().add(mixed(b, a));
    await expect(wrongRsa.open(sealed, strict)).rejects.toMatchObject({ code: 'no-key' });
    const wrongMlkem = await new Keyring().add(mixed(a, b));
    await expect(wrongMlkem.open(sealed, strict)).rejects.toMatchObject({ code: 'decrypt-failed' });
    await expect((await Keyring.from(backup(b))).open(sealed, strict)).rejects.toMatchObject({ code: 'no-key' });
  });

  it('rejects a value whose ML-KEM part, or RSA part, was swapped from another value for the same target', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('rsa', 'kem'), target, async (part, t) => {
        const one = fromBase64(await certOnly.seal('one', t));
        const other = fromBase64(await certOnly.seal('two', t));
        const [start, end] = part === 'rsa' ? [5, rsaEnd(one)] : [rsaEnd(one), rsaEnd(one) + 1088];
        one.set(other.subarray(start, end), start);
        await expect(ring.open(one, t)).rejects.toMatchObject({ code: 'decrypt-failed' });
      }),
      { numRuns: 12 },
    );
  });

  it('refuses unknown versions with an error that names the version', async () => {
    const sealed = fromBase64(await certOnly.seal('v', strict));
    for (const version of [0, 2, 255]) {
      sealed[2] = version;
      await expect(ring.open(sealed, strict)).rejects.toThrow(`post-quantum format version ${version}, which this sealkit cannot open`);
      expect(() => inspectSealed(sealed)).toThrow(expect.objectContaining({ code: 'unknown-format' }));
    }
  });
});

describe('classic and post-quantum values cannot be confused', () => {
  it('a post-quantum value read as classic (its header stripped) opens nothing', async () => {
    const sealed = fromBase64(await certOnly.seal('pq', strict));
    // uint16BE(len R) || R || C || A: a well-formed classic value whose R opens with the right key and label.
    await expect(ring.open(sealed.subarray(3), strict)).rejects.toMatchObject({ code: 'decrypt-failed' });
  });

  it('a classic value dressed as post-quantum (header, and an ML-KEM part from a real value) opens nothing', async () => {
    const classic = fromBase64(await certOnly.seal('classic', strict, { classic: true }));
    const pq = fromBase64(await certOnly.seal('pq', strict));
    const r = classic.subarray(2, 2 + 256);
    const dressed = Buffer.concat([Uint8Array.of(0, 0, 1, 1, 0), r, pq.subarray(rsaEnd(pq), rsaEnd(pq) + 1088), classic.subarray(258)]);
    await expect(ring.open(dressed, strict)).rejects.toMatchObject({ code: 'decrypt-failed' });
  });

  it('a classic value never starts with two zero bytes, so it is never read as post-quantum', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (bytes) => {
        const sealed = fromBase64(await certOnly.seal(bytes, strict, { classic: true }));
        expect([sealed[0], sealed[1]]).not.toEqual([0, 0]);
        expect(inspectSealed(sealed)).toEqual({ format: 'classic', rsaBytes: 256 });
      }),
      { numRuns: 20 },
    );
  });
});

describe('SealedSecrets', () => {
  it('sealSecret seals post-quantum with a post-quantum certificate unless classic, and unsealSecret opens both', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'prod' }, stringData: { a: '1', b: '2' } };
    for (const classic of [false, true]) {
      const sealed = await sealSecret(secret, a.certificatePem, { classic });
      for (const value of Object.values(sealed.spec.encryptedData))
        expect(inspectSealed(value).format).toBe(classic ? 'classic' : 'post-quantum');
      const opened = await unsealSecret(sealed, ring);
      expect(opened.data).toEqual({ a: toBase64(Buffer.from('1')), b: toBase64(Buffer.from('2')) });
    }
  });
});

describe('hostile post-quantum values', () => {
  it('refuses any bytes after a post-quantum header with a typed error, quickly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 3000 }), async (version, rest) => {
        const value = Buffer.concat([Uint8Array.of(0, 0, version), rest]);
        const started = performance.now();
        await expect(ring.open(value, strict)).rejects.toBeInstanceOf(SealkitError);
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 100 },
    );
  });
});
