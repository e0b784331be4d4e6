// A broken kubeconfig gives one clear, typed error, and no password from a URL reaches any
// message: not the kubeconfig's server URL, not a --cert URL, not --debug output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, secretYaml } from './helpers.js';

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = new Sandbox();
});
afterAll(() => sandbox.cleanup());

const PASSWORD = 'CANARY-url-password';

function kubeconfig(name: string, cluster: string, user: string): string {
  return sandbox.write(
    name,
    `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster: ${cluster}\nusers:\n- name: u\n  user: ${user}\n`,
  );
}

const input = secretYaml('s', 'n', { k: 'v' });

describe('kubeconfig failures', () => {
  it.each([
    [
      'a server URL that is not a URL',
      () => kubeconfig('bad-url', `{server: 'https://admin:${PASSWORD}@[bad'}`, '{}'),
      /^error: The server of the kubeconfig's current cluster is not a URL; /,
    ],
    [
      'a server URL of another scheme',
      () => kubeconfig('ftp-url', `{server: 'ftp://admin:${PASSWORD}@host'}`, '{}'),
      /^error: The server of the kubeconfig's current cluster uses ftp; /,
    ],
    [
      'client-key-data that is no key',
      () =>
        kubeconfig(
          'bad-key',
          `{server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}`,
          '{client-certificate-data: bm90IGEgY2VydA==, client-key-data: bm90IGEga2V5}',
        ),
      /^error: Cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:1: the certificates or key in your kubeconfig cannot be loaded \(ERR_OSSL_\w+\)/,
    ],
    [
      'an exec plugin that fails with nothing to say',
      () =>
        kubeconfig(
          'bad-exec',
          `{server: 'https://127.0.0.1:1'}`,
          '{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: "false"}}',
        ),
      /^error: The kubeconfig user's exec plugin "false" failed or printed no credential; run it yourself to see why, or log in again\.\n$/,
    ],
    [
      'an exec plugin that is not installed',
      () =>
        kubeconfig(
          'no-exec',
          `{server: 'https://127.0.0.1:1'}`,
          '{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: sealkit-no-such-plugin}}',
        ),
      /^error: The kubeconfig user's exec plugin "sealkit-no-such-plugin" could not be started \(not found\)/,
    ],
    [
      'an unreachable server with a password in its URL',
      () => kubeconfig('password', `{server: 'http://admin:${PASSWORD}@127.0.0.1:1', insecure-skip-tls-verify: true}`, '{}'),
      /^error: Cannot reach the Kubernetes API server at http:\/\/127\.0\.0\.1:1: the connection was refused; /,
    ],
  ])('%s: one typed line, no password, no "Unexpected failure"', async (_, file, message) => {
    const result = await sandbox.run(['--fetch-cert', '--kubeconfig', file(), '--debug'], { input });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(lines).toHaveLength(1);
    expect(`${lines[0]}\n`).toMatch(message);
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toContain('Unexpected failure');
  });

  it("strips the password from a --cert URL, in sealkit's words and the fetch library's", async () => {
    for (const url of [
      `https://admin:${PASSWORD}@127.0.0.1:9/cert.pem`,
      `http://admin:${PASSWORD}@sealkit-no-such-host.invalid/cert.pem`,
    ]) {
      const result = await sandbox.run(['--cert', url, '-n', 'n', '--debug'], { input });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^error: Cannot fetch the certificate from https?:\/\/(127\.0\.0\.1:9|sealkit-no-such-host\.invalid)\/cert\.pem: /,
      );
      expect(result.stderr).not.toContain(PASSWORD);
    }
  });

  it('hides the query of a --cert URL, which may carry a token or a signature', async () => {
    const result = await sandbox.run(
      ['--cert', `https://127.0.0.1:9/cert.pem?X-Amz-Signature=${PASSWORD}#${PASSWORD}`, '-n', 'n', '--debug'],
      { input },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Cannot fetch the certificate from https:\/\/127\.0\.0\.1:9\/cert\.pem\?…: /);
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it("applies kubectl's flags: --server with no kubeconfig reaches that server, and its password stays out of messages", async () => {
    const result = await sandbox.run([
      '--fetch-cert',
      '--server',
      `http://admin:${PASSWORD}@127.0.0.1:1`,
      '--insecure-skip-tls-verify',
      '--request-timeout',
      '2s',
      '--debug',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach the Kubernetes API server at http://127.0.0.1:1: the connection was refused');
    expect(result.stderr).not.toContain(PASSWORD);
    const badTimeout = await sandbox.run(['--fetch-cert', '--server', 'https://127.0.0.1:1', '--request-timeout', 'soon']);
    expect(badTimeout).toMatchObject({ code: 2 });
    expect(badTimeout.stderr).toMatch(/^error: --request-timeout takes a duration/);
  });
});
