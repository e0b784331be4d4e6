// kubeseal's flag handling that the differential test cannot judge offline: SEALED_SECRETS_<FLAG>
// for the mode flags and the cluster flags, "-" for stdin wherever a file is read, CRLF files,
// and help that states one default.
import { beforeAll, describe, expect, it } from 'vitest';
import { secretYaml, useSandboxWithKeys } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();
let sealed: string;
beforeAll(async () => {
  sealed = (await sandbox.run(['--cert', keys.certFile, '-o', 'yaml'], { input: secretYaml('db', 'prod', { password: 'hunter2' }) }))
    .stdout;
});

describe('SEALED_SECRETS_<FLAG>', () => {
  it('sets the mode flags: RAW, RECOVERY_UNSEAL, FETCH_CERT, VALIDATE, RE_ENCRYPT', async () => {
    const raw = await sandbox.run(['--from-literal', 'v'], {
      env: { SEALED_SECRETS_RAW: 'true', SEALED_SECRETS_SCOPE: 'cluster-wide', SEALED_SECRETS_CERT: keys.certFile },
    });
    expect(raw.code).toBe(0);
    expect(new TextDecoder().decode((await keys.keyring.open(raw.stdout, { scope: 'cluster-wide' })).plaintext)).toBe('v');
    const unsealed = await sandbox.run([], {
      input: sealed,
      env: { SEALED_SECRETS_RECOVERY_UNSEAL: '1', SEALED_SECRETS_RECOVERY_PRIVATE_KEY: keys.keyFile },
    });
    expect(JSON.parse(unsealed.stdout).data.password).toBe(Buffer.from('hunter2').toString('base64'));
    const certificate = await sandbox.run([], { env: { SEALED_SECRETS_FETCH_CERT: 'true', SEALED_SECRETS_CERT: keys.certFile } });
    expect(certificate.stdout).toBe(keys.certificatePem);
    const valid = await sandbox.run(['--recovery-private-key', keys.keyFile], { input: sealed, env: { SEALED_SECRETS_VALIDATE: 'true' } });
    expect(valid).toMatchObject({ code: 0, stdout: '' });
    const reEncrypted = await sandbox.run(['--recovery-private-key', keys.keyFile, '-o', 'yaml'], {
      input: sealed,
      env: { SEALED_SECRETS_RE_ENCRYPT: 'T' },
    });
    expect(reEncrypted.stdout).toMatch(/^---\napiVersion: bitnami.com\/v1alpha1\nkind: SealedSecret\n/);
    expect(reEncrypted.stdout).not.toBe(sealed);
    // A value that is not Go's true or false is refused rather than silently ignored.
    const bad = await sandbox.run([], { env: { SEALED_SECRETS_RAW: 'yes' } });
    expect(bad).toMatchObject({ code: 2, stderr: 'error: $SEALED_SECRETS_RAW must be true or false (or 1 or 0).\n' });
    // --flag=false (pflag's syntax) turns a boolean off.
    const off = await sandbox.run(['--cert', keys.certFile, '--raw=false', '-n', 'prod'], {
      input: secretYaml('x', undefined, { k: 'v' }),
    });
    expect(JSON.parse(off.stdout).kind).toBe('SealedSecret');
  });

  it("sets the cluster flags: SERVER and TOKEN reach the API server kubectl's way", async () => {
    const requests: { url?: string; authorization?: string; impersonate?: unknown[] }[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      // headersDistinct: one Impersonate-Group line per group, as the API server reads them.
      const impersonate = ['impersonate-user', 'impersonate-group', 'impersonate-uid'].map((name) => request.headersDistinct[name]);
      requests.push({
        url: request.url,
        authorization: request.headers.authorization,
        ...(impersonate.some(Boolean) ? { impersonate } : {}),
      });
      response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"kind":"Status","message":"not found"}');
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const { port } = server.address() as { port: number };
      const result = await sandbox.run(['--fetch-cert', '--insecure-skip-tls-verify', '--controller-name', 'ctl'], {
        env: { SEALED_SECRETS_SERVER: `http://127.0.0.1:${port}`, SEALED_SECRETS_TOKEN: 'CANARY-token' },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: The sealed-secrets controller's Service "kube-system\/ctl" was not found/);
      expect(result.stderr).not.toContain('CANARY-token');
      expect(requests[0]).toEqual({ url: '/api/v1/namespaces/kube-system/services/ctl', authorization: 'Bearer CANARY-token' });
      // Basic authentication and impersonation, as kubectl sends them.
      const flags = [
        '--server',
        `http://127.0.0.1:${port}`,
        '--insecure-skip-tls-verify',
        '--username',
        'u',
        '--password',
        'CANARY-pw',
        '--as',
        'jane',
        '--as-group',
        'a',
        '--as-group',
        'b',
        '--as-uid',
        '42',
      ];
      const impersonating = await sandbox.run(['--fetch-cert', ...flags]);
      expect(impersonating.stderr).not.toContain('CANARY-pw');
      expect(requests[1]).toEqual({
        url: '/api/v1/namespaces/kube-system/services/sealed-secrets-controller',
        authorization: `Basic ${Buffer.from('u:CANARY-pw').toString('base64')}`,
        impersonate: [['jane'], ['a', 'b'], ['42']],
      });
    } finally {
      server.close();
    }
  });
});

describe('files', () => {
  it('reads "-" as stdin wherever a file is read, once', async () => {
    const other = sandbox.write('other.yaml', sealed);
    const diff = await sandbox.run(['diff', '-', other], { input: sealed });
    expect(diff).toMatchObject({ code: 0, stdout: '' });
    const unsealed = await sandbox.run(['unseal', '--key', '-', other], { input: keys.privateKeyPem });
    expect(unsealed.code).toBe(0);
    const twice = await sandbox.run(['unseal', '--key', '-', '-'], { input: sealed });
    expect(twice).toMatchObject({ code: 1, stdout: '' });
    const certificate = await sandbox.run(['--cert', '-', '-f', sandbox.write('s.yaml', secretYaml('s', 'n', { k: 'v' }))], {
      input: keys.certificatePem,
    });
    expect(JSON.parse(certificate.stdout).kind).toBe('SealedSecret');
  });

  it('keeps CRLF line endings when merging into a CRLF file', async () => {
    const file = sandbox.write('crlf.yaml', sealed.replace(/\n/g, '\r\n'));
    const result = await sandbox.run(['--merge-into', file, '--cert', keys.certFile], { input: secretYaml('db', 'prod', { added: 'a' }) });
    expect(result.code).toBe(0);
    const text = sandbox.read('crlf.yaml');
    expect(text).toContain('    added: ');
    expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
  });

  it('states one default per option in help', async () => {
    for (const command of [['diff', '--help'], ['unseal', '--help'], ['--help']]) {
      const help = (await sandbox.run(command)).stdout;
      for (const line of help.split(/\n(?=\s*-)/)) expect(line.match(/\(default: /g)?.length ?? 0, line).toBeLessThanOrEqual(1);
    }
  });
});
