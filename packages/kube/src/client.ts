/**
 * A small Kubernetes REST client over one keep-alive connection pool.
 *
 * Configuration and authentication come from @kubernetes/client-node's
 * KubeConfig (in-cluster service account, kubeconfig files, exec plugins,
 * tokens). Its generated API classes are not used for the traffic itself: they
 * open a new connection (and TLS handshake) per request and cannot page lists,
 * and the controller makes thousands of requests when it starts.
 *
 * The CLI and the controller share it. The caller loads the KubeConfig and
 * passes it in: the CLI imports client-node (~0.8 s) only to reach a cluster.
 */
import type http from 'node:http';
import type https from 'node:https';
import { apiErrorFrom, KubeApiError } from './api-error.js';

/** What the client uses of client-node's KubeConfig, which it is given (structurally, so this package need not load client-node). */
export interface KubeCredentials {
  getCurrentCluster(): { server: string; proxyUrl?: string } | null;
  /** Sets the TLS options, the authentication headers and, for a proxy-url, the agent. */
  applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Default application/json; patches pass their patch type. */
  contentType?: string;
  /** Default 60 s, or the client's timeoutMs. */
  timeoutMs?: number;
}

/** A request whose answer the caller reads whatever its status. */
export interface ExchangeOptions extends Omit<RequestOptions, 'body'> {
  /** Sent as it is, as `contentType`. */
  body?: string;
  /** Default application/json. */
  accept?: string;
}

export interface Answer {
  status: number;
  body: Buffer;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface KubeClientOptions {
  /** Waited on before each request: the controller's token bucket (--kubeclient-qps, --kubeclient-burst). */
  limiter?: { take(): Promise<void> };
  userAgent?: string;
  /** Sent with every request (kubectl's --as-group, --as-uid). */
  headers?: http.OutgoingHttpHeaders;
  /** How long a request may wait for the server; default 60 s. */
  timeoutMs?: number;
  /** Answers larger than this fail (code EANSWERTOOLARGE); default unbounded. */
  maxAnswerBytes?: number;
}

interface Transports {
  http: typeof http;
  https: typeof https;
}

const REQUEST_TIMEOUT_MS = 60_000;
// Authentication headers are re-read this often: tokens rotate (projected service
// account tokens, exec plugins) but reading them for every request costs a file read.
const AUTH_TTL_MS = 10_000;

export class KubeClient {
  readonly #server: URL;
  readonly #agent: http.Agent;
  readonly #transport: typeof http | typeof https;
  readonly #config: KubeCredentials;
  readonly #options: KubeClientOptions;
  #auth: { headers: http.OutgoingHttpHeaders; expires: number } | undefined;

  private constructor(config: KubeCredentials, tls: https.RequestOptions, options: KubeClientOptions, transports: Transports) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('The kubeconfig has no current cluster; set a current context.');
    this.#config = config;
    this.#server = new URL(cluster.server);
    const secure = this.#server.protocol === 'https:';
    this.#transport = secure ? transports.https : transports.http;
    const agentOptions = { keepAlive: true, maxFreeSockets: 64 };
    // With a proxy-url, client-node's proxy agent (HTTP CONNECT or SOCKS) carries the TLS options.
    if (cluster.proxyUrl && typeof tls.agent === 'object') this.#agent = tls.agent;
    else
      this.#agent = secure
        ? new transports.https.Agent({
            ...agentOptions,
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            rejectUnauthorized: tls.rejectUnauthorized,
            servername: tls.servername,
          })
        : new transports.http.Agent(agentOptions);
    this.#options = options;
  }

  /** Errors of client-node (credentials it cannot apply, an exec plugin that fails) pass through as they are. */
  static async connect(config: KubeCredentials, options: KubeClientOptions = {}): Promise<KubeClient> {
    const tls: https.RequestOptions = {};
    await config.applyToHTTPSOptions(tls);
    // Imported here: loading this module (the CLI does at start-up) costs nothing.
    return new KubeClient(config, tls, options, { http: await import('node:http'), https: await import('node:https') });
  }

