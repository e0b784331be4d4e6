// Several clusters: profiles, sealing for several at once, keys --import, cert --info, keys showing the cluster's key.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring, generateKeyPair, unsealSecret } from '../../packages/core/src/index.js';
import { startFakeCluster, type FakeCluster } from './fake-cluster.js';
import { Sandbox, decode, documents, makeKeyFiles, type KeyFiles } from './helpers.js';

let sandbox: Sandbox;
let a: KeyFiles;
let b: KeyFiles;
let cluster: FakeCluster;
let controllerKeys: Keyring;

const profilesFile = (text: string) => sandbox.write('sealkit/profiles.yaml', text);
const literal = ['--name', 'db', '-n', 'prod', '--from-literal', 'password=s3cr3t'];

async function opensWith(file: string, keyring: Keyring): Promise<boolean> {
  try {
    const secret = await unsealSecret(documents(sandbox.read(file))[0]!, keyring);
    return decode(secret.data!.password!) === 's3cr3t';
  } catch {
    return false;
  }
}

beforeAll(async () => {
  sandbox = new Sandbox();
  [a, b] = await Promise.all([makeKeyFiles(sandbox, 'a-'), makeKeyFiles(sandbox, 'b-')]);
  cluster = await startFakeCluster();
  controllerKeys = cluster.controllerKeys;
});
afterAll(async () => {
  await cluster.close();
  sandbox.cleanup();
});

