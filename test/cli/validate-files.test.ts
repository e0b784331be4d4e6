// sealkit validate PATH...: offline checks for CI, with certificates only or with keys.
import { rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, seal } from '../../packages/core/src/index.js';
import { makeKeyFiles, useSandboxWithKeys, type KeyFiles } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();
let twin: KeyFiles; // another 2048-bit certificate: key size alone cannot tell them apart
let big: string; // a 3072-bit certificate file
const target = { namespace: 'prod', name: 'db' };
let good: string;

function sealedSecret(options: {
  name?: string;
  namespace?: string;
  values: Record<string, string>;
  annotations?: string[];
  template?: string[];
}): string {
  return [
    'apiVersion: bitnami.com/v1alpha1',
    'kind: SealedSecret',
    'metadata:',
    `  name: ${options.name ?? 'db'}`,
    `  namespace: ${options.namespace ?? 'prod'}`,
    ...(options.annotations ? ['  annotations:', ...options.annotations.map((a) => `    ${a}`)] : []),
    'spec:',
    '  encryptedData:',
    ...Object.entries(options.values).map(([key, value]) => `    ${JSON.stringify(key)}: ${value}`),
    '  template:',
    '    metadata:',
    ...(options.template ?? [`name: ${options.name ?? 'db'}`, `namespace: ${options.namespace ?? 'prod'}`]).map((line) => `      ${line}`),
    '',
  ].join('\n');
}

beforeAll(async () => {
  twin = await makeKeyFiles(sandbox, 'twin-');
  big = sandbox.write('big-cert.pem', (await generateKeyPair({ bits: 3072 })).certificatePem);
  good = sealedSecret({ values: { password: await seal(keys.certificatePem, 'pw', target) } });
});

