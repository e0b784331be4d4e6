// kubeseal's main job, end to end through the built binary: Secrets in, SealedSecrets out,
// in kubeseal's exact output shapes, opening again with the private key.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsealSecret } from '../../packages/core/src/index.js';
import { bin, decode, documents, makeKeyFiles, secretYaml, useSandboxWithKeys } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();
const secret = secretYaml('db', 'prod', { password: 'hunter2', username: 'admin' });

async function opened(sealed: object): Promise<Record<string, string>> {
  const data = (await unsealSecret(sealed, keys.keyring)).data ?? {};
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, decode(value)]));
}

describe('sealing a Secret', () => {
  it("prints JSON by default, in kubeseal's field order and 2-space indentation, and the values open again", async () => {
    const result = await sandbox.run(['--cert', keys.certFile], { input: secret });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(
      result.stdout.startsWith(
        '{\n  "kind": "SealedSecret",\n  "apiVersion": "bitnami.com/v1alpha1",\n  "metadata": {\n    "name": "db",\n    "namespace": "prod"\n  },\n  "spec": {\n    "template": {',
      ),
    ).toBe(true);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    const sealed = JSON.parse(result.stdout);
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(['password', 'username']);
    expect(await opened(sealed)).toEqual({ password: 'hunter2', username: 'admin' });
  });

  it('prints YAML with -o yaml as kubeseal v0.36: --- first, keys sorted like go-yaml, double quotes, no creationTimestamp, no blank line at the end', async () => {
    const annotated = secretYaml('db', 'prod', { b: '1', a: '2' }).replace(
      'metadata:\n',
      'metadata:\n  annotations:\n    sealedsecrets.bitnami.com/namespace-wide: "true"\n',
    );
    const result = await sandbox.run(['--cert', keys.certFile, '-o', 'yaml'], { input: annotated });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      '---',
      'apiVersion: bitnami.com/v1alpha1',
      'kind: SealedSecret',
      'metadata:',
      '  annotations:',
      '    sealedsecrets.bitnami.com/namespace-wide: "true"',
      '  name: db',
    ]);
    expect(result.stdout).not.toContain('creationTimestamp');
    expect(lines.filter((line) => /^ {4}[ab]: /.test(line)).map((line) => line.trim()[0])).toEqual(['a', 'b']);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.endsWith('\n\n')).toBe(false);
  });

  it('escapes <, > and & in JSON as Go does', async () => {
    const input = secretYaml('html', 'prod', { k: 'v' }).replace('metadata:\n', 'metadata:\n  annotations:\n    note: "<a & b>"\n');
    const result = await sandbox.run(['--cert', keys.certFile], { input });
    expect(result.stdout).toContain('"note": "\\u003ca \\u0026 b\\u003e"');
    expect(JSON.parse(result.stdout).spec.template.metadata.annotations.note).toBe('<a & b>');
  });

  it('quotes the strings YAML 1.1 (kubectl) would read as something else, as go-yaml does', async () => {
    const input = secretYaml('q', 'prod', { k: 'v' }).replace(
      'metadata:\n',
      'metadata:\n  labels:\n    enabled: "on"\n    answer: "yes"\n    plain: value\n',
    );
    const result = await sandbox.run(['--cert', keys.certFile, '-o', 'yaml'], { input });
    expect(result.stdout).toContain('      labels:\n        answer: "yes"\n        enabled: "on"\n        plain: value\n');
  });

  it('never reads kubeconfig when the certificate and namespace are given', async () => {
    const broken = sandbox.write('broken-kubeconfig', 'contexts: [unclosed');
    const result = await sandbox.run(['--cert', keys.certFile], { input: secret, env: { KUBECONFIG: broken } });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const needsNamespace = await sandbox.run(['--cert', keys.certFile], {
      input: secretYaml('s', undefined, { k: 'v' }),
      env: { KUBECONFIG: broken },
    });
    expect(needsNamespace.stderr).toContain('is not valid YAML'); // the control: without a namespace it is read
  });

  it('seals every document of a multi-document input, in order, separated by ---', async () => {
    const input = `${secretYaml('one', 'a', { k: 'v1' })}---\n${secretYaml('two', 'b', { k: 'v2' })}`;
    const yaml = await sandbox.run(['--cert', keys.certFile, '-o', 'yaml'], { input });
    expect(yaml.stdout.match(/^---$/gm)).toHaveLength(2); // one before each document, as kubeseal prints them
    const sealed = documents(yaml.stdout);
    expect(sealed.map((s) => s.metadata.name)).toEqual(['one', 'two']);
    expect(await opened(sealed[1]!)).toEqual({ k: 'v2' });
    const json = await sandbox.run(['--cert', keys.certFile], { input });
    expect(json.stdout.match(/^\{$/gm)).toHaveLength(2); // a stream of two JSON objects
  });

  it('seals a v1 List into a v1 List', async () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [documents(secret)[0], documents(secretYaml('x', 'prod', { y: 'z' }))[0]],
    });
    const result = await sandbox.run(['--cert', keys.certFile], { input: list });
    const output = JSON.parse(result.stdout);
    expect(output.kind).toBe('List');
    expect(output.items.map((item: { kind: string }) => item.kind)).toEqual(['SealedSecret', 'SealedSecret']);
  });

  it("writes -w FILE atomically, in YAML when the name ends in .yaml, keeping an existing file's mode", async () => {
    const target = sandbox.write('out/sealed.yaml', 'old content\n');
    chmodSync(target, 0o640);
    const result = await sandbox.run(['--cert', keys.certFile, '-o', 'json', '-w', target], { input: secret });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(sandbox.read('out/sealed.yaml').startsWith('---\napiVersion: bitnami.com/v1alpha1\n')).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o640);
  });

  it('reads -f FILE and honours --scope, --name and -n like kubeseal', async () => {
    const input = sandbox.write('in.yaml', secretYaml('original', undefined, { k: 'v' }));
    const result = await sandbox.run([
      '--cert',
      keys.certFile,
      '-f',
      input,
      '--name',
      'renamed',
      '-n',
      'team',
      '--scope',
      'namespace-wide',
    ]);
    const sealed = JSON.parse(result.stdout);
    expect(sealed.metadata).toMatchObject({
      name: 'renamed',
      namespace: 'team',
      annotations: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' },
    });
    expect(await opened(sealed)).toEqual({ k: 'v' });
  });

  it('fills a missing namespace from the kubeconfig context (else "default"), and without any cluster refuses as kubeseal does', async () => {
    const kubeconfig = sandbox.write(
      'kubeconfig',
      'apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n- name: dev\n  context: {cluster: c, namespace: from-context}\n- name: other\n  context: {cluster: c, namespace: other-ns}\nclusters: []\n',
    );
    const input = secretYaml('s', undefined, { k: 'v' });
    const fromContext = JSON.parse((await sandbox.run(['--cert', keys.certFile, '--kubeconfig', kubeconfig], { input })).stdout);
    expect(fromContext.metadata.namespace).toBe('from-context');
    const otherContext = JSON.parse(
      (await sandbox.run(['--cert', keys.certFile, '--context', 'other'], { input, env: { KUBECONFIG: kubeconfig } })).stdout,
    );
    expect(otherContext.metadata.namespace).toBe('other-ns');
    const noNamespace = sandbox.write(
      'kubeconfig-no-ns',
      'apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n- name: dev\n  context: {cluster: c}\nclusters: []\n',
    );
    const contextDefault = JSON.parse((await sandbox.run(['--cert', keys.certFile, '--kubeconfig', noNamespace], { input })).stdout);
    expect(contextDefault.metadata.namespace).toBe('default');
    const noCluster = await sandbox.run(['--cert', keys.certFile], { input });
    expect(noCluster).toMatchObject({ code: 1, stdout: '' });
    expect(noCluster.stderr).toMatch(/^error: The Secret "s" has no namespace and no cluster is configured to give one; .*-n NAMESPACE/);
    const clusterWide = JSON.parse((await sandbox.run(['--cert', keys.certFile, '--scope', 'cluster-wide'], { input })).stdout);
    expect(clusterWide.metadata.namespace).toBeUndefined();
  });

  it('takes the certificate from SEALED_SECRETS_CERT, and --cert wins over it', async () => {
    const fromEnvironment = await sandbox.run([], { input: secret, env: { SEALED_SECRETS_CERT: keys.certFile } });
    expect(await opened(JSON.parse(fromEnvironment.stdout))).toEqual({ password: 'hunter2', username: 'admin' });
    const flagWins = await sandbox.run(['--cert', keys.certFile], {
      input: secret,
      env: { SEALED_SECRETS_CERT: sandbox.path('missing.pem') },
    });
    expect(flagWins.code).toBe(0);
  });

  it('refuses an empty Secret unless --allow-empty-data', async () => {
    const empty = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: e\n  namespace: n\n';
    const refused = await sandbox.run(['--cert', keys.certFile], { input: empty });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--allow-empty-data');
    const allowed = await sandbox.run(['--cert', keys.certFile, '--allow-empty-data'], { input: empty });
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).spec.encryptedData).toEqual({});
  });

  it('refuses an expired certificate, and seals with a warning under --allow-expired-cert', async () => {
    const expired = await makeKeyFiles(sandbox, 'expired-', { notBefore: new Date(Date.now() - 3 * 86_400_000), validDays: 1 });
    const refused = await sandbox.run(['--cert', expired.certFile], { input: secret });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: The certificate expired on .*--allow-expired-cert/);
    const allowed = await sandbox.run(['--cert', expired.certFile, '--allow-expired-cert'], { input: secret });
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/^warning: the certificate expired on/);
  });
});

