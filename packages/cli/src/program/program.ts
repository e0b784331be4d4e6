/**
 * The command line: kubeseal's flags on the root command (same names, defaults
 * and SEALED_SECRETS_* variables), sealkit's additions as subcommands. Each
 * subcommand's code is imported only when it runs.
 */
import { Command, Help, Option, type OptionValues } from 'commander';
import { kubesealCommand } from '../commands/kubeseal.js';
import { writeOutput } from '../output/output.js';
import { CliError } from './errors.js';
import { applyEnvironment, markKubesealFlag, refuseForeignRootFlags, USAGE_EXIT_CODE } from './go-flags.js';
import { enableDebug } from './log.js';
import { collect, collectCommaList, parseKlogLevel, parsePositiveInteger, parseScope, type KubesealOptions } from './options.js';
import { addRepositoryCommands } from './program-additions.js';

declare const SEALKIT_VERSION: string;

/** One of kubeseal's flags: SEALED_SECRETS_<FLAG> sets it too (see go-flags.ts). */
function kubesealOption(flags: string, description: string): Option {
  return markKubesealFlag(new Option(flags, description));
}

const KUBECTL_GROUP = "Kubernetes client options (kubectl's meaning; used when talking to a cluster):";

/** kubectl's connection flags (client-go's RecommendedConfigOverrideFlags), as kubeseal has them. */
const KUBECTL_FLAGS: [string, string][] = [
  ['--server <url>', 'the address and port of the Kubernetes API server'],
  ['--token <token>', 'bearer token for authentication to the API server'],
  ['--user <name>', 'the name of the kubeconfig user to use'],
  ['--cluster <name>', 'the name of the kubeconfig cluster to use'],
  ['--as <user>', 'username to impersonate for the operation'],
  ['--as-uid <uid>', 'UID to impersonate for the operation'],
  ['--certificate-authority <file>', 'path to a cert file for the certificate authority'],
  ['--client-certificate <file>', 'path to a client certificate file for TLS'],
  ['--client-key <file>', 'path to a client key file for TLS'],
  ['--tls-server-name <name>', "server name to validate the server's certificate against"],
  ['--proxy-url <url>', 'proxy to connect through'],
  ['--request-timeout <duration>', 'how long to wait for a single server request (e.g. 1s, 2m; 0: the default)'],
  ['--username <name>', 'username for basic authentication to the API server'],
  ['--password <password>', 'password for basic authentication to the API server'],
  ['--insecure-skip-tls-verify', "do not check the server's certificate (insecure)"],
  ['--disable-compression', 'opt out of response compression (sealkit never asks for it)'],
];

/** klog's flags, which kubeseal has: accepted; -v 1 or more prints sealkit's debug lines. */
const KLOG_VALUE_FLAGS = [
  '--vmodule',
  '--alsologtostderrthreshold',
  '--log_backtrace_at',
  '--log_dir',
  '--log_file',
  '--log_file_max_size',
  '--stderrthreshold',
];
const KLOG_BOOLEAN_FLAGS = [
  '--add_dir_header',
  '--alsologtostderr',
  '--legacy_stderr_threshold_behavior',
  '--logtostderr',
  '--one_output',
  '--skip_headers',
  '--skip_log_headers',
];

function addClientOptions(program: Command): void {
  for (const [flags, description] of KUBECTL_FLAGS) program.addOption(kubesealOption(flags, description).helpGroup(KUBECTL_GROUP));
  program.addOption(
    kubesealOption('--as-group <group>', 'group to impersonate for the operation (repeatable)')
      .argParser(collect)
      .default([])
      .helpGroup(KUBECTL_GROUP),
  );
  program.addOption(
    new Option('-v, --v <level>', 'log verbosity (klog); 1 or more prints debug lines').argParser(parseKlogLevel).hideHelp(),
  );
  for (const flag of KLOG_VALUE_FLAGS) program.addOption(new Option(`${flag} <value>`).hideHelp());
  for (const flag of KLOG_BOOLEAN_FLAGS) program.addOption(new Option(flag).hideHelp());
}

const ALWAYS_ALLOWED = [
  'debug',
  'localKeyring',
  'v',
  ...[...KLOG_VALUE_FLAGS, ...KLOG_BOOLEAN_FLAGS].map((flag) => new Option(flag).attributeName()),
];

