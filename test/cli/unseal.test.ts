// Opening SealedSecrets outside a cluster: --recovery-unseal against Bitnami's own vectors,
// `sealkit unseal`, --raw values both ways, and local --validate / --re-encrypt.
import { readFileSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Keyring, seal } from '../../packages/core/src/index.js';
import { decode, documents, makeKeyFiles, secretYaml, useSandboxWithKeys, type KeyFiles } from './helpers.js';
import { vectorJson, vectorPath } from '../vectors/vectors.js';

const { sandbox, keys } = useSandboxWithKeys();
let older: KeyFiles;

beforeAll(async () => {
  older = await makeKeyFiles(sandbox, 'older-', { notBefore: new Date(Date.now() - 86_400_000) });
});

function withoutOwnerReferences(secret: Record<string, any>): Record<string, any> {
  const { ownerReferences, ...metadata } = secret.metadata;
  expect(ownerReferences[0]).toMatchObject({ kind: 'SealedSecret', name: secret.metadata.name, controller: true });
  return { ...secret, metadata };
}

describe('--recovery-unseal with the Go vectors', () => {
  it('opens Bitnami-sealed SealedSecrets with a controller key backup into the expected Secrets', async () => {
    const sealed = readFileSync(vectorPath('sealedsecrets.yaml'), 'utf8');
    const expected = documents(readFileSync(vectorPath('sealedsecrets.expected.yaml'), 'utf8'));
    for (const format of ['yaml', 'json']) {
      const backup = sandbox.write('controller-keys-backup.yaml', readFileSync(vectorPath('controller-keys-backup.yaml')));
      const result = await sandbox.run(['--recovery-unseal', '--recovery-private-key', backup, '-o', format], { input: sealed });
      expect(result.stderr).toBe('');
      const secrets =
        format === 'yaml'
          ? documents(result.stdout)
          : result.stdout
              .trim()
              .split(/\n(?=\{)/)
              .map((text) => JSON.parse(text));
      expect(secrets.map(withoutOwnerReferences)).toEqual(expected);
    }
  });

  it('fails with one line naming the SealedSecret when the keys do not open it', async () => {
    const sealed = readFileSync(vectorPath('sealedsecrets.yaml'), 'utf8');
    const result = await sandbox.run(['--recovery-unseal', '--recovery-private-key', keys.keyFile], { input: sealed });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: In document 1 of the input: cannot unseal "password", "username" of SealedSecret default\/db-credentials: none of the 1 private key\(s\) opens this value[^\n]*\n$/,
    );
  });
});

interface GoCase {
  keyId: string;
  scope: 'strict' | 'namespace-wide' | 'cluster-wide';
  namespace: string;
  name: string;
  plaintext: string;
  sealed: string;
  note: string;
  expected: 'open' | 'reject';
}

describe('unseal --raw with the Go vectors', () => {
  const vectors = vectorJson<{ cases: GoCase[]; keys: { privateKeyPem: string }[] }>('sealed-secrets-go.json');
  // One opening case per key and scope (plus the 64 KiB one), and every rejection: each is a process.
  const seen = new Set<string>();
  const cases = vectors.cases.filter((c) => {
    const id = c.expected === 'reject' ? c.note : `${c.keyId} ${c.scope}`;
    if (seen.has(id) && c.note !== 'blob-64k') return false;
    seen.add(id);
    return true;
  });
  let keyFile: string;
  beforeAll(() => {
    keyFile = sandbox.write('go-keys.pem', vectors.keys.map((k) => k.privateKeyPem).join('\n'));
  });

  it.each(cases)('$expected: $scope $namespace/$name, $note ($keyId)', async (c) => {
    const target = c.scope === 'cluster-wide' ? [] : ['--namespace', c.namespace, '--name', c.name];
    const result = await sandbox.run(['unseal', '--raw', '--key', keyFile, '--scope', c.scope, ...target], { input: c.sealed });
    if (c.expected === 'open') {
      expect(result.stderr).toBe('');
      expect(result.stdoutBytes.equals(Buffer.from(c.plaintext, 'base64'))).toBe(true);
    } else {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
      expect(result.stdout).toBe('');
    }
  });
});

describe('opening with several keys', () => {
  let sealedByOlder: string;
  let sealedByNewer: string;
  beforeAll(async () => {
    const input = secretYaml('s', 'n', { k: 'value' });
    sealedByOlder = (await sandbox.run(['--cert', older.certFile], { input })).stdout;
    sealedByNewer = (await sandbox.run(['--cert', keys.certFile], { input })).stdout;
  });

  it('takes --recovery-private-key repeated and comma-separated, PEM keys and backups alike', async () => {
    const both = `${sealedByOlder}${sealedByNewer}`;
    for (const flags of [
      ['--recovery-private-key', `${older.keyFile},${keys.keyFile}`],
      ['--recovery-private-key', older.keyFile, '--recovery-private-key', keys.keyFile],
    ]) {
      const result = await sandbox.run(['--recovery-unseal', ...flags], { input: both });
      expect(result.stderr).toBe('');
      expect(
        result.stdout
          .trim()
          .split(/\n(?=\{)/)
          .map((text) => decode(JSON.parse(text).data.k)),
      ).toEqual(['value', 'value']);
    }
  });

  it('`unseal` reads files, takes --key, and writes -w', async () => {
    const file = sandbox.write('sealed.json', sealedByNewer);
    const result = await sandbox.run(['unseal', file, '--key', keys.keyFile, '-w', sandbox.path('secret.yaml')]);
    expect(result.code).toBe(0);
    const [secret] = documents(sandbox.read('secret.yaml'));
    expect(decode(secret!.data.k)).toBe('value');
    expect(statSync(sandbox.path('secret.yaml')).mode & 0o777).toBe(0o600); // plaintext: private
  });

  it('`unseal` without keys says how to give them', async () => {
    const result = await sandbox.run(['unseal'], { input: sealedByNewer });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: No private key to open SealedSecrets with: pass --key FILE .*'sealkit keygen'/);
  });
});

