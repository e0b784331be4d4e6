// Quiet diffs: unchanged values keep their ciphertext bytes, and `sealkit diff --textconv` as Git's diff driver.
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, bin, secretYaml } from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = new Sandbox();
  expect((await sandbox.run(['keygen', '--key-size', '2048'])).code).toBe(0);
});
afterAll(() => sandbox.cleanup());

const valueLine = (text: string, key: string) => text.split('\n').find((line) => line.trimStart().startsWith(`${key}: `));

describe('quiet diffs', () => {
  it('--merge-into keeps the ciphertext of a value whose plaintext did not change, with the local keyring at hand', async () => {
    const sealed = await sandbox.run(['-o', 'yaml', '-w', 'app.yaml'], { input: secretYaml('app', 'prod', { same: 'S', changed: 'old' }) });
    expect(sealed.code).toBe(0);
    const before = sandbox.read('app.yaml');
    const merged = await sandbox.run(['--merge-into', sandbox.path('app.yaml')], {
      input: secretYaml('app', 'prod', { same: 'S', changed: 'new', added: 'A' }),
    });
    expect(merged.code).toBe(0);
    expect(merged.stderr).toMatch(/^\(sealkit: sealing with the local keyring in .*: no cluster is configured\)\n$/); // only the note on which keys
    const after = sandbox.read('app.yaml');
    expect(valueLine(after, 'same')).toBe(valueLine(before, 'same'));
    expect(valueLine(after, 'changed')).not.toBe(valueLine(before, 'changed'));
    expect(valueLine(after, 'added')).toBeDefined();
    const opened = JSON.parse((await sandbox.run(['unseal', sandbox.path('app.yaml')])).stdout);
    expect(Buffer.from(opened.data.changed, 'base64').toString()).toBe('new');
  });

  it('diff --textconv hides resealing but shows a changed value, never printing values', async () => {
    await sandbox.run(['-o', 'yaml', '-w', 'tc.yaml'], { input: secretYaml('tc', 'prod', { password: 'hunter2', user: 'admin' }) });
    const first = await sandbox.run(['diff', '--textconv', sandbox.path('tc.yaml')]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/password: sealkit-value:[0-9a-f]{16}\n/);
    expect(first.stdout).not.toContain('hunter2');
    // Everything else is the file's own text.
    expect(first.stdout.replace(/sealkit-value:[0-9a-f]+/g, 'X')).toBe(sandbox.read('tc.yaml').replace(/^( {4}\w+: )\S+/gm, '$1X'));

    await sandbox.run(['rotate', '--key-size', '2048']);
    expect((await sandbox.run(['reseal', sandbox.path('tc.yaml')])).code).toBe(0);
    expect((await sandbox.run(['diff', '--textconv', sandbox.path('tc.yaml')])).stdout).toBe(first.stdout);

    await sandbox.run(['--merge-into', sandbox.path('tc.yaml')], { input: secretYaml('tc', 'prod', { password: 'hunter3' }) });
    const changed = (await sandbox.run(['diff', '--textconv', sandbox.path('tc.yaml')])).stdout;
    expect(valueLine(changed, 'password')).not.toBe(valueLine(first.stdout, 'password'));
    expect(valueLine(changed, 'user')).toBe(valueLine(first.stdout, 'user'));

    // Without keys: a hash of the ciphertext. Not a manifest: the text as it is.
    const stranger = await sandbox.run(['diff', '--textconv', sandbox.path('tc.yaml')], { env: { SEALKIT_HOME: sandbox.path('nobody') } });
    expect(stranger.stdout).toMatch(/password: sealkit-sealed:[0-9a-f]{16}\n/);
    sandbox.write('notes.txt', 'just: [text');
    expect((await sandbox.run(['diff', '--textconv', sandbox.path('notes.txt')])).stdout).toBe('just: [text');
  });

  it('works as a Git diff driver: git diff is empty after a reseal and names the changed key after an edit', async () => {
    const repo = sandbox.path('repo');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          ...sandbox.env,
          PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
          GIT_CONFIG_NOSYSTEM: '1',
          HOME: sandbox.home,
        },
      });
    sandbox.write('repo/.gitattributes', '*.yaml diff=sealkit\n');
    await sandbox.run(['-o', 'yaml', '-w', 'repo/db.yaml'], { input: secretYaml('db', 'prod', { password: 'p1', user: 'u' }) });
    git('init', '-q');
    git('config', 'diff.sealkit.textconv', `"${process.execPath}" "${bin}" diff --textconv`);
    git('add', '.');
    git('commit', '-qm', 'sealed');
    await sandbox.run(['rotate', '--key-size', '2048']);
    expect((await sandbox.run(['reseal', repo])).stdout).toContain('Resealed 2 value(s) in 1 of 1 file(s)');
    expect(git('status', '--porcelain')).toContain('db.yaml');
    expect(git('diff')).toBe('');
    await sandbox.run(['--merge-into', `${repo}/db.yaml`], { input: secretYaml('db', 'prod', { password: 'p2' }) });
    const diff = git('diff');
    expect(
      diff
        .split('\n')
        .filter((line) => /^[-+] /.test(line))
        .map((line) => line.replace(/sealkit-value:\w+/, 'V')),
    ).toEqual(['-    password: V', '+    password: V']);
  });
});
