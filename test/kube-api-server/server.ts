// HTTP front end of the fake Kubernetes API server: routing, watch streams, service proxy,
// fault injection, request log. It serves what the controller and CLI tests need that a real
// API server cannot give them (injected faults, dropped and expired watches, a service proxy
// to loopback, direct store access); behaviour against a real kube-apiserver, kubectl, RBAC and
// Bitnami's controller is tested in test/kube-real.
//
// Known deviations from a real kube-apiserver:
// - no authn/authz/admission webhooks; no managedFields. Server-side apply only merges
//   the applied object (no field ownership, conflicts or removal of dropped fields).
// - strategic merge patch knows the list merge keys of ObjectMeta (ownerReferences, finalizers)
//   and Service spec.ports only; CRs answer 415 to it, as real CRs do.
// - no discovery or OpenAPI documents (kubectl does not work against it); JSON only: no YAML,
//   protobuf or Table answers.
// - unknown-field detection (fieldValidation) covers top-level and metadata fields of built-in
//   types; SealedSecrets are pruned and validated with the Bitnami CRD schema.
// - validation is a subset: names, labels, annotations, ownerReferences, finalizers, Secret
//   keys, type, size and immutability, ConfigMap, Service ports, Lease, core Events and CR schema.
// - watch events are sent synchronously with the write (before its HTTP response). Bookmarks
//   come every `bookmarkIntervalMs` (default 1 s, real ~1 min). There is no server-side maximum
//   watch duration.
// - lists with a resourceVersion newer than the current one answer 504 at once (the real server
//   waits up to 3 s). Continue tokens and resourceVersionMatch=Exact use snapshots rebuilt from the
//   bounded change history.
// - garbage collection runs on the next tick and only removes dependents of owners that were
//   deleted on this server. Owner references to never-seen uids are left alone. Namespace deletion
//   finishes at once unless objects in the namespace hold finalizers.
// - the service proxy has no Endpoints objects: registerService() is the endpoint. It has no TLS
//   upstreams, does not rewrite redirects, and drops the Authorization header.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Cluster, PATCH_TYPES, type DeleteOptions, type FieldValidation, type WriteOptions } from './cluster.js';
import {
  ApiError,
  badRequest,
  methodNotAllowed,
  notAcceptable,
  notFound,
  reasonForCode,
  serviceUnavailable,
  status as mkStatus,
  tooOldResourceVersion,
  unsupportedMediaType,
  type JsonObject,
  type Status,
} from './errors.js';
import { RESOURCE_TYPES, apiVersionOf, findType, resolveType, sealedSecretCRD, type ResourceType } from './resources.js';
import type { Change } from './store.js';

// ---------------------------------------------------------------------------
// public types

export interface KubeApiServerOptions {
  /** port to bind on 127.0.0.1 (default: ephemeral) */
  port?: number;
  /**
   * Create missing namespaces on write instead of answering 404 like the
   * NamespaceLifecycle admission plugin does (default false = real behaviour).
   */
  autoCreateNamespaces?: boolean;
  /** interval of BOOKMARK events on watches with allowWatchBookmarks (default 1000 ms; real: ~60 s) */
  bookmarkIntervalMs?: number;
  /** number of changes kept for watch replay / consistent lists (default 2000) */
  historyLimit?: number;
  /** how long a watch/list waits for a future resourceVersion before failing (default 3000 ms, like the real server) */
  tooLargeResourceVersionWaitMs?: number;
}

export interface RequestLogEntry {
  time: Date;
  method: string;
  /** raw request URL (path + query) */
  url: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status answered (for watches: 200 once the stream started) */
  status: number;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection, proxy, or undefined */
  verb?: string;
  group?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  /** parsed JSON body when the request had one (string when not JSON) */
  body?: unknown;
  /** set when the answer came from failNext() */
  injected?: boolean;
}

export interface FailureRule {
  /** HTTP method to match (case-insensitive); any when omitted */
  method?: string;
  /** substring of the request URL (path and query) to match; any when omitted */
  pathIncludes?: string;
  /** HTTP status code to answer with */
  status: number;
  /** how many matching requests fail (default 1) */
  count?: number;
  message?: string;
  reason?: string;
  /** adds Retry-After and details.retryAfterSeconds */
  retryAfterSeconds?: number;
}