/** The root options that say where keys come from (options.ts keySourceOptions): a certificate, a cluster or a profile. */
const KEY_SOURCE_OPTIONS = [
  'cert',
  'allowExpiredCert',
  'kubeconfig',
  'context',
  'controllerName',
  'controllerNamespace',
  'profile',
  'asGroup',
  ...KUBECTL_FLAGS.map(([flags]) => new Option(flags).attributeName()),
];

/** What a Secret is sealed for (seal.ts sealSettings). */
const SEALING_OPTIONS = ['scope', 'namespace', 'name', 'allowEmptyData', 'classic'];

/** The root options each subcommand uses; any other given to it is refused. */
const SUBCOMMAND_ROOT_OPTIONS: Record<string, string[]> = {
  keygen: [],
  rotate: [],
  keys: ['format', 'sealedSecretFile', ...KEY_SOURCE_OPTIONS],
  cert: ['format', 'sealedSecretFile', ...KEY_SOURCE_OPTIONS],
  reseal: ['recoveryPrivateKey', 'classic', ...KEY_SOURCE_OPTIONS],
  // Offline: certificates only (--cert, --profile's certificate files), no cluster flags (README, "validate").
  validate: ['format', 'sealedSecretFile', 'cert', 'profile'],
  kustomize: [...SEALING_OPTIONS, ...KEY_SOURCE_OPTIONS],
  'post-render': ['secretFile', ...SEALING_OPTIONS, ...KEY_SOURCE_OPTIONS],
  unseal: [
    'format',
    'sealedSecretFile',
    'secretFile',
    'raw',
    'name',
    'namespace',
    'scope',
    'fromFile',
    'fromLiteral',
    'recoveryPrivateKey',
    'kubeconfig',
    'context',
  ],
  edit: ['cert', 'allowExpiredCert', 'profile', 'recoveryPrivateKey', 'classic'],
  diff: ['recoveryPrivateKey'],
  completion: [],
};

/** -f collects every file; only --re-encrypt takes several (kubeseal would silently read the last). */
function checkInputFiles(program: Command, actionCommand: Command): void {
  const files = program.opts<{ secretFile: string[] }>().secretFile;
  const options = program.opts<KubesealOptions>();
  const severalAllowed = actionCommand === program && (options.reEncrypt || options.rotate);
  if (files.length > 1 && !severalAllowed)
    throw new CliError(`-f is given ${files.length} times; give one input file (only --re-encrypt takes several).`, USAGE_EXIT_CODE);
  program.setOptionValue('secretFiles', files);
  program.setOptionValue('secretFile', files[0]);
}

/** Before any action: SEALED_SECRETS_* variables, -v, several -f, and refusing root flags a subcommand ignores. */
function beforeAction(program: Command, actionCommand: Command): void {
  applyEnvironment(program);
  checkInputFiles(program, actionCommand);
  if ((program.opts().v ?? 0) > 0) enableDebug();
  if (actionCommand !== program)
    refuseForeignRootFlags(program, actionCommand, new Set([...ALWAYS_ALLOWED, ...(SUBCOMMAND_ROOT_OPTIONS[actionCommand.name()] ?? [])]));
}

const GLOBAL_HINT =
  '\nThe root options (sealkit --help) apply too: -o/--format, -w/--sealed-secret-file, --cert, --kubeconfig, --context, --debug.';

export function example(lines: string): string {
  return `\nExamples:\n${lines}${GLOBAL_HINT}\n`;
}

function addKeyOptions(command: Command): Command {
  return command
    .option('--key-size <bits>', 'RSA key size in bits', parsePositiveInteger, 4096)
    .option('--valid-days <days>', 'validity of the self-signed certificate, in days', parsePositiveInteger, 3650)
    .option('--common-name <name>', "the certificate's common name (the controller leaves it empty)", '')
    .option('--post-quantum', 'also make an ML-KEM-768 key: values sealed to it open only with both keys (and only with sealkit)');
}

/** A subcommand's options merged with the root's; the caller's parameter type says which. */
export function options<T extends OptionValues>(command: Command): T {
  return command.optsWithGlobals<T>();
}

