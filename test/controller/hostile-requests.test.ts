// Issue 12, item 1: hostile /v1/verify and /v1/rotate bodies are refused with a 4xx
// within a second, and /healthz keeps answering within a second meanwhile.
import http from 'node:http';
import { generateKeyPair, seal, type GeneratedKeyPair } from '@sealkit/core';
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
let pair: GeneratedKeyPair;

beforeAll(async () => {
  const keys = new KeyRegistry({ client: {} as KubeClient, namespace: 'kube-system', keyPrefix: 'sealed-secrets-key', orderPriority: 'CertNotBefore', log: silentLog });
  pair = await generateKeyPair({ bits: 2048 });
  await keys.add(keySecret(pair) as never);
  // Seven more keys: work that grows with the keys shows.
  for (let i = 0; i < 7; i++) await keys.add(keySecret(await generateKeyPair({ bits: 2048 })) as never);
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

const sealedSecret = (spec: Record<string, unknown>) => ({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'db', namespace: 'prod' }, spec });
const verify = async (body: unknown) => {
  const response = await fetch(`${api}/v1/verify`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: await response.text() };
};

describe('/v1/verify as an oracle', () => {
  it('answers the same for every value that does not open into a valid Secret, deriving nothing from the plaintext', async () => {
    const target = { namespace: 'prod', name: 'db' };
    // Strict values (JSON, text, an array) moved into the deprecated spec.data of a SealedSecret of the same name.
    const answers = [];
    for (const plaintext of ['{"data":{"KEYNAME":"not base64!"}}', 'just text', '[1, 2]', '{"stringData":{"k":1}}']) {
      answers.push(await verify(sealedSecret({ data: await seal(pair.certificatePem, plaintext, target) })));
    }
    answers.push(await verify(sealedSecret({ encryptedData: { a: await seal(pair.certificatePem, 'x', { ...target, name: 'other' }) } })));
    answers.push(await verify(sealedSecret({ encryptedData: { a: 'AgBBBB' } })));
    for (const answer of answers) expect(answer).toEqual({ status: 409, body: "The SealedSecret does not open with this controller's keys.\n" });
    const fine = await seal(pair.certificatePem, '{"data":{"k":"dg=="}}', target);
    expect(await verify(sealedSecret({ data: fine }))).toEqual({ status: 200, body: 'ok\n' });
  });

  it('bounds the work of one request: values, and key attempts (the first failure ends it)', async () => {
    const good = await seal(pair.certificatePem, 'v', { namespace: 'prod', name: 'db' });
    const junk = `AgB${'A'.repeat(good.length - 3)}`;
    // 4 MiB of values: refused by their number before any is opened.
    const many = Object.fromEntries(Array.from({ length: Math.floor((4 << 20) / (junk.length + 12)) - 10 }, (_, i) => [`k${i}`, junk]));
    let started = performance.now();
    expect((await verify(sealedSecret({ encryptedData: many }))).status).toBe(413);
    expect(performance.now() - started).toBeLessThan(1000);
    // 1,000 values, eight keys, one value that opens with none: eight RSA operations, not 8,000.
    const values = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i === 0 ? good : junk]));
    started = performance.now();
    expect((await verify(sealedSecret({ encryptedData: values }))).status).toBe(409);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
