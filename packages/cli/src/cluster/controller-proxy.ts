/**
 * Talking to the sealed-secrets controller the way kubeseal does: through the
 * API server's service proxy (/api/v1/namespaces/NS/services/http:NAME:PORT/proxy/…),
 * authenticated from the user's kubeconfig with kubectl's flags applied, over the
 * Kubernetes client the controller uses too (@sealkit/kube). @kubernetes/client-node
 * costs ~0.8 s to import, so it stays outside the bundle and is loaded here, on first
 * use, only for its kubeconfig and authentication handling.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeClient, type Answer } from '@sealkit/kube';
import { asClause, CliError } from '../program/errors.js';
import { MAX_INPUT_BYTES } from '../input/files.js';
import { USAGE_EXIT_CODE } from '../program/go-flags.js';
import { importExternal } from './import-external.js';
import { debug } from '../program/log.js';
import type { ClusterOverrides } from '../program/options.js';

export interface ControllerLocation extends ClusterOverrides {
  name: string;
  namespace: string;
  kubeconfig?: string;
  context?: string;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface Connection {
  config: KubeConfig;
  client: KubeClient;
  /** The server URL without credentials, for messages. */
  shownServer: string;
}

/** A URL (or a message quoting URLs) fit for messages: without the user name and password they may carry. */
export function withoutCredentials(text: string): string {
  return (
    text
      // Up to the last "@" of the address: a password may hold an unencoded "@", "/", "?" or "#"
      // (a path with an "@" loses its host in the message, which is the safe side).
      .replace(/(\/\/)[^\s'"]*@/g, '$1')
      // A query or fragment may carry a token or a signature (?X-Amz-Signature=…): shown as "?…".
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#'"]*)[?#][^\s'"]*?(?=[:,;.)]?(?:\s|['"]|$))/gi, '$1?…')
  );
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** kubectl's --request-timeout: a Go duration ("30s", "1m30s") or whole seconds; 0 means the default. */
export function requestTimeoutMs(text: string | undefined): number {
  if (text === undefined || text === '' || text === '0') return DEFAULT_REQUEST_TIMEOUT_MS;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
    throw new CliError('--request-timeout takes a duration such as 30s, 1m or 1h (or whole seconds).', USAGE_EXIT_CODE);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * DURATION_UNITS[unit!]!, 0) || DEFAULT_REQUEST_TIMEOUT_MS;
}

type ClusterEntry = ReturnType<KubeConfig['getClusters']>[number];
type UserEntry = ReturnType<KubeConfig['getUsers']>[number];
type ContextEntry = ReturnType<KubeConfig['getContexts']>[number];

/** The kubeconfig with kubectl's flags applied to the current context, its cluster and its user. */
function applyOverrides(config: KubeConfig, overrides: ClusterOverrides): void {
  const current = config.getContextObject(config.getCurrentContext());
  const context: ContextEntry = { ...(current ?? { name: 'sealkit-flags', cluster: 'sealkit-flags', user: 'sealkit-flags' }) };
  for (const [flag, name, exists] of [
    ['--cluster', overrides.cluster, (n: string) => !!config.getCluster(n)],
    ['--user', overrides.user, (n: string) => !!config.getUser(n)],
  ] as const) {
    if (name && !exists(name))
      throw new CliError(`${flag} names "${name}", which is not in your kubeconfig; list them with kubectl config view.`);
  }
  if (overrides.cluster) Object.assign(context, { cluster: overrides.cluster });
  if (overrides.user) Object.assign(context, { user: overrides.user });
  const cluster: ClusterEntry = { ...(config.getCluster(context.cluster) ?? { name: context.cluster, server: '', skipTLSVerify: false }) };
  if (overrides.server) Object.assign(cluster, { server: overrides.server });
  if (overrides.certificateAuthority) Object.assign(cluster, { caFile: overrides.certificateAuthority, caData: undefined });
  if (overrides.insecureSkipTlsVerify) Object.assign(cluster, { skipTLSVerify: true });
  if (overrides.tlsServerName) Object.assign(cluster, { tlsServerName: overrides.tlsServerName });
  if (overrides.proxyUrl) Object.assign(cluster, { proxyUrl: overrides.proxyUrl });
  const user: UserEntry = { ...(config.getUser(context.user) ?? { name: context.user }) };
  // A token given on the command line is the credential: no plugin runs for another one.
  if (overrides.token) Object.assign(user, { token: overrides.token, exec: undefined, authProvider: undefined });
  if (overrides.clientCertificate) Object.assign(user, { certFile: overrides.clientCertificate, certData: undefined });
  if (overrides.clientKey) Object.assign(user, { keyFile: overrides.clientKey, keyData: undefined });
  if (overrides.username) Object.assign(user, { username: overrides.username });
  if (overrides.password) Object.assign(user, { password: overrides.password });
  if (overrides.as) Object.assign(user, { impersonateUser: overrides.as });
  config.loadFromOptions({
    clusters: [...config.getClusters().filter((c) => c.name !== cluster.name), cluster],
    users: [...config.getUsers().filter((u) => u.name !== user.name), user],
    contexts: [...config.getContexts().filter((c) => c.name !== context.name), context],
    currentContext: context.name,
  });
}

async function connect(location: ControllerLocation): Promise<Connection> {
  const { KubeConfig } = await importExternal<typeof import('@kubernetes/client-node')>('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    if (location.kubeconfig) config.loadFromFile(location.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new CliError(
      `Cannot load your kubeconfig: ${asClause(withoutCredentials((error as Error).message.split('\n')[0] ?? ''))}; fix it or choose one with --kubeconfig.`,
    );
  }
  if (location.context) {
    if (!config.getContextObject(location.context)) {
      throw new CliError(`The context "${location.context}" is not in your kubeconfig; list them with kubectl config get-contexts.`);
    }
    config.setCurrentContext(location.context);
  }
  applyOverrides(config, location);
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new CliError('Your kubeconfig has no current cluster; choose a context with --context, or give --server.');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(
      "The server of the kubeconfig's current cluster is not a URL; it should look like https://HOST:PORT (fix the kubeconfig or pass --server).",
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CliError(
      `The server of the kubeconfig's current cluster uses ${url.protocol.slice(0, -1)}; it should be an https:// URL (fix the kubeconfig or pass --server).`,
    );
  }
  const headers: Record<string, string | string[]> = {};
  if (location.asGroup?.length) headers['Impersonate-Group'] = location.asGroup;
  if (location.asUid) headers['Impersonate-Uid'] = location.asUid;
  const shownServer = withoutCredentials(server.replace(/\/+$/, ''));
  debug(`using the API server at ${shownServer}`);
  const options = { headers, timeoutMs: requestTimeoutMs(location.requestTimeout), maxAnswerBytes: MAX_INPUT_BYTES };
  const client = await KubeClient.connect(config, options).catch((error: unknown) => {
    throw credentialsError(config, error);
  });
  return { config, client, shownServer };
}

const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  EANSWERTOOLARGE: `it answered with more than ${MAX_INPUT_BYTES >> 20} MiB, more than any certificate or SealedSecret`,
  ENOTFOUND: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
};

