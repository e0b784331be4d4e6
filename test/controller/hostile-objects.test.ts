// Issue 12, item 2: a SealedSecret whose template costs minutes of CPU neither stalls
// /healthz nor holds up the other SealedSecrets, and after a restart neither again:
// templates render in worker threads with a deadline and a heap cap.
import { Keyring } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, KubeApiServer } from '../kube-api-server/index.js';
import { killControllers, seal, startCluster, startController, syncedCondition, waitFor, type ControllerProcess } from './harness.js';

let server: KubeApiServer;

const HOSTILE_TEMPLATES = {
  // uniq is quadratic and its cost went uncounted: 27 s of a blocked event loop. Refused.
  uniq: '{{ until 25000 | uniq | len }}',
  // 1,000 capture groups: each counted step copied the capture array (> 60 s). Renders now.
  captures: `{{ regexFindAll "${'(a)'.repeat(1000)}" (repeat 3000 "a") -1 | len }}`,
};

/** The engine's refusal (budget or clock), or the render worker's deadline or heap cap. */
const REFUSED = /rendering (took longer than allowed|needs more work or output than allowed)|took longer than 5 s|needed more than \d+ MiB/;

function hostile(name: string, template: string): JsonObject {
  const metadata = { name, namespace: 'hostile' };
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata,
    spec: { encryptedData: {}, template: { metadata, data: { x: template } } },
  } as JsonObject;
}

/** Polls /healthz every 100 ms until `until` resolves; the slowest answer's time. */
async function slowestHealthz(controller: ControllerProcess, until: Promise<unknown>): Promise<number> {
  let slowest = 0;
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    expect((await fetch(`${controller.apiUrl}/healthz`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await until;
  return slowest;
}

async function sealAndPut(keyring: Keyring, name: string): Promise<void> {
  server.put((await seal(keyring, { name, namespace: 'fine', data: { password: `pw-${name}` } })) as unknown as JsonObject);
}

const synced = (namespace: string, name: string, timeoutMs = 20_000) =>
  waitFor(`${namespace}/${name} to be synced`, () => syncedCondition(server, namespace, name)?.status === 'True', timeoutMs);

beforeAll(async () => {
  server = await startCluster();
});

afterAll(async () => {
  await killControllers();
  await server?.close();
});

describe('hostile templates', () => {
  it('keep /healthz answering within 1 s and other SealedSecrets unsealing, also after a restart', async () => {
    let controller = await startController(server, ['--update-status']);
    const keyring = await Keyring.from(await (await fetch(`${controller.apiUrl}/v1/cert.pem`)).text());
    for (const [name, template] of Object.entries(HOSTILE_TEMPLATES)) server.put(hostile(name, template));
    const others = ['a', 'b', 'c'];
    const unsealedOthers = (async () => {
      for (const name of others) await sealAndPut(keyring, name);
      // The hostile objects are rendered off the main thread; the others must not wait on them.
      await Promise.all(others.map((name) => synced('fine', name, 4000)));
    })();
    expect(await slowestHealthz(controller, unsealedOthers)).toBeLessThan(1000);

    const handled = Promise.all([
      waitFor('uniq to fail', () => {
        const condition = syncedCondition(server, 'hostile', 'uniq');
        return condition?.status === 'False' && REFUSED.test(String(condition.message));
      }),
      waitFor('captures to render', () => syncedCondition(server, 'hostile', 'captures')?.status === 'True'),
    ]);
    expect(await slowestHealthz(controller, handled)).toBeLessThan(1000);
    expect(server.get('Secret', 'hostile', 'captures')?.data).toEqual({ x: Buffer.from('3').toString('base64') });

    // A restart meets the hostile objects again first thing.
    await controller.kill();
    controller = await startController(server, ['--update-status']);
    const afterRestart = (async () => {
      await sealAndPut(keyring, 'd');
      await synced('fine', 'd', 4000);
    })();
    expect(await slowestHealthz(controller, afterRestart)).toBeLessThan(1000);
    expect(server.get('Secret', 'hostile', 'uniq')).toBeUndefined();
  }, 90_000);
});