describe('--raw', () => {
  it('prints the bare base64 with no newline, as kubeseal does, and `unseal --raw` opens it', async () => {
    const sealed = await sandbox.run(['--raw', '--cert', keys.certFile, '--namespace', 'prod', '--name', 'db'], { input: 'hunter2' });
    expect(sealed.code).toBe(0);
    expect(sealed.stdout).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(new TextDecoder().decode((await keys.keyring.open(sealed.stdout, { namespace: 'prod', name: 'db' })).plaintext)).toBe('hunter2');
    const opened = await sandbox.run(['unseal', '--raw', '--key', keys.keyFile, '--namespace', 'prod', '--name', 'db'], {
      input: sealed.stdout,
    });
    expect(opened.stdout).toBe('hunter2');
  });

  it('binds the value to the scope: --from-file for binary values, namespace-wide and cluster-wide labels', async () => {
    const binary = sandbox.write('blob.bin', Uint8Array.of(0, 255, 10, 13));
    const namespaceWide = await sandbox.run([
      '--raw',
      '--cert',
      keys.certFile,
      '-n',
      'team',
      '--scope',
      'namespace-wide',
      '--from-file',
      binary,
    ]);
    expect([...(await keys.keyring.open(namespaceWide.stdout, { namespace: 'team', scope: 'namespace-wide' })).plaintext]).toEqual([
      0, 255, 10, 13,
    ]);
    const clusterWide = await sandbox.run(['--raw', '--cert', keys.certFile, '--scope', 'cluster-wide', '--from-literal', 'v']);
    expect(new TextDecoder().decode((await keys.keyring.open(clusterWide.stdout, { scope: 'cluster-wide' })).plaintext)).toBe('v');
    // Like kubeseal: with no cluster configured, a strict or namespace-wide value needs -n.
    const noNamespace = await sandbox.run(['--raw', '--cert', keys.certFile, '--name', 'db'], { input: 'x' });
    expect(noNamespace).toMatchObject({ code: 1, stdout: '' });
    expect(noNamespace.stderr).toMatch(/needs --namespace NAMESPACE/);
  });

  it('needs --name for the strict scope', async () => {
    const result = await sandbox.run(['--raw', '--cert', keys.certFile, '-n', 'prod'], { input: 'x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('needs --name NAME');
  });
});

describe('--validate and --re-encrypt with local keys', () => {
  it('validates what the keys open and rejects what they do not', async () => {
    const sealed = (await sandbox.run(['--cert', keys.certFile], { input: secretYaml('v', 'n', { k: 'x' }) })).stdout;
    const ok = await sandbox.run(['--validate', '--recovery-private-key', keys.keyFile], { input: sealed });
    expect(ok).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const wrong = await sandbox.run(['--validate', '--recovery-private-key', older.keyFile], { input: sealed });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: Unable to decrypt SealedSecret "n\/v": /);
  });

  it('re-encrypts every value to the newest key, in place for each of several -f, keeping every other byte (comments, CRLF)', async () => {
    const ring = await Keyring.from(older.privateKeyPem + older.certificatePem, keys.privateKeyPem + keys.certificatePem);
    const value = await seal(older.certificatePem, 'secret value', { namespace: 'n', name: 'r' });
    const original = (v: string) =>
      `# kept: a comment\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: r\n  namespace: n\n  generation: 3\nspec:\n  encryptedData:\n    k: ${v} # and this one\n  template:\n    metadata:\n      labels:\n        keep: me\n`;
    const file = sandbox.write('re-encrypt.yaml', original(value));
    const crlfFile = sandbox.write('re-encrypt-crlf.yaml', original(value).replace(/\n/g, '\r\n'));
    const result = await sandbox.run([
      '--re-encrypt',
      '-f',
      file,
      '-f',
      crlfFile,
      '--recovery-private-key',
      `${older.keyFile},${keys.keyFile}`,
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    for (const [name, lineEnd] of [
      ['re-encrypt.yaml', '\n'],
      ['re-encrypt-crlf.yaml', '\r\n'],
    ] as const) {
      const [rotated] = documents(sandbox.read(name));
      const resealed = rotated!.spec.encryptedData.k as string;
      expect(resealed).not.toBe(value);
      expect(sandbox.read(name)).toBe(original(resealed).replace(/\n/g, lineEnd));
      const opened = await ring.open(resealed, { namespace: 'n', name: 'r' });
      expect(opened.fingerprint).toBe(keys.keyring.fingerprints[0]);
      expect(new TextDecoder().decode(opened.plaintext)).toBe('secret value');
    }
    const withOutput = await sandbox.run([
      '--re-encrypt',
      '-f',
      file,
      '-f',
      crlfFile,
      '-w',
      sandbox.path('out.yaml'),
      '--recovery-private-key',
      keys.keyFile,
    ]);
    expect(withOutput).toMatchObject({ code: 2, stdout: '' });
    const sealOfTwo = await sandbox.run(['-f', file, '-f', crlfFile]);
    expect(sealOfTwo.stderr).toBe('error: -f is given 2 times; give one input file (only --re-encrypt takes several).\n');
    const rotatedAlias = await sandbox.run(['--rotate', '--recovery-private-key', keys.keyFile], {
      input: sandbox.read('re-encrypt.yaml'),
    });
    expect(rotatedAlias.code).toBe(0);
  });
});