export interface RegisterServiceOptions {
  /** service port number (default 8080) */
  port?: number;
  /** service port name (default: unnamed, like the upstream sealed-secrets controller.yaml) */
  portName?: string;
}

export interface ActiveWatch {
  url: string;
  resource: string;
  namespace?: string;
  since: Date;
}

export interface KubeApiServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** kubeconfig (context `test`, namespace `default`, no auth) pointing at the server */
  readonly kubeconfigPath: string;
  /** current global resourceVersion */
  readonly resourceVersion: string;
  /** all requests received so far, oldest first */
  readonly requests: RequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;

  /** object by kind or resource name ("Secret", "secrets", "sealedsecrets.bitnami.com", "ns" …); copy */
  get(kindOrResource: string, namespace: string | undefined | null, name: string): JsonObject | undefined;
  /** objects of a type, optionally in one namespace; copies, sorted by namespace/name */
  list(kindOrResource: string, namespace?: string | null): JsonObject[];
  /** create or replace an object bypassing HTTP, admission and validation (metadata and defaults are filled in; watch events are emitted) */
  put(obj: JsonObject): JsonObject;
  /** delete bypassing HTTP (finalizers and garbage collection still apply); false when absent */
  delete(
    kindOrResource: string,
    namespace: string | undefined | null,
    name: string,
    propagationPolicy?: DeleteOptions['propagationPolicy'],
  ): boolean;

  /** route /api/v1/namespaces/NS/services/…NAME…/proxy/… to targetBaseUrl; creates the Service object when missing */
  registerService(namespace: string, name: string, targetBaseUrl: string, options?: RegisterServiceOptions): void;
  unregisterService(namespace: string, name: string): void;

  /** answer the next matching request(s) with a Status of the given code */
  failNext(rule: FailureRule): void;
  clearFailures(): void;
  /** end all open watch streams: abruptly (socket destroyed, default) or gracefully (stream ended) */
  dropWatches(options?: { graceful?: boolean }): number;
  /** every resourceVersion issued so far becomes "too old" (410 Expired) */
  compact(): void;
  /** currently open watch streams */
  activeWatches(): ActiveWatch[];
  /** the registry behind the server (advanced use) */
  readonly cluster: Cluster;
}

// ---------------------------------------------------------------------------
// helpers

/** Answers are JSON only (the real API server in test/kube-real covers kubectl, YAML, protobuf and tables). */
function checkAccept(accept: string | undefined): void {
  if (!accept) return;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  if (!types.some((type) => type === 'application/json' || type === '*/*' || type === 'application/*')) {
    throw notAcceptable('only the following media types are accepted: application/json');
  }
}

function statusHeaders(s: Status): Record<string, string> {
  return s.code === 429 || s.details?.retryAfterSeconds ? { 'Retry-After': String(s.details?.retryAfterSeconds ?? 1) } : {};
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
  'content-length',
]);

function writeKubeconfig(url: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kube-api-server-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: test',
      '  cluster:',
      `    server: ${url}`,
      '    insecure-skip-tls-verify: true',
      'contexts:',
      '- name: test',
      '  context:',
      '    cluster: test',
      '    user: test',
      '    namespace: default',
      'current-context: test',
      'users:',
      '- name: test',
      '  user: {}',
      'preferences: {}',
      '',
    ].join('\n'),
  );
  return { dir, path };
}

interface ParsedResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** decoded path after …/proxy (services/proxy only) */
  proxyPath?: string;
  legacyWatch: boolean;
}

