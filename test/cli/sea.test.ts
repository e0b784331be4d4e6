// The single-file executable (pnpm --filter @sealkit/cli build:sea): seals, opens and reaches
// a cluster with nothing but itself. Skipped until it is built (the build fetches postject).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '../../packages/core/src/index.js';
import { startFakeCluster, type FakeCluster } from './fake-cluster.js';
import { Sandbox, documents, makeKeyFiles, repoRoot, sealedWithTemplate, secretYaml } from './helpers.js';

const executable = join(repoRoot, 'packages/cli/dist-sea/sealkit');
const built = existsSync(executable);
// setup.sh --tests builds it, so CI must have it.
if (!built && process.env.CI === 'true')
  throw new Error(`CI requires the single-file executable: ${executable} is not built (bash scripts/setup.sh --tests)`);
if (!built) console.log(`skipping the single-file executable tests: ${executable} is not built (pnpm --filter @sealkit/cli build:sea)`);

describe.skipIf(!built)('single-file executable', () => {
  let sandbox: Sandbox;
  let cluster: FakeCluster;
  beforeAll(async () => {
    sandbox = new Sandbox();
    cluster = await startFakeCluster();
  });
  afterAll(async () => {
    await cluster.close();
    sandbox.cleanup();
  });

  // Not spawnSync: the fake cluster answers from this process.
  const run = (args: string[], input = '', env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(executable, args, { cwd: sandbox.dir, env: { PATH: '/usr/bin:/bin', ...sandbox.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => done({ code, stdout, stderr }));
      child.stdin.end(input);
    });

  it('seals and opens without node or node_modules on the PATH', async () => {
    expect(spawnSync(executable, ['--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } }).stdout).toBe(
      'sealkit version: 0.1.0\n',
    );
    const keys = await makeKeyFiles(sandbox);
    const sealed = await run(['--cert', keys.certFile, '-o', 'yaml'], secretYaml('db', 'prod', { password: 's3cr3t' }));
    expect(sealed).toMatchObject({ code: 0, stderr: '' });
    const opened = await run(['unseal', '--key', keys.keyFile], sealed.stdout);
    expect(Buffer.from(JSON.parse(opened.stdout).data.password, 'base64').toString()).toBe('s3cr3t');
  });

  it('renders spec.template.data (the template engine is inside) and refuses a hostile template quickly', async () => {
    const keys = await makeKeyFiles(sandbox);
    const fine = await run(['unseal', '--key', keys.keyFile, '-o', 'json'], sealedWithTemplate('{{ "ok" | upper }}'));
    expect(fine).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(fine.stdout).data).toEqual({ x: Buffer.from('OK').toString('base64') });
    const started = performance.now();
    const hostile = await run(['unseal', '--key', keys.keyFile], sealedWithTemplate('{{ until 25000 | uniq | len }}'));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toMatch(
      /^error: template: x: rendering (took longer than allowed|needs more work or output than allowed); simplify the template\n$/,
    );
  });

  it('reaches the cluster (the Kubernetes client is inside) and makes keys (node-forge is inside)', async () => {
    const fetched = await run(['--fetch-cert'], '', { KUBECONFIG: cluster.api.kubeconfigPath });
    expect(fetched).toMatchObject({ code: 0, stderr: '' });
    expect((await Keyring.from(fetched.stdout)).fingerprints).toEqual(cluster.controllerKeys.fingerprints);
    expect((await run(['keygen', '--key-size', '2048'])).code).toBe(0);
    expect(documents((await run(['keys', '--export', '-o', 'yaml'])).stdout)[0]!.items).toHaveLength(1);
  });
});
