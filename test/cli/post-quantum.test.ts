// Post-quantum sealing end to end through the built CLI: a certificate with the ML-KEM
// extension seals post-quantum (and says so), --classic seals Bitnami's format, unseal opens
// both, validate warns about values only sealkit opens, reseal --classic converts them back
// (proven by kubeseal --recovery-unseal where it is built), keygen --post-quantum makes such a key.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, inspectSealed, keySecret } from '../../packages/core/src/index.js';
import { referencePath, referenceSkipReason } from '../reference/binaries.js';
import { Sandbox, decode, documents, runCommand, secretYaml } from './helpers.js';

let sandbox: Sandbox;
let certFile: string;
let backupFile: string;
const secret = secretYaml('db', 'prod', { password: 'hunter2', user: 'admin' });
const formats = (yaml: string) =>
  Object.values(documents(yaml)[0]!.spec.encryptedData as Record<string, string>).map((value) => inspectSealed(value).format);

beforeAll(async () => {
  sandbox = new Sandbox();
  const pair = await generateKeyPair({ bits: 2048, postQuantum: true });
  certFile = sandbox.write('cert.pem', pair.certificatePem);
  backupFile = sandbox.write('backup.json', JSON.stringify(keySecret({ ...pair, metadata: { name: 'sealed-secrets-keyabcde' } })));
});
afterAll(() => sandbox?.cleanup());

const opened = async (sealedYaml: string) => {
  const result = await sandbox.run(['unseal', '--key', backupFile, '-o', 'json'], { input: sealedYaml });
  expect(result.stderr).toBe('');
  const data = JSON.parse(result.stdout).data as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, decode(value)]));
};

