/**
 * Command-line flags: every flag of the Bitnami controller, spelled and
 * defaulted the same (also from SEALED_SECRETS_<FLAG> environment variables),
 * plus this controller's own: --kubeconfig, --namespace, leader election,
 * --workers and --web.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { parseGoDuration } from './go-duration.js';

export type LogFormat = 'text' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type KeyOrderPriority = 'CertNotBefore' | 'SecretCreationTimestamp';

export interface ControllerOptions {
  kubeconfig?: string;
  /** The controller's namespace: where its keys and its Lease live. */
  namespace: string;
  keyPrefix: string;
  keySize: number;
  /** sealkit only: new keys also get an ML-KEM-768 key (certificate extension + mlkem768.seed), for post-quantum sealing. */
  postQuantumKeys: boolean;
  keyTtlMs: number;
  myCn: string;
  /** 0 turns automatic renewal off. */
  keyRenewPeriodMs: number;
  keyCutoffTime?: Date;
  keyOrderPriority: KeyOrderPriority;
  acceptDeprecatedV1Data: boolean;
  allNamespaces: boolean;
  additionalNamespaces: string[];
  labelSelector?: string;
  rateLimit: number;
  rateLimitBurst: number;
  metricsOmitSecretLabels: boolean;
  privateKeyAnnotations: Record<string, string>;
  privateKeyLabels: Record<string, string>;
  oldGcBehavior: boolean;
  updateStatus: boolean;
  watchForSecrets: boolean;
  skipRecreate: boolean;
  logInfoStdout: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
  maxUnsealRetries: number;
  kubeclientQps: number;
  kubeclientBurst: number;
  listenAddr: string;
  listenMetricsAddr: string;
  readTimeoutMs: number;
  writeTimeoutMs: number;
  leaderElect: boolean;
  leaderElectionId: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  workers: number;
  web?: string;
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** POD_NAMESPACE, else the service account's namespace, else kube-system (where kubeseal looks). */
function defaultNamespace(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  if (existsSync(SERVICE_ACCOUNT_NAMESPACE)) {
    const namespace = readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim();
    if (namespace) return namespace;
  }
  return 'kube-system';
}

// Go's strconv.ParseBool, which the Bitnami flags use.
function parseBool(value: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new InvalidArgumentError(`"${value}" is not true or false.`);
}

function parseInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return number;
}

function parseNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError(`"${value}" is not a number.`);
  return number;
}

