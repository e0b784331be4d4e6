// `sealkit edit` driven by a scripted $EDITOR: only changed values are resealed, the rest of
// the file keeps its bytes, and the plaintext file is private and gone afterwards.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unsealSecret } from '../../packages/core/src/index.js';
import { bin, decode, documents, makeKeyFiles, secretYaml, useSandboxWithKeys } from './helpers.js';

const editor = `node ${join(import.meta.dirname, 'fixtures', 'editor.mjs')}`;
const { sandbox, keys } = useSandboxWithKeys();
let original: string;

interface EditorVisit {
  file: string;
  mode: number;
  text: string;
}

beforeAll(async () => {
  const sealed = await sandbox.run(['--cert', keys.certFile, '-o', 'yaml'], {
    input: secretYaml('app', 'prod', { password: 'old-password', username: 'admin', token: 'tok' }).replace(
      'metadata:\n',
      'metadata:\n  labels:\n    team: a\n',
    ),
  });
  original = `# sealed by CI\n${sealed.stdout}`;
});

let log: string;
beforeEach(() => {
  log = sandbox.write(`editor-${Math.random()}.log`, '');
  sandbox.write('app.yaml', original);
});

function edit(env: Record<string, string>, args: string[] = []) {
  return sandbox.run(['edit', sandbox.path('app.yaml'), '--key', keys.keyFile, ...args], {
    env: { EDITOR: editor, EDITOR_LOG: log, ...env },
  });
}

const visits = (): EditorVisit[] =>
  readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

const encryptedLines = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^ {4}\S+: /.test(l) && !l.includes('creationTimestamp'))
      .map((l) => [l.trim().split(':')[0], l]),
  );

