/**
 * `sealkit` with no subcommand behaves as kubeseal: one mode flag picks the job
 * (sealing when none is given). Modes other than sealing live in their own
 * modules, loaded when chosen, so sealing starts fast.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../program/errors.js';
import { USAGE_EXIT_CODE } from '../program/go-flags.js';
import { resolveCertificate } from '../keys/key-sources.js';
import { warn } from '../program/log.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { PROFILE_PLACEHOLDER, requestedProfiles } from '../keys/profiles.js';
import { writeOutput } from '../output/output.js';
import { sealRawCommand } from './raw.js';
import { sealCommand } from './seal.js';

/** Edits (insertions, deletions, substitutions) to turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * kubeseal takes no arguments (it ignores them and reads stdin). A stray word is as often a
 * value that lost its option (--from-literal k= VALUE) as a mistyped command, so it is
 * never quoted: a near command is suggested, and an existing file is pointed at -f.
 */
function strayArgumentError(argument: string, commands: string[]): CliError {
  const nearest = commands
    .map((name) => ({ name, distance: editDistance(argument.toLowerCase(), name) }))
    .sort((a, b) => a.distance - b.distance)[0];
  if (nearest && argument.length >= 3 && nearest.distance <= Math.max(1, Math.floor(nearest.name.length / 3))) {
    return new CliError(`An argument is not a command; did you mean 'sealkit ${nearest.name}'?`, USAGE_EXIT_CODE);
  }
  if (!argument.startsWith('-') && existsSync(argument) && statSync(argument).isFile()) {
    return new CliError(
      `sealkit (like kubeseal) reads its input from -f or stdin, not from an argument; to read "${argument}", pass -f ${JSON.stringify(argument)}.`,
      USAGE_EXIT_CODE,
    );
  }
  return new CliError(
    `An argument is neither a command nor an option (an option's value may have been split from it by a space); the commands are ${commands.join(', ')} (see 'sealkit --help').`,
    USAGE_EXIT_CODE,
  );
}

type Mode = 'recovery-unseal' | 'validate' | 're-encrypt' | 'fetch-cert' | 'merge-into' | 'raw' | 'seal';

function chosenMode(options: KubesealOptions): Mode {
  const flags: [Mode, unknown][] = [
    ['recovery-unseal', options.recoveryUnseal],
    ['validate', options.validate],
    ['re-encrypt', options.reEncrypt || options.rotate],
    ['fetch-cert', options.fetchCert],
    ['merge-into', options.mergeInto],
    ['raw', options.raw],
  ];
  const chosen = flags.filter(([, value]) => value).map(([mode]) => mode);
  if (chosen.length > 1) throw new CliError(`--${chosen[0]} and --${chosen[1]} cannot be used together; choose one.`, USAGE_EXIT_CODE);
  return chosen[0] ?? 'seal';
}

export async function kubesealCommand(options: KubesealOptions, command: Command): Promise<void> {
  if (command.args.length > 0)
    throw strayArgumentError(
      command.args[0]!,
      command.commands.map((c) => c.name()),
    );
  const mode = chosenMode(options);
  if (options.recoveryPrivateKey.length > 0 && ['seal', 'raw', 'merge-into', 'fetch-cert'].includes(mode)) {
    warn('ignoring --recovery-private-key: it is used by --recovery-unseal, --validate and --re-encrypt.');
  }
  switch (mode) {
    case 'seal':
      // sealkit: one Secret sealed for several cluster profiles, or into a -w name with {profile}, one file each.
      if (requestedProfiles(options.profile).length > 1 || options.sealedSecretFile?.includes(PROFILE_PLACEHOLDER))
        return (await import('./seal-profiles.js')).sealForProfilesCommand(options, command);
      return sealCommand(options, command);
    case 'raw':
      return sealRawCommand(options, command);
    case 'fetch-cert':
      return writeOutput(
        (await resolveCertificate(keySourceOptions(options, command), 'printing the certificate of')).pem,
        options.sealedSecretFile,
      );
    case 'merge-into':
      return (await import('./merge-into.js')).mergeIntoCommand(options, command);
    case 'recovery-unseal':
      return (await import('./unseal.js')).recoveryUnsealCommand(options);
    case 'validate':
      return (await import('./validate.js')).validateCommand(options, command);
    case 're-encrypt':
      return (await import('./re-encrypt.js')).reEncryptCommand(options, command);
  }
}
