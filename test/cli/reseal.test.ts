// sealkit reseal: whole directories resealed for the newest key, every other byte kept.
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring, seal } from '../../packages/core/src/index.js';
import { Sandbox, documents, makeKeyFiles, type KeyFiles } from './helpers.js';

let sandbox: Sandbox;
let old: KeyFiles;
let next: KeyFiles;
let foreign: KeyFiles;
const target = { namespace: 'prod', name: 'db' };

function sealedYaml(values: Record<string, string>, eol = '\n'): string {
  return [
    '# the database credentials (keep this comment)',
    'apiVersion: bitnami.com/v1alpha1',
    'kind: SealedSecret',
    'metadata:',
    '  name: db',
    '  namespace: prod',
    'spec:',
    '  encryptedData:',
    ...Object.entries(values).map(([key, value]) => `    ${key}: ${value}  # ${key}`),
    '  template:',
    '    metadata: {name: db, namespace: prod}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: other}',
    'data: {x: "1"}',
    '',
  ].join(eol);
}

/** Lines with the values of `keys` blanked, to compare everything else. */
const withoutValues = (text: string) => text.replace(/^( {4}\w+: )\S+/gm, '$1<value>');

async function openAll(file: string, keyring: Keyring): Promise<Record<string, string>> {
  const sealed = documents(readFileSync(file, 'utf8')).find((d) => d.kind === 'SealedSecret')!;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(sealed.spec.encryptedData as Record<string, string>)) {
    out[key] = Buffer.from((await keyring.open(value, target)).plaintext).toString();
  }
  return out;
}

beforeAll(async () => {
  sandbox = new Sandbox();
  [old, next, foreign] = await Promise.all([
    makeKeyFiles(sandbox, 'old-'),
    makeKeyFiles(sandbox, 'new-'),
    makeKeyFiles(sandbox, 'foreign-'),
  ]);
});
afterAll(() => sandbox.cleanup());

const keyArgs = () => ['--key', `${old.keyFile},${next.keyFile}`]; // bare PEM keys: the last given is the newest