describe('cluster profiles', () => {
  it('seals one Secret for several profiles (a file, a URL, a kube context), one file each', async () => {
    profilesFile(
      [
        'default: a',
        'profiles:',
        '  a:',
        `    cert: ../a-cert.pem`,
        '  b:',
        `    cert: ${cluster.controller.url}/v1/cert.pem`,
        '  c:',
        '    context: test',
        '',
      ].join('\n'),
    );
    // The directories of the per-profile files are made as needed.
    const result = await sandbox.run(['--profile', 'a,b,c', ...literal, '-w', 'out/{profile}/sealed.yaml'], {
      env: { KUBECONFIG: cluster.api.kubeconfigPath },
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(await opensWith('out/a/sealed.yaml', a.keyring)).toBe(true);
    expect(await opensWith('out/a/sealed.yaml', controllerKeys)).toBe(false);
    expect(await opensWith('out/b/sealed.yaml', controllerKeys)).toBe(true); // the URL is the controller's certificate
    expect(await opensWith('out/c/sealed.yaml', controllerKeys)).toBe(true);
    sandbox.write('blocked', 'a file where a directory should be');
    const blocked = await sandbox.run(['--profile', 'a', ...literal, '-w', 'blocked/{profile}.yaml']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('Cannot create the directory "blocked": a file of that name is in the way.');
    // {profile} in -w picks the per-profile path for one profile too, and needs one chosen.
    const none = await sandbox.run([...literal, '-w', 'none/{profile}.yaml'], { env: { SEALKIT_HOME: sandbox.path('empty-home') } });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('-w names {profile}, but no profile is chosen');
    const noPattern = await sandbox.run(['--profile', 'a,b', ...literal]);
    expect(noPattern.code).toBe(1);
    expect(noPattern.stderr).toContain('pass -w with {profile} in the name');
  });

  it("picks the current kube context's profile, else the default; explicit --cert still wins", async () => {
    profilesFile(
      [
        'default: a',
        'profiles:',
        '  a:',
        `    cert: ${a.certFile}`,
        '  b:',
        `    cert: ${b.certFile}`,
        '  cluster:',
        '    context: test',
        '',
      ].join('\n'),
    );
    expect((await sandbox.run([...literal, '-w', 'default.yaml'])).code).toBe(0);
    expect(await opensWith('default.yaml', a.keyring)).toBe(true);
    expect((await sandbox.run([...literal, '-w', 'by-context.yaml'], { env: { KUBECONFIG: cluster.api.kubeconfigPath } })).code).toBe(0);
    expect(await opensWith('by-context.yaml', controllerKeys)).toBe(true);
    expect((await sandbox.run([...literal, '--profile', 'b', '-w', 'named.yaml'])).code).toBe(0);
    expect(await opensWith('named.yaml', b.keyring)).toBe(true);
    expect((await sandbox.run([...literal, '--profile', 'b', '--cert', a.certFile, '-w', 'explicit.yaml'])).code).toBe(0);
    expect(await opensWith('explicit.yaml', a.keyring)).toBe(true);
    // A cluster named on the command line outvotes the default certificate profile.
    const explicitCluster = await sandbox.run([
      ...literal,
      '--kubeconfig',
      cluster.api.kubeconfigPath,
      '--context',
      'test',
      '-w',
      'explicit-cluster.yaml',
    ]);
    expect(explicitCluster.code).toBe(0);
    expect(await opensWith('explicit-cluster.yaml', controllerKeys)).toBe(true);
    const unknown = await sandbox.run([...literal, '--profile', 'nope']);
    expect(unknown.stderr).toMatch(/^error: There is no profile "nope" in ".*profiles.yaml"; the profiles are a, b, cluster\.\n$/);
  });

  it('refuses a profiles file that is wrong, saying what to fix', async () => {
    profilesFile('profiles:\n  x:\n    cert: a.pem\n    context: both\n');
    const result = await sandbox.run([...literal]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The profile "x" in');
    expect(result.stderr).toContain('needs either cert: FILE|URL or context: NAME (not both)');
  });
});

describe('sealkit keys --import, cert --info, keys with a cluster', () => {
  beforeAll(() => rmSync(sandbox.path('sealkit/profiles.yaml')));

  it('imports a controller key backup into the local keyring (0600 files, newest still seals), once', async () => {
    const other = new Sandbox();
    try {
      expect((await sandbox.run(['keygen', '--key-size', '2048'], { env: { SEALKIT_HOME: join(sandbox.dir, 'fresh') } })).code).toBe(0);
      expect((await other.run(['keygen', '--key-size', '2048'])).code).toBe(0);
      const backup = sandbox.write('backup.yaml', (await other.run(['keys', '--export', '-o', 'yaml'])).stdout);
      const env = { SEALKIT_HOME: join(sandbox.dir, 'fresh') };
      const imported = await sandbox.run(['keys', '--import', backup], { env });
      expect(imported).toMatchObject({ code: 0, stderr: '' });
      expect(imported.stdout).toMatch(/^Imported 1 key\(s\) into /);
      expect((await sandbox.run(['keys', '--import', backup], { env })).stdout).toContain('(1 already there)');
      const listing = (await sandbox.run(['keys'], { env })).stdout.trim().split('\n');
      expect(listing).toHaveLength(2);
      const otherFingerprint = (await other.run(['keys'])).stdout.split(/\s+/)[1]!;
      expect(listing.some((line) => line.includes(otherFingerprint))).toBe(true);
      const sealed = (await other.run(['--name', 'db', '-n', 'prod', '--from-literal', 'password=s3cr3t', '-o', 'yaml'])).stdout;
      const opened = await sandbox.run(['unseal', '-o', 'json'], { env, input: sealed });
      expect(opened.code).toBe(0);
      expect(decode(JSON.parse(opened.stdout).data.password)).toBe('s3cr3t');
      const keysDirectory = join(sandbox.dir, 'fresh', 'keys');
      for (const line of (await sandbox.run(['keys'], { env })).stdout.split('\n').filter(Boolean)) expect(line).toMatch(/RSA-2048/);
      for (const name of readdirSync(keysDirectory)) expect(statSync(join(keysDirectory, name)).mode & 0o777).toBe(0o600);
    } finally {
      other.cleanup();
    }
  });

  it('cert --info describes a certificate and warns when it expired or expires soon', async () => {
    const info = await sandbox.run(['cert', '--info', '--cert', a.certFile]);
    expect(info).toMatchObject({ code: 0, stderr: '' });
    expect(info.stdout).toContain(`fingerprint  ${a.keyring.fingerprints[0]}`);
    expect(info.stdout).toContain('key          RSA-2048');
    expect(info.stdout).toMatch(/valid until {2}\d{4}-\d\d-\d\dT.* \(\d+ day\(s\) left\)/);
    const soon = sandbox.write('soon.pem', (await generateKeyPair({ bits: 2048, validDays: 10 })).certificatePem);
    const soonInfo = await sandbox.run(['cert', '--info', '--cert', soon, '-o', 'json']);
    expect(soonInfo.stderr).toMatch(/^warning: the certificate from --cert .*soon\.pem: it expires in (9|10) day\(s\)/);
    expect(JSON.parse(soonInfo.stdout)).toMatchObject({ bits: 2048, warnings: [expect.stringMatching(/expires in/)] });
    const expired = sandbox.write(
      'expired.pem',
      (await generateKeyPair({ bits: 2048, notBefore: new Date(Date.now() - 10 * 86_400_000), validDays: 2 })).certificatePem,
    );
    expect((await sandbox.run(['cert', '--info', '--cert', expired])).stderr).toMatch(/it expired on \d{4}-\d\d-\d\d/);
  });

  it("keys shows the configured cluster's active key, and whether the local keyring holds it", async () => {
    const home = { SEALKIT_HOME: join(sandbox.dir, 'with-cluster') };
    const onlyCluster = await sandbox.run(['keys'], { env: { ...home, KUBECONFIG: cluster.api.kubeconfigPath } });
    expect(onlyCluster).toMatchObject({ code: 0, stderr: '' });
    expect(onlyCluster.stdout).toContain(
      `cluster's active key (the controller kube-system/sealed-secrets-controller): ${controllerKeys.fingerprints[0]}`,
    );
    expect(onlyCluster.stdout).toContain('(not in the local keyring)');
    expect((await sandbox.run(['keygen', '--key-size', '2048'], { env: home })).code).toBe(0);
    const both = await sandbox.run(['keys'], { env: { ...home, KUBECONFIG: cluster.api.kubeconfigPath } });
    const lines = both.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\* {2}SHA256:/);
    expect(lines[1]).toContain(controllerKeys.fingerprints[0]!);
  });
});
