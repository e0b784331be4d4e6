// The local keyring: keygen, rotate, keys, cert, and sealing with it when there is no cluster.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_SECRET_LABEL, Keyring, unsealSecret } from '../../packages/core/src/index.js';
import { Sandbox, decode, documents, repoRoot } from './helpers.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => sandbox.cleanup());

const keygen = (command = 'keygen') => sandbox.run([command, '--key-size', '2048']);
const keyFiles = () => readdirSync(join(sandbox.sealkitHome, 'keys')).map((name) => join(sandbox.sealkitHome, 'keys', name));
const localKeyring = async () => Keyring.from(...keyFiles().map((file) => readFileSync(file, 'utf8')));

describe('the local keyring', () => {
  it("does the README's main job: keygen, then seal examples/secret.yaml with no cluster", async () => {
    const created = await keygen();
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created key SHA256:\S+ \(RSA-2048, certificate valid until \d{4}-\d\d-\d\d\) in /);
    const sealed = await sandbox.run(['-o', 'yaml'], { input: readFileSync(join(repoRoot, 'examples/secret.yaml')) });
    expect(sealed.stderr).toMatch(/^\(sealkit: sealing with the local keyring in .*: no cluster is configured\)\n$/);
    expect(sealed.code).toBe(0);
    const secret = await unsealSecret(documents(sealed.stdout)[0]!, await localKeyring());
    expect(decode(secret.data!.password!)).toBe('correct-horse-battery-staple');
  });

  it('keeps private keys in 0600 files, in a 0700 directory, as controller key Secrets that core loads', async () => {
    await keygen();
    const [file] = keyFiles();
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(statSync(join(sandbox.sealkitHome, 'keys')).mode & 0o777).toBe(0o700);
    const [secret] = documents(readFileSync(file!, 'utf8'));
    expect(secret).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/tls', metadata: { labels: { [KEY_SECRET_LABEL]: 'active' } } });
    expect((await localKeyring()).keys[0]!.canOpen).toBe(true);
  });

  it('refuses a second keygen and points to rotate; rotate adds a newer key that seals while older ones still open', async () => {
    await keygen();
    const again = await keygen();
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("run 'sealkit rotate'");
    const before = await sandbox.run(['-n', 'ns'], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: old}\n' });
    const rotated = await keygen('rotate');
    expect(rotated.code).toBe(0);
    const ring = await localKeyring();
    expect(ring.size).toBe(2);
    const after = await sandbox.run(['-n', 'ns'], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: new}\n' });
    const newest = ring.keys[0]!.fingerprint;
    const openedAfter = await ring.open(JSON.parse(after.stdout).spec.encryptedData.k, { namespace: 'ns', name: 's' });
    expect(openedAfter.fingerprint).toBe(newest);
    const openedBefore = await ring.open(JSON.parse(before.stdout).spec.encryptedData.k, { namespace: 'ns', name: 's' });
    expect(openedBefore.fingerprint).not.toBe(newest);
  });

  it('lists keys with the active one marked, and as data with -o json', async () => {
    await keygen();
    await keygen('rotate');
    const table = await sandbox.run(['keys']);
    const lines = table.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\* {2}SHA256:\S+ {2}created \d{4}-\d\d-\d\d {2}expires \d{4}-\d\d-\d\d {2}RSA-2048$/);
    expect(lines[1]!.startsWith('   SHA256:')).toBe(true);
    const rows = JSON.parse((await sandbox.run(['keys', '-o', 'json'])).stdout);
    expect(rows.map((row: { active: boolean }) => row.active)).toEqual([true, false]);
  });

  it('exports a controller key backup (a v1 List in --controller-namespace) that core and kubeseal --recovery-unseal load', async () => {
    await keygen();
    const exported = await sandbox.run(['keys', '--export', '-o', 'yaml', '--controller-namespace', 'sealed-secrets']);
    const [backup] = documents(exported.stdout);
    expect(backup).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(backup!.items[0]).toMatchObject({
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { namespace: 'sealed-secrets', labels: { [KEY_SECRET_LABEL]: 'active' } },
    });
    const fromBackup = await Keyring.from(exported.stdout);
    expect(fromBackup.fingerprints).toEqual((await localKeyring()).fingerprints);
    const file = sandbox.path('backup.yaml');
    await sandbox.run(['keys', '--export', '-w', file, '--controller-namespace', 'sealed-secrets']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(exported.stdout);
    const sealed = await sandbox.run(['-n', 'x'], { input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n' });
    const opened = await sandbox.run(['--recovery-unseal', '--recovery-private-key', file], {
      input: sealed.stdout,
      env: { SEALKIT_HOME: sandbox.path('elsewhere') },
    });
    expect(decode(JSON.parse(opened.stdout).data.k)).toBe('v');
  });

  it('prints the active certificate with `cert`, the same --fetch-cert prints', async () => {
    await keygen();
    await keygen('rotate');
    const cert = await sandbox.run(['cert']);
    expect(cert.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(cert.stdout).toBe((await localKeyring()).activeCertificatePem);
    expect((await sandbox.run(['--fetch-cert'])).stdout).toBe(cert.stdout);
  });

  it('without any certificate source, says how to get one', async () => {
    const result = await sandbox.run([], {
      input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\nstringData: {k: v}\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: No certificate to seal with: run 'sealkit keygen'.*--cert FILE\|URL.*--fetch-cert.*--kubeconfig/,
    );
    for (const command of ['keys', 'cert', 'rotate']) {
      const missing = await sandbox.run([command]);
      expect(missing.stderr).toContain("'sealkit keygen'");
    }
  });
});
