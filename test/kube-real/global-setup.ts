/**
 * vitest globalSetup: one real API server for the whole run, with the CRD and the
 * controller's RBAC applied as a user would (kubectl apply). Started only when the run
 * includes tests under test/kube-real (all tests, or a filter naming them) and the
 * reference binaries are built; stopped by pid at the end.
 */
import type { TestProject } from 'vitest/node';
import { referenceSkipReason } from '../reference/binaries.js';
import { applyControllerManifests, startRealCluster, type RealClusterInfo } from './cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The real API server, or why there is none. */
    kubeReal: { cluster: RealClusterInfo } | { skip: string };
  }
}

/** Whether the command line asks for tests here: no file filter, or a filter that matches this folder. */
function runIncludesRealTests(): boolean {
  const args = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && arg !== 'run' && arg !== 'watch' && arg !== 'bench');
  return args.length === 0 || args.some((arg) => 'test/kube-real/'.includes(arg) || arg.includes('kube-real'));
}

export default async function setup(project: TestProject) {
  if (!runIncludesRealTests()) return project.provide('kubeReal', { skip: 'no test under test/kube-real was selected' });
  const missing = referenceSkipReason('kube-apiserver', 'etcd');
  if (missing) return project.provide('kubeReal', { skip: missing });
  const cluster = await startRealCluster();
  try {
    applyControllerManifests(cluster);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const { stop, ...info } = cluster;
  project.provide('kubeReal', { cluster: info });
  return stop;
}
