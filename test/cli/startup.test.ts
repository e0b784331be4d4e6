// Start-up: sealing with --cert must not load the Kubernetes client (0.8 s) or node-forge;
// the paths that need them still do. Timing itself is measured by packages/cli/bench/startup.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../kube-api-server/index.js';
import { secretYaml, useSandboxWithKeys } from './helpers.js';

const tracer = join(import.meta.dirname, 'fixtures', 'trace-loads.mjs');
const { sandbox, keys } = useSandboxWithKeys();

async function loadedModules(args: string[], env: Record<string, string> = {}, input?: string): Promise<string[]> {
  const trace = sandbox.write(`trace-${Math.random()}.log`, '');
  await sandbox.run(args, { input, env: { NODE_OPTIONS: `--import ${tracer}`, TRACE_LOADS: trace, ...env } });
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

const heavy = (modules: string[]) => modules.filter((name) => /@kubernetes\/client-node|node-forge|@peculiar/.test(name));

describe('what sealing loads', () => {
  it('seals with --cert without the Kubernetes client, node-forge or the WebCrypto polyfill', async () => {
    const modules = await loadedModules(['--cert', keys.certFile, '-o', 'yaml'], {}, secretYaml('s', 'n', { k: 'v' }));
    expect(modules).toContain('node:crypto'); // the trace works
    expect(heavy(modules)).toEqual([]);
  });

  it('loads node-forge to make keys, and the Kubernetes client to reach a cluster', async () => {
    expect(heavy(await loadedModules(['keygen', '--key-size', '2048']))).toEqual(['./node-forge.cjs']);
    let api: KubeApiServer | undefined;
    try {
      api = await startKubeApiServer();
      const modules = await loadedModules(['--fetch-cert', '--kubeconfig', api.kubeconfigPath]);
      expect(heavy(modules)).toContain('@kubernetes/client-node');
    } finally {
      await api?.close();
    }
  });
});