function addSubcommands(program: Command): void {
  addKeyOptions(program.command('keygen').description('create the local keyring (for sealing without a cluster) with its first key'))
    .addHelpText(
      'after',
      example(
        '  sealkit keygen\n  sealkit -o yaml < secret.yaml > sealed.yaml\n  SEALKIT_HOME=$(mktemp -d) sealkit keygen --key-size 2048   # a throwaway keyring for CI',
      ),
    )
    .action(async (_, command: Command) => (await import('../commands/keys.js')).keygenCommand(options(command), false));

  addKeyOptions(program.command('rotate').description('add a new key to the local keyring; it seals from now on, older keys still open'))
    .addHelpText('after', example('  sealkit rotate\n  sealkit --re-encrypt -f sealed.yaml   # re-seal a file with the new key'))
    .action(async (_, command: Command) => (await import('../commands/keys.js')).keygenCommand(options(command), true));

  program
    .command('keys')
    .description('list the local keys (fingerprint, creation, expiry; * marks the active one), or export them as a controller key backup')
    .option('--export', 'print the keys as a controller key backup (a v1 List of key Secrets, PRIVATE KEYS included) for kubectl apply')
    .option('--import <backup>', "add a cluster's keys (a controller key backup or PEM files) to the local keyring")
    .addHelpText(
      'after',
      example(
        '  sealkit keys\n  sealkit keys --export -w backup.yaml && kubectl apply -f backup.yaml && kubectl -n kube-system delete pod -l name=sealed-secrets-controller\n  kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml > backup.yaml && sealkit keys --import backup.yaml',
      ),
    )
    .action(async (_, command: Command) => {
      const formatChosen = ['cli', 'env'].includes(command.getOptionValueSourceWithGlobals('format') ?? '');
      const chosen = options<{ import?: string }>(command);
      if (chosen.import !== undefined) return (await import('../commands/key-import.js')).importKeysCommand(chosen.import);
      return (await import('../commands/keys.js')).keysCommand(options(command), formatChosen, command);
    });

  program
    .command('cert')
    .description(
      "print the local keyring's active certificate (what 'sealkit --fetch-cert' prints for a cluster); --info describes a certificate",
    )
    .option('--info', 'fingerprint, key size, validity and expiry warnings of --cert, or of the certificate sealkit would seal with')
    .addHelpText(
      'after',
      example(
        '  sealkit cert > cert.pem\n  kubeseal --cert cert.pem < secret.yaml\n  sealkit cert --info --cert cert.pem\n  sealkit cert --info --profile prod',
      ),
    )
    .action(async (_, command: Command) => {
      if (options<{ info?: boolean }>(command).info) {
        const formatChosen = ['cli', 'env'].includes(command.getOptionValueSourceWithGlobals('format') ?? '');
        return (await import('../commands/cert-info.js')).certInfoCommand(options(command), command, formatChosen);
      }
      return (await import('../commands/keys.js')).certCommand(options(command));
    });

  program
    .command('unseal')
    .description(
      'open SealedSecrets with the local keyring or --key files and print the Secrets (like --recovery-unseal); with --raw, open one value',
    )
    .argument('[files...]', 'SealedSecret files (default: -f or stdin)')
    .option('--key <files>', 'private key file: PEM or a controller key backup (repeatable, comma-separated)', collectCommaList, [])
    .addHelpText(
      'after',
      example(
        '  sealkit unseal sealed.yaml -o yaml\n  sealkit unseal --key backup.yaml < sealed.json\n  echo -n "$VALUE" | sealkit unseal --raw --namespace prod --name db',
      ),
    )
    .action(async (files: string[], _, command: Command) => (await import('../commands/unseal.js')).unsealCommand(files, options(command)));

  program
    .command('edit')
    .description('edit a sealed file in $EDITOR as plaintext; only changed keys are resealed, so unchanged ciphertexts stay byte-identical')
    .argument('<file>', 'the SealedSecret file to edit in place')
    .option('--key <files>', 'private key file to open it (default: the local keyring)', collectCommaList, [])
    .addHelpText('after', example('  sealkit edit sealed.yaml\n  EDITOR="code --wait" sealkit edit --key backup.yaml sealed.yaml'))
    .action(async (file: string, _, command: Command) =>
      (await import('../commands/edit.js')).editCommand(file, options(command), command),
    );

  program
    .command('diff')
    .description(
      'which keys were added, removed or changed between two sealed files; never prints values (exit 0 same, 1 different, 2 error)',
    )
    .argument('<old>', 'the old sealed file (with --textconv, the one file)')
    .argument('[new]', 'the new sealed file')
    .option(
      '--key <files>',
      'private keys, to compare plaintexts instead of ciphertexts (default: the local keyring when it opens them)',
      collectCommaList,
      [],
    )
    .option(
      '--textconv',
      'print the one file with each sealed value replaced by a stand-in that changes only with the value: a Git diff driver (see the README)',
    )
    .addHelpText(
      'after',
      example(
        "  sealkit diff old.yaml new.yaml\n  git show HEAD:sealed.yaml > /tmp/old.yaml && sealkit diff /tmp/old.yaml sealed.yaml\n  git config diff.sealkit.textconv 'sealkit diff --textconv' && echo '*.sealed.yaml diff=sealkit' >> .gitattributes",
      ),
    )
    .action(async (oldFile: string, newFile: string | undefined, _, command: Command) => {
      const chosen = options<{ textconv?: boolean; key: string[] }>(command);
      if (chosen.textconv) return (await import('../commands/diff-textconv.js')).textconvCommand(oldFile, chosen.key);
      if (newFile === undefined)
        throw new CliError("diff needs two files (old and new), or --textconv with one; see 'sealkit diff --help'.", 2);
      return (await import('../commands/diff.js')).diffCommand(oldFile, newFile, options(command));
    });

  program
    .command('completion')
    .description('print a shell completion script')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      example(
        '  source <(sealkit completion bash)\n  sealkit completion zsh > "${fpath[1]}/_sealkit"\n  sealkit completion fish > ~/.config/fish/completions/sealkit.fish',
      ),
    )
    .action(async (shell: string) => (await import('../commands/completion.js')).completionCommand(shell, program));
}

