/**
 * A small Kubernetes REST client over one keep-alive connection pool.
 *
 * Configuration and authentication come from @kubernetes/client-node's
 * KubeConfig (in-cluster service account, kubeconfig files, exec plugins,
 * tokens). Its generated API classes are not used for the traffic itself: they
 * open a new connection (and TLS handshake) per request and cannot page lists,
 * and the controller makes thousands of requests when it starts.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { apiErrorFrom, KubeApiError } from './api-error.js';
import { TokenBucket } from './token-bucket.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Default application/json; patches pass their patch type. */
  contentType?: string;
  /** Default 60 s. */
  timeoutMs?: number;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface KubeClientOptions {
  /** Requests per second; not positive means unlimited. */
  qps?: number;
  burst?: number;
  userAgent?: string;
}

const REQUEST_TIMEOUT_MS = 60_000;
// Authentication headers are re-read this often: tokens rotate (projected service
// account tokens, exec plugins) but reading them for every request costs a file read.
const AUTH_TTL_MS = 10_000;

export class KubeClient {
  readonly #server: URL;
  readonly #agent: http.Agent;
  readonly #transport: typeof http | typeof https;
  readonly #config: KubeConfig;
  readonly #limiter: TokenBucket | undefined;
  readonly #userAgent: string;
  #auth: { headers: http.OutgoingHttpHeaders; expires: number } | undefined;

  private constructor(config: KubeConfig, tls: https.RequestOptions, options: KubeClientOptions) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('The kubeconfig has no current cluster; set a current context.');
    this.#config = config;
    this.#server = new URL(cluster.server);
    const secure = this.#server.protocol === 'https:';
    this.#transport = secure ? https : http;
    const agentOptions = { keepAlive: true, maxFreeSockets: 64 };
    this.#agent = secure
      ? new https.Agent({
          ...agentOptions,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          rejectUnauthorized: tls.rejectUnauthorized,
          servername: tls.servername,
        })
      : new http.Agent(agentOptions);
    this.#limiter = options.qps && options.qps > 0 ? new TokenBucket(options.qps, Math.max(1, options.burst ?? 1)) : undefined;
    this.#userAgent = options.userAgent ?? 'sealkit-controller';
  }

  static async connect(config: KubeConfig, options: KubeClientOptions = {}): Promise<KubeClient> {
    const tls: https.RequestOptions = {};
    await config.applyToHTTPSOptions(tls);
    return new KubeClient(config, tls, options);
  }

  get server(): string {
    return this.#server.href;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    await this.#limiter?.take();
    const response = await this.#send(method, path, options, options.timeoutMs ?? REQUEST_TIMEOUT_MS);
    const text = await readText(response).catch((error: Error) => {
      throw new KubeApiError(0, 'NetworkError', `The answer to ${method} ${path} was cut off: ${error.message}`);
    });
    if (response.statusCode === 401) this.#auth = undefined;
    if (response.statusCode! >= 300) throw apiErrorFrom(response.statusCode!, method, path, text);
    return (text ? parseJson(text, `${method} ${path}`) : undefined) as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  /**
   * Streams a watch until the server ends it (resolves) or it fails (rejects);
   * aborting `signal` ends it quietly. A stream silent for `idleTimeoutMs` is
   * treated as a dead connection: pass more than the watch's timeoutSeconds.
   */
  async watch<T>(
    path: string,
    query: Query,
    onEvent: (event: WatchEvent<T>) => void,
    signal: AbortSignal,
    idleTimeoutMs: number,
  ): Promise<void> {
    const response = await this.#send('GET', path, { query: { ...query, watch: true } }, idleTimeoutMs, signal);
    if (response.statusCode !== 200) throw apiErrorFrom(response.statusCode!, 'GET', path, await readText(response));
    response.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      const fail = (error: Error) => (signal.aborted ? resolve() : reject(error));
      response.on('data', (chunk: string) => {
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (!line) continue;
          try {
            onEvent(parseJson(line, `the watch of ${path}`) as WatchEvent<T>);
          } catch (error) {
            response.destroy();
            return fail(error instanceof Error ? error : new Error(String(error)));
          }
        }
      });
      response.on('end', resolve);
      response.on('error', fail);
      response.on('close', () => (response.complete ? resolve() : fail(new Error(`The watch of ${path} was cut off.`))));
    });
  }

  close(): void {
    this.#agent.destroy();
  }

  async #authHeaders(): Promise<http.OutgoingHttpHeaders> {
    if (this.#auth && this.#auth.expires > Date.now()) return this.#auth.headers;
    const options: https.RequestOptions = {};
    await this.#config.applyToHTTPSOptions(options);
    const headers: http.OutgoingHttpHeaders = { ...(options.headers as http.OutgoingHttpHeaders | undefined) };
    if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    this.#auth = { headers, expires: Date.now() + AUTH_TTL_MS };
    return headers;
  }

  async #send(
    method: string,
    path: string,
    options: RequestOptions,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<http.IncomingMessage> {
    const url = new URL(this.#server.pathname.replace(/\/$/, '') + path, this.#server);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: http.OutgoingHttpHeaders = {
      ...(await this.#authHeaders()),
      accept: 'application/json',
      'user-agent': this.#userAgent,
    };
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const request = this.#transport.request(url, { method, headers, agent: this.#agent, signal }, resolve);
      request.setTimeout(timeoutMs, () =>
        request.destroy(
          new KubeApiError(0, 'Timeout', `The Kubernetes API did not answer ${method} ${path} within ${timeoutMs / 1000} s.`),
        ),
      );
      request.on('error', (error) =>
        reject(
          error instanceof KubeApiError || signal?.aborted
            ? error
            : new KubeApiError(0, 'NetworkError', `The Kubernetes API could not be reached for ${method} ${path}: ${error.message}`),
        ),
      );
      request.end(body);
    });
  }
}

function readText(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/** JSON.parse without its message, which quotes the text around a bad character (it may be a Secret's). */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new KubeApiError(0, 'BadResponse', `The answer to ${what} is not valid JSON.`);
  }
}
