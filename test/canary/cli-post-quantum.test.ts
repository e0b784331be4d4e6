// Leak canaries for a post-quantum local key through the built `sealkit` (pnpm build first): the
// ML-KEM seed made by `keygen --post-quantum` may be only in its 0600 key file and in what
// `keys --export` prints on request (a key backup); never in any other output, file or error.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, documents, secretYaml } from '../cli/helpers.js';
import { bytesCanary, findCanaries, makeCanaryValue, scanTree, type Canary } from './capture.js';

const value = makeCanaryValue('pq-cli');
let sandbox: Sandbox;
let seed: Canary;
let keyFile: string; // relative to the sandbox

beforeAll(async () => {
  sandbox = new Sandbox();
  const made = await sandbox.run(['keygen', '--post-quantum', '--key-size', '2048']);
  expect(made.code, made.stderr).toBe(0);
  const dir = join(sandbox.sealkitHome, 'keys');
  const name = readdirSync(dir)[0]!;
  keyFile = `sealkit/keys/${name}`;
  seed = bytesCanary(Buffer.from(documents(readFileSync(join(dir, name), 'utf8'))[0]!.data['mlkem768.seed'], 'base64'), 'mlkem-seed');
  expect(findCanaries(made.stdout + made.stderr, [seed])).toEqual([]);
});
afterAll(() => sandbox?.cleanup());

describe('the ML-KEM seed of a local post-quantum key', () => {
  it('is only in its key file and in keys --export, whatever else sealkit does', async () => {
    const sealed = (await sandbox.run(['-o', 'yaml'], { input: secretYaml('db', 'prod', { password: value.value }) })).stdout;
    const file = sandbox.write('repo/sealed.yaml', sealed);
    const tampered = sealed.replace(/password: (\S{40})/, (_, head: string) => `password: ${head.slice(0, -4)}AAAA`);
    const runs = [
      await sandbox.run(['--raw', '--namespace', 'prod', '--name', 'db'], { input: value.value }),
      await sandbox.run(['unseal', '-o', 'json'], { input: sealed.replace('namespace: prod', 'namespace: other') }),
      await sandbox.run(['unseal', '-o', 'json'], { input: tampered }),
      await sandbox.run(['validate', file]),
      await sandbox.run(['reseal', '--classic', 'repo']),
      await sandbox.run(['reseal', 'repo']),
      await sandbox.run(['keys']),
      await sandbox.run(['keys', '-o', 'json']),
      await sandbox.run(['cert']),
      await sandbox.run(['cert', '--info', '--debug']),
      await sandbox.run(['unseal', '--debug'], { input: 'kind: SealedSecret\napiVersion: bitnami.com/v1alpha1\nmetadata: {name: x}\n' }),
    ];
    for (const run of runs) expect(findCanaries(run.stdout + run.stderr, [seed])).toEqual([]);
    expect(runs[1]!.code).not.toBe(0);
    expect(runs[2]!.code).not.toBe(0);
    const exported = await sandbox.run(['keys', '--export']);
    expect(findCanaries(exported.stdout, [seed])).not.toEqual([]); // a backup holds it: that is its purpose
    expect(scanTree(sandbox.dir, [seed])).toEqual({ [keyFile]: expect.any(Array) });
  });
});