describe('sealkit validate', () => {
  it('passes a valid file, skips other kinds of documents, and names the certificate that fits', async () => {
    const file = sandbox.write('ok/app.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${good}`);
    sandbox.write('ok/deployment.json', '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}}');
    const result = await sandbox.run(['validate', '--cert', keys.certFile, '--certs', big, sandbox.path('ok')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${file}:5: notice: SealedSecret "prod/db": its 2048-bit values fit only ${keys.certFile}`);
    expect(result.stdout).toContain('2 file(s) checked: valid.');
  });

  it('says when the key size cannot tell which certificate sealed a value', async () => {
    const file = sandbox.write('twins.yaml', good);
    const result = await sandbox.run(['validate', '--cert', keys.certFile, '--certs', twin.certFile, file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/fit 2 known certificates .*; the key size cannot tell which sealed them/);
    // The certificate file of the default profile (or of those named with --profile) is a known certificate too;
    // the other profiles are not read (one's file is missing, one needs a cluster).
    sandbox.write(
      'sealkit/profiles.yaml',
      `default: prod\nprofiles:\n  prod:\n    cert: ${keys.certFile}\n  gone:\n    cert: missing.pem\n  live:\n    context: somewhere\n`,
    );
    try {
      const withProfile = await sandbox.run(['validate', file]);
      expect(withProfile).toMatchObject({ code: 0, stderr: '' });
      expect(withProfile.stdout).toContain(`its 2048-bit values fit only profile "prod" (${keys.keyring.fingerprints[0]})`);
      const named = await sandbox.run(['validate', '--profile', 'prod', file]);
      expect(named.stdout).toContain('fit only profile "prod"');
      const missing = await sandbox.run(['validate', '--profile', 'gone', file]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/certificate file of the profile "gone" .*does not exist/);
      const cluster = await sandbox.run(['validate', '--profile', 'live', file]);
      expect(cluster.code).toBe(2);
      expect(cluster.stderr).toContain('The profile "live" names a cluster, but validate runs offline');
      const unknown = await sandbox.run(['validate', '--profile', 'nope', file]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('There is no profile "nope"');
    } finally {
      rmSync(sandbox.path('sealkit/profiles.yaml'));
    }
  });

  it('refuses the cluster flags, which an offline check cannot use (exit 2, naming the flag)', async () => {
    const file = sandbox.write('offline.yaml', good);
    for (const flags of [
      ['--kubeconfig', 'kc'],
      ['--server', 'https://k8s:6443'],
      ['--context', 'x'],
      ['--controller-name', 'c'],
    ]) {
      const result = await sandbox.run(['validate', '--cert', keys.certFile, ...flags, file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${flags[0]} does not apply to 'sealkit validate'`);
    }
    expect((await sandbox.run(['validate', '--cert', keys.certFile, file])).code).toBe(0);
  });

  it('reports each problem with its line, exits 1, and never prints a value', async () => {
    const sealed = await seal(keys.certificatePem, 'pw', target);
    const text = sealedSecret({
      values: { 'bad key': sealed, notbase64: 'ab$d', short: 'AAAA', ok: sealed },
      annotations: ['sealedsecrets.bitnami.com/namespace-wide: "true"'],
      template: ['name: other', 'namespace: prod', 'annotations:', '  sealedsecrets.bitnami.com/cluster-wide: "true"'],
    });
    const file = sandbox.write('bad.yaml', text);
    const result = await sandbox.run(['validate', '--cert', big, file]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    const lineOf = (needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
    expect(lines).toContain(
      `${file}:${lineOf('"bad key"')}: error: SealedSecret "prod/db": the spec.encryptedData key "bad key" is not a valid Secret key; use only letters, digits, "-", "_" and "."`,
    );
    expect(lines).toContain(
      `${file}:${lineOf('notbase64')}: error: SealedSecret "prod/db": the sealed value "notbase64" is not valid base64`,
    );
    expect(result.stdout).toContain(
      `${file}:${lineOf('short')}: error: SealedSecret "prod/db": the sealed value "short" is truncated or not a sealed value`,
    );
    expect(result.stdout).toContain('the sealed value "ok" was sealed for a 2048-bit key, but the known certificates have 3072-bit keys');
    expect(result.stdout).toContain(
      'the scope annotations say namespace-wide on the SealedSecret but cluster-wide in spec.template.metadata',
    );
    expect(result.stdout).toContain('spec.template.metadata.name "other" differs from metadata.name "db"');
    expect(result.stdout).toMatch(/1 file\(s\) checked: \d+ error\(s\)\./);
    expect(result.stdout).not.toContain(sealed);
  });

  it('reports a file that is not YAML as a finding of that file, without quoting it', async () => {
    const file = sandbox.write('broken.yaml', 'password: [hunter2-unclosed\n');
    const result = await sandbox.run(['validate', '--cert', keys.certFile, file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}: error: the file "${file}" is not valid YAML or JSON: a "[" is not closed by "]"`);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('-o json gives the findings as data; --format github prints workflow annotations', async () => {
    const file = sandbox.write('gh.yaml', sealedSecret({ values: { 'a b': 'AAAA' } }));
    const json = await sandbox.run(['validate', '-o', 'json', file]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ valid: false, files: 1 });
    expect(report.findings[0]).toMatchObject({ file, line: 8, severity: 'error', object: 'SealedSecret "prod/db"' });
    const github = await sandbox.run(['validate', '--format', 'github', file]);
    expect(github.code).toBe(1);
    expect(github.stdout).toContain(
      `::error file=${file},line=8,title=sealkit validate::SealedSecret "prod/db": the spec.encryptedData key "a b" is not a valid Secret key`,
    );
    // A message holding a line break or "::" cannot end the annotation early.
    expect(github.stdout.split('\n').every((line) => line === '' || line.startsWith('::'))).toBe(true);
  });

  it('with --key opens every value and renders the templates', async () => {
    const opens = sandbox.write('opens.yaml', good);
    expect((await sandbox.run(['validate', '--key', keys.keyFile, opens])).code).toBe(0);
    const foreign = sandbox.write('foreign.yaml', sealedSecret({ values: { password: await seal(twin.certificatePem, 'pw', target) } }));
    const result = await sandbox.run(['validate', '--key', keys.keyFile, foreign]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('it does not open with the given keys');
    const template = sandbox.write(
      'template.yaml',
      `${good}    data:\n      url: "{{ index . \\"password\\" | badfunction }}"\n`.replace('  template:\n', '  template:\n'),
    );
    const rendered = await sandbox.run(['validate', '--key', keys.keyFile, template]);
    expect(rendered.code).toBe(1);
    expect(rendered.stdout).toContain('does not open with the given keys');
  });

  it('exits 2 on usage errors, and kubeseal --validate still works beside it', async () => {
    expect((await sandbox.run(['validate', '--no-such-flag', 'x'])).code).toBe(2);
    expect((await sandbox.run(['validate', sandbox.path('missing.yaml')])).code).toBe(2);
    expect((await sandbox.run(['validate', '-o', 'yaml', sandbox.path('opens.yaml')])).code).toBe(2);
    const kubeseal = await sandbox.run(['--validate', '--recovery-private-key', keys.keyFile], { input: good });
    expect(kubeseal).toMatchObject({ code: 0, stderr: '' });
  });
});