describe('sealkit with a post-quantum certificate', () => {
  it('seals post-quantum, says so on stderr, and unseal (and --recovery-unseal) open it', async () => {
    const result = await sandbox.run(['--cert', certFile, '-o', 'yaml'], { input: secret });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/sealing post-quantum \(ML-KEM-768 \+ RSA\).*--classic/);
    expect(formats(result.stdout)).toEqual(['post-quantum', 'post-quantum']);
    expect(await opened(result.stdout)).toEqual({ password: 'hunter2', user: 'admin' });
    const recovered = await sandbox.run(['--recovery-unseal', '--recovery-private-key', backupFile, '-o', 'json'], {
      input: result.stdout,
    });
    expect(decode(JSON.parse(recovered.stdout).data.password)).toBe('hunter2');
  });

  it('cert --info names the ML-KEM key', async () => {
    expect((await sandbox.run(['cert', '--info', '--cert', certFile])).stdout).toMatch(
      /key +RSA-2048 \+ ML-KEM-768 \(seals post-quantum values/,
    );
    expect(JSON.parse((await sandbox.run(['cert', '--info', '--cert', certFile, '-o', 'json'])).stdout).postQuantum).toBe(true);
  });

  it("--classic seals Bitnami's format with the same certificate, quietly", async () => {
    const result = await sandbox.run(['--cert', certFile, '--classic', '-o', 'yaml'], { input: secret });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(formats(result.stdout)).toEqual(['classic', 'classic']);
    expect(await opened(result.stdout)).toEqual({ password: 'hunter2', user: 'admin' });
  });

  it('--raw seals one value post-quantum, or classic with --classic', async () => {
    for (const [args, format] of [
      [[], 'post-quantum'],
      [['--classic'], 'classic'],
    ] as const) {
      const result = await sandbox.run(['--cert', certFile, '--raw', '--namespace', 'prod', '--name', 'db', ...args], { input: 's3cr3t' });
      expect(result.code).toBe(0);
      expect(inspectSealed(result.stdout).format).toBe(format);
      const back = await sandbox.run(['unseal', '--raw', '--key', backupFile, '--namespace', 'prod', '--name', 'db'], {
        input: result.stdout,
      });
      expect(back.stdout).toBe('s3cr3t');
    }
  });

  it("validate warns that post-quantum values need sealkit's controller, and passes classic ones quietly", async () => {
    const pq = sandbox.write('pq/sealed.yaml', (await sandbox.run(['--cert', certFile, '-o', 'yaml'], { input: secret })).stdout);
    const classic = sandbox.write(
      'classic/sealed.yaml',
      (await sandbox.run(['--cert', certFile, '--classic', '-o', 'yaml'], { input: secret })).stdout,
    );
    const warned = await sandbox.run(['validate', '--cert', certFile, pq]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(
      /warning: SealedSecret "prod\/db": the values "password", "user" are sealed post-quantum: only sealkit's controller opens them.*sealkit reseal --classic/,
    );
    const quiet = await sandbox.run(['validate', '--cert', certFile, classic]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toMatch(/post-quantum|warning/);
    const opened = await sandbox.run(['validate', '--cert', certFile, '--key', backupFile, pq]);
    expect(opened.stdout).not.toMatch(/error/);
  });

  it('reseal --classic converts post-quantum values back (kubeseal opens them then), and reseal converts them forward again', async () => {
    const file = sandbox.write('repo/sealed.yaml', (await sandbox.run(['--cert', certFile, '-o', 'yaml'], { input: secret })).stdout);
    const back = await sandbox.run(['reseal', '--classic', '--key', backupFile, join(sandbox.dir, 'repo')]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/Resealed 2 value\(s\) in 1 of 1 file/);
    const classicYaml = readFileSync(file, 'utf8');
    expect(formats(classicYaml)).toEqual(['classic', 'classic']);
    expect(await opened(classicYaml)).toEqual({ password: 'hunter2', user: 'admin' });
    if (!referenceSkipReason('kubeseal')) {
      const kubeseal = (input: string) =>
        runCommand(sandbox, [referencePath('kubeseal'), '--recovery-unseal', '--recovery-private-key', backupFile, '-o', 'json'], {
          input,
        });
      const ok = await kubeseal(classicYaml);
      expect(ok.code, ok.stderr).toBe(0);
      expect(decode(JSON.parse(ok.stdout).data.password)).toBe('hunter2');
      // Bitnami's code cannot open a post-quantum value: it fails, it never misreads it.
      const pq = await kubeseal((await sandbox.run(['--cert', certFile, '-o', 'yaml'], { input: secret })).stdout);
      expect(pq.code).not.toBe(0);
    }
    const again = await sandbox.run(['reseal', '--classic', '--key', backupFile, join(sandbox.dir, 'repo')]);
    expect(again.stdout).toMatch(/Resealed 0 value\(s\).*2 value\(s\) already use it/);
    const forward = await sandbox.run(['reseal', '--key', backupFile, join(sandbox.dir, 'repo')]);
    expect(forward.stderr).toMatch(/sealing post-quantum/);
    expect(formats(readFileSync(file, 'utf8'))).toEqual(['post-quantum', 'post-quantum']);
  });

  it("edit reseals a changed value post-quantum with a post-quantum key, or in Bitnami's format with --classic; unchanged values keep theirs", async () => {
    const editor = `node ${join(import.meta.dirname, 'fixtures', 'editor.mjs')}`;
    for (const [args, changed] of [
      [[], 'post-quantum'],
      [['--classic'], 'classic'],
    ] as const) {
      const sealedYaml = (await sandbox.run(['--cert', certFile, '--classic', '-o', 'yaml'], { input: secret })).stdout;
      const file = sandbox.write(`edit-${changed}.yaml`, sealedYaml);
      const result = await sandbox.run(['edit', file, '--key', backupFile, ...args], {
        env: {
          EDITOR: editor,
          EDITOR_LOG: sandbox.path('editor.log'),
          EDITOR_REPLACE: JSON.stringify([['password: hunter2', 'password: hunter3']]),
        },
      });
      expect(result.code, result.stderr).toBe(0);
      const edited = documents(readFileSync(file, 'utf8'))[0]!.spec.encryptedData as Record<string, string>;
      expect(inspectSealed(edited.password!).format).toBe(changed);
      expect(edited.user).toBe((documents(sealedYaml)[0]!.spec.encryptedData as Record<string, string>).user);
      expect(await opened(readFileSync(file, 'utf8'))).toEqual({ password: 'hunter3', user: 'admin' });
    }
  });

  it("keys --import refuses a backup whose ML-KEM seed does not derive its certificate's key, or is missing, and writes nothing", async () => {
    const local = new Sandbox();
    try {
      const other = await generateKeyPair({ bits: 2048, postQuantum: true });
      const pair = await generateKeyPair({ bits: 2048, postQuantum: true });
      const bad = local.write('bad.json', JSON.stringify(keySecret({ ...pair, mlkemSeed: other.mlkemSeed })));
      const result = await local.run(['keys', '--import', bad]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Cannot read the key backup.*ML-KEM/);
      expect(existsSync(join(local.sealkitHome, 'keys'))).toBe(false);
      const seedless = local.write('seedless.json', JSON.stringify(keySecret({ ...pair, mlkemSeed: undefined })));
      const refused = await local.run(['keys', '--import', seedless]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/ML-KEM key but its seed is missing[\s\S]*without their ML-KEM seeds/);
      expect(existsSync(join(local.sealkitHome, 'keys'))).toBe(false);
      const good = local.write('good.json', JSON.stringify(keySecret({ ...pair })));
      expect((await local.run(['keys', '--import', good])).stdout).toMatch(/Imported 1 key/);
    } finally {
      local.cleanup();
    }
  });

  it('keygen --post-quantum makes a local key with the seed in its 0600 key file; the local keyring seals post-quantum', async () => {
    const local = new Sandbox();
    try {
      const made = await local.run(['keygen', '--post-quantum', '--key-size', '2048']);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/RSA-2048 \+ ML-KEM-768/);
      const dir = join(local.sealkitHome, 'keys');
      const [file] = readdirSync(dir);
      expect(documents(readFileSync(join(dir, file!), 'utf8'))[0]!.data['mlkem768.seed']).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      const sealed = await local.run(['-o', 'yaml'], { input: secret });
      expect(sealed.stderr).toMatch(/sealing post-quantum/);
      expect(formats(sealed.stdout)).toEqual(['post-quantum', 'post-quantum']);
      const back = await local.run(['unseal', '-o', 'json'], { input: sealed.stdout });
      expect(decode(JSON.parse(back.stdout).data.password)).toBe('hunter2');
      expect((await local.run(['keys'])).stdout).toMatch(/RSA-2048 \+ ML-KEM-768/);
    } finally {
      local.cleanup();
    }
  });
});
