/**
 * The HTTP API kubeseal talks to, path for path the Bitnami controller's:
 * GET /v1/cert.pem, POST /v1/verify, POST /v1/rotate, GET /healthz (and
 * /readyz). Every replica serves it. Anything else may be a static file of --web.
 */
import type http from 'node:http';
import { isSealedSecret, SealkitError, type SealedSecretManifest } from '@sealkit/core';
import { checkNestingDepth, readYamlDocuments } from '@sealkit/core/manifest';
import type { Logger } from 'pino';
import { messageOf } from '../error-message.js';
import type { KeyRegistry } from '../keys/key-registry.js';
import type { ControllerMetrics } from '../metrics.js';
import { reencryptSealedSecret, TooManyValuesError, verifySealedSecret } from '../reseal.js';
import type { RateLimiter } from './rate-limiter.js';
import { serveStatic } from './static-files.js';

export interface ApiServerOptions {
  keys: KeyRegistry;
  metrics: ControllerMetrics;
  rateLimiter: RateLimiter;
  acceptDeprecatedData: boolean;
  /** Folder served at / (API paths win). */
  webDir?: string;
  log: Logger;
}

// A SealedSecret is at most what etcd stores (1.5 MiB) plus its JSON quoting.
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const TEXT = 'text/plain; charset=utf-8';
// /v1/verify's and /v1/rotate's answer whatever the reason: a reason could tell something of the plaintext.
const DOES_NOT_OPEN = "The SealedSecret does not open with this controller's keys.\n";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>;

export function createApiHandler(options: ApiServerOptions): http.RequestListener {
  const { keys, metrics, rateLimiter, acceptDeprecatedData, webDir, log } = options;

  const keyring = () => {
    if (keys.keyring.size === 0) throw new HttpError(503, 'The controller has no key yet; try again shortly.');
    return keys.keyring;
  };

  const routes: Record<string, { method: string; limited?: boolean; handle: Handler }> = {
    '/healthz': { method: 'GET', handle: async (_, response) => send(response, 200, 'ok\n') },
    '/readyz': {
      method: 'GET',
      handle: async (_, response) => (keys.newest ? send(response, 200, 'ok\n') : send(response, 503, 'not ready\n')),
    },
    '/v1/cert.pem': {
      method: 'GET',
      handle: async (_, response) => {
        const pem = keyring().activeCertificatePem;
        if (!pem) throw new HttpError(500, 'cannot get certificate');
        send(response, 200, pem, 'application/x-pem-file');
      },
    },
    '/v1/verify': {
      method: 'POST',
      limited: true,
      handle: async (request, response) => {
        const opens = await boundedByValues(verifySealedSecret(await readSealedSecret(request), keyring(), acceptDeprecatedData));
        if (!opens) return send(response, 409, DOES_NOT_OPEN);
        send(response, 200, 'ok\n');
      },
    },
    '/v1/rotate': {
      method: 'POST',
      limited: true,
      handle: async (request, response) => {
        const resealed = await boundedByValues(reencryptSealedSecret(await readSealedSecret(request), keyring(), acceptDeprecatedData));
        if (!resealed) return send(response, 409, DOES_NOT_OPEN);
        send(response, 200, JSON.stringify(resealed), 'application/json');
      },
    },
  };

  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routes[path];
    const started = performance.now();
    if (path.startsWith('/v1/')) {
      // Unknown paths share one label: callers must not be able to mint metric series.
      const label = route ? path : 'other';
      response.on('finish', () => {
        const method = (request.method ?? '').toLowerCase();
        metrics.httpRequests.inc({ path: label, code: String(response.statusCode), method });
        metrics.httpDuration.observe({ path: label, method }, (performance.now() - started) / 1000);
      });
    }
    const handle = async () => {
      if (!route) {
        if (webDir && (request.method === 'GET' || request.method === 'HEAD') && (await serveStatic(webDir, request, response))) return;
        throw new HttpError(404, 'Not found.');
      }
      if (request.method !== route.method) {
        response.setHeader('allow', route.method);
        throw new HttpError(405, `Use ${route.method} for ${path}.`);
      }
      if (route.limited) {
        const waitSeconds = rateLimiter.check(path, clientOf(request));
        if (waitSeconds !== undefined) {
          response.setHeader('retry-after', String(Math.ceil(waitSeconds)));
          throw new HttpError(429, 'Too many requests; slow down.');
        }
      }
      await route.handle(request, response);
    };
    handle().catch((error: unknown) => {
      if (error instanceof HttpError) return send(response, error.status, `${error.message}\n`);
      log.error({ path, error: messageOf(error) }, 'An HTTP request failed.');
      send(response, 500, 'Internal error.\n');
    });
  };
}

/** The work's result; its TooManyValuesError as a 413. */
async function boundedByValues<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof TooManyValuesError) throw new HttpError(413, error.message);
    throw error;
  }
}

function send(response: http.ServerResponse, status: number, body: string, contentType = TEXT): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The body as a SealedSecret: JSON, or YAML, as kubeseal --validate sends the file it
 * was given byte for byte. YAML goes through core's bounded reader: hostile text is
 * refused within milliseconds, so one request cannot hold the event loop probes wait on.
 */
async function readSealedSecret(request: http.IncomingMessage): Promise<SealedSecretManifest> {
  const text = await readBody(request);
  let value: unknown;
  try {
    value = parseBody(text);
    checkNestingDepth(value, 'body');
  } catch (error) {
    if (error instanceof SealkitError) throw new HttpError(400, error.message);
    throw error;
  }
  if (!isSealedSecret(value)) throw new HttpError(400, 'The body is not a bitnami.com/v1alpha1 SealedSecret.');
  return value;
}

/** JSON as Go's decoder reads it (a repeated key: the last wins, as Bitnami's controller takes it), else YAML through core's bounded reader. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: YAML, below.
  }
  const documents = readYamlDocuments(text, { what: 'body', expected: 'JSON or YAML', maxBytes: MAX_BODY_BYTES });
  if (documents.length !== 1) throw new SealkitError('bad-input', 'The body is not one JSON or YAML document.');
  return documents[0]!.value;
}

/**
 * Who is asking, for the rate limit: the last X-Forwarded-For hop, which the
 * nearest proxy (the API server's, for kubeseal) appended and the client cannot
 * forge, else the peer address. Bitnami keys on the whole header, which a client
 * sets at will to get a fresh budget per request.
 */
function clientOf(request: http.IncomingMessage): string {
  const hops = String(request.headers['x-forwarded-for'] ?? '').split(',');
  return hops[hops.length - 1]!.trim() || request.socket.remoteAddress || '';
}
