/**
 * sealkit's commands for whole repositories, CI and delivery tools (reseal,
 * validate, profiles, kustomize, helm), registered beside the others. Like
 * them, each command's code is imported only when it runs.
 */
import type { Command } from 'commander';
import { collectCommaList } from './options.js';
import { example, options } from './program.js';

const KEY_OPTION = ['--key <files>', 'private key file: PEM or a controller key backup (repeatable, comma-separated; default: the local keyring)'] as const;

export function addRepositoryCommands(program: Command): void {
  program
    .command('reseal')
    .description('reseal every SealedSecret in files and directories for the newest key, offline; only the resealed values change in each file')
    .argument('<paths...>', 'files and directories (searched for *.yaml, *.yml, *.json)')
    .option(...KEY_OPTION, collectCommaList, [])
    .option('--dry-run', 'only say what would change')
    .addHelpText('after', example('  sealkit rotate && sealkit reseal deploy/\n  sealkit reseal --key backup.yaml --cert new-cert.pem --dry-run .'))
    .action(async (paths: string[], _, command: Command) => (await import('./commands/reseal.js')).resealCommand(paths, options(command), command));
}