function parseDuration(value: string): number {
  try {
    return parseGoDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** "key=value,key2=value2", as --privatekey-annotations and --privatekey-labels take them. */
function parseKeyValues(value: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const equals = item.indexOf('=');
    if (equals <= 0) throw new InvalidArgumentError(`"${item}" is not key=value.`);
    pairs[item.slice(0, equals).trim()] = item.slice(equals + 1).trim();
  }
  return pairs;
}

const parseList = (value: string) => [
  ...new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

// Go's time.RFC1123Z, the only format --key-cutoff-time takes in the Bitnami controller.
const RFC1123Z = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [-+]\d{4}$/;

function parseCutoff(value: string): Date {
  const time = Date.parse(value);
  if (!RFC1123Z.test(value.trim()) || Number.isNaN(time)) {
    throw new InvalidArgumentError(`"${value}" is not an RFC 1123 time with a numeric zone, like "Mon, 02 Jan 2006 15:04:05 -0700".`);
  }
  return new Date(time);
}

function oneOf<T extends string>(choices: readonly T[], caseInsensitive = false) {
  return (value: string): T => {
    const found = choices.find((c) => (caseInsensitive ? c.toLowerCase() === value.toLowerCase() : c === value));
    if (!found) throw new InvalidArgumentError(`"${value}" is not one of ${choices.join(', ')}.`);
    return found;
  };
}

/** A flag; Bitnami's flags also read SEALED_SECRETS_<FLAG_NAME> from the environment. */
function flag(spec: string, description: string): Option {
  const name = /--([a-z0-9-]+)/.exec(spec)![1]!;
  return new Option(spec, description).env(`SEALED_SECRETS_${name.toUpperCase().replaceAll('-', '_')}`);
}

/** A boolean flag that also takes =true / =false, as Go's flags do. */
function boolFlag(name: string, description: string, defaultValue: boolean): Option {
  return flag(`--${name} [bool]`, description).argParser(parseBool).preset('true').default(defaultValue);
}

function buildCommand(version: string): Command {
  return (
    new Command('sealkit-controller')
      .description('Unseals SealedSecrets into Secrets: a drop-in replacement for the Bitnami sealed-secrets controller.')
      .version(version, '--version', 'Print the version and exit.')
      .helpOption('-h, --help', 'Show this help.')
      .allowExcessArguments(false)
      // Throw instead of exiting, so that main decides (and tests can see the error).
      .exitOverride()
      .addOption(
        new Option('--kubeconfig <path>', 'Kubeconfig file; default: the in-cluster service account, else $KUBECONFIG or ~/.kube/config.'),
      )
      .addOption(
        flag(
          '--namespace <name>',
          "The controller's namespace, holding its keys and Lease (default: POD_NAMESPACE, the service account's, else kube-system).",
        ),
      )
      .addOption(flag('--key-prefix <prefix>', 'generateName of the key Secrets.').default('sealed-secrets-key'))
      .addOption(flag('--key-size <bits>', 'RSA key size of new keys.').argParser(parseInteger).default(4096))
      .addOption(
        boolFlag(
          'post-quantum-keys',
          "New keys also get an ML-KEM-768 key, so values sealed to them are post-quantum (sealkit only; Bitnami's controller still reads the keys).",
          false,
        ),
      )
      .addOption(
        flag('--key-ttl <duration>', "Validity of new keys' certificates.")
          .argParser(parseDuration)
          .default(parseGoDuration('87600h'), '87600h'),
      )
      .addOption(flag('--my-cn <name>', "Common name of new keys' certificates.").default(''))
      .addOption(
        flag('--key-renew-period <duration>', 'How often to make a new sealing key (0 turns renewal off).')
          .argParser(parseDuration)
          .default(parseGoDuration('720h'), '720h'),
      )
      .addOption(flag('--rotate-period <duration>', 'Old name of --key-renew-period.').argParser(parseDuration).hideHelp())
      .addOption(
        flag(
          '--key-cutoff-time <time>',
          'Make a new key at start if the newest is older than this RFC 1123 time, e.g. "Mon, 02 Jan 2006 15:04:05 -0700".',
        ).argParser(parseCutoff),
      )
      .addOption(
        flag('--key-order-priority <order>', 'Which key is newest: by certificate NotBefore or by Secret creationTimestamp.')
          .argParser(oneOf(['CertNotBefore', 'SecretCreationTimestamp'] as const))
          .default('CertNotBefore'),
      )
      .addOption(boolFlag('accept-deprecated-v1-data', 'Open the deprecated spec.data field.', true))
      .addOption(boolFlag('all-namespaces', 'Watch all namespaces, or only the controller namespace.', true))
      .addOption(
        flag('--additional-namespaces <list>', 'Comma-separated namespaces to watch besides the controller namespace.')
          .argParser(parseList)
          .default([]),
      )
      .addOption(flag('--label-selector <selector>', 'Only unseal SealedSecrets matching this label selector.'))
      .addOption(
        flag('--rate-limit <n>', 'Sustained requests per second allowed to /v1/verify and /v1/rotate per client.')
          .argParser(parseNumber)
          .default(2),
      )
      .addOption(flag('--rate-limit-burst <n>', 'Requests allowed above the rate limit in a burst.').argParser(parseInteger).default(2))
      .addOption(boolFlag('metrics-omit-secret-labels', 'Do not publish condition_info, which names every SealedSecret.', false))
      .addOption(
        flag('--privatekey-annotations <pairs>', 'Annotations for new key Secrets: key=value,...').argParser(parseKeyValues).default({}),
      )
      .addOption(flag('--privatekey-labels <pairs>', 'Labels for new key Secrets: key=value,...').argParser(parseKeyValues).default({}))
      .addOption(
        boolFlag('old-gc-behavior', 'Delete Secrets when their SealedSecret goes, instead of leaving that to owner references.', false),
      )
      .addOption(boolFlag('update-status', 'Write the status of SealedSecrets.', true))
      .addOption(boolFlag('watch-for-secrets', 'Pick up key Secrets created by others while running.', false))
      .addOption(
        boolFlag(
          'skip-recreate',
          'Do not watch Secrets, so deleted or edited Secrets are not restored (needs no list/watch on Secrets).',
          false,
        ),
      )
      .addOption(boolFlag('log-info-stdout', 'Log to stdout (else stderr).', true))
      .addOption(
        flag('--log-level <level>', 'DEBUG, INFO, WARN or ERROR.')
          .argParser(oneOf(['debug', 'info', 'warn', 'error'] as const, true))
          .default('info', 'INFO'),
      )
      .addOption(
        flag('--log-format <format>', 'text or json.')
          .argParser(oneOf(['text', 'json'] as const))
          .default('text'),
      )
      .addOption(
        flag('--max-unseal-retries <n>', 'Times to retry a SealedSecret that does not open before giving up.')
          .argParser(parseInteger)
          .default(5),
      )
      .addOption(
        flag('--kubeclient-qps <n>', 'Kubernetes API requests per second; 0 or less: unlimited.').argParser(parseNumber).default(-1),
      )
      .addOption(
        flag('--kubeclient-burst <n>', 'Kubernetes API requests allowed in a burst above --kubeclient-qps.')
          .argParser(parseInteger)
          .default(10),
      )
      .addOption(flag('--listen-addr <addr>', 'Address of the HTTP API, host:port.').default(':8080'))
      .addOption(flag('--listen-metrics-addr <addr>', 'Address of the metrics endpoint, host:port.').default(':8081'))
      .addOption(flag('--read-timeout <duration>', 'HTTP request timeout.').argParser(parseDuration).default(parseGoDuration('2m'), '2m'))
      .addOption(flag('--write-timeout <duration>', 'HTTP response timeout.').argParser(parseDuration).default(parseGoDuration('2m'), '2m'))
      .addOption(boolFlag('leader-elect', 'Elect one leader among replicas through a Lease; only it unseals and renews keys.', true))
      .addOption(
        flag('--leader-election-id <name>', 'Name of the Lease, in the controller namespace.').default('sealed-secrets-controller'),
      )
      .addOption(
        flag('--leader-elect-lease-duration <duration>', 'How long a leader holds the Lease without renewing it.')
          .argParser(parseDuration)
          .default(15_000, '15s'),
      )
      .addOption(
        flag('--leader-elect-renew-deadline <duration>', 'How long the leader keeps trying to renew before it steps down.')
          .argParser(parseDuration)
          .default(10_000, '10s'),
      )
      .addOption(
        flag('--leader-elect-retry-period <duration>', 'How often candidates try to take the Lease and the leader renews it.')
          .argParser(parseDuration)
          .default(2_000, '2s'),
      )
      .addOption(flag('--workers <n>', 'SealedSecrets unsealed at once.').argParser(parseInteger).default(16))
      .addOption(flag('--web <dir>', 'Serve the static files of this folder at / (default: the sealing page of @sealkit/web, when built).'))
  );
}

type Parsed = Omit<
  ControllerOptions,
  | 'namespace'
  | 'keyTtlMs'
  | 'keyRenewPeriodMs'
  | 'readTimeoutMs'
  | 'writeTimeoutMs'
  | 'leaseDurationMs'
  | 'renewDeadlineMs'
  | 'retryPeriodMs'
> & {
  namespace?: string;
  keyTtl: number;
  keyRenewPeriod: number;
  rotatePeriod?: number;
  readTimeout: number;
  writeTimeout: number;
  leaderElectLeaseDuration: number;
  leaderElectRenewDeadline: number;
  leaderElectRetryPeriod: number;
  privatekeyAnnotations: Record<string, string>;
  privatekeyLabels: Record<string, string>;
};

/** The options from command-line arguments (without the node and script paths); throws CommanderError after printing a usage error, help or version. */
export function parseOptions(args: string[], version: string, defaultWebDir?: string): ControllerOptions {
  const command = buildCommand(version);
  command.parse(args, { from: 'user' });
  const p = command.opts<Parsed>();
  const options: ControllerOptions = {
    kubeconfig: p.kubeconfig,
    namespace: p.namespace ?? defaultNamespace(),
    keyPrefix: p.keyPrefix,
    keySize: p.keySize,
    postQuantumKeys: p.postQuantumKeys,
    keyTtlMs: p.keyTtl,
    myCn: p.myCn,
    keyRenewPeriodMs: p.rotatePeriod ?? p.keyRenewPeriod,
    keyCutoffTime: p.keyCutoffTime,
    keyOrderPriority: p.keyOrderPriority,
    acceptDeprecatedV1Data: p.acceptDeprecatedV1Data,
    allNamespaces: p.allNamespaces,
    additionalNamespaces: p.additionalNamespaces,
    labelSelector: p.labelSelector || undefined,
    rateLimit: p.rateLimit,
    rateLimitBurst: p.rateLimitBurst,
    metricsOmitSecretLabels: p.metricsOmitSecretLabels,
    privateKeyAnnotations: p.privatekeyAnnotations,
    privateKeyLabels: p.privatekeyLabels,
    oldGcBehavior: p.oldGcBehavior,
    updateStatus: p.updateStatus,
    watchForSecrets: p.watchForSecrets,
    skipRecreate: p.skipRecreate,
    logInfoStdout: p.logInfoStdout,
    logLevel: p.logLevel,
    logFormat: p.logFormat,
    maxUnsealRetries: p.maxUnsealRetries,
    kubeclientQps: p.kubeclientQps,
    kubeclientBurst: p.kubeclientBurst,
    listenAddr: p.listenAddr,
    listenMetricsAddr: p.listenMetricsAddr,
    readTimeoutMs: p.readTimeout,
    writeTimeoutMs: p.writeTimeout,
    leaderElect: p.leaderElect,
    leaderElectionId: p.leaderElectionId,
    leaseDurationMs: p.leaderElectLeaseDuration,
    renewDeadlineMs: p.leaderElectRenewDeadline,
    retryPeriodMs: p.leaderElectRetryPeriod,
    workers: p.workers,
    web: p.web ?? defaultWebDir,
  };
  checkOptions(options);
  return options;
}

function checkOptions(o: ControllerOptions): void {
  const fail = (message: string): never => {
    throw new UsageError(message);
  };
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.keyPrefix) || o.keyPrefix.length > 253 - 5) {
    fail(`--key-prefix "${o.keyPrefix}" is not a valid Secret name prefix: use lowercase letters, digits, "-" and ".".`);
  }
  if (o.keyRenewPeriodMs < 0) fail('--key-renew-period cannot be negative; use 0 to turn renewal off.');
  if (o.keyTtlMs <= 0) fail('--key-ttl must be positive.');
  if (o.workers < 1) fail('--workers must be at least 1.');
  if (o.maxUnsealRetries < 0) fail('--max-unseal-retries cannot be negative.');
  if (o.rateLimit <= 0 || o.rateLimitBurst < 0) fail('--rate-limit must be positive and --rate-limit-burst not negative.');
  if (o.leaderElect && !(o.retryPeriodMs < o.renewDeadlineMs && o.renewDeadlineMs < o.leaseDurationMs)) {
    fail('Leader election needs --leader-elect-retry-period < --leader-elect-renew-deadline < --leader-elect-lease-duration.');
  }
}

/** A flag combination that cannot work; main prints the message and exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