export function buildProgram(): Command {
  const program = new Command('sealkit')
    .description('Seal Kubernetes Secrets into SealedSecrets (a drop-in for kubeseal), with a local keyring, unseal, edit and diff.')
    .version(`sealkit version: ${SEALKIT_VERSION}`, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    // Help and --version go through writeOutput, which ends quietly when the reader goes away (| head);
    // set before the subcommands are made, which inherit it.
    .configureOutput({ writeOut: (text) => writeOutput(text) })
    // A repeatable option's empty list is not worth "(default: [])": its description says what applies.
    .configureHelp({
      optionDescription(this: Help, option: Option) {
        return Help.prototype.optionDescription.call(this, option).replace(/ \(default: \[\]\)$/, '');
      },
    })
    .allowExcessArguments(true)
    .addOption(
      kubesealOption(
        '--cert <file|url>',
        'certificate / public key file or URL to seal with; overrides the local keyring and --controller-*',
      ),
    )
    .addOption(kubesealOption('--controller-namespace <namespace>', 'namespace of the sealed-secrets controller').default('kube-system'))
    .addOption(kubesealOption('--controller-name <name>', 'name of the sealed-secrets controller').default('sealed-secrets-controller'))
    .addOption(kubesealOption('-o, --format <format>', 'output format: json or yaml').default('json'))
    .addOption(kubesealOption('-w, --sealed-secret-file <file>', 'output file, written atomically (a .yaml/.yml name selects YAML)'))
    .addOption(
      kubesealOption('-f, --secret-file <file>', 'input file, - for stdin (default: stdin); --re-encrypt takes several')
        .argParser(collect)
        .default([]),
    )
    .addOption(
      kubesealOption(
        '--fetch-cert',
        "print the certificate sealkit would seal with (the controller's, through the cluster), for later use with --cert",
      ),
    )
    .addOption(kubesealOption('--allow-empty-data', 'allow a Secret without data'))
    .addOption(
      kubesealOption(
        '--validate',
        'check that the SealedSecrets can be opened (by the controller, or locally with --recovery-private-key or the local keyring)',
      ),
    )
    .addOption(
      kubesealOption(
        '--merge-into <file>',
        "seal the input Secret's keys into this sealed file, in place; other keys, documents and comments stay byte-identical",
      ),
    )
    .addOption(kubesealOption('--raw', 'seal one value (from --from-file, --from-literal or stdin) and print just its base64'))
    .addOption(kubesealOption('--name <name>', 'Secret name: required with --raw and the strict scope; names a Secret built from --from-*'))
    .addOption(
      kubesealOption('--from-file <[key=]path>', 'a Secret value from a file, or every file of a directory (repeatable, comma-separated)')
        .argParser(collectCommaList)
        .default([]),
    )
    .addOption(new Option('--from-literal <key=value>', 'a Secret value given inline (repeatable)').argParser(collect).default([]))
    .addOption(new Option('--from-env-file <file>', 'Secret values from KEY=VALUE lines (repeatable)').argParser(collect).default([]))
    .addOption(new Option('--type <type>', 'type of a Secret built from --from-* (default Opaque)'))
    .addOption(kubesealOption('--kubeconfig <file>', 'path to a kubeconfig'))
    .addOption(kubesealOption('--context <name>', 'kubeconfig context to use'))
    .addOption(
      new Option(
        '--profile <names>',
        "cluster profile(s) from $SEALKIT_HOME/profiles.yaml; several (comma-separated) seal once per profile, into -w 'dir/{profile}.yaml'",
      ).env('SEALKIT_PROFILE'),
    )
    .addOption(
      kubesealOption(
        '-n, --namespace <namespace>',
        'namespace for Secrets that have none; a Secret in another is refused (default: the context\'s, "default" in a context without one, none without a cluster)',
      ),
    )
    .addOption(
      kubesealOption(
        '--scope <scope>',
        "strict, namespace-wide or cluster-wide (default: from the Secret's annotations, else strict)",
      ).argParser(parseScope),
    )
    .addOption(
      kubesealOption(
        '--re-encrypt',
        "reseal SealedSecrets with the newest key (the controller's, or locally with --recovery-private-key or the local keyring)",
      ),
    )
    .addOption(kubesealOption('--rotate', 'deprecated: use --re-encrypt').hideHelp())
    .addOption(
      kubesealOption('--recovery-unseal', 'open SealedSecrets with --recovery-private-key (or the local keyring) and print the Secrets'),
    )
    .addOption(
      kubesealOption('--recovery-private-key <files>', 'private key file: PEM or a controller key backup (repeatable, comma-separated)')
        .argParser(collectCommaList)
        .default([]),
    )
    .option('--allow-expired-cert', 'seal with an expired certificate anyway (with a warning)')
    .option(
      '--classic',
      "seal Bitnami's format even when the certificate carries an ML-KEM key (post-quantum values open only with sealkit)",
    )
    .option('--local-keyring', 'seal and open with the local keyring even when a cluster is configured (or set SEALKIT_LOCAL_KEYRING=1)')
    .option('--debug', 'show which keys and cluster sealkit uses, and stack traces on errors')
    .addHelpText(
      'after',
      `
Examples:
  sealkit keygen && sealkit -o yaml < secret.yaml > sealed.yaml      # no cluster: a local key
  sealkit --cert cert.pem -o yaml < secret.yaml > sealed.yaml        # like kubeseal --cert
  kubectl create secret generic db --from-literal=password=s3cr3t --dry-run=client -o yaml | sealkit -o yaml
  sealkit --name db --from-literal password=s3cr3t -n prod -o yaml   # no plaintext file at all
  echo -n s3cr3t | sealkit --raw --namespace prod --name db
  sealkit --merge-into sealed.yaml < more-keys.yaml
  sealkit --recovery-unseal --recovery-private-key backup.yaml < sealed.yaml

Certificates, in order: --cert (or SEALED_SECRETS_CERT); the cluster's controller when a cluster is
configured (a kubeconfig with a current context, --server, or in a pod), exactly as kubeseal; else the
local keyring ($SEALKIT_HOME, default ~/.config/sealkit). --local-keyring (SEALKIT_LOCAL_KEYRING=1)
chooses the local keyring over a cluster. Every kubeseal flag can be set by SEALED_SECRETS_<FLAG>;
klog's flags (-v, --vmodule, ...) are accepted, and -v 1 or more prints debug lines.`,
    )
    .action((kubesealOptions: KubesealOptions, command: Command) => kubesealCommand(kubesealOptions, command));
  addClientOptions(program);
  program.hook('preAction', (_, actionCommand) => beforeAction(program, actionCommand));
  addSubcommands(program);
  addRepositoryCommands(program);
  return program;
}
