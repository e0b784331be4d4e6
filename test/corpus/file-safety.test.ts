// File safety, against the built sealkit (`pnpm build` first): writes that replace a user's file
// (-w / --sealed-secret-file, --merge-into) are atomic (a new inode renamed into place, no
// temporary left behind, the old file untouched on failure) and keep the file's mode, owner and group; keygen
// writes private keys 0600 in 0700 directories even under umask 000; and a world-readable
// private key is warned about, as ssh does.
import { chmodSync, chownSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, documents, runIn, secretYaml, type RunResult } from '../cli/helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'bad-inputs', 'fixtures');
const CANARY = 'CANARY-corpus-51c2';
const mode = (path: string) => statSync(path).mode & 0o7777;

let sandbox: Sandbox;
let cert: string;
let key: string;

beforeAll(() => {
  sandbox = new Sandbox();
  cert = sandbox.write('cert.pem', readFileSync(join(fixtures, 'cert.pem')));
  key = sandbox.write('key.pem', readFileSync(join(fixtures, 'key.pem')));
  chmodSync(key, 0o600);
});
afterAll(() => sandbox.cleanup());

/** Runs sealkit under `umask`, so that the result does not depend on the runner's umask. */
const sh = (umask: string, args: string[], env: Record<string, string> = {}, input = ''): Promise<RunResult> =>
  sandbox.run(args, { umask, env, input });

/** Files whose name looks like a temporary (sealkit's are `.<name>.<hex>.tmp`). */
const temporaries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.startsWith('.'));

