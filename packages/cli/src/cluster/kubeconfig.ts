/**
 * What sealkit needs from kubeconfig without loading the Kubernetes client
 * (0.8 s): whether a cluster is configured at all, and the current context's
 * namespace. The merge rules are kubectl's: files from --kubeconfig, else
 * $KUBECONFIG (a path list), else ~/.kube/config; the first file that sets a
 * value wins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readYamlDocuments } from '@sealkit/core/manifest';
import { defaultKubeconfigFiles } from '@sealkit/kube';
import { CliError } from '../program/errors.js';
import { readTextFile } from '../input/files.js';

export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
}

/** Kubeconfig files that exist, in precedence order. */
function kubeconfigFiles(options: KubeconfigOptions): string[] {
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig))
      throw new CliError(`The kubeconfig file "${options.kubeconfig}" does not exist; check --kubeconfig.`);
    return [options.kubeconfig];
  }
  return defaultKubeconfigFiles();
}

/** Inside a pod: client-go's in-cluster configuration applies. */
const inCluster = () => !!process.env.KUBERNETES_SERVICE_HOST && !!process.env.KUBERNETES_SERVICE_PORT;

/**
 * Whether a cluster is configured, as client-go sees it: a kubeconfig with a current
 * context (or --context), a --server given on the command line, or running in a pod.
 */
export function clusterConfigured(options: KubeconfigOptions & { server?: string }): boolean {
  if (options.server || inCluster()) return true;
  if (options.context) return kubeconfigFiles(options).length > 0;
  return kubeconfigFiles(options).some((file) => {
    const current = readKubeconfig(file)['current-context'];
    return typeof current === 'string' && current !== '';
  });
}

interface NamedContext {
  name?: unknown;
  context?: { namespace?: unknown };
}

interface KubeconfigFile {
  'current-context'?: unknown;
  contexts?: NamedContext[];
}

function readKubeconfig(file: string): KubeconfigFile {
  // The bounded reader: kubeconfigs hold tokens, and its messages never quote the text.
  const what = `kubeconfig file "${file}"`;
  const [first] = readYamlDocuments(readTextFile(file, what), { what, maxBytes: 16 << 20, limits: { maxTokens: 1_000_000 } });
  const parsed = first?.value;
  return typeof parsed === 'object' && parsed !== null ? (parsed as KubeconfigFile) : {};
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** Inside a pod with no kubeconfig, client-go uses the pod's own namespace. */
function podNamespace(): string | undefined {
  if (!process.env.KUBERNETES_SERVICE_HOST) return undefined;
  if (process.env.POD_NAMESPACE) return process.env.POD_NAMESPACE;
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The namespace of the chosen (or current) context: its own, else "default"; the
 * pod's namespace in a pod without kubeconfig; undefined when nothing is configured.
 */
function contextNamespace(options: KubeconfigOptions & { server?: string }): string | undefined {
  const configs = kubeconfigFiles(options).map(readKubeconfig);
  const current = options.context ?? configs.map((c) => c['current-context']).find((name) => typeof name === 'string' && name !== '');
  if (typeof current !== 'string') return inCluster() ? (podNamespace() ?? 'default') : options.server ? 'default' : undefined;
  for (const config of configs) {
    const entry = (Array.isArray(config.contexts) ? config.contexts : []).find((c) => c?.name === current);
    if (entry) return typeof entry.context?.namespace === 'string' && entry.context.namespace !== '' ? entry.context.namespace : 'default';
  }
  if (options.context)
    throw new CliError(`The context "${options.context}" is not in your kubeconfig; list them with kubectl config get-contexts.`);
  return 'default';
}

/**
 * A Secret's namespace when it has none, as kubeseal (client-go) picks it: -n, else the
 * context's namespace, else "default"; undefined when no cluster is configured at all.
 */
export function defaultNamespace(options: KubeconfigOptions & { namespace?: string; server?: string }): string | undefined {
  return options.namespace || contextNamespace(options);
}

/** The context kubectl would use: --context, else the first current-context set; undefined with no kubeconfig. */
export function currentContextName(options: KubeconfigOptions): string | undefined {
  if (options.context) return options.context;
  const current = kubeconfigFiles(options)
    .map(readKubeconfig)
    .map((config) => config['current-context'])
    .find((name) => typeof name === 'string' && name !== '');
  return typeof current === 'string' ? current : undefined;
}