describe('sealkit reseal', () => {
  it('reseals a SealedSecret whose kind is spelled with YAML or JSON escapes, as unseal reads it; other files with backslashes are left alone', async () => {
    const a = await seal(old.certificatePem, 'A', target);
    const spellings = ['"\\x53ealedSecret"', '"\\U00000053ealedSecret"', '"Sealed\\\n  Secret"'];
    const files = spellings.map((kind, i) =>
      sandbox.write(`escaped/${i}.yaml`, sealedYaml({ a }).split('---')[0]!.replace('kind: SealedSecret', `kind: ${kind}`)),
    );
    const json = JSON.stringify({
      kind: 'SealedSecret',
      apiVersion: 'bitnami.com/v1alpha1',
      metadata: { name: 'db', namespace: 'prod' },
      spec: { encryptedData: { a } },
    });
    files.push(sandbox.write('escaped/3.json', json.replace('"SealedSecret"', '"\\u0053ealedSecret"')));
    sandbox.write('escaped/template.yaml', 'data:\n  pattern: "{{ .Values.re | quote }}\\d"\n  {{- if .x }}\n');
    for (const file of files)
      expect(JSON.parse((await sandbox.run(['unseal', '--key', old.keyFile, file])).stdout).data.a).toBe(
        Buffer.from('A').toString('base64'),
      );
    const result = await sandbox.run(['reseal', ...keyArgs(), sandbox.path('escaped')]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Resealed 4 value(s) in 4 of 5 file(s)');
    for (const file of files) expect(await openAll(file, next.keyring)).toEqual({ a: 'A' });
  });

  it('reseals YAML (LF and CRLF, multi-document) and JSON files in a directory tree, changing only the values', async () => {
    const a = await seal(old.certificatePem, 'A', target);
    const b = await seal(old.certificatePem, 'B', target);
    const lf = sandbox.write('repo/apps/db.yaml', sealedYaml({ a, b }));
    const crlf = sandbox.write('repo/apps/nested/db-crlf.yml', sealedYaml({ a, b }, '\r\n'));
    const json = JSON.stringify(
      {
        kind: 'SealedSecret',
        apiVersion: 'bitnami.com/v1alpha1',
        metadata: { name: 'db', namespace: 'prod' },
        spec: { encryptedData: { a } },
      },
      null,
      4,
    );
    const jsonFile = sandbox.write('repo/db.json', json);
    sandbox.write('repo/README.md', 'not a manifest');
    sandbox.write('repo/.git/config.yaml', '{ not: [ valid');
    const before = { lf: sandbox.read('repo/apps/db.yaml'), crlf: readFileSync(crlf, 'utf8') };

    const result = await sandbox.run(['reseal', ...keyArgs(), sandbox.path('repo')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Resealed 5 value(s) in 3 of 3 file(s)');

    const lfAfter = readFileSync(lf, 'utf8');
    expect(withoutValues(lfAfter)).toBe(withoutValues(before.lf));
    expect(lfAfter).not.toContain(a);
    const crlfAfter = readFileSync(crlf, 'utf8');
    expect(crlfAfter.split('\r\n').length).toBe(before.crlf.split('\r\n').length);
    expect(withoutValues(crlfAfter)).toBe(withoutValues(before.crlf));
    // Only the newest key opens them now.
    expect(await openAll(lf, next.keyring)).toEqual({ a: 'A', b: 'B' });
    expect(await openAll(crlf, next.keyring)).toEqual({ a: 'A', b: 'B' });
    await expect(openAll(lf, old.keyring)).rejects.toThrow();
    const jsonAfter = readFileSync(jsonFile, 'utf8');
    expect(jsonAfter.replace(/"a": "[^"]+"/, '')).toBe(json.replace(/"a": "[^"]+"/, ''));
    expect(await openAll(jsonFile, next.keyring)).toEqual({ a: 'A' });

    // A second run finds everything sealed with the newest key: no byte changes.
    const again = await sandbox.run(['reseal', ...keyArgs(), sandbox.path('repo')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Resealed 0 value(s) in 0 of 3 file(s)');
    expect(again.stdout).toContain('5 value(s) already use it');
    expect(readFileSync(lf, 'utf8')).toBe(lfAfter);
    expect(readFileSync(jsonFile, 'utf8')).toBe(jsonAfter);
  });

  it("reseals kubeseal's own YAML output (read by the quick scan), LF and CRLF, keeping the file's mode and every byte but the values", async () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  a: A\n  b: B\n';
    const sealed = await sandbox.run(['--cert', old.certFile, '-o', 'yaml'], { input: secret });
    expect(sealed.code).toBe(0);
    const current = await seal(next.certificatePem, 'C', target);
    // A second document whose value the newest key already opens: it stays byte for byte.
    const lf = `# keep me\n${sealed.stdout}${sealed.stdout.replace(/^( {4}a: )\S+/m, `$1${current}`).replace(/^ {4}b: .*\n/m, '')}`;
    const originals = [lf, lf.replace(/\n/g, '\r\n')];
    const files = [sandbox.write('kubeseal/lf.yaml', originals[0]!), sandbox.write('kubeseal/crlf.yaml', originals[1]!)];
    chmodSync(files[1]!, 0o640);
    const result = await sandbox.run(['reseal', ...keyArgs(), sandbox.path('kubeseal')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Resealed 4 value(s) in 2 of 2 file(s)');
    expect(result.stdout).toContain('2 value(s) already use it');
    for (const [index, file] of files.entries()) {
      const after = readFileSync(file, 'utf8');
      expect(withoutValues(after)).toBe(withoutValues(originals[index]!));
      expect(after).toContain(current);
      const [first] = documents(after).filter((d) => d.kind === 'SealedSecret');
      const opened: Record<string, string> = {};
      for (const [key, value] of Object.entries(first!.spec.encryptedData as Record<string, string>))
        opened[key] = Buffer.from((await next.keyring.open(value, target)).plaintext).toString();
      expect(opened).toEqual({ a: 'A', b: 'B' });
    }
    expect(statSync(files[1]!).mode & 0o777).toBe(0o640);
  });

  it('leaves values already sealed with the newest key byte-identical and reseals the others (--cert names the newest)', async () => {
    const current = await seal(next.certificatePem, 'current', target);
    const stale = await seal(old.certificatePem, 'stale', target);
    const file = sandbox.write('mixed.yaml', sealedYaml({ current, stale }));
    const result = await sandbox.run(['reseal', '--key', `${next.keyFile},${old.keyFile}`, '--cert', next.certFile, file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Resealed 1 value(s) in 1 of 1 file(s)');
    const after = sandbox.read('mixed.yaml');
    expect(after).toContain(`    current: ${current}  # current`);
    expect(after).not.toContain(stale);
    expect(await openAll(file, next.keyring)).toEqual({ current: 'current', stale: 'stale' });
  });

  it("a profile's certificate is the newest one to reseal for", async () => {
    const file = sandbox.write('profiled.yaml', sealedYaml({ a: await seal(old.certificatePem, 'A', target) }));
    sandbox.write('sealkit/profiles.yaml', `profiles:\n  next:\n    cert: ${next.certFile}\n`);
    try {
      const result = await sandbox.run(['reseal', '--key', old.keyFile, '--profile', 'next', file]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`for key ${next.keyring.fingerprints[0]}`);
      expect(await openAll(file, next.keyring)).toEqual({ a: 'A' });
    } finally {
      rmSync(sandbox.path('sealkit/profiles.yaml'));
    }
  });

  it('--dry-run says what would change and writes nothing', async () => {
    const text = sealedYaml({ a: await seal(old.certificatePem, 'A', target) });
    const file = sandbox.write('dry/db.yaml', text);
    const result = await sandbox.run(['reseal', ...keyArgs(), '--dry-run', sandbox.path('dry')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`would reseal 1 value(s) in ${file}`);
    expect(result.stdout).toContain('Would reseal 1 value(s) in 1 of 1 file(s)');
    expect(sandbox.read('dry/db.yaml')).toBe(text);
  });

  it('reports values it cannot open per file, never the value, exits 1, and still reseals the rest', async () => {
    const secretValue = 'do-not-print-me';
    const alien = await seal(foreign.certificatePem, secretValue, target);
    const good = await seal(old.certificatePem, 'good', target);
    const file = sandbox.write('bad/db.yaml', sealedYaml({ alien, good }));
    sandbox.write('bad/broken.yaml', 'kind: SealedSecret\nspec: [unclosed\n');
    const result = await sandbox.run(['reseal', ...keyArgs(), sandbox.path('bad')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Could not reseal in 2 file\(s\)/);
    expect(result.stdout).toContain(`${file}: SealedSecret "prod/db" key "alien": none of the 2 private key(s) opens this value`);
    expect(result.stdout).toMatch(/broken\.yaml: the file .* is not valid YAML/);
    expect(result.stdout + result.stderr).not.toContain(secretValue);
    expect(result.stdout + result.stderr).not.toContain(alien);
    const after = sandbox.read('bad/db.yaml');
    expect(after).toContain(`    alien: ${alien}  # alien`);
    expect(after).not.toContain(good);
  });

  it('is a usage error (exit 2) without paths, with a missing path, or with no keys', async () => {
    expect((await sandbox.run(['reseal'])).code).not.toBe(0);
    const missing = await sandbox.run(['reseal', ...keyArgs(), sandbox.path('nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    const noKeys = await sandbox.run(['reseal', sandbox.path('dry')]);
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(/No keys to open/);
  });
});
