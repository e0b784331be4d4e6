// Large SealedSecrets: the commands that rewrite values in place (diff --textconv, reseal) are linear in the file,
// and a value repeated in another document does not stop them.
import { MAX_DATA_ENTRIES, parseSource } from '@sealkit/core/manifest';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealingKeyring, type Keyring } from '../../packages/core/src/index.js';
import { valueSplices } from '../../packages/cli/src/seal/sealed-values.js';
import { applySplices } from '../../packages/cli/src/output/yaml-edit.js';
import { Sandbox, documents, makeKeyFiles, type KeyFiles } from './helpers.js';

let sandbox: Sandbox;
let old: KeyFiles;
let next: KeyFiles;
beforeAll(async () => {
  sandbox = new Sandbox();
  [old, next] = await Promise.all([makeKeyFiles(sandbox, 'old-'), makeKeyFiles(sandbox, 'new-')]);
});
afterAll(() => sandbox.cleanup());

const target = { namespace: 'prod', name: 'db' };
const fakeValues = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, randomBytes(40).toString('base64')]));

function sealedJson(values: Record<string, string>, name = 'db', annotations?: Record<string, string>): string {
  const metadata = { name, namespace: 'prod', ...(annotations && { annotations }) };
  return JSON.stringify({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata, spec: { encryptedData: values } }, null, 2);
}

function sealedYaml(values: Record<string, string>): string {
  const lines = Object.entries(values).map(([key, value]) => `    ${key}: ${value}\n`);
  return `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\n  namespace: prod\nspec:\n  encryptedData:\n${lines.join('')}`;
}

async function timed<T>(run: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const result = await run();
  return [result, performance.now() - start];
}

describe('values replaced in place, in large files', () => {
  it('10,000 values (the most one object may have) in JSON and in YAML get their splices in well under a second', async () => {
    // Before: one scan of the whole text per value, and the text copied once per splice (60,000 values: over two minutes).
    for (const source of [sealedJson(fakeValues(MAX_DATA_ENTRIES)), sealedYaml(fakeValues(MAX_DATA_ENTRIES))]) {
      const [document] = parseSource(source, 'file').documents;
      const values = Object.entries((document!.value as any).spec.encryptedData as Record<string, string>);
      const replacements = new Map(values.map(([key], i) => [key, `new${i}`]));
      const [out, ms] = await timed(() => applySplices(source, valueSplices(source, document!, replacements)));
      expect(ms).toBeLessThan(1000);
      const written = (parseSource(out, 'file').documents[0]!.value as any).spec.encryptedData as Record<string, string>;
      expect(Object.values(written)).toEqual(values.map((_, i) => `new${i}`));
    }
  });

  it('diff --textconv of a 10,000-value JSON file and YAML file finishes within a few seconds', async () => {
    for (const [name, text, count] of [
      ['big.json', sealedJson(fakeValues(MAX_DATA_ENTRIES)), MAX_DATA_ENTRIES],
      ['big.yaml', sealedYaml(fakeValues(MAX_DATA_ENTRIES)), MAX_DATA_ENTRIES],
    ] as const) {
      const file = sandbox.write(name, text);
      const [result, ms] = await timed(() => sandbox.run(['diff', '--textconv', file]));
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.match(/sealkit-sealed:[0-9a-f]{16}/g)).toHaveLength(count);
      expect(ms).toBeLessThan(5000);
    }
  }, 20_000);

  it('reseal rewrites 3,000 values of one JSON document within the time of its RSA work', async () => {
    const sealer: Keyring = await sealingKeyring(old.certificatePem);
    const values: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) values[`k${i}`] = await sealer.seal(`v${i}`, target);
    const file = sandbox.write('many.json', sealedJson(values));
    const [result, ms] = await timed(() =>
      sandbox.run(['reseal', file, '--key', old.keyFile, '--key', next.keyFile, '--cert', next.certFile]),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Resealed 3000 value(s) in 1 of 1 file(s)');
    const resealed = JSON.parse(sandbox.read('many.json')).spec.encryptedData as Record<string, string>;
    expect(Buffer.from((await next.keyring.open(resealed.k2999!, target)).plaintext).toString()).toBe('v2999');
    expect(ms).toBeLessThan(10_000); // about 1.5 ms of RSA a value on one core
  }, 30_000);

  it('two JSON documents sharing a value (cluster-wide) are both resealed and both shown by textconv', async () => {
    const clusterWide = { 'sealedsecrets.bitnami.com/cluster-wide': 'true' };
    const shared = await (await sealingKeyring(old.certificatePem)).seal('same', { scope: 'cluster-wide' });
    const file = sandbox.write(
      'shared.json',
      `${sealedJson({ a: shared }, 'one', clusterWide)}\n${sealedJson({ a: shared }, 'two', clusterWide)}\n`,
    );
    const textconv = await sandbox.run(['diff', '--textconv', file]);
    expect(textconv).toMatchObject({ code: 0, stderr: '' });
    expect(textconv.stdout.match(/sealkit-sealed:/g)).toHaveLength(2);
    const result = await sandbox.run(['reseal', file, '--key', old.keyFile, '--key', next.keyFile, '--cert', next.certFile]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('Resealed 2 value(s) in 1 of 1 file(s)');
    for (const document of documents(sandbox.read('shared.json'))) {
      expect(Buffer.from((await next.keyring.open(document.spec.encryptedData.a, { scope: 'cluster-wide' })).plaintext).toString()).toBe(
        'same',
      );
    }
  });
});