describe('--cert URL', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/cert.pem') response.end(keys.certificatePem);
      else response.writeHead(404).end('not here');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('fetches the certificate over HTTP(S), and says which status a failed fetch got', async () => {
    const fetched = await sandbox.run(['--cert', `${url}/cert.pem`], { input: secret });
    expect(fetched.code).toBe(0);
    expect(await opened(JSON.parse(fetched.stdout))).toEqual({ password: 'hunter2', username: 'admin' });
    const missing = await sandbox.run(['--cert', `${url}/nope.pem`], { input: secret });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('answered 404');
  });
});

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;

describe.skipIf(!haveOpenssl)('--cert https://', () => {
  let server: HttpsServer;
  let caFile: string;
  beforeAll(async () => {
    const keyFile = sandbox.path('tls.key');
    caFile = sandbox.path('tls.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        caFile,
      ],
      { stdio: 'ignore' },
    );
    server = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (_, response) =>
      response.end(keys.certificatePem),
    );
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it("fetches the certificate over HTTPS, checking the server's TLS certificate", async () => {
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/v1/cert.pem`;
    const trusted = await sandbox.run(['--cert', url], { input: secret, env: { NODE_EXTRA_CA_CERTS: caFile } });
    expect(trusted.stderr).toBe('');
    expect(await opened(JSON.parse(trusted.stdout))).toEqual({ password: 'hunter2', username: 'admin' });
    const untrusted = await sandbox.run(['--cert', url], { input: secret });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/^error: Cannot fetch the certificate from https:\/\/127\.0\.0\.1:\d+\/v1\/cert\.pem: [A-Z_]+\.\n$/);
  });
});

describe('building the Secret from the command line', () => {
  it('seals --from-literal, --from-env-file and --from-file (files and directories) like kubectl create secret', async () => {
    const envFile = sandbox.write('vars.env', '# comment\nDB_USER=admin\n\nFROM_ENV\nQUOTED="kept quotes"\n');
    sandbox.write('dir/tls.crt', 'CERT');
    sandbox.write('dir/tls.key', 'KEY');
    sandbox.write('dir/nested/ignored', 'x');
    const single = sandbox.write('single.txt', 'file value');
    const result = await sandbox.run(
      [
        '--cert',
        keys.certFile,
        '--name',
        'built',
        '-n',
        'apps',
        '--type',
        'kubernetes.io/tls',
        '--from-literal',
        'lit=a=b',
        '--from-env-file',
        envFile,
        '--from-file',
        sandbox.path('dir'),
        '--from-file',
        `renamed=${single}`,
      ],
      { env: { FROM_ENV: 'from the environment' } },
    );
    expect(result.stderr).toBe('');
    const sealed = JSON.parse(result.stdout);
    expect(sealed.metadata).toMatchObject({ name: 'built', namespace: 'apps' });
    expect(sealed.spec.template.type).toBe('kubernetes.io/tls');
    expect(await opened(sealed)).toEqual({
      lit: 'a=b',
      DB_USER: 'admin',
      FROM_ENV: 'from the environment',
      QUOTED: '"kept quotes"',
      'tls.crt': 'CERT',
      'tls.key': 'KEY',
      renamed: 'file value',
    });
  });

  it('rejects a duplicate key and a key kubectl would reject', async () => {
    const duplicate = await sandbox.run(['--cert', keys.certFile, '--name', 'x', '--from-literal', 'a=1', '--from-literal', 'a=2']);
    expect(duplicate.stderr).toMatch(/^error: The key "a" is given twice/);
    const invalid = await sandbox.run(['--cert', keys.certFile, '--name', 'x', '--from-literal', 'bad key=1']);
    expect(invalid.stderr).toMatch(/^error: "bad key" .* is not a valid Secret key/);
  });
});

describe('a terminal on stdin', () => {
  it("prints kubeseal's hint that a manifest is expected", async () => {
    const output = execFileSync(
      'python3',
      [join(import.meta.dirname, 'fixtures', 'in-terminal.py'), process.execPath, bin, '--cert', keys.certFile],
      {
        encoding: 'utf8',
        env: { ...process.env, ...sandbox.env },
      },
    );
    expect(output).toMatch(/^\(tty detected: expecting json\/yaml k8s resource in stdin\)\r?\n/);
    expect(output).toContain('error: The input is empty');
  });
});
