// `sealkit diff`: keys added, removed, changed; with keys, resealed-but-equal values are told apart.
import { beforeAll, describe, expect, it } from 'vitest';
import { secretYaml, useSandboxWithKeys } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();
let oldFile: string;
let newFile: string;

beforeAll(async () => {
  const sealed = (name: string, data: Record<string, string>) =>
    sandbox.run(['--cert', keys.certFile, '-o', 'yaml'], { input: secretYaml(name, 'prod', data) });
  oldFile = sandbox.write(
    'old.yaml',
    `${(await sealed('app', { same: 's', changed: 'before', removed: 'r' })).stdout}---\n${(await sealed('gone', { k: 'v' })).stdout}`,
  );
  // Every value resealed: all ciphertexts differ, only some values do.
  newFile = sandbox.write(
    'new.yaml',
    `${(await sealed('app', { same: 's', changed: 'after', added: 'a' })).stdout}---\n${(await sealed('fresh', { k: 'v' })).stdout}`,
  );
});

describe('sealkit diff', () => {
  it('with keys, compares values: a resealed equal value is not a change; exit 1 on differences', async () => {
    const result = await sandbox.run(['diff', oldFile, newFile, '--key', keys.keyFile]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'SealedSecret "prod/app":',
        '  + added',
        '  ~ changed (value changed)',
        '  - removed',
        '  = same (resealed, same value)',
        '- SealedSecret "prod/gone" (keys: k)',
        '+ SealedSecret "prod/fresh" (keys: k)',
        '',
      ].join('\n'),
    );
    for (const value of ['before', 'after', 'secret']) expect(result.stdout + result.stderr).not.toContain(value);
  });

  it('without keys, compares ciphertexts and says so', async () => {
    const result = await sandbox.run(['diff', oldFile, newFile]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  ~ same (ciphertext changed; pass --key to compare the values)');
  });

  it('exits 0 with no output for identical files, and 2 with one error line for a bad file', async () => {
    expect(await sandbox.run(['diff', oldFile, oldFile])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const bad = await sandbox.run(['diff', oldFile, sandbox.path('missing.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: Cannot read the SealedSecret file ".*missing.yaml": it does not exist\.\n$/);
  });
});
