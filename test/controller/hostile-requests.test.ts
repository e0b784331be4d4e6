// Issue 12, item 1: hostile /v1/verify and /v1/rotate bodies are refused with a 4xx
// within a second, and /healthz keeps answering within a second meanwhile.
import http from 'node:http';
import { generateKeyPair } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../packages/controller/src/http/api-server.js';
import { RateLimiter } from '../../packages/controller/src/http/rate-limiter.js';
import { KeyRegistry } from '../../packages/controller/src/keys/key-registry.js';
import type { KubeClient } from '../../packages/controller/src/kube/client.js';
import { ControllerMetrics } from '../../packages/controller/src/metrics.js';
import { CANARY, HOSTILE_YAML } from '../hostile/yaml-bombs.js';
import { keySecret, silentLog } from './harness.js';

let server: http.Server;
let api: string;

beforeAll(async () => {
  const keys = new KeyRegistry({ client: {} as KubeClient, namespace: 'kube-system', keyPrefix: 'sealed-secrets-key', orderPriority: 'CertNotBefore', log: silentLog });
  await keys.add(keySecret(await generateKeyPair({ bits: 2048 })) as never);
  const handler = createApiHandler({ keys, metrics: new ControllerMetrics('test'), rateLimiter: new RateLimiter(1000, 1000), acceptDeprecatedData: true, log: silentLog });
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => void server.close());

/** Polls /healthz every 100 ms while `during` runs; the slowest answer's time. */
async function slowestHealthz<T>(during: Promise<T>): Promise<{ result: T; slowestMs: number }> {
  let slowestMs = 0;
  let done = false;
  const polling = (async () => {
    while (!done) {
      const started = performance.now();
      expect((await fetch(`${api}/healthz`)).status).toBe(200);
      slowestMs = Math.max(slowestMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const result = await during.finally(() => (done = true));
  await polling;
  return { result, slowestMs };
}

describe('hostile request bodies', () => {
  for (const [name, text] of Object.entries(HOSTILE_YAML)) {
    for (const path of ['/v1/verify', '/v1/rotate']) {
      it(`${path} refuses ${name} within a second while /healthz answers`, async () => {
        const started = performance.now();
        const { result, slowestMs } = await slowestHealthz(fetch(`${api}${path}`, { method: 'POST', body: text }).then(async (r) => ({ status: r.status, body: await r.text() })));
        expect(performance.now() - started).toBeLessThan(1500);
        expect(slowestMs).toBeLessThan(1000);
        expect(result.status).toBe(400);
        expect(result.body).toMatch(/^The body (has|is|uses) [^\n]*\.\n$/);
        expect(result.body).not.toContain(CANARY);
      });
    }
  }
});