function parseResourcePath(rawPath: string): ParsedResourcePath | undefined {
  const raw = rawPath.split('/').slice(1); // leading ''
  const seg = raw.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  let group: string;
  let version: string;
  let i: number;
  if (seg[0] === 'api') {
    group = '';
    version = seg[1] ?? '';
    i = 2;
  } else if (seg[0] === 'apis') {
    group = seg[1] ?? '';
    version = seg[2] ?? '';
    i = 3;
  } else return undefined;
  let legacyWatch = false;
  if (seg[i] === 'watch') {
    legacyWatch = true;
    i++;
  }
  let namespace: string | undefined;
  if (seg[i] === 'namespaces' && seg.length > i + 2 && seg[i + 1]) {
    const t = findType(group, version, seg[i + 2]!);
    if (t?.namespaced) {
      namespace = seg[i + 1];
      i += 2;
    }
  }
  const resource = seg[i];
  if (!resource) return undefined;
  const type = findType(group, version, resource);
  if (!type) return undefined;
  if (type.namespaced && !namespace && seg.length > i + 1) return undefined; // /api/v1/secrets/NAME
  const name = seg[i + 1] || undefined;
  const subresource = seg[i + 2] || undefined;
  let proxyPath: string | undefined;
  if (subresource === 'proxy')
    proxyPath = '/' + seg.slice(i + 3).join('/'); // decoded, like req.URL.Path in Go
  else if (seg.length > i + 3 && !(seg.length === i + 4 && seg[i + 3] === '')) return undefined;
  if (name === undefined && seg[i + 1] === '' && seg.length > i + 2) return undefined;
  return { type, namespace, name, subresource, proxyPath, legacyWatch };
}

