/**
 * sealkit's commands for whole repositories, CI and delivery tools (reseal,
 * validate, profiles, kustomize, helm), registered beside the others. Like
 * them, each command's code is imported only when it runs.
 */
import type { Command, CommanderError } from 'commander';
import { writeOutput } from '../output/output.js';
import { collectCommaList } from './options.js';
import { example, options } from './program.js';

/**
 * Parse errors thrown (not printed by commander, not process.exit), so main's reportError
 * prints the one line. `usageExitCode` 2 where exit 1 means "the files are invalid".
 */
function throwParseErrors(command: Command, usageExitCode = 1): Command {
  return command.configureOutput({ writeOut: (text) => writeOutput(text), outputError: () => {} }).exitOverride((error: CommanderError) => {
    if (error.exitCode !== 0) (error as { exitCode: number }).exitCode = usageExitCode;
    throw error;
  });
}

const KEY_OPTION = [
  '--key <files>',
  'private key file: PEM or a controller key backup (repeatable, comma-separated; default: the local keyring)',
] as const;

export function addRepositoryCommands(program: Command): void {
  throwParseErrors(program.command('reseal'))
    .description(
      'reseal every SealedSecret in files and directories for the newest key, offline; only the resealed values change in each file',
    )
    .argument('<paths...>', 'files and directories (searched for *.yaml, *.yml, *.json)')
    .option(...KEY_OPTION, collectCommaList, [])
    .option('--dry-run', 'only say what would change')
    .addHelpText(
      'after',
      example(
        "  sealkit rotate && sealkit reseal deploy/\n  sealkit reseal --key backup.yaml --cert new-cert.pem --dry-run .\n  sealkit reseal --classic --key backup.yaml deploy/   # post-quantum values back to Bitnami's format",
      ),
    )
    .action(async (paths: string[], _, command: Command) =>
      (await import('../commands/reseal.js')).resealCommand(paths, options(command), command),
    );

  throwParseErrors(program.command('validate'), 2)
    .description(
      'check SealedSecret files offline (structure, scope, keys, base64, key size against the certificates); with --key, open them too. Exit 0 valid, 1 invalid, 2 usage',
    )
    .argument('<paths...>', 'files and directories (searched for *.yaml, *.yml, *.json); other kinds of objects are skipped')
    .option(
      '--certs <files>',
      'more certificates the values may be sealed for, besides --cert and the local keyring (repeatable, comma-separated)',
      collectCommaList,
      [],
    )
    .option(
      '--key <files>',
      'private keys: also open every value and render the templates (repeatable, comma-separated)',
      collectCommaList,
      [],
    )
    .addHelpText(
      'after',
      example(
        '  sealkit validate --cert cert.pem deploy/\n  sealkit validate --cert cert.pem --format github .   # annotations in a GitHub Actions log\n  sealkit validate -o json --key backup.yaml sealed.yaml',
      ),
    )
    .action(async (paths: string[], _, command: Command) =>
      (await import('../commands/validate-files.js')).validateFilesCommand(paths, options(command), command),
    );

  throwParseErrors(program.command('kustomize'))
    .description(
      'seal the Secrets in a kustomize build (secretGenerator output too): an exec KRM function, or a legacy exec transformer plugin',
    )
    .argument('[config]', 'the plugin config file (kustomize passes it to a legacy exec plugin)')
    .addHelpText(
      'after',
      example(
        '  # kustomization.yaml:  transformers: [seal.yaml]   (seal.yaml: apiVersion: sealkit.dev/v1, kind: SealSecrets, cert: cert.pem)\n  ln -s "$(command -v sealkit-kustomize)" ~/.config/kustomize/plugin/sealkit.dev/v1/sealsecrets/SealSecrets\n  kubectl kustomize --enable-alpha-plugins overlays/prod',
      ),
    )
    .action(async (config: string | undefined, _, command: Command) =>
      (await import('../commands/kustomize.js')).kustomizeCommand(config, options(command), command),
    );

  throwParseErrors(program.command('post-render'))
    .description('a Helm post-renderer: manifests on stdin, each Secret replaced by its SealedSecret, everything else unchanged, on stdout')
    .addHelpText(
      'after',
      example(
        '  helm install app ./chart --post-renderer sealkit --post-renderer-args post-render --post-renderer-args --cert=cert.pem\n  helm template ./chart | sealkit post-render -n prod > manifests.yaml',
      ),
    )
    .action(async (_, command: Command) => (await import('../commands/post-render.js')).postRenderCommand(options(command), command));
}
