// --merge-into: new keys sealed into an existing file in place; everything else keeps its bytes.
import { beforeAll, describe, expect, it } from 'vitest';
import { seal, unsealSecret } from '../../packages/core/src/index.js';
import { decode, documents, secretYaml, useSandboxWithKeys } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();
let existing: { a: string; z: string };

beforeAll(async () => {
  const target = { namespace: 'prod', name: 'app' };
  existing = { a: await seal(keys.certificatePem, 'A', target), z: await seal(keys.certificatePem, 'Z', target) };
});

function yamlFile(): string {
  return [
    '# Managed by the platform team. Do not reorder.',
    'apiVersion: bitnami.com/v1alpha1',
    'kind: SealedSecret',
    'metadata:',
    '  name: app',
    '  namespace: prod',
    'spec:',
    '  encryptedData:',
    `    a: ${existing.a} # first`,
    `    z: ${existing.z}`,
    '  template:',
    '    metadata:',
    '      name: app',
    '      namespace: prod',
    '      labels:',
    "        team: 'payments'",
    '---',
    '# another document, untouched',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: cfg}',
    'data: {x: "1"}',
    '',
  ].join('\n');
}

const linesWithout = (text: string, prefix: RegExp) => text.split('\n').filter((line) => !prefix.test(line));

describe('--merge-into', () => {
  it('adds and replaces keys in a YAML file, leaving comments, other keys and other documents byte-identical', async () => {
    const before = yamlFile();
    const file = sandbox.write('app.yaml', before);
    const input = secretYaml('ignored-name', undefined, { m: 'M', z: 'new Z' }, '').replace(
      'metadata:\n',
      'metadata:\n  labels:\n    added: label\n',
    );
    const result = await sandbox.run(['--merge-into', file, '--cert', keys.certFile], { input });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const after = sandbox.read('app.yaml');
    // The only lines that differ: the new key m (in sorted place), the replaced z, and the new label.
    expect(linesWithout(after, /^ {4}[mz]: |^ {8}added: /)).toEqual(linesWithout(before, /^ {4}z: /));
    const lines = after.split('\n');
    expect(lines.findIndex((line) => line.startsWith('    m: '))).toBe(lines.findIndex((line) => line.startsWith('    a: ')) + 1);
    expect(lines).toContain(`    a: ${existing.a} # first`);
    const secret = await unsealSecret(documents(after)[0]!, keys.keyring);
    expect(Object.fromEntries(Object.entries(secret.data!).map(([k, v]) => [k, decode(v)]))).toEqual({ a: 'A', m: 'M', z: 'new Z' });
    expect(secret.metadata.labels).toEqual({ team: 'payments', added: 'label' });
  });

  it('merges into a JSON file and keeps it JSON', async () => {
    const sealed = (await sandbox.run(['--cert', keys.certFile], { input: secretYaml('j', 'n', { a: '1' }) })).stdout;
    const file = sandbox.write('j.json', sealed);
    await sandbox.run(['--merge-into', file, '--cert', keys.certFile], { input: secretYaml('j', 'n', { b: '2' }) });
    const merged = JSON.parse(sandbox.read('j.json'));
    expect(Object.keys(merged.spec.encryptedData)).toEqual(['a', 'b']);
    expect(merged.spec.encryptedData.a).toBe(JSON.parse(sealed).spec.encryptedData.a);
    expect(sandbox.read('j.json').startsWith('{\n  "kind": "SealedSecret"')).toBe(true);
  });

  it("picks the SealedSecret with the Secret's name in a file with several, and uses the target's scope", async () => {
    const one = (await sandbox.run(['--cert', keys.certFile, '-o', 'yaml'], { input: secretYaml('one', 'n', { k: '1' }) })).stdout;
    const two = (
      await sandbox.run(['--cert', keys.certFile, '-o', 'yaml', '--scope', 'namespace-wide'], { input: secretYaml('two', 'n', { k: '2' }) })
    ).stdout;
    const file = sandbox.write('two.yaml', `${one}${two}`); // each document starts with ---, as kubeseal prints it
    const result = await sandbox.run(['--merge-into', file, '--cert', keys.certFile], { input: secretYaml('two', 'n', { extra: 'e' }) });
    expect(result.code).toBe(0);
    const [first, second] = documents(sandbox.read('two.yaml'));
    expect(first).toEqual(documents(one)[0]);
    await expect(keys.keyring.open(second!.spec.encryptedData.extra, { namespace: 'n', scope: 'namespace-wide' })).resolves.toBeDefined();
    const conflicting = await sandbox.run(['--merge-into', file, '--cert', keys.certFile, '--scope', 'cluster-wide'], {
      input: secretYaml('two', 'n', { x: 'y' }),
    });
    expect(conflicting.stderr).toMatch(/^error: SealedSecret "n\/two" in ".*" is namespace-wide, and values merged into it must be too/);
    // --scope strict is kubeseal's default, not a choice: the target's scope stays in charge.
    const strict = await sandbox.run(['--merge-into', file, '--cert', keys.certFile, '--scope', 'strict'], {
      input: secretYaml('two', 'n', { x: 'y' }),
    });
    expect(strict.code).toBe(0);
    const unknown = await sandbox.run(['--merge-into', file, '--cert', keys.certFile], { input: secretYaml('three', 'n', { x: 'y' }) });
    expect(unknown.stderr).toContain('none named "three"');
  });

  it('leaves the file untouched when sealing fails', async () => {
    const file = sandbox.write('keep.yaml', yamlFile());
    const result = await sandbox.run(['--merge-into', file, '--cert', keys.certFile], {
      input: 'kind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\n',
    });
    expect(result.code).toBe(1);
    expect(sandbox.read('keep.yaml')).toBe(yamlFile());
  });
});
