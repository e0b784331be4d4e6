/**
 * Named cluster profiles, for people who seal for several clusters. The file is
 * $SEALKIT_HOME/profiles.yaml:
 *
 *   default: staging
 *   profiles:
 *     prod:
 *       cert: https://sealed-secrets.example.com/v1/cert.pem   # a file or an http(s) URL
 *     staging:
 *       context: kind-staging               # a kube context (its cluster's controller)
 *       controllerName: sealed-secrets-controller
 *       controllerNamespace: kube-system
 *
 * A profile is chosen with --profile NAME (several, comma-separated, to seal for
 * each), else the one whose context is the current kube context, else the default.
 * Flags given explicitly (--cert, --context, --controller-*) win over a profile.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { isObject, readYamlDocuments } from '@sealkit/core/manifest';
import { readTextFile } from '../input/files.js';
import { currentContextName } from '../cluster/kubeconfig.js';
import { CliError } from '../program/errors.js';
import { debug } from '../program/log.js';
import type { KeySourceOptions } from './key-sources.js';
import { sealkitHome } from './local-keyring.js';

export interface Profile {
  name: string;
  cert?: string;
  context?: string;
  kubeconfig?: string;
  controllerName?: string;
  controllerNamespace?: string;
}

export interface ProfilesFile {
  path: string;
  default?: string;
  profiles: Map<string, Profile>;
}

const FIELDS = ['cert', 'context', 'kubeconfig', 'controllerName', 'controllerNamespace'] as const;

export function profilesPath(): string {
  return join(sealkitHome(), 'profiles.yaml');
}

function profileFrom(name: string, value: unknown, path: string): Profile {
  const bad = (why: string) => new CliError(`The profile "${name}" in "${path}" ${why}.`);
  if (!isObject(value)) throw bad('is not a mapping; give it cert: FILE|URL or context: NAME');
  const profile: Profile = { name };
  for (const [key, field] of Object.entries(value)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw bad(`has an unknown field "${key}"; use ${FIELDS.join(', ')}`);
    if (typeof field !== 'string' || field === '') throw bad(`has a ${key} that is not text`);
    (profile as unknown as Record<string, string>)[key] = field;
  }
  if (!profile.cert === !profile.context) throw bad('needs either cert: FILE|URL or context: NAME (not both)');
  // A relative certificate file is relative to the profiles file, wherever sealkit runs.
  if (profile.cert && !/^[a-z][a-z0-9+.-]*:\/\//i.test(profile.cert) && !isAbsolute(profile.cert))
    profile.cert = join(dirname(path), profile.cert);
  return profile;
}

/** The profiles file, or undefined when there is none. */
export function loadProfiles(): ProfilesFile | undefined {
  const path = profilesPath();
  if (!existsSync(path)) return undefined;
  const [first] = readYamlDocuments(readTextFile(path, 'profiles file'), { what: `profiles file "${path}"` });
  const parsed = first?.value;
  if (parsed === null || parsed === undefined) return { path, profiles: new Map() };
  if (!isObject(parsed) || (parsed.profiles !== undefined && !isObject(parsed.profiles))) {
    throw new CliError(`The profiles file "${path}" must be a mapping with "profiles:" (name: settings) and an optional "default:".`);
  }
  const profiles = new Map(Object.entries(parsed.profiles ?? {}).map(([name, value]) => [name, profileFrom(name, value, path)]));
  const fallback = parsed.default;
  if (fallback !== undefined && (typeof fallback !== 'string' || !profiles.has(fallback))) {
    throw new CliError(`The default profile in "${path}" is not one of its profiles (${[...profiles.keys()].join(', ') || 'none'}).`);
  }
  return { path, default: fallback as string | undefined, profiles };
}

/** In a -w name: replaced by each chosen profile's name, one file each (commands/seal-profiles.ts). */
export const PROFILE_PLACEHOLDER = '{profile}';

/** The names given with --profile (comma-separated). */
export function requestedProfiles(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** The profiles to use: those named with --profile, else the current context's, else the default; none without a profiles file. */
export function chosenProfiles(requested: string | undefined, kubeconfig: { kubeconfig?: string; context?: string }): Profile[] {
  const names = requestedProfiles(requested);
  const file = loadProfiles();
  if (!file) {
    if (names.length > 0)
      throw new CliError(
        `There is no profiles file "${profilesPath()}" to take --profile ${names.join(',')} from; create it (see 'sealkit --help').`,
      );
    return [];
  }
  if (names.length > 0) {
    return names.map((name) => {
      const profile = file.profiles.get(name);
      if (!profile)
        throw new CliError(
          `There is no profile "${name}" in "${file.path}"; the profiles are ${[...file.profiles.keys()].join(', ') || 'none'}.`,
        );
      return profile;
    });
  }
  let context: string | undefined;
  try {
    context = currentContextName(kubeconfig);
  } catch {
    context = undefined; // an unreadable kubeconfig is reported where it is used
  }
  const byContext = context ? [...file.profiles.values()].find((profile) => profile.context === context) : undefined;
  const chosen = byContext ?? (file.default ? file.profiles.get(file.default) : undefined);
  if (chosen) debug(`using the profile "${chosen.name}" (${byContext ? `the current context "${context}"` : 'the default'})`);
  return chosen ? [chosen] : [];
}

const explicit = (command: Command, option: string) => ['cli', 'env'].includes(command.getOptionValueSourceWithGlobals(option) ?? '');

const CLUSTER_FLAGS = ['context', 'kubeconfig', 'controllerName', 'controllerNamespace', 'server', 'cluster'];

/** Where keys come from with `profile` applied; options given explicitly still win. */
export function withProfile(sources: KeySourceOptions, profile: Profile | undefined, command: Command): KeySourceOptions {
  if (!profile || explicit(command, 'cert') || sources.localKeyring) return sources; // --local-keyring outvotes a profile
  // A certificate profile yields to a cluster named on the command line.
  if (profile.cert) return CLUSTER_FLAGS.some((key) => explicit(command, key)) ? sources : { ...sources, cert: profile.cert };
  return {
    ...sources,
    context: explicit(command, 'context') ? sources.context : profile.context,
    kubeconfig: explicit(command, 'kubeconfig') ? sources.kubeconfig : (profile.kubeconfig ?? sources.kubeconfig),
    name: explicit(command, 'controllerName') ? sources.name : (profile.controllerName ?? sources.name),
    namespace: explicit(command, 'controllerNamespace') ? sources.namespace : (profile.controllerNamespace ?? sources.namespace),
    localKeyring: false, // a profile naming a cluster asks for it
  };
}

/** The one profile a command uses; several names are for sealing only (profile-seal.ts). */
export function singleProfile(options: { profile?: string; kubeconfig?: string; context?: string }): Profile | undefined {
  const profiles = chosenProfiles(options.profile, options);
  if (profiles.length > 1)
    throw new CliError(`--profile ${options.profile} names several profiles; only sealing Secrets takes several; give one here.`);
  return profiles[0];
}