function networkError(server: string, error: KubeApiError): CliError {
  const code = error.code ?? '';
  let reason = NETWORK_PROBLEMS[code];
  if (!reason && code.startsWith('ERR_OSSL'))
    reason = `the certificates or key in your kubeconfig cannot be loaded (${code}); check its certificate-authority, client-certificate and client-key (or their -data)`;
  if (!reason && /CERT|SSL|TLS|SELF_SIGNED/.test(code)) reason = `its TLS certificate was not accepted (${code})`;
  reason ??= code ? `the connection failed (${code})` : 'the connection failed';
  return new CliError(
    `Cannot reach the Kubernetes API server at ${server}: ${reason}; check your kubeconfig context, or seal offline with --cert FILE.`,
  );
}

/** Why the kubeconfig's credentials could not be applied, without repeating a foreign message (it may quote a secret). */
function credentialsError(config: KubeConfig, error: unknown): CliError {
  const exec = config.getCurrentUser()?.exec as { command?: string } | undefined;
  if (exec?.command) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'could not be started (not found)'
        : code === 'EACCES'
          ? 'could not be started (not executable)'
          : 'failed or printed no credential';
    return new CliError(`The kubeconfig user's exec plugin "${exec.command}" ${why}; run it yourself to see why, or log in again.`);
  }
  const code = (error as NodeJS.ErrnoException).code;
  return new CliError(
    `Cannot use the credentials of the kubeconfig's current user${code ? ` (${code})` : ''}; check its client certificate, key, token files and auth provider.`,
  );
}

async function request(connection: Connection, method: string, path: string, body?: string, accept?: string): Promise<Answer> {
  debug(`${method} ${withoutCredentials(connection.shownServer + path)}`);
  try {
    return await connection.client.exchange(method, path, { body, accept });
  } catch (error) {
    // Anything but a failed exchange comes from client-node applying the credentials.
    throw error instanceof KubeApiError ? networkError(connection.shownServer, error) : credentialsError(connection.config, error);
  }
}

