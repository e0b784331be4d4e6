/**
 * `sealkit` with no subcommand behaves as kubeseal: one mode flag picks the job
 * (sealing when none is given). Modes other than sealing live in their own
 * modules, loaded when chosen, so sealing starts fast.
 */
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { resolveCertificate } from '../key-sources.js';
import { warn } from '../log.js';
import { keySourceOptions, type KubesealOptions } from '../options.js';
import { requestedProfiles } from '../profiles.js';
import { writeOutput } from '../output.js';
import { sealRawCommand } from './raw.js';
import { sealCommand } from './seal.js';

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
  if (chosen.length > 1) throw new CliError(`--${chosen[0]} and --${chosen[1]} cannot be used together; choose one.`);
  return chosen[0] ?? 'seal';
}

export async function kubesealCommand(options: KubesealOptions, command: Command): Promise<void> {
  if (command.args.length > 0) {
    // Not quoted: a stray word is as often a value that lost its option (--from-literal k= VALUE) as a mistyped command.
    throw new CliError(`An argument is neither a command nor an option (an option's value may have been split from it by a space); the commands are ${command.commands.map((c) => c.name()).join(', ')} (see 'sealkit --help').`);
  }
  const mode = chosenMode(options);
  if (options.recoveryPrivateKey.length > 0 && ['seal', 'raw', 'merge-into', 'fetch-cert'].includes(mode)) {
    warn('ignoring --recovery-private-key: it is used by --recovery-unseal, --validate and --re-encrypt.');
  }
  switch (mode) {
    case 'seal':
      // sealkit: one Secret sealed for several cluster profiles, one file each.
      if (requestedProfiles(options.profile).length > 1) return (await import('./seal-profiles.js')).sealForProfilesCommand(options, command);
      return sealCommand(options, command);
    case 'raw':
      return sealRawCommand(options, command);
    case 'fetch-cert':
      return writeOutput((await resolveCertificate(keySourceOptions(options, command))).pem, options.sealedSecretFile);
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
