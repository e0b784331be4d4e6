// Issue 12, items 5, 6 and 11: what the CLI reads is capped as it is read (special files
// report no size), -w writes into a device or FIFO instead of replacing it, and another
// user's symbolic link in a sticky world-writable directory is not followed.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, lchownSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, repoRoot, secretYaml, useSandboxWithKeys } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();

const CANARY = 'CANARY-files-91d0';
const asRoot = process.getuid?.() === 0;

describe.concurrent('reading special files', () => {
  const cases: [string, (file: string) => string[], RegExp][] = [
    ['-f', (file) => ['--cert', keys.certFile, '-f', file], /^error: The input "\/dev\/zero" is larger than 64 MiB/],
    [
      '--cert',
      (file) => ['--cert', file, '-f', sandbox.write('s.yaml', secretYaml('s', 'n', { a: 'b' }))],
      /^error: The certificate file "\/dev\/zero" is larger than 64 MiB/,
    ],
    [
      '--recovery-private-key',
      (file) => ['--recovery-unseal', '--recovery-private-key', file, '-f', join(repoRoot, 'test/corpus/bad-inputs/fixtures/sealed.yaml')],
      /^error: The private key file "\/dev\/zero" is larger than 64 MiB/,
    ],
    [
      '--from-file',
      (file) => ['--cert', keys.certFile, '--from-file', `a=${file}`, '--name', 's', '--namespace', 'n'],
      /^error: The file "\/dev\/zero" is larger than 64 MiB/,
    ],
    [
      '--from-env-file',
      (file) => ['--cert', keys.certFile, '--from-env-file', file, '--name', 's', '--namespace', 'n'],
      /^error: The env file "\/dev\/zero" is larger than 64 MiB/,
    ],
  ];
  for (const [option, args, message] of cases) {
    it(`stops reading /dev/zero given to ${option} at 64 MiB`, async () => {
      const started = performance.now();
      const result = await sandbox.run(args('/dev/zero'));
      expect(performance.now() - started).toBeLessThan(5000);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
    });
  }
});

describe('reading a --cert URL', () => {
  it('stops a body that does not end at 64 MiB', async () => {
    const server = createServer((_, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(1 << 20, 0x41);
      const send = () => {
        while (response.write(chunk));
      };
      response.on('drain', send);
      send();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cert.pem`;
      const result = await sandbox.run(['--cert', url, '-f', sandbox.write('u.yaml', secretYaml('s', 'n', { a: 'b' }))]);
      expect(result.stderr).toBe(`error: The certificate at ${url} is larger than 64 MiB; that is not a certificate.\n`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('-w to what is not a regular file', () => {
  it('writes into a FIFO and leaves it a FIFO', async () => {
    const fifo = sandbox.path('out.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (chunk: Buffer) => (read += chunk.toString()));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const result = await sandbox.run(['--cert', keys.certFile, '-o', 'yaml', '-w', fifo], {
      input: secretYaml('s', 'n', { password: CANARY }),
    });
    await closed;
    expect(result.code).toBe(0);
    expect(read).toMatch(/kind: SealedSecret/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('writes into /dev/null without replacing it, and into /dev/stdout when that is a pipe', async () => {
    const before = statSync('/dev/null');
    const toNull = await sandbox.run(['--cert', keys.certFile, '-w', '/dev/null'], { input: secretYaml('s', 'n', { password: CANARY }) });
    expect(toNull.code).toBe(0);
    const after = statSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.rdev).toBe(before.rdev);
    // A real pipe, as a shell makes one (Node's own child stdio is a socket).
    const secretFile = sandbox.write('pipe-secret.yaml', secretYaml('s', 'n', { password: CANARY }));
    const piped = execFileSync(
      'sh',
      ['-c', '"$0" "$1" --cert "$2" -o yaml -f "$3" -w /dev/stdout | cat', process.execPath, bin, keys.certFile, secretFile],
      {
        encoding: 'utf8',
        env: { ...process.env, ...sandbox.env },
      },
    );
    expect(piped).toMatch(/^---\napiVersion: bitnami.com\/v1alpha1\nkind: SealedSecret\n/);
    const toSocket = await sandbox.run(['--cert', keys.certFile, '-o', 'yaml', '-w', '/dev/stdout'], {
      input: secretYaml('s', 'n', { password: CANARY }),
    });
    expect(toSocket.stderr).toBe('');
    expect(toSocket.stdout).toMatch(/^---\napiVersion: bitnami.com\/v1alpha1\nkind: SealedSecret\n/);
  });
});

describe('a reader that goes away', () => {
  it('ends help and --version quietly, exit 0, when the reader has closed the pipe (| head)', async () => {
    for (const args of [['--help'], ['reseal', '--help'], ['keygen', '--help'], ['--version']]) {
      const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...sandbox.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // closed long before the child starts writing: every write meets EPIPE
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise((done) => child.on('close', done));
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });
});

describe('-w through a symbolic link', () => {
  it.skipIf(!asRoot)("refuses another user's link in a sticky world-writable directory, as protected_symlinks does", async () => {
    const shared = sandbox.path('tmp-like');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const victim = sandbox.write('victim.txt', 'precious\n');
    const link = join(shared, 'out.yaml');
    symlinkSync(victim, link);
    lchownSync(link, 65534, 65534);
    const result = await sandbox.run(['--cert', keys.certFile, '-w', link], { input: secretYaml('s', 'n', { password: CANARY }) });
    expect(result.stderr).toMatch(
      /^error: Refusing to write through the symbolic link ".*out\.yaml": another user owns it, in a shared directory; write to the file itself\.\n$/,
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    // The caller's own link there is followed as before.
    lchownSync(link, 0, 0);
    const own = await sandbox.run(['--cert', keys.certFile, '-w', link], { input: secretYaml('s', 'n', { password: CANARY }) });
    expect(own.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toMatch(/kind: SealedSecret/);
  });
});

describe('diff of hostile key names', () => {
  it('escapes terminal control characters in the keys it lists', async () => {
    const sealed = (keys: string[]) =>
      JSON.stringify({
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: 's', namespace: 'n' },
        spec: { encryptedData: Object.fromEntries(keys.map((key) => [key, 'AgBB'])) },
      });
    const before = sandbox.write('diff-a.json', sealed(['a']));
    const after = sandbox.write('diff-b.json', sealed(['a', '\u001b]0;pwned\u0007\u001b[2J']));
    const result = await sandbox.run(['diff', before, after]);
    expect(result.stdout).toContain('+ \\u001b]0;pwned\\u0007\\u001b[2J');
    expect(result.stdout + result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
