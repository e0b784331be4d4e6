// sealkit's post-quantum format against an independent implementation: test/pq-oracle, Go's
// standard library alone (crypto/mlkem, crypto/rsa, crypto/hkdf, crypto/x509). Each side opens
// what the other sealed, in every scope; each refuses the other's values under a wrong label.
// Bitnami's kubeseal seals (classic) with a post-quantum certificate. Skipped with a reason
// without the Go-built binaries; required in CI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { referencePath, referenceSkipReason } from '../../../test/reference/binaries.js';
import { Keyring, fromBase64, generateKeyPair, keySecret, labelText, inspectSealed, toBase64, type Target } from '../src/index.js';
import { MLKEM768_EXTENSION_OID_TEXT } from '../src/keys/mlkem-key.js';

const skip = referenceSkipReason('pq-oracle', 'kubeseal');

interface GoCase {
  op: 'seal' | 'open';
  label: string;
  data: string; // base64
}
interface GoResponse {
  extensionOid: string;
  results: { data?: string; error?: string }[];
}

function goOracle(request: { certificatePem?: string; privateKeyPem?: string; mlkemSeed?: string; cases: GoCase[] }): GoResponse {
  const run = spawnSync(referencePath('pq-oracle'), { input: JSON.stringify(request), maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`pq-oracle failed: ${run.stderr.toString()}`);
  return JSON.parse(run.stdout.toString()) as GoResponse;
}

const targets: Target[] = [
  { namespace: 'prod', name: 'db', scope: 'strict' },
  { namespace: 'prod', scope: 'namespace-wide' },
  { scope: 'cluster-wide' },
];
const plaintexts = [
  new Uint8Array(0),
  Uint8Array.of(0),
  new TextEncoder().encode('s3cr3t ünïcödé'),
  Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) & 0xff),
];

let pair: Awaited<ReturnType<typeof generateKeyPair>>;
let ring: Keyring;
beforeAll(async () => {
  pair = await generateKeyPair({ bits: 2048, postQuantum: true });
  ring = await Keyring.from(JSON.stringify(keySecret({ ...pair })));
});

describe.skipIf(skip)('post-quantum values against Go (crypto/mlkem)', () => {
  it('Go opens every value sealkit sealed, in all three scopes', async () => {
    const cases: GoCase[] = [];
    for (const target of targets)
      for (const plaintext of plaintexts) {
        const sealed = await ring.seal(plaintext, target);
        expect(inspectSealed(sealed).format).toBe('post-quantum');
        cases.push({ op: 'open', label: labelText(target), data: sealed });
      }
    const { results } = goOracle({ privateKeyPem: pair.privateKeyPem, mlkemSeed: toBase64(pair.mlkemSeed!), cases });
    results.forEach((result, i) => {
      expect(result.error).toBeUndefined();
      expect(Buffer.from(result.data ?? '', 'base64').equals(plaintexts[i % plaintexts.length]!)).toBe(true);
    });
  });

  it('sealkit opens every value Go sealed with the certificate alone, in all three scopes', async () => {
    const cases: GoCase[] = targets.flatMap((target) =>
      plaintexts.map((p) => ({ op: 'seal' as const, label: labelText(target), data: toBase64(p) })),
    );
    const { results, extensionOid } = goOracle({ certificatePem: pair.certificatePem, cases });
    expect(extensionOid).toBe(MLKEM768_EXTENSION_OID_TEXT);
    for (const [i, result] of results.entries()) {
      expect(result.error).toBeUndefined();
      const target = targets[Math.floor(i / plaintexts.length)]!;
      const opened = await ring.open(result.data!, target);
      expect(Buffer.from(opened.plaintext).equals(plaintexts[i % plaintexts.length]!)).toBe(true);
    }
  });

  it('each refuses the other under a wrong scope label', async () => {
    const strict = targets[0]!;
    const wrong: Target = { namespace: 'prod', name: 'other' };
    const ours = await ring.seal('x', strict);
    const { results } = goOracle({
      privateKeyPem: pair.privateKeyPem,
      mlkemSeed: toBase64(pair.mlkemSeed!),
      cases: [{ op: 'open', label: labelText(wrong), data: ours }],
    });
    expect(results[0]!.error).toBeDefined();
    const theirs = goOracle({
      certificatePem: pair.certificatePem,
      cases: [{ op: 'seal', label: labelText(strict), data: toBase64(Uint8Array.of(1)) }],
    });
    await expect(ring.open(theirs.results[0]!.data!, wrong)).rejects.toMatchObject({ code: 'no-key' });
  });

  it('Go refuses a value whose ML-KEM part was swapped from another value', async () => {
    const target = targets[0]!;
    const a = fromBase64(await ring.seal('a', target));
    const b = fromBase64(await ring.seal('b', target));
    const rsaEnd = 5 + ((a[3]! << 8) | a[4]!);
    a.set(b.subarray(rsaEnd, rsaEnd + 1088), rsaEnd);
    const { results } = goOracle({
      privateKeyPem: pair.privateKeyPem,
      mlkemSeed: toBase64(pair.mlkemSeed!),
      cases: [{ op: 'open', label: labelText(target), data: toBase64(a) }],
    });
    expect(results[0]!.error).toMatch(/authentication failed/);
  });

  it("kubeseal accepts the post-quantum certificate (it ignores the extension) and seals Bitnami's format", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sealkit-pq-'));
    try {
      writeFileSync(join(dir, 'cert.pem'), pair.certificatePem);
      const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  password: hunter2\n';
      const run = spawnSync(referencePath('kubeseal'), ['--cert', join(dir, 'cert.pem'), '-o', 'json'], { input: secret });
      expect(run.stderr.toString()).toBe('');
      const sealed = JSON.parse(run.stdout.toString()) as { spec: { encryptedData: { password: string } } };
      expect(inspectSealed(sealed.spec.encryptedData.password).format).toBe('classic');
      const opened = await ring.open(sealed.spec.encryptedData.password, targets[0]!);
      expect(new TextDecoder().decode(opened.plaintext)).toBe('hunter2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