  get server(): string {
    return this.#server.href;
  }

  /** The server's answer, whatever its status; network failures are KubeApiErrors with status 0 and the failure's code. */
  async exchange(method: string, path: string, options: ExchangeOptions = {}): Promise<Answer> {
    await this.#options.limiter?.take();
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    const started = Date.now();
    const response = await this.#send(method, path, options, timeoutMs);
    // The socket timeout is per silence; a server trickling its answer is held to the whole budget here.
    const deadline = setTimeout(
      () => response.destroy(Object.assign(new Error(`no whole answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })),
      Math.max(0, timeoutMs - (Date.now() - started)),
    );
    const body = await readBody(response, this.#options.maxAnswerBytes)
      .catch((error: NodeJS.ErrnoException) => {
        throw new KubeApiError(0, 'NetworkError', `The answer to ${method} ${path} was cut off: ${error.message}`, error.code);
      })
      .finally(() => clearTimeout(deadline));
    if (response.statusCode === 401) this.#auth = undefined;
    return { status: response.statusCode!, body };
  }

  /** The answer as JSON; a status from 300 on is a KubeApiError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { body, ...rest } = options;
    const answer = await this.exchange(method, path, { ...rest, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = answer.body.toString('utf8');
    if (answer.status >= 300) throw apiErrorFrom(answer.status, method, path, text);
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
    if (response.statusCode !== 200)
      throw apiErrorFrom(response.statusCode!, 'GET', path, (await readBody(response, this.#options.maxAnswerBytes)).toString('utf8'));
    response.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      const fail = (error: Error) => (signal.aborted ? resolve() : reject(error));
      response.on('data', (chunk: string) => {
        pending += chunk;
        if (pending.length > MAX_WATCH_LINE_CHARS) {
          response.destroy();
          return fail(
            new KubeApiError(0, 'BadResponse', `An event in the watch of ${path} is longer than any object the API server stores.`),
          );
        }
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
    options: ExchangeOptions,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<http.IncomingMessage> {
    const url = new URL(this.#server.pathname.replace(/\/$/, '') + path, this.#server);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const { body } = options;
    const headers: http.OutgoingHttpHeaders = {
      ...this.#options.headers,
      ...(await this.#authHeaders()),
      accept: options.accept ?? 'application/json',
    };
    if (this.#options.userAgent) headers['user-agent'] = this.#options.userAgent;
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const timedOut = `The Kubernetes API did not answer ${method} ${path} within ${timeoutMs / 1000} s.`;
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = this.#transport.request(url, { method, headers, agent: this.#agent, signal }, resolve);
      request.setTimeout(timeoutMs, () => request.destroy(new KubeApiError(0, 'Timeout', timedOut, 'ETIMEDOUT')));
      request.on('error', reject);
      request.end(body);
    }).catch((error: NodeJS.ErrnoException) => {
      // Also what request() throws at once, before any 'error' event: a client key TLS cannot load.
      if (error instanceof KubeApiError || signal?.aborted) throw error;
      const reason = `The Kubernetes API could not be reached for ${method} ${path}: ${error.message}`;
      throw new KubeApiError(0, 'NetworkError', reason, error.code);
    });
  }
}

/** The whole body; more than `maxBytes` fails with the code EANSWERTOOLARGE. */
function readBody(response: http.IncomingMessage, maxBytes = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes)
        response.destroy(Object.assign(new Error(`the answer is larger than ${maxBytes} bytes`), { code: 'EANSWERTOOLARGE' }));
      else chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
  });
}

/** A watch line longer than this is not an event: etcd stores objects of at most 1.5 MiB, which JSON escaping can at most ~6x. */
const MAX_WATCH_LINE_CHARS = 16 << 20;

/** JSON.parse without its message, which quotes the text around a bad character (it may be a Secret's). */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new KubeApiError(0, 'BadResponse', `The answer to ${what} is not valid JSON.`);
  }
}
