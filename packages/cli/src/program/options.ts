/** The options sealkit shares between kubeseal mode and its subcommands, and their parsing. */
import { InvalidArgumentError, type Command } from 'commander';
import { isScope, type Scope } from '@sealkit/core';
import type { KeySourceOptions } from '../keys/key-sources.js';
import { singleProfile, withProfile, type Profile } from '../keys/profiles.js';
import { CliError } from './errors.js';
import { USAGE_EXIT_CODE } from './go-flags.js';

/** kubectl's connection flags, which override the kubeconfig's values. */
export interface ClusterOverrides {
  server?: string;
  token?: string;
  user?: string;
  cluster?: string;
  as?: string;
  asGroup?: string[];
  asUid?: string;
  certificateAuthority?: string;
  clientCertificate?: string;
  clientKey?: string;
  tlsServerName?: string;
  proxyUrl?: string;
  requestTimeout?: string;
  username?: string;
  password?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface GlobalOptions extends ClusterOverrides {
  cert?: string;
  controllerName: string;
  controllerNamespace: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  format?: string;
  sealedSecretFile?: string;
  allowExpiredCert?: boolean;
  /** --classic: Bitnami's format even when the certificate carries an ML-KEM key. */
  classic?: boolean;
  localKeyring?: boolean;
  debug?: boolean;
  /** sealkit's cluster profiles (profiles.ts): names, comma-separated. */
  profile?: string;
}

export interface KubesealOptions extends GlobalOptions {
  /** The first -f (see secretFiles). */
  secretFile?: string;
  /** Every -f, in order; only --re-encrypt takes more than one. */
  secretFiles: string[];
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
  if (isScope(value)) return value;
  const meant = `${value}-wide`;
  throw new InvalidArgumentError(
    isScope(meant)
      ? `Did you mean ${meant}? The scopes are strict, namespace-wide and cluster-wide.`
      : 'use strict, namespace-wide or cluster-wide.',
  );
}

/** klog's -v: a whole number of 0 or more. */
export function parseKlogLevel(value: string): number {
  const level = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(level)) throw new InvalidArgumentError('expected a whole number (the log verbosity).');
  return level;
}

export function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return number;
}

/** Options that name a cluster (a profile may too): on the command line, they outvote $SEALKIT_LOCAL_KEYRING. */
const CLUSTER_OPTIONS = ['kubeconfig', 'context', 'controllerName', 'controllerNamespace', 'server', 'cluster', 'profile'] as const;

/** SEALKIT_LOCAL_KEYRING=1 (or true): --local-keyring for every command. */
const localKeyringFromEnvironment = () => /^(1|t|true|yes)$/i.test(process.env.SEALKIT_LOCAL_KEYRING ?? '');

/** Where to find keys, from the options and the cluster profile (--profile, the current context's, the default). */
export function keySourceOptions(
  options: GlobalOptions,
  command: Command,
  profile: Profile | undefined = singleProfile(options),
): KeySourceOptions {
  const clusterFlag = CLUSTER_OPTIONS.find((key) => command.getOptionValueSourceWithGlobals(key) === 'cli');
  if (options.localKeyring && clusterFlag) {
    throw new CliError(
      `--local-keyring and --${clusterFlag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ask for different keys; drop one.`,
      USAGE_EXIT_CODE,
    );
  }
  const { cert, controllerName, controllerNamespace, kubeconfig, context, allowExpiredCert } = options;
  const sources = {
    ...clusterOverrides(options),
    cert,
    name: controllerName,
    namespace: controllerNamespace,
    kubeconfig,
    context,
    // A cluster flag on the command line outvotes the variable.
    localKeyring: !!options.localKeyring || (!clusterFlag && localKeyringFromEnvironment()),
    allowExpiredCert,
    classic: options.classic,
  };
  // A cluster profile (--profile, the current context's, the default) fills in what was not given explicitly.
  return withProfile(sources, profile, command);
}

const CLUSTER_OVERRIDE_KEYS = [
  'server',
  'token',
  'user',
  'cluster',
  'as',
  'asGroup',
  'asUid',
  'certificateAuthority',
  'clientCertificate',
  'clientKey',
  'tlsServerName',
  'proxyUrl',
  'requestTimeout',
  'username',
  'password',
  'insecureSkipTlsVerify',
] as const satisfies readonly (keyof ClusterOverrides)[];
// A flag added to ClusterOverrides but not to the list above fails to compile here.
const _everyOverrideListed: Exclude<keyof ClusterOverrides, (typeof CLUSTER_OVERRIDE_KEYS)[number]> extends never ? true : never = true;

/** Only the kubectl flags, for the Kubernetes client. */
function clusterOverrides(options: ClusterOverrides): ClusterOverrides {
  return Object.fromEntries(CLUSTER_OVERRIDE_KEYS.map((key) => [key, options[key]])) as ClusterOverrides;
}
