// Installing: the workspace's packed tarballs install with `npm install -g` into a clean
// prefix (the npm registry supplies third-party dependencies) and `sealkit` runs from its PATH.
// `pnpm pack` is npm pack that also turns `workspace:^` ranges into published versions.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, documents, makeKeyFiles, repoRoot, secretYaml } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'sealkit-install-'));
const prefix = join(scratch, 'prefix');
const npmEnv = {
  ...process.env,
  npm_config_prefix: prefix,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};
const registryReachable = spawnSync('npm', ['ping'], { env: npmEnv, timeout: 20_000 }).status === 0;
let sandbox: Sandbox;

beforeAll(() => {
  sandbox = new Sandbox();
  for (const pkg of ['gotemplate', 'core', 'cli'])
    execFileSync('pnpm', ['pack', '--pack-destination', scratch], { cwd: join(repoRoot, 'packages', pkg), env: npmEnv, stdio: 'pipe' });
});
afterAll(() => {
  sandbox.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!registryReachable && process.env.CI !== 'true')('installing from npm pack tarballs (needs the npm registry)', () => {
  it('npm install -g puts a working sealkit (and sealkit-kustomize) on the PATH, and @sealkit/core imports', async () => {
    const tarballs = readdirSync(scratch)
      .filter((name) => name.endsWith('.tgz'))
      .map((name) => join(scratch, name));
    expect(tarballs.map((t) => t.replace(/.*\//, '')).sort()).toEqual([
      'sealkit-cli-0.1.0.tgz',
      'sealkit-core-0.1.0.tgz',
      'sealkit-gotemplate-0.1.0.tgz',
    ]);
    execFileSync('npm', ['install', '--global', '--prefix', prefix, ...tarballs], { env: npmEnv, stdio: 'pipe', timeout: 170_000 });
    expect(readdirSync(join(prefix, 'bin')).sort()).toEqual(['sealkit', 'sealkit-kustomize']);

    const PATH = `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`;
    const run = (args: string[], input = '') =>
      spawnSync('sealkit', args, {
        input,
        encoding: 'utf8',
        cwd: sandbox.dir,
        env: { PATH, HOME: sandbox.home, SEALKIT_HOME: sandbox.sealkitHome },
      });
    expect(run(['--version']).stdout).toBe('sealkit version: 0.1.0\n');
    const keys = await makeKeyFiles(sandbox);
    const sealed = run(['--cert', keys.certFile, '-o', 'yaml'], secretYaml('db', 'prod', { password: 's3cr3t' }));
    expect(sealed.stderr).toBe('');
    expect(documents(sealed.stdout)[0]!.kind).toBe('SealedSecret');
    const unsealed = run(['unseal', '--key', keys.keyFile], sealed.stdout);
    expect(Buffer.from(JSON.parse(unsealed.stdout).data.password, 'base64').toString()).toBe('s3cr3t');

    // The library, from the installed tree alone.
    const core = join(prefix, 'lib', 'node_modules', '@sealkit', 'core', 'dist', 'index.js');
    const script = `const { seal, unseal } = await import(${JSON.stringify(core)}); const k = process.env.KEY; const s = await seal(process.env.CERT, 'v', { namespace: 'n', name: 'a' }); console.log(new TextDecoder().decode(await unseal(k, s, { namespace: 'n', name: 'a' })));`;
    const library = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: scratch,
      env: { PATH, CERT: keys.certificatePem, KEY: keys.privateKeyPem },
    });
    expect(library.stderr).toBe('');
    expect(library.stdout).toBe('v\n');
  }, 180_000);
});