describe('-w / --sealed-secret-file', () => {
  it('replaces an existing 0640 file atomically and keeps 0640 (umask 022)', async () => {
    const out = sandbox.write('w/sealed.yaml', 'old content\n');
    chmodSync(out, 0o640);
    const oldLink = sandbox.path('w/old-hardlink.yaml');
    linkSync(out, oldLink);
    const inode = statSync(out).ino;
    const result = await sh('022', ['--cert', cert, '-w', out], {}, secretYaml('s', 'n', { password: CANARY }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(mode(out)).toBe(0o640);
    // A rename, not an in-place rewrite: the path has a new inode and the old one still holds the old bytes.
    expect(statSync(out).ino).not.toBe(inode);
    expect(readFileSync(oldLink, 'utf8')).toBe('old content\n');
    expect(documents(readFileSync(out, 'utf8'))[0]!.kind).toBe('SealedSecret');
    expect(readFileSync(out, 'utf8')).not.toContain(CANARY);
    expect(temporaries(dirname(out))).toEqual([]);
  });

  it('keeps an unusual mode (0604) and the --sealed-secret-file spelling behaves the same', async () => {
    const out = sandbox.write('w2/sealed.json', '{}\n');
    chmodSync(out, 0o604);
    const result = await sh('077', ['--cert', cert, '--sealed-secret-file', out], {}, secretYaml('s', 'n', { password: CANARY }));
    expect(result.code).toBe(0);
    expect(mode(out)).toBe(0o604);
    expect(JSON.parse(readFileSync(out, 'utf8')).kind).toBe('SealedSecret');
  });

  const asRoot = process.getuid?.() === 0;

  it.skipIf(!asRoot)("keeps the replaced file's owner and group (run as root)", async () => {
    const out = sandbox.write('owned/sealed.yaml', 'old content\n');
    chownSync(out, 4242, 4343);
    chmodSync(out, 0o640);
    const result = await sh('022', ['--cert', cert, '-w', out], {}, secretYaml('s', 'n', { password: CANARY }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(statSync(out)).toMatchObject({ uid: 4242, gid: 4343 });
    expect(mode(out)).toBe(0o640);
  });

  it.skipIf(!asRoot)('does not hand a private file (unseal -w) to the owner of the file it replaces', async () => {
    const sealed = await sh('022', ['--cert', cert], {}, secretYaml('s', 'n', { password: CANARY }));
    const out = sandbox.write('planted/plain.yaml', 'planted by someone else\n');
    chownSync(out, 4242, 4343);
    const result = await sh('022', ['unseal', '--key', key, '-w', out], {}, sealed.stdout);
    expect(result.code).toBe(0);
    expect(statSync(out)).toMatchObject({ uid: 0, gid: 0 });
    expect(mode(out)).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain(Buffer.from(CANARY).toString('base64'));
  });

  it.skipIf(!asRoot)('says so when the owner and group cannot be kept (another user replacing a file of root)', async () => {
    // A directory anyone may write, reached through the sandbox (traversable, not listable).
    chmodSync(sandbox.dir, 0o711);
    const dir = sandbox.path('shared-dir');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    const certCopy = join(dir, 'cert.pem');
    writeFileSync(certCopy, readFileSync(cert), { mode: 0o644 });
    const out = join(dir, 'sealed.yaml');
    writeFileSync(out, 'old content\n', { mode: 0o644 });
    const result = await runIn(undefined, ['--cert', certCopy, '-w', out], {
      via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      cwd: dir,
      env: { HOME: dir, SEALKIT_HOME: join(dir, 'sealkit') },
      input: secretYaml('s', 'n', { password: CANARY }),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`warning: The owner and group of "${out}" could not be kept: the new file has yours.\n`);
    expect(statSync(out)).toMatchObject({ uid: 65534, gid: 65534 });
    expect(documents(readFileSync(out, 'utf8'))[0]!.kind).toBe('SealedSecret');
  });

  it('writes through a symbolic link, keeping the link and the target mode', async () => {
    const target = sandbox.write('w3/real.yaml', 'old\n');
    chmodSync(target, 0o640);
    const link = sandbox.path('w3/link.yaml');
    symlinkSync(target, link);
    const result = await sh('022', ['--cert', cert, '-w', link], {}, secretYaml('s', 'n', { password: CANARY }));
    expect(result.code).toBe(0);
    expect(statSync(link, { throwIfNoEntry: true }).isFile()).toBe(true);
    expect(readdirSync(dirname(link)).sort()).toEqual(['link.yaml', 'real.yaml']);
    expect(mode(target)).toBe(0o640);
    expect(readFileSync(target, 'utf8')).toMatch(/kind: SealedSecret/);
  });

  it('leaves the old file untouched (bytes, inode, mode) when sealing fails', async () => {
    const out = sandbox.write('w4/sealed.yaml', 'precious\n');
    chmodSync(out, 0o640);
    const inode = statSync(out).ino;
    const result = await sh(
      '022',
      ['--cert', cert, '-w', out],
      {},
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: ${CANARY}}\n`,
    );
    expect(result.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
    expect(statSync(out).ino).toBe(inode);
    expect(mode(out)).toBe(0o640);
    expect(temporaries(dirname(out))).toEqual([]);
  });
});

describe('--merge-into', () => {
  it('merges atomically and keeps a 0640 file 0640', async () => {
    const sealed = sandbox.write('m/sealed.yaml', readFileSync(join(fixtures, 'sealed.yaml')));
    chmodSync(sealed, 0o640);
    const inode = statSync(sealed).ino;
    const result = await sh('022', ['--cert', cert, '--merge-into', sealed], {}, secretYaml('s', 'n', { extra: CANARY }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(mode(sealed)).toBe(0o640);
    expect(statSync(sealed).ino).not.toBe(inode);
    const merged = documents(readFileSync(sealed, 'utf8'))[0]!;
    expect(Object.keys(merged.spec.encryptedData).sort()).toEqual(['extra', 'password']);
    expect(readFileSync(sealed, 'utf8')).not.toContain(CANARY);
    expect(temporaries(dirname(sealed))).toEqual([]);
  });

  it('leaves the file untouched when the merge fails', async () => {
    const sealed = sandbox.write('m2/sealed.yaml', readFileSync(join(fixtures, 'sealed.yaml')));
    chmodSync(sealed, 0o600);
    const before = readFileSync(sealed);
    const inode = statSync(sealed).ino;
    const result = await sh(
      '022',
      ['--cert', cert, '--merge-into', sealed],
      {},
      `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\ndata: {k: "${CANARY}!"}\n`,
    );
    expect(result.code).toBe(1);
    expect(readFileSync(sealed).equals(before)).toBe(true);
    expect(statSync(sealed).ino).toBe(inode);
    expect(mode(sealed)).toBe(0o600);
    expect(temporaries(dirname(sealed))).toEqual([]);
  });
});

describe('keygen', () => {
  it('writes private keys 0600 and the keyring directories 0700, even under umask 000', async () => {
    const home = sandbox.path('keygen-home/sealkit'); // does not exist yet: sealkit creates it
    const result = await sh('000', ['keygen', '--key-size', '2048'], { SEALKIT_HOME: home });
    expect(result.code).toBe(0);
    const keys = join(home, 'keys');
    expect(mode(home)).toBe(0o700);
    expect(mode(keys)).toBe(0o700);
    const files = readdirSync(keys);
    expect(files.length).toBe(1);
    for (const file of files) expect(mode(join(keys, file))).toBe(0o600);
    // A rotation adds a second key with the same care.
    const rotated = await sh('000', ['rotate', '--key-size', '2048'], { SEALKIT_HOME: home });
    expect(rotated.code).toBe(0);
    const after = readdirSync(keys);
    expect(after.length).toBe(2);
    for (const file of after) expect(mode(join(keys, file))).toBe(0o600);
  });
});

describe('a world-readable private key', () => {
  // ssh refuses a private key others can read; sealkit should refuse it or at least warn (with a flag to override).
  it('--recovery-private-key with a 0644 key is warned about', async () => {
    const open = sandbox.write('open-key.pem', readFileSync(key));
    chmodSync(open, 0o644);
    const result = await sh('022', [
      '--recovery-unseal',
      '--recovery-private-key',
      open,
      '-o',
      'yaml',
      '-f',
      join(fixtures, 'sealed.yaml'),
    ]);
    const refused = result.code !== 0 && /readable|permission|0644|mode/i.test(result.stderr);
    const warned = result.code === 0 && /readable|permission|0644|mode/i.test(result.stderr);
    expect(refused || warned).toBe(true);
  });

  it('a 0600 key is used without any warning (the control case)', async () => {
    const result = await sh('022', ['--recovery-unseal', '--recovery-private-key', key, '-o', 'yaml', '-f', join(fixtures, 'sealed.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(documents(result.stdout)[0]!.data.password).toBe(Buffer.from(CANARY).toString('base64'));
  });
});
