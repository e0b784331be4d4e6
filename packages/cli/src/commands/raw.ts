/**
 * kubeseal --raw: one value, sealed for --namespace/--name/--scope, printed as
 * the bare base64 text (no newline, as kubeseal prints it) for use in
 * spec.encryptedData or a Helm value. `sealkit unseal --raw` is the reverse.
 */
import type { Command } from 'commander';
import type { Scope, Target } from '@sealkit/core';
import { readFileBytes } from '../input/files.js';
import { readStdin, TTY_HINTS } from '../input/input.js';
import { warnIfTrailingNewline } from '../input/newline-warning.js';
import { splitKeyAssignment } from '../input/secret-builder.js';
import { sealingKeys } from '../keys/key-sources.js';
import { defaultNamespace } from '../cluster/kubeconfig.js';
import { writeOutput } from '../output/output.js';
import { CliError } from '../program/errors.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';

interface RawTargetOptions {
  name?: string;
  namespace?: string;
  scope?: Scope;
  kubeconfig?: string;
  context?: string;
  server?: string;
}

/** The label a raw value is bound to; kubeseal's checks and messages. */
export function rawTarget(options: RawTargetOptions): Target {
  const scope = options.scope ?? 'strict';
  if (scope === 'cluster-wide') return { scope };
  const namespace = defaultNamespace(options);
  if (!namespace)
    throw new CliError(
      `A --raw value with the ${scope} scope needs --namespace NAMESPACE (no cluster is configured to give one), or choose --scope cluster-wide.`,
    );
  if (scope === 'strict' && !options.name)
    throw new CliError('A --raw value with the strict scope needs --name NAME (or choose --scope namespace-wide or cluster-wide).');
  return { namespace, name: options.name, scope };
}

type RawSources = { fromFile: string[]; fromLiteral: string[] };

function checkOneSource(options: RawSources): void {
  const sources = options.fromFile.length + options.fromLiteral.length;
  if (sources > 1) throw new CliError('--raw takes one value: give a single --from-file or --from-literal, or pipe the value to stdin.');
}

/** The single raw value: one --from-file, one --from-literal, or stdin. */
export async function rawInput(options: RawSources, ttyHint: string): Promise<Uint8Array> {
  checkOneSource(options);
  if (options.fromFile[0] !== undefined) return readFileBytes(splitKeyAssignment(options.fromFile[0]).value, 'value file');
  if (options.fromLiteral[0] !== undefined) return new TextEncoder().encode(splitKeyAssignment(options.fromLiteral[0]).value);
  return readStdin(ttyHint);
}

export async function sealRawCommand(options: KubesealOptions, command: Command): Promise<void> {
  if (options.fromEnvFile.length > 0)
    throw new CliError('--raw cannot be used with --from-env-file; pass one value with --from-file, --from-literal or stdin.');
  checkOneSource(options);
  const target = rawTarget(options);
  const value = await rawInput(options, TTY_HINTS.rawValue);
  warnIfTrailingNewline(
    value,
    `the --raw value (from ${options.fromFile[0] !== undefined ? '--from-file' : options.fromLiteral[0] !== undefined ? '--from-literal' : 'stdin'})`,
  );
  const keyring = await sealingKeys(keySourceOptions(options, command));
  writeOutput(await keyring.seal(value, target, { classic: options.classic }), options.sealedSecretFile);
}