/** The reason in an API server Status, or the first line of a plain-text answer. */
function answerText(response: Answer): string {
  const text = response.body.toString('utf8');
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string' && status.message) return status.message.slice(0, 200);
  } catch {
    // Not a Status object.
  }
  return (text.split('\n')[0] ?? '').trim().slice(0, 200) || `HTTP ${response.status}`;
}

const AUTHORIZATION_HINT = 'check your kubeconfig credentials and your RBAC permissions';

/** The controller Service's first port name, as kubeseal reads it to build the proxy path. */
async function servicePortName(connection: Connection, location: ControllerLocation): Promise<string> {
  const where = `${location.namespace}/${location.name}`;
  const response = await request(
    connection,
    'GET',
    `/api/v1/namespaces/${encodeURIComponent(location.namespace)}/services/${encodeURIComponent(location.name)}`,
  );
  if (response.status === 404) {
    throw new CliError(
      `The sealed-secrets controller's Service "${where}" was not found; set --controller-name and --controller-namespace to where the controller runs.`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new CliError(
      `The API server refused to show the Service "${where}" (${response.status}: ${answerText(response)}); ${AUTHORIZATION_HINT}.`,
    );
  }
  if (response.status !== 200)
    throw new CliError(`The API server answered ${response.status} for the Service "${where}": ${answerText(response)}.`);
  try {
    const service = JSON.parse(response.body.toString('utf8')) as { spec?: { ports?: { name?: string }[] } };
    return service.spec?.ports?.[0]?.name ?? '';
  } catch {
    throw new CliError(
      `The API server's answer for the Service "${where}" is not JSON; check that --kubeconfig points at a Kubernetes API server.`,
    );
  }
}

/** One request to the controller through the service proxy. */
async function callController(
  location: ControllerLocation,
  method: string,
  path: string,
  purpose: string,
  body?: string,
  accept?: string,
): Promise<Answer> {
  const connection = await connect(location);
  try {
    const port = await servicePortName(connection, location);
    const proxy = `/api/v1/namespaces/${encodeURIComponent(location.namespace)}/services/http:${encodeURIComponent(location.name)}:${encodeURIComponent(port)}/proxy`;
    const response = await request(connection, method, `${proxy}${path}`, body, accept);
    if (response.status === 401 || response.status === 403) {
      throw new CliError(
        `The API server refused the proxy request to the controller ${purpose} (${response.status}); ${AUTHORIZATION_HINT}.`,
      );
    }
    if (response.status === 502 || response.status === 503) {
      throw new CliError(
        `The sealed-secrets controller did not answer ${purpose} (${response.status}: ${answerText(response)}); check that it runs: kubectl get pods -n ${location.namespace}.`,
      );
    }
    return response;
  } finally {
    connection.client.close();
  }
}

/** The controller's current certificate (PEM), as `kubeseal --fetch-cert` gets it. */
export async function fetchClusterCertificate(location: ControllerLocation): Promise<string> {
  const purpose = 'for its certificate';
  const response = await callController(location, 'GET', '/v1/cert.pem', purpose, undefined, 'application/x-pem-file, */*');
  if (response.status !== 200) throw new CliError(`The controller answered ${response.status} ${purpose}: ${answerText(response)}.`);
  return response.body.toString('utf8');
}

/** Whether the controller can open the SealedSecret (its /v1/verify: 200 yes, 409 no). */
export async function verifyInCluster(location: ControllerLocation, sealedSecretJson: string): Promise<boolean> {
  const purpose = 'to verify a SealedSecret';
  const response = await callController(location, 'POST', '/v1/verify', purpose, sealedSecretJson);
  if (response.status === 200) return true;
  if (response.status === 409) return false;
  throw new CliError(`The controller answered ${response.status} ${purpose}: ${answerText(response)}.`);
}

/** The SealedSecret re-encrypted by the controller with its newest key (its /v1/rotate). */
export async function rotateInCluster(location: ControllerLocation, sealedSecretJson: string, what: string): Promise<unknown> {
  const purpose = `to re-encrypt ${what}`;
  const response = await callController(location, 'POST', '/v1/rotate', purpose, sealedSecretJson);
  if (response.status === 409) {
    throw new CliError(
      `The controller cannot re-encrypt ${what}: none of its keys opens it; it was sealed for another cluster, name, namespace or scope.`,
    );
  }
  if (response.status !== 200) throw new CliError(`The controller answered ${response.status} ${purpose}: ${answerText(response)}.`);
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch {
    throw new CliError(
      `The controller's answer ${purpose} is not JSON; check that --controller-name points at a sealed-secrets controller.`,
    );
  }
}
