// Issue 12, item 1: hostile /v1/verify and /v1/rotate bodies are refused with a 4xx
// within a second, and /healthz keeps answering within a second meanwhile.
import http from 'node:http';
import { generateKeyPair, Keyring, seal, type GeneratedKeyPair, type SealedSecretManifest } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeClient } from '@sealkit/kube';
import { keySecret } from '../../../test/controller/harness.js';
import { CANARY, HOSTILE_YAML } from '../../../test/hostile/yaml-bombs.js';
import { createApiHandler } from '../src/http/api-server.js';
import { RateLimiter } from '../src/http/rate-limiter.js';
import { KeyRegistry } from '../src/keys/key-registry.js';
import { ControllerMetrics } from '../src/metrics.js';
import { silentLog } from './helpers.js';

let server: http.Server;
let api: string;
let pair: GeneratedKeyPair;
let newestPair: GeneratedKeyPair;

beforeAll(async () => {
  const keys = new KeyRegistry({
    client: {} as KubeClient,
    namespace: 'kube-system',
    keyPrefix: 'sealed-secrets-key',
    orderPriority: 'CertNotBefore',
    log: silentLog,
  });
  pair = await generateKeyPair({ bits: 2048 });
  await keys.add(keySecret(pair) as never);
  // Seven more keys: work that grows with the keys shows.
  for (let i = 0; i < 7; i++) await keys.add(keySecret((newestPair = await generateKeyPair({ bits: 2048 }))) as never);
  const handler = createApiHandler({
    keys,
    metrics: new ControllerMetrics('test'),
    rateLimiter: new RateLimiter(1000, 1000),
    acceptDeprecatedData: true,
    log: silentLog,
  });
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
        const { result, slowestMs } = await slowestHealthz(
          fetch(`${api}${path}`, { method: 'POST', body: text }).then(async (r) => ({ status: r.status, body: await r.text() })),
        );
        expect(performance.now() - started).toBeLessThan(1500);
        expect(slowestMs).toBeLessThan(1000);
        expect(result.status).toBe(400);
        expect(result.body).toMatch(/^The body (has|is|uses) [^\n]*\.\n$/);
        expect(result.body).not.toContain(CANARY);
      });
    }
  }
});

const sealedSecret = (spec: Record<string, unknown>) => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name: 'db', namespace: 'prod' },
  spec,
});
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
    for (const answer of answers)
      expect(answer).toEqual({ status: 409, body: "The SealedSecret does not open with this controller's keys.\n" });
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
    // 1,000 values, eight keys, one value that opens with none: eight RSA operations, not 8,000. (The junk above
    // has no RSA block of the keys' size, so it costs none; a value sealed for another name costs one per key.)
    const elsewhere = await seal(pair.certificatePem, 'v', { namespace: 'prod', name: 'other' });
    const values = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i === 0 ? good : elsewhere]));
    started = performance.now();
    expect((await verify(sealedSecret({ encryptedData: values }))).status).toBe(409);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

const rotate = async (body: unknown) => {
  const response = await fetch(`${api}/v1/rotate`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: await response.text() };
};

describe('/v1/rotate bounded as /v1/verify is', () => {
  const target = { namespace: 'prod', name: 'db' };
  const DOES_NOT_OPEN = { status: 409, body: "The SealedSecret does not open with this controller's keys.\n" };

  it('refuses more values than a Secret holds with a 413, before opening any', async () => {
    const good = await seal(pair.certificatePem, 'v', target);
    const many = Object.fromEntries(Array.from({ length: Math.floor((4 << 20) / (good.length + 12)) - 10 }, (_, i) => [`k${i}`, good]));
    const started = performance.now();
    const answer = await rotate(sealedSecret({ encryptedData: many }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(answer).toEqual({ status: 413, body: 'The SealedSecret has more than 1000 values, more than a Secret holds.\n' });
  });

  it('stops at the first value that does not open: at most values + keys RSA operations', async () => {
    const good = await seal(pair.certificatePem, 'v', target);
    // Sealed for another name: every key of the right size makes an RSA operation before the label does not match.
    const elsewhere = await seal(pair.certificatePem, 'v', { ...target, name: 'other' });
    // 1,000 values, eight keys: opened all at once without a hint this is ~8,000 RSA operations, going on after the answer.
    const values = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i === 0 ? good : elsewhere]));
    const rsaDecrypts = vi.spyOn(globalThis.crypto.subtle, 'decrypt');
    try {
      const started = performance.now();
      expect(await rotate(sealedSecret({ encryptedData: values }))).toEqual(DOES_NOT_OPEN);
      expect(performance.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const rsa = rsaDecrypts.mock.calls.filter(([algorithm]) => (algorithm as { name: string }).name === 'RSA-OAEP').length;
      // Two values reached (the good one, then the first sealed elsewhere), each trying at most the eight keys.
      expect(rsa).toBeGreaterThan(0);
      expect(rsa).toBeLessThanOrEqual(16);
    } finally {
      rsaDecrypts.mockRestore();
    }
  });

  it('answers the same for every way of not opening, naming no key of spec.encryptedData', async () => {
    const good = await seal(pair.certificatePem, 'v', target);
    const elsewhere = await seal(pair.certificatePem, 'v', { ...target, name: 'other' });
    const answers = [
      await rotate(sealedSecret({ encryptedData: { SECRETKEYNAME: elsewhere } })),
      await rotate(sealedSecret({ encryptedData: { a: good, SECRETKEYNAME: 'AgBBBB' } })),
      await rotate(sealedSecret({ encryptedData: { a: good, SECRETKEYNAME: 42 } })),
      await rotate(sealedSecret({ encryptedData: { a: good, SECRETKEYNAME: { nested: good } } })),
      await rotate(sealedSecret({ encryptedData: { a: good }, data: 'AgBBBB' })),
    ];
    for (const answer of answers) expect(answer).toEqual(DOES_NOT_OPEN);
  });

  it('re-seals 1,000 good values for the newest key while /healthz answers within a second', async () => {
    const good = await seal(pair.certificatePem, 'v', target);
    const values = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, good]));
    const { result, slowestMs } = await slowestHealthz(rotate(sealedSecret({ encryptedData: values })));
    expect(slowestMs).toBeLessThan(1000);
    expect(result.status).toBe(200);
    const rotated = JSON.parse(result.body) as SealedSecretManifest;
    expect(Object.keys(rotated.spec.encryptedData)).toEqual(Object.keys(values));
    const newest = await Keyring.from(newestPair.certificatePem + newestPair.privateKeyPem);
    for (const key of ['k0', 'k999'])
      expect(new TextDecoder().decode((await newest.open(rotated.spec.encryptedData[key]!, target)).plaintext)).toBe('v');
  }, 30_000);
});