function parseBody(buf: Buffer, contentType: string | undefined): unknown {
  const ct = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const text = buf.toString('utf8');
  if (
    ct === 'application/json' ||
    ct === PATCH_TYPES.json ||
    ct === PATCH_TYPES.merge ||
    ct === PATCH_TYPES.strategic ||
    ct === '*/*' ||
    ct === ''
  ) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }
  throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json`);
}

// ---------------------------------------------------------------------------

interface Watcher {
  entry: ActiveWatch;
  res: http.ServerResponse;
  stop(graceful: boolean): void;
}

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const cluster = new Cluster({ autoCreateNamespaces: options.autoCreateNamespaces, historyLimit: options.historyLimit });
  const store = cluster.store;
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) cluster.ensureNamespace(ns);
  cluster.put(
    sealedSecretCRD(),
    RESOURCE_TYPES.find((t) => t.resource === 'customresourcedefinitions')!,
  );

  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1000;
  const tooLargeWaitMs = options.tooLargeResourceVersionWaitMs ?? 3000;
  const requests: RequestLogEntry[] = [];
  const failures: Array<FailureRule & { remaining: number }> = [];
  const services = new Map<string, { target: string; portName: string }>();
  const watchers = new Set<Watcher>();

  const baseHeaders = () => ({
    'Cache-Control': 'no-cache, private',
    'Audit-Id': randomUUID(),
  });

  function send(res: http.ServerResponse, code: number, obj: unknown, opts: { headers?: Record<string, string | string[]> } = {}) {
    if (res.headersSent) {
      res.end();
      return;
    }
    const body = JSON.stringify(obj) + '\n';
    res.writeHead(code, {
      ...baseHeaders(),
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      ...(opts.headers ?? {}),
    });
    res.end(body);
  }

  function sendError(res: http.ServerResponse, e: unknown) {
    if (e instanceof ApiError) {
      send(res, e.status.code, e.status, { headers: { ...statusHeaders(e.status), ...e.headers } });
      return;
    }
    const msg = e instanceof Error ? e.message : String(e);
    const s = mkStatus(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
    send(res, 500, s);
  }

  const warningHeaders = (warnings: string[]): Record<string, string | string[]> =>
    warnings.length ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};

  // -- lists ---------------------------------------------------------------

  function listMeta(listRV: number, cont?: string, remaining?: number): JsonObject {
    const m: JsonObject = { resourceVersion: String(listRV) };
    if (cont) m.continue = cont;
    if (remaining !== undefined) m.remainingItemCount = remaining;
    return m;
  }

  function listBody(t: ResourceType, r: ReturnType<Cluster['list']>): JsonObject {
    return {
      kind: t.listKind,
      apiVersion: apiVersionOf(t),
      metadata: listMeta(r.listRV, r.continue, r.remainingItemCount),
      items: r.items.map(([, o]) => {
        const api = cluster.toApi(t, o);
        if (!t.custom) {
          // typed lists do not repeat kind/apiVersion on items
          delete api.kind;
          delete api.apiVersion;
        }
        return api;
      }),
    };
  }

  // -- watch ---------------------------------------------------------------

  async function handleWatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    t: ResourceType,
    ns: string | undefined,
    name: string | undefined,
    q: URLSearchParams,
    entry: RequestLogEntry,
  ) {
    let fieldSelector = q.get('fieldSelector') ?? '';
    if (name) fieldSelector = fieldSelector ? `${fieldSelector},metadata.name=${name}` : `metadata.name=${name}`;
    const sel = cluster.parseSelectors(t, { labelSelector: q.get('labelSelector') ?? '', fieldSelector });
    const rvStr = q.get('resourceVersion') ?? '';
    if (rvStr && !/^\d+$/.test(rvStr)) throw badRequest(`invalid resource version: ${rvStr}`);
    const rv = rvStr ? Number(rvStr) : 0;
    const bookmarks = q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1';
    const sendInitialEvents = q.get('sendInitialEvents') === 'true';
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '0');
    const storageNs = t.namespaced ? ns : undefined;

    res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    entry.status = 200;

    let closed = false;
    const write = (type: string, object: JsonObject) => {
      if (closed) return;
      res.write(JSON.stringify({ type, object }) + '\n');
    };
    const writeObj = (type: string, stored: JsonObject) => write(type, cluster.toApi(t, stored));
    const writeError = (s: Status) => {
      write('ERROR', s as unknown as JsonObject);
      closed = true;
      res.end();
    };

    const wantedNs = (o: JsonObject) => !storageNs || o.metadata?.namespace === storageNs;
    const matches = (o: JsonObject | undefined) => !!o && wantedNs(o) && cluster.matches(t, o, sel);
    const dispatch = (c: Change) => {
      if (c.storage !== t.storage) return;
      const cur = matches(c.obj);
      const prev = c.type === 'ADDED' ? false : matches(c.prev);
      if (c.type === 'ADDED') {
        if (cur) writeObj('ADDED', c.obj);
      } else if (c.type === 'MODIFIED') {
        if (prev && cur) writeObj('MODIFIED', c.obj);
        else if (!prev && cur) writeObj('ADDED', c.obj);
        else if (prev && !cur) writeObj('DELETED', c.obj);
      } else if (prev) writeObj('DELETED', c.obj);
    };

    if (rv > store.rv) {
      const ok = await store.waitForRV(rv, tooLargeWaitMs);
      if (!ok) {
        writeError(
          mkStatus(504, 'Timeout', `Too large resource version: ${rv}, current: ${store.rv}`, {
            causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
            retryAfterSeconds: 1,
          }),
        );
        return;
      }
    }
    if (closed || res.destroyed) return;
    if (rv > 0 && rv < store.historyStartRV) {
      writeError(tooOldResourceVersion(rv, store.historyStartRV).status);
      return;
    }

    // initial state / replay, then live events — all in this tick
    if (rv === 0 || sendInitialEvents) {
      for (const [, o] of store.list(t.storage, storageNs)) if (matches(o)) writeObj('ADDED', o);
      if (sendInitialEvents && bookmarks) {
        const bm: JsonObject = {
          kind: t.kind,
          apiVersion: apiVersionOf(t),
          metadata: { resourceVersion: String(store.rv), annotations: { 'k8s.io/initial-events-end': 'true' } },
        };
        write('BOOKMARK', bm);
      }
    } else {
      for (const c of store.history) if (c.rv > rv) dispatch(c);
    }
    const unsubscribe = store.onChange(dispatch);
    const timers: NodeJS.Timeout[] = [];
    if (bookmarks) {
      timers.push(
        setInterval(() => {
          const md: JsonObject = { resourceVersion: String(store.rv) };
          if (!t.custom) md.creationTimestamp = null;
          write('BOOKMARK', { kind: t.kind, apiVersion: apiVersionOf(t), metadata: md });
        }, bookmarkIntervalMs),
      );
    }
    const watcher: Watcher = {
      entry: { url: req.url ?? '', resource: t.resource, namespace: storageNs, since: new Date() },
      res,
      stop(graceful: boolean) {
        cleanup();
        if (graceful) res.end();
        else res.socket?.destroy();
      },
    };
    const cleanup = () => {
      closed = true;
      unsubscribe();
      for (const tm of timers) clearInterval(tm);
      watchers.delete(watcher);
    };
    if (timeoutSeconds > 0) {
      timers.push(
        setTimeout(() => {
          cleanup();
          res.end();
        }, timeoutSeconds * 1000),
      );
    }
    watchers.add(watcher);
    res.on('close', cleanup);
  }

  // -- service proxy -------------------------------------------------------

  function handleProxy(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ns: string,
    id: string,
    proxyPath: string,
    search: string,
    body: Buffer,
  ) {
    const parts = id.split(':');
    let scheme = '';
    let name: string;
    let portStr = '';
    if (parts.length === 1) name = parts[0]!;
    else if (parts.length === 2) [name, portStr] = parts as [string, string];
    else if (parts.length === 3) [scheme, name, portStr] = parts as [string, string, string];
    else throw badRequest(`invalid service request ${JSON.stringify(id)}`);
    if (!name || !['', 'http', 'https'].includes(scheme)) throw badRequest(`invalid service request ${JSON.stringify(id)}`);
    const svc = store.get('services', ns, name);
    if (!svc) throw notFound({ group: '', resource: 'services' }, name);
    if (/^\d+$/.test(portStr)) {
      const p = (svc.spec?.ports ?? []).find((x: JsonObject) => x.port === Number(portStr));
      if (!p) throw serviceUnavailable(`no service port ${portStr} found for service ${JSON.stringify(name)}`);
      portStr = p.name ?? '';
    }
    const reg = services.get(`${ns}/${name}`);
    if (!reg) throw serviceUnavailable(`no endpoints available for service ${JSON.stringify(name)}`);
    if (reg.portName !== portStr) throw serviceUnavailable(`no endpoints available for service ${JSON.stringify(id)}`);

    const target = new URL(reg.target);
    const basePath = target.pathname.replace(/\/$/, '');
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k.toLowerCase()) && v !== undefined) headers[k] = v;
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
    if (body.length) headers['content-length'] = body.length;
    const out = http.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: `${basePath}${encodeURI(proxyPath)}${search}`,
        headers,
      },
      (up) => {
        const h: http.OutgoingHttpHeaders = { ...baseHeaders() };
        for (const [k, v] of Object.entries(up.headers)) {
          if (!HOP_BY_HOP.has(k.toLowerCase()) || k.toLowerCase() === 'content-length') h[k] = v;
        }
        res.writeHead(up.statusCode ?? 502, h);
        up.pipe(res);
      },
    );
    out.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ECONNREFUSED' ? `dial tcp ${target.hostname}:${target.port}: connect: connection refused` : err.message;
      if (!res.headersSent) sendError(res, serviceUnavailable(`error trying to reach service: ${why}`));
      else res.destroy();
    });
    out.end(body);
  }

  // -- main handler --------------------------------------------------------

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const q = url.searchParams;
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = {
      time: new Date(),
      method,
      url: req.url ?? '/',
      path,
      query: Object.fromEntries(q.entries()),
      status: 0,
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
    };
    if (body.length) {
      const text = body.toString('utf8');
      try {
        entry.body = JSON.parse(text);
      } catch {
        entry.body = text;
      }
    }
    requests.push(entry);
    res.on('finish', () => {
      if (!entry.status) entry.status = res.statusCode;
    });
    const parsed = parseResourcePath(path);
    if (parsed) {
      entry.group = parsed.type.group;
      entry.resource = parsed.type.resource;
      entry.namespace = parsed.namespace;
      entry.name = parsed.name;
      entry.subresource = parsed.subresource;
      const isWatch = parsed.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
      entry.verb =
        parsed.subresource === 'proxy'
          ? 'proxy'
          : method === 'GET'
            ? isWatch
              ? 'watch'
              : parsed.name
                ? 'get'
                : 'list'
            : method === 'POST'
              ? 'create'
              : method === 'PUT'
                ? 'update'
                : method === 'PATCH'
                  ? 'patch'
                  : method === 'DELETE'
                    ? parsed.name
                      ? 'delete'
                      : 'deletecollection'
                    : undefined;
    }

    // fault injection
    const rule = failures.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.pathIncludes || (req.url ?? '').includes(f.pathIncludes)),
    );
    if (rule) {
      rule.remaining--;
      if (rule.remaining <= 0) failures.splice(failures.indexOf(rule), 1);
      const s = mkStatus(
        rule.status,
        rule.reason ?? reasonForCode(rule.status),
        rule.message ?? `injected failure (HTTP ${rule.status})`,
        rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : undefined,
      );
      entry.injected = true;
      send(res, rule.status, s, {
        headers: rule.retryAfterSeconds !== undefined || rule.status === 429 ? { 'Retry-After': String(rule.retryAfterSeconds ?? 1) } : {},
      });
      return;
    }

    // non-resource endpoints
    if (method === 'GET' || method === 'HEAD') {
      switch (path) {
        case '/healthz':
        case '/livez':
        case '/readyz':
          res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
          return res.end('ok');
      }
    }

    if (!parsed) {
      return send(res, 404, mkStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
    }

    const t = parsed.type;
    const ns = parsed.namespace;
    const name = parsed.name;
    const sub = parsed.subresource;
    if (t.namespaced && !ns && (name || method !== 'GET')) {
      throw methodNotAllowed();
    }

    if (sub === 'proxy' && t.resource === 'services' && ns && name) {
      return handleProxy(req, res, ns, name, parsed.proxyPath ?? '/', url.search, body);
    }
    if (sub && !t.subresources[sub]) {
      return send(res, 404, mkStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
    }

    const dryRun = q.getAll('dryRun').includes('All');
    const fv = q.get('fieldValidation') as FieldValidation | null;
    if (fv && !['Strict', 'Warn', 'Ignore'].includes(fv)) {
      throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
    }
    const writeOpts: WriteOptions = { dryRun, fieldValidation: fv ?? undefined, fieldManager: q.get('fieldManager') ?? undefined };
    const isWatch = parsed.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';

    if (method === 'GET' && isWatch) {
      checkAccept(req.headers.accept);
      return handleWatch(req, res, t, ns, name, q, entry);
    }

    if (!name) {
      switch (method) {
        case 'GET': {
          checkAccept(req.headers.accept);
          const limit = q.get('limit');
          const r = cluster.list(t, ns, {
            labelSelector: q.get('labelSelector') ?? undefined,
            fieldSelector: q.get('fieldSelector') ?? undefined,
            limit: limit ? Number(limit) : undefined,
            continue: q.get('continue') ?? undefined,
            resourceVersion: q.get('resourceVersion') ?? undefined,
            resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
          });
          return send(res, 200, listBody(t, r));
        }
        case 'POST': {
          checkAccept(req.headers.accept);
          const r = cluster.create(t, ns, parseBody(body, req.headers['content-type']), writeOpts);
          return send(res, 201, r.obj, {
            headers: warningHeaders(r.warnings),
          });
        }
        case 'DELETE': {
          const opts = deleteOptions(q, body, req.headers['content-type']);
          const items = cluster.deleteCollection(
            t,
            ns,
            { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined },
            opts,
          );
          return send(res, 200, {
            kind: t.listKind,
            apiVersion: apiVersionOf(t),
            metadata: { resourceVersion: String(store.rv) },
            items,
          });
        }
        default:
          throw methodNotAllowed();
      }
    }

    const subForWrite = sub === 'status' || sub === 'finalize' ? sub : undefined;
    switch (method) {
      case 'GET': {
        if (sub && sub !== 'status') throw methodNotAllowed();
        checkAccept(req.headers.accept);
        const obj = cluster.get(t, ns, name);
        return send(res, 200, obj);
      }
      case 'PUT': {
        checkAccept(req.headers.accept);
        const r = cluster.update(t, ns, name, parseBody(body, req.headers['content-type']), writeOpts, subForWrite);
        return send(res, r.created ? 201 : 200, r.obj, {
          headers: warningHeaders(r.warnings),
        });
      }
      case 'PATCH': {
        if (sub === 'finalize') throw methodNotAllowed();
        checkAccept(req.headers.accept);
        const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!Object.values(PATCH_TYPES).includes(ct as never) || (ct === PATCH_TYPES.strategic && !t.strategicMergePatch)) {
          const types = t.strategicMergePatch
            ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply]
            : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply];
          throw unsupportedMediaType(
            `the body of the request was in an unknown format - accepted media types include: ${types.join(', ')}`,
          );
        }
        const patchBody = parseBody(body, ct);
        const r = cluster.patch(t, ns, name, ct, patchBody, writeOpts, subForWrite);
        return send(res, r.created ? 201 : 200, r.obj, {
          headers: warningHeaders(r.warnings),
        });
      }
      case 'DELETE': {
        if (sub) throw methodNotAllowed();
        const opts = deleteOptions(q, body, req.headers['content-type']);
        const r = cluster.delete(t, ns, name, opts);
        return send(res, r.code, r.result);
      }
      default:
        throw methodNotAllowed();
    }
  }

  function deleteOptions(q: URLSearchParams, body: Buffer, ct: string | undefined): DeleteOptions {
    let b: JsonObject = {};
    if (body.length) {
      const parsedBody = parseBody(body, ct);
      if (parsedBody && typeof parsedBody === 'object') b = parsedBody as JsonObject;
    }
    let policy = (q.get('propagationPolicy') ?? b.propagationPolicy) as DeleteOptions['propagationPolicy'] | undefined;
    const orphan = q.get('orphanDependents') ?? b.orphanDependents;
    if (!policy && orphan !== undefined) policy = orphan === true || orphan === 'true' ? 'Orphan' : 'Background';
    if (policy && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}`);
    }
    const dryRun = q.getAll('dryRun').includes('All') || (Array.isArray(b.dryRun) && b.dryRun.includes('All'));
    return { propagationPolicy: policy, preconditions: b.preconditions, dryRun };
  }

  // -- server --------------------------------------------------------------

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 3 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      if (size > 3 * 1024 * 1024) {
        send(res, 413, mkStatus(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        return;
      }
      handle(req, res, Buffer.concat(chunks)).catch((e) => {
        try {
          sendError(res, e);
        } catch {
          res.destroy();
        }
      });
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const kc = writeKubeconfig(url);

  const typeOrThrow = (k: string) => {
    const t = resolveType(k);
    if (!t) throw new Error(`unknown kind or resource ${JSON.stringify(k)}`);
    return t;
  };

  const api: KubeApiServer = {
    url,
    port,
    kubeconfigPath: kc.path,
    get resourceVersion() {
      return String(store.rv);
    },
    requests,
    cluster,
    clearRequests() {
      requests.length = 0;
    },
    async close() {
      cluster.close();
      for (const w of [...watchers]) w.stop(true);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(kc.dir, { recursive: true, force: true });
    },
    get(kind, namespace, name) {
      const t = typeOrThrow(kind);
      const o = store.get(t.storage, t.namespaced ? (namespace ?? undefined) : undefined, name);
      return o ? cluster.toApi(t, o) : undefined;
    },
    list(kind, namespace) {
      const t = typeOrThrow(kind);
      return store.list(t.storage, t.namespaced ? (namespace ?? undefined) : undefined).map(([, o]) => cluster.toApi(t, o));
    },
    put(obj) {
      const t = resolveType(`${obj.apiVersion}/${obj.kind}`);
      if (!t) throw new Error(`put: unknown apiVersion/kind ${obj.apiVersion}/${obj.kind}`);
      return cluster.put(obj, t);
    },
    delete(kind, namespace, name, policy) {
      const t = typeOrThrow(kind);
      return cluster.remove(t, t.namespaced ? (namespace ?? undefined) : undefined, name, policy);
    },
    registerService(namespace, name, targetBaseUrl, opts = {}) {
      const svcType = RESOURCE_TYPES.find((t) => t.resource === 'services')!;
      let svc = store.get('services', namespace, name);
      if (!svc) {
        const port: JsonObject = { port: opts.port ?? 8080, protocol: 'TCP', targetPort: opts.port ?? 8080 };
        if (opts.portName) port.name = opts.portName;
        cluster.put(
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name, namespace },
            spec: { type: 'ClusterIP', ports: [port] },
          },
          svcType,
        );
        svc = store.get('services', namespace, name);
      }
      const portName = opts.portName ?? svc?.spec?.ports?.[0]?.name ?? '';
      services.set(`${namespace}/${name}`, { target: targetBaseUrl, portName });
    },
    unregisterService(namespace, name) {
      services.delete(`${namespace}/${name}`);
    },
    failNext(rule) {
      failures.push({ ...rule, remaining: rule.count ?? 1 });
    },
    clearFailures() {
      failures.length = 0;
    },
    dropWatches(opts = {}) {
      const ws = [...watchers];
      for (const w of ws) w.stop(!!opts.graceful);
      return ws.length;
    },
    compact() {
      store.compact();
    },
    activeWatches() {
      return [...watchers].map((w) => ({ ...w.entry }));
    },
  };
  return api;
}
