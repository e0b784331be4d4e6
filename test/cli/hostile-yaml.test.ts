// Issue 12, item 1, through the built CLI: each hostile YAML text fails within about a
// second (plus the process's start-up) with one clear line, as input to seal, to
// --recovery-unseal and as a key backup, and quotes nothing of it.
import { describe, expect, it } from 'vitest';
import { CANARY, HOSTILE_YAML } from '../hostile/yaml-bombs.js';
import { MAX_DATA_ENTRIES, MAX_YAML_BYTES } from '../../packages/core/src/manifest/index.js';
import { useSandboxWithKeys } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();

// Start-up is ~0.3 s alone; two cores shared with other work make it vary.
const MAX_MS = 2500;

describe.concurrent('hostile YAML through the CLI', () => {
  for (const [name, text] of Object.entries(HOSTILE_YAML)) {
    it(`refuses ${name} quickly`, async () => {
      const file = sandbox.write(`${name}.yaml`, text);
      for (const args of [
        ['--cert', keys.certFile, '-o', 'yaml', '-f', file],
        ['--recovery-unseal', '--recovery-private-key', keys.keyFile, '-f', file],
        ['--recovery-unseal', '--recovery-private-key', file, '-f', file],
      ]) {
        const started = performance.now();
        const result = await sandbox.run(args);
        expect(performance.now() - started, args.join(' ')).toBeLessThan(MAX_MS);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^error: The (input|key text|file "[^"]*") (has|is|uses) [^\n]*\.\n$/);
        expect(result.stderr).not.toContain(CANARY);
      }
    });
  }
});

// JSON manifests get the YAML reader's bounds: at most 4 MiB, and at most MAX_DATA_ENTRIES entries in one
// object's data, stringData or spec.encryptedData (YAML too). Before, a 1.3 MB JSON Secret with 100,000
// keys took 7 s and 775 MB to seal, a 17 MB SealedSecret 10 s to validate.

const entries = (count: number, value: string) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value]));
const secret = (data: Record<string, string>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'prod' }, data });
const sealedSecret = (encryptedData: Record<string, string>) =>
  JSON.stringify({
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: 's', namespace: 'prod' },
    spec: { encryptedData },
  });

async function refusedQuickly(args: string[], message: RegExp): Promise<void> {
  const started = performance.now();
  const result = await sandbox.run(args);
  expect(performance.now() - started, args.join(' ')).toBeLessThan(MAX_MS);
  expect(result.code, args.join(' ')).not.toBe(0);
  expect(result.stdout + result.stderr).toMatch(message);
  expect(result.stdout + result.stderr).not.toContain(CANARY);
}

describe.concurrent('hostile JSON through the CLI', () => {
  it('refuses a JSON manifest over 4 MiB, as YAML, with one sentence', async () => {
    const file = sandbox.write(
      'huge.json',
      secret({ big: Buffer.from(CANARY.repeat(Math.ceil(MAX_YAML_BYTES / CANARY.length))).toString('base64') }),
    );
    const sealedFile = sandbox.write('huge-sealed.json', sealedSecret({ big: CANARY.repeat(Math.ceil(MAX_YAML_BYTES / CANARY.length)) }));
    const tooLarge = /the (input|file "[^"]*") is larger than 4096 KiB, more than any manifest; give a smaller file/i; // validate lists it in lower case
    await refusedQuickly(['--cert', keys.certFile, '-o', 'json', '-f', file], tooLarge);
    await refusedQuickly(['validate', sealedFile], tooLarge);
    await refusedQuickly(['unseal', '--key', keys.keyFile, sealedFile], tooLarge);
  });

  it(`refuses more than ${MAX_DATA_ENTRIES} entries in one data, stringData or encryptedData, in JSON and YAML`, async () => {
    const many = MAX_DATA_ENTRIES * 10; // 1.3 MB: under the size cap
    const tooMany = new RegExp(
      `has ${many} entries in one object's (data|spec\\.encryptedData), more than the ${MAX_DATA_ENTRIES} any Secret needs; split it into several`,
    );
    const file = sandbox.write('many.json', secret(entries(many, 'dg==')));
    await refusedQuickly(['--cert', keys.certFile, '-o', 'json', '-f', file], tooMany);
    const sealedFile = sandbox.write('many-sealed.json', sealedSecret(entries(many, CANARY)));
    await refusedQuickly(['validate', sealedFile], tooMany);
    await refusedQuickly(['unseal', '--key', keys.keyFile, sealedFile], tooMany);
    // YAML in flow style stays under the reader's token limit with this many entries.
    const flow = sandbox.write(
      'many.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {${Object.keys(entries(MAX_DATA_ENTRIES + 1, ''))
        .map((key) => `${key}: dg==`)
        .join(', ')}}\n`,
    );
    await refusedQuickly(
      ['--cert', keys.certFile, '-o', 'yaml', '-f', flow],
      new RegExp(`has ${MAX_DATA_ENTRIES + 1} entries in one object's data`),
    );
  });

  it(`seals a JSON Secret with ${MAX_DATA_ENTRIES} keys within a few seconds`, async () => {
    const file = sandbox.write('most.json', secret(entries(MAX_DATA_ENTRIES, 'dg==')));
    const started = performance.now();
    const result = await sandbox.run(['--cert', keys.certFile, '-o', 'json', '-f', file]);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout).spec.encryptedData)).toHaveLength(MAX_DATA_ENTRIES);
  }, 15_000);
});
