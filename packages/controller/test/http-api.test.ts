// The HTTP API kubeseal uses, served in-process over real HTTP: cert, verify, rotate, limits, static files.
import http from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateKeyPair, Keyring, unsealSecret, type GeneratedKeyPair, type SealedSecretManifest } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '@sealkit/kube';
import { keySecret, seal } from '../../../test/controller/harness.js';
import { createApiHandler } from '../src/http/api-server.js';
import { RateLimiter } from '../src/http/rate-limiter.js';
import { CONTENT_SECURITY_POLICY } from '../src/http/static-files.js';
import { KeyRegistry } from '../src/keys/key-registry.js';
import { ControllerMetrics } from '../src/metrics.js';
import { silentLog } from './helpers.js';

let older: GeneratedKeyPair;
let newer: GeneratedKeyPair;
let olderRing: Keyring;
let keys: KeyRegistry;
let metrics: ControllerMetrics;
let webDir: string;
const servers: http.Server[] = [];

async function serve(options: { rate?: number; burst?: number; keys?: KeyRegistry } = {}): Promise<string> {
  const server = http.createServer(
    createApiHandler({
      keys: options.keys ?? keys,
      metrics,
      rateLimiter: new RateLimiter(options.rate ?? 1000, options.burst ?? 1000),
      acceptDeprecatedData: true,
      webDir,
      log: silentLog,
    }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const registry = () =>
  new KeyRegistry({
    client: {} as KubeClient,
    namespace: 'kube-system',
    keyPrefix: 'sealed-secrets-key',
    orderPriority: 'CertNotBefore',
    log: silentLog,
  });
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });

let api: string;
let sealed: SealedSecretManifest;

beforeAll(async () => {
  older = await generateKeyPair({ bits: 2048, notBefore: new Date(Date.now() - 86_400_000) });
  newer = await generateKeyPair({ bits: 2048 });
  olderRing = await Keyring.from(older.certificatePem);
  keys = registry();
  await keys.add(keySecret(newer) as never);
  await keys.add(keySecret(older) as never);
  metrics = new ControllerMetrics('test');
  webDir = mkdtempSync(join(tmpdir(), 'sealkit-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>seal</title>');
  writeFileSync(join(webDir, 'app.js'), 'console.log(1)');
  mkdirSync(join(webDir, 'v1'));
  writeFileSync(join(webDir, 'v1', 'cert.pem'), 'not the certificate');
  api = await serve();
  sealed = await seal(olderRing, { name: 'db', namespace: 'prod', data: { password: 'hunter2' } });
});

afterAll(async () => {
  for (const server of servers) server.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe('GET /v1/cert.pem', () => {
  it('serves the newest certificate, as kubeseal --fetch-cert expects', async () => {
    const response = await fetch(`${api}/v1/cert.pem`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-pem-file');
    expect(await response.text()).toBe(newer.certificatePem);
  });

  it('answers 503 until there is a key', async () => {
    const empty = await serve({ keys: registry() });
    expect((await fetch(`${empty}/v1/cert.pem`)).status).toBe(503);
    expect((await fetch(`${empty}/healthz`)).status).toBe(200);
    expect((await fetch(`${empty}/readyz`)).status).toBe(503);
  });
});

describe('POST /v1/verify', () => {
  it('answers 200 for a SealedSecret that opens with any key, 409 for one that does not', async () => {
    expect((await post(`${api}/v1/verify`, sealed)).status).toBe(200);
    const moved = { ...sealed, metadata: { ...sealed.metadata, namespace: 'staging' } };
    const response = await post(`${api}/v1/verify`, moved);
    expect(response.status).toBe(409);
    expect(await response.text()).not.toContain('hunter2');
  });

  it('takes YAML as kubeseal may send it, and refuses what is not a SealedSecret', async () => {
    const yaml = `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\n  namespace: prod\nspec:\n  encryptedData:\n    password: ${sealed.spec.encryptedData.password}\n`;
    expect((await post(`${api}/v1/verify`, yaml)).status).toBe(200);
    expect((await post(`${api}/v1/verify`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })).status).toBe(400);
    expect((await post(`${api}/v1/verify`, 'a: [')).status).toBe(400);
    expect((await fetch(`${api}/v1/verify`)).status).toBe(405);
  });

  it('does not render templates, which would let a caller probe the plaintext', async () => {
    const probe = structuredClone(sealed);
    probe.spec.template.data = { guess: '{{ if eq .password "hunter2" }}{{ fail "right" }}{{ end }}' };
    await expect(unsealSecret(probe, await Keyring.from(older.certificatePem + older.privateKeyPem))).rejects.toThrow();
    expect((await post(`${api}/v1/verify`, probe)).status).toBe(200);
  });
});

describe('POST /v1/rotate', () => {
  it('re-encrypts every value to the newest key, keeping template and scope', async () => {
    const withTemplate = structuredClone(sealed);
    withTemplate.spec.template.data = { url: 'postgres://app:{{ .password }}@db' };
    withTemplate.metadata = { ...withTemplate.metadata, uid: 'u', resourceVersion: '9' };
    const response = await post(`${api}/v1/rotate`, { ...withTemplate, status: { observedGeneration: 1 } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const rotated = (await response.json()) as SealedSecretManifest;
    expect(rotated.spec.template).toEqual(withTemplate.spec.template);
    expect(rotated.metadata).toEqual({ name: 'db', namespace: 'prod' });
    expect(rotated.status).toBeUndefined();
    expect(rotated.spec.encryptedData.password).not.toBe(sealed.spec.encryptedData.password);

    const newest = await Keyring.from(newer.certificatePem + newer.privateKeyPem);
    const opened = await newest.open(rotated.spec.encryptedData.password!, { namespace: 'prod', name: 'db' });
    expect(new TextDecoder().decode(opened.plaintext)).toBe('hunter2');
    expect(opened.fingerprint).toBe(keys.newest!.fingerprint);
  });

  it('answers 409 for a SealedSecret it cannot open', async () => {
    const foreign = await seal(await Keyring.from((await generateKeyPair({ bits: 2048 })).certificatePem), {
      name: 'db',
      namespace: 'prod',
      data: { a: 'b' },
    });
    expect((await post(`${api}/v1/rotate`, foreign)).status).toBe(409);
  });
});

describe('rate limit', () => {
  it('limits /v1/verify and /v1/rotate per path and client (the last X-Forwarded-For hop), answering 429 with Retry-After', async () => {
    const limited = await serve({ rate: 0.5, burst: 0 });
    expect((await post(`${limited}/v1/verify`, sealed)).status).toBe(200);
    const refused = await post(`${limited}/v1/verify`, sealed);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post(`${limited}/v1/verify`, sealed, { 'x-forwarded-for': '10.0.0.9' })).status).toBe(200);
    // The hop the proxy appended counts, not those the client sent before it.
    expect((await post(`${limited}/v1/verify`, sealed, { 'x-forwarded-for': '1.1.1.1, 10.0.0.9' })).status).toBe(429);
    expect((await post(`${limited}/v1/verify`, sealed, { 'x-forwarded-for': '2.2.2.2,10.0.0.9' })).status).toBe(429);
    expect((await post(`${limited}/v1/rotate`, sealed)).status).toBe(200);
    expect((await fetch(`${limited}/v1/cert.pem`)).status).toBe(200);
  });
});

describe('static files', () => {
  it('serves the page at / with a strict Content-Security-Policy', async () => {
    const page = await fetch(`${api}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    const script = await fetch(`${api}/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("uses the page's own policy (built into its meta tag), plus frame-ancestors, which a meta tag cannot set", () => {
    const webPackage = createRequire(import.meta.url).resolve('@sealkit/web/package.json');
    const html = readFileSync(join(dirname(webPackage), 'dist', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]!.replaceAll('&#39;', "'");
    const directives = (policy: string) => policy.split('; ').sort();
    expect(directives(CONTENT_SECURITY_POLICY)).toEqual(directives(`${meta}; frame-ancestors 'none'`));
  });

  it('keeps the API paths first and nothing outside the folder reachable', async () => {
    expect(await (await fetch(`${api}/v1/cert.pem`)).text()).toBe(newer.certificatePem);
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/missing.js', '/..%2fhttp-api.test.ts']) {
      expect((await fetch(`${api}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${api}/app.js`, { method: 'POST' })).status).toBe(404);
  });
});

describe('metrics', () => {
  it("counts API requests with Bitnami's names and labels", async () => {
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/sealed_secrets_controller_http_requests_total\{path="\/v1\/verify",code="200",method="post"\} \d+/);
    expect(text).toMatch(/sealed_secrets_controller_http_request_duration_seconds_bucket\{le="0.005",path="\/v1\/cert.pem",method="get"\}/);
    expect(text).toContain('sealed_secrets_controller_build_info{revision="test"} 1');
    expect(text).not.toContain('hunter2');
  });
});