describe('sealkit edit', () => {
  it('reseals only the changed key; unchanged ciphertexts and the rest of the file stay byte-identical', async () => {
    const result = await edit({ EDITOR_REPLACE: JSON.stringify([['password: old-password', 'password: new-password']]) });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`Updated ${sandbox.path('app.yaml')}: SealedSecret "prod/app": changed password.\n`);
    const after = sandbox.read('app.yaml');
    const [before, now] = [encryptedLines(original), encryptedLines(after)];
    expect(now.token).toBe(before.token);
    expect(now.username).toBe(before.username);
    expect(now.password).not.toBe(before.password);
    expect(after.replace(now.password!, '')).toBe(original.replace(before.password!, ''));
    const secret = await unsealSecret(documents(after)[0]!, keys.keyring);
    expect(decode(secret.data!.password!)).toBe('new-password');
  });

  it("seals a changed value for --profile's certificate, as sealing takes it; unchanged values keep their bytes", async () => {
    const next = await makeKeyFiles(sandbox, 'profile-');
    const profiles = sandbox.write('sealkit/profiles.yaml', `profiles:\n  next:\n    cert: ${next.certFile}\n`);
    try {
      const result = await edit({ EDITOR_REPLACE: JSON.stringify([['password: old-password', 'password: new-password']]) }, [
        '--profile',
        'next',
      ]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const after = sandbox.read('app.yaml');
      expect(encryptedLines(after).token).toBe(encryptedLines(original).token);
      const password = documents(after)[0]!.spec.encryptedData.password as string;
      const target = { namespace: 'prod', name: 'app' };
      expect(Buffer.from((await next.keyring.open(password, target)).plaintext).toString()).toBe('new-password');
      await expect(keys.keyring.open(password, target)).rejects.toThrow();
      sandbox.write('app.yaml', original);
      const unknown = await edit({ EDITOR_REPLACE: '[]' }, ['--profile', 'nope']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('There is no profile "nope"');
    } finally {
      rmSync(profiles);
    }
  });

  it('shows the plaintext in a 0600 file that is gone afterwards, on success and on failure', async () => {
    await edit({ EDITOR_REPLACE: '[]' });
    await edit({ EDITOR_EXIT: '3' });
    const [success, failure] = visits();
    for (const visit of [success!, failure!]) {
      expect(visit.mode).toBe(0o600);
      expect(visit.text).toContain('password: old-password');
      expect(existsSync(visit.file)).toBe(false);
    }
  });

  it('adds and removes keys and edits labels', async () => {
    const result = await edit({
      EDITOR_REPLACE: JSON.stringify([
        ['  token: tok\n', '  fresh: value\n'],
        ['team: a', 'team: b'],
      ]),
    });
    expect(result.code).toBe(0);
    const after = sandbox.read('app.yaml');
    expect(Object.keys(documents(after)[0]!.spec.encryptedData)).toEqual(['fresh', 'password', 'username']);
    const secret = await unsealSecret(documents(after)[0]!, keys.keyring);
    expect(decode(secret.data!.fresh!)).toBe('value');
    expect(secret.metadata.labels).toEqual({ team: 'b' });
    expect(after).toContain('# sealed by CI\n');
  });

  it('changes nothing when the file is saved unchanged or emptied', async () => {
    expect((await edit({ EDITOR_REPLACE: '[]' })).stdout).toBe('No changes.\n');
    expect((await edit({ EDITOR_CONTENT: '' })).stdout).toBe('Edit cancelled; nothing was changed.\n');
    expect(sandbox.read('app.yaml')).toBe(original);
  });

  it('leaves the file untouched, with one error line, when the editor fails or the edit is invalid', async () => {
    const failed = await edit({ EDITOR_EXIT: '3' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error: The editor ".*" exited with status 3; nothing was changed\.\n$/);
    const renamed = await edit({ EDITOR_REPLACE: JSON.stringify([['name: app', 'name: other']]) });
    expect(renamed.stderr).toMatch(/^error: The edit has an error \(the name and namespace of SealedSecret "prod\/app" cannot change/);
    const broken = await edit({ EDITOR_REPLACE: JSON.stringify([['stringData:', 'stringData: [']]) });
    expect(broken.stderr).toMatch(/^error: The edit has an error \(the edited file is not valid YAML or JSON/);
    expect(broken.stderr).not.toContain('old-password');
    expect(sandbox.read('app.yaml')).toBe(original);
  });
});

describe('sealkit edit killed by SIGKILL', () => {
  it('leaves its plaintext only until the next edit, which removes it and says so', async () => {
    const tmp = sandbox.path('kill-tmp');
    mkdirSync(tmp, { mode: 0o700 });
    const seen = sandbox.write('slow-editor.seen', '');
    const slowEditor = sandbox.write('slow-editor.sh', `#!/bin/sh\necho "$1 $$" > "${seen}"\nexec sleep 60\n`);
    chmodSync(slowEditor, 0o700);
    const child = spawn(process.execPath, [bin, 'edit', sandbox.path('app.yaml'), '--key', keys.keyFile], {
      env: { PATH: process.env.PATH, ...sandbox.env, TMPDIR: tmp, EDITOR: slowEditor },
      stdio: 'ignore',
    });
    let plaintextFile = '';
    let editorPid = 0;
    for (let waited = 0; !plaintextFile && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [plaintextFile = '', editorPid = 0] = readFileSync(seen, 'utf8')
        .trim()
        .split(' ')
        .map((part, i) => (i ? Number(part) : part)) as [string, number];
    }
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    process.kill(editorPid, 'SIGKILL');
    expect(readFileSync(plaintextFile, 'utf8')).toContain('old-password'); // nothing could remove it

    const next = await sandbox.run(['edit', sandbox.path('app.yaml'), '--key', keys.keyFile], {
      env: { TMPDIR: tmp, EDITOR: editor, EDITOR_LOG: log, EDITOR_REPLACE: '[]' },
    });
    expect(next.code).toBe(0);
    expect(next.stderr).toBe(`(sealkit: removed ${dirname(plaintextFile)}, the plaintext of an edit whose sealkit was killed)\n`);
    expect(existsSync(dirname(plaintextFile))).toBe(false);
    expect(sandbox.read('app.yaml')).toBe(original);
  });
});

describe('sealkit edit stopped by a catchable signal', () => {
  /** Starts an edit whose editor records its plaintext file, pid and core limit, then waits. */
  async function editWaiting(name: string) {
    const seen = sandbox.write(`${name}.seen`, '');
    const slowEditor = sandbox.write(`${name}.sh`, `#!/bin/sh\necho "$1 $$ $(ulimit -c)" > "${seen}"\nexec sleep 60\n`);
    chmodSync(slowEditor, 0o700);
    const child = spawn(
      'sh',
      ['-c', 'ulimit -c unlimited; exec "$@"', 'sh', process.execPath, bin, 'edit', sandbox.path('app.yaml'), '--key', keys.keyFile],
      {
        env: { PATH: process.env.PATH, ...sandbox.env, EDITOR: slowEditor },
        stdio: 'ignore',
      },
    );
    let fields: string[] = [];
    for (let waited = 0; fields.length < 3 && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      fields = readFileSync(seen, 'utf8').trim().split(' ').filter(Boolean);
    }
    const [plaintextFile, editorPid, coreLimit] = fields as [string, string, string];
    return { child, plaintextFile, editorPid: Number(editorPid), coreLimit };
  }

  for (const signal of ['SIGQUIT', 'SIGUSR2', 'SIGABRT', 'SIGTRAP', 'SIGXCPU', 'SIGVTALRM', 'SIGPROF'] as const) {
    it(`removes the plaintext on ${signal}, with core dumps off for it and the editor`, async () => {
      const { child, plaintextFile, editorPid, coreLimit } = await editWaiting(signal);
      expect(coreLimit).toBe('0');
      expect(existsSync(plaintextFile)).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill(signal);
      const code = await exited;
      try {
        process.kill(editorPid, 'SIGKILL');
      } catch {
        // Gone with the terminal's process group, or by itself.
      }
      expect(existsSync(dirname(plaintextFile))).toBe(false);
      expect(code).toBeGreaterThan(128);
      expect(sandbox.read('app.yaml')).toBe(original);
    });
  }
});
