/**
 * Talking to the sealed-secrets controller the way kubeseal does: through the
 * API server's service proxy (/api/v1/namespaces/NS/services/http:NAME:PORT/proxy/…),
 * authenticated from the user's kubeconfig. @kubernetes/client-node costs ~0.8 s
 * to import, so it stays outside the bundle and is loaded here, on first use, only
 * for its kubeconfig and authentication handling; requests go through node:http(s).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestOptions } from 'node:https';
import { asClause, CliError } from './errors.js';
import { importExternal } from './import-external.js';
import { debug } from './log.js';

export interface ControllerLocation {
  name: string;
  namespace: string;
  kubeconfig?: string;
  context?: string;
}

interface ApiResponse {
  status: number;
  body: Buffer;
}

const REQUEST_TIMEOUT_MS = 30_000;

interface Connection {
  config: KubeConfig;
  server: string;
}

async function connect(location: ControllerLocation): Promise<Connection> {
  const { KubeConfig } = await importExternal<typeof import('@kubernetes/client-node')>('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    if (location.kubeconfig) config.loadFromFile(location.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new CliError(`Cannot load your kubeconfig: ${asClause((error as Error).message.split('\n')[0] ?? '')}; fix it or choose one with --kubeconfig.`);
  }
  if (location.context) {
    if (!config.getContextObject(location.context)) {
      throw new CliError(`The context "${location.context}" is not in your kubeconfig; list them with kubectl config get-contexts.`);
    }
    config.setCurrentContext(location.context);
  }
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new CliError('Your kubeconfig has no current cluster; choose a context with --context.');
  return { config, server: server.replace(/\/+$/, '') };
}

const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
};

function networkError(server: string, error: NodeJS.ErrnoException): CliError {
  const code = error.code ?? '';
  const reason =
    NETWORK_PROBLEMS[code] ??
    (/CERT|SSL|TLS|SELF_SIGNED/.test(code) ? `its TLS certificate was not accepted (${code})` : asClause(error.message.split('\n')[0] ?? code));
  return new CliError(`Cannot reach the Kubernetes API server at ${server}: ${reason}; check your kubeconfig context, or seal offline with --cert FILE.`);
}

async function request(connection: Connection, method: string, path: string, body?: string, accept = 'application/json'): Promise<ApiResponse> {
  const url = new URL(connection.server + path);
  const options: RequestOptions = { method, headers: { Accept: accept }, timeout: REQUEST_TIMEOUT_MS };
  if (body !== undefined) options.headers = { ...options.headers, 'Content-Type': 'application/json' };
  try {
    await connection.config.applyToHTTPSOptions(options);
  } catch (error) {
    throw new CliError(`Cannot use the cluster in your kubeconfig: ${asClause((error as Error).message.split('\n')[0] ?? '')}.`);
  }
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  debug(`${method} ${url.href}`);
  return new Promise<ApiResponse>((resolve, reject) => {
    const outgoing = send(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      response.on('error', (error) => reject(networkError(connection.server, error)));
    });
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    outgoing.on('error', (error) => reject(networkError(connection.server, error)));
    outgoing.end(body);
  });
}

/** The reason in an API server Status, or the first line of a plain-text answer. */
function answerText(response: ApiResponse): string {
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
  const response = await request(connection, 'GET', `/api/v1/namespaces/${encodeURIComponent(location.namespace)}/services/${encodeURIComponent(location.name)}`);
  if (response.status === 404) {
    throw new CliError(
      `The sealed-secrets controller's Service "${where}" was not found; set --controller-name and --controller-namespace to where the controller runs.`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new CliError(`The API server refused to show the Service "${where}" (${response.status}: ${answerText(response)}); ${AUTHORIZATION_HINT}.`);
  }
  if (response.status !== 200) throw new CliError(`The API server answered ${response.status} for the Service "${where}": ${answerText(response)}.`);
  try {
    const service = JSON.parse(response.body.toString('utf8')) as { spec?: { ports?: { name?: string }[] } };
    return service.spec?.ports?.[0]?.name ?? '';
  } catch {
    throw new CliError(`The API server's answer for the Service "${where}" is not JSON; check that --kubeconfig points at a Kubernetes API server.`);
  }
}

/** One request to the controller through the service proxy. */
async function callController(location: ControllerLocation, method: string, path: string, purpose: string, body?: string, accept?: string): Promise<ApiResponse> {
  const connection = await connect(location);
  const port = await servicePortName(connection, location);
  const proxy = `/api/v1/namespaces/${encodeURIComponent(location.namespace)}/services/http:${encodeURIComponent(location.name)}:${encodeURIComponent(port)}/proxy`;
  const response = await request(connection, method, `${proxy}${path}`, body, accept);
  if (response.status === 401 || response.status === 403) {
    throw new CliError(`The API server refused the proxy request to the controller ${purpose} (${response.status}); ${AUTHORIZATION_HINT}.`);
  }
  if (response.status === 502 || response.status === 503) {
    throw new CliError(
      `The sealed-secrets controller did not answer ${purpose} (${response.status}: ${answerText(response)}); check that it runs: kubectl get pods -n ${location.namespace}.`,
    );
  }
  return response;
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
    throw new CliError(`The controller cannot re-encrypt ${what}: none of its keys opens it; it was sealed for another cluster, name, namespace or scope.`);
  }
  if (response.status !== 200) throw new CliError(`The controller answered ${response.status} ${purpose}: ${answerText(response)}.`);
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch {
    throw new CliError(`The controller's answer ${purpose} is not JSON; check that --controller-name points at a sealed-secrets controller.`);
  }
}
