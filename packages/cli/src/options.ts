/** The options sealkit shares between kubeseal mode and its subcommands, and their parsing. */
import { InvalidArgumentError, type Command } from 'commander';
import { isScope, type Scope } from '@sealkit/core';
import type { KeySourceOptions } from './key-sources.js';
import { singleProfile, withProfile, type Profile } from './profiles.js';

export interface GlobalOptions {
  cert?: string;
  controllerName: string;
  controllerNamespace: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  format?: string;
  sealedSecretFile?: string;
  allowExpiredCert?: boolean;
  debug?: boolean;
  /** sealkit's cluster profiles (profiles.ts): names, comma-separated. */
  profile?: string;
}

export interface KubesealOptions extends GlobalOptions {
  secretFile?: string;
  fetchCert?: boolean;
  allowEmptyData?: boolean;
  validate?: boolean;
  mergeInto?: string;
  raw?: boolean;
  name?: string;
  scope?: Scope;
  reEncrypt?: boolean;
  rotate?: boolean;
  recoveryUnseal?: boolean;
  recoveryPrivateKey: string[];
  fromFile: string[];
  fromLiteral: string[];
  fromEnvFile: string[];
  type?: string;
}

/** Repeatable option: every occurrence is kept (kubectl's --from-literal). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Repeatable and comma-separated, like kubeseal's string-slice flags (--from-file, --recovery-private-key). */
export function collectCommaList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter((item) => item !== '')];
}

export function parseScope(value: string): Scope {
  if (!isScope(value)) throw new InvalidArgumentError('use strict, namespace-wide or cluster-wide.');
  return value;
}

export function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return number;
}

const CLUSTER_OPTIONS = ['kubeconfig', 'context', 'controllerName', 'controllerNamespace'] as const;

/** Where to find keys, from the options; a cluster option given explicitly (flag or variable) asks for the cluster. */
export function keySourceOptions(options: GlobalOptions, command: Command, profile: Profile | undefined = singleProfile(options)): KeySourceOptions {
  const clusterRequested = CLUSTER_OPTIONS.some((key) => {
    const source = command.getOptionValueSourceWithGlobals(key);
    return source === 'cli' || source === 'env';
  });
  const sources = {
    cert: options.cert,
    name: options.controllerName,
    namespace: options.controllerNamespace,
    kubeconfig: options.kubeconfig,
    context: options.context,
    clusterRequested,
    allowExpiredCert: options.allowExpiredCert,
  };
  // A cluster profile (--profile, the current context's, the default) fills in what was not given explicitly.
  return withProfile(sources, profile, command);
}
