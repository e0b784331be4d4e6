// Leak canaries through the controller, run as a process against the test API server
// (`pnpm build` first). Canary values go through every path — a SealedSecret that opens
// (with data templates), ones that do not (wrong key, wrong scope, tampered, a template
// that fails on the value), one whose Secret belongs to someone else — and through the HTTP
// API (verify, rotate, malformed bodies). The controller's own private key is a canary too.
// Then every byte it produced is searched: its log lines (debug level), Events, statuses,
// every other object in the API server, metrics and HTTP answers. A canary value may be in
// exactly one place, the Secret the user asked for; the private key only in its key Secret.
import { generateKeyPair, Keyring, type SealedSecretManifest } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, KubeApiServer } from '../kube-api-server/index.js';
import {
  eventsFor,
  killControllers,
  seal,
  startCluster,
  startController,
  syncedCondition,
  waitFor,
  type ControllerProcess,
} from '../controller/harness.js';
import { findCanaries, keyCanary, makeCanaryValue, type Canary, type KeyCanary } from './capture.js';

const opened = makeCanaryValue('opened');
const wrongKey = makeCanaryValue('wrong-key');
const wrongScope = makeCanaryValue('wrong-scope');
const tampered = makeCanaryValue('tampered');
const templated = makeCanaryValue('template-fails');
const foreign = makeCanaryValue('foreign');
const httpBody = makeCanaryValue('http-body');
const values = [opened, wrongKey, wrongScope, tampered, templated, foreign, httpBody];

let server: KubeApiServer;
let controller: ControllerProcess;
let controllerKey: KeyCanary;
let keyring: Keyring;
/** Every HTTP answer the controller gave: status, headers and body (not the request, which may carry a canary). */
const answers: string[] = [];

async function call(path: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(`${controller.apiUrl}${path}`, init);
  const body = await response.clone().text();
  answers.push(`${response.status}\n${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`);
  return response;
}
const post = (path: string, body: string) => call(path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

function flipByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[bytes.length - 20]! ^= 0x01;
  return bytes.toString('base64');
}

const put = (object: SealedSecretManifest | JsonObject) => server.put(object as unknown as JsonObject);
// The status says Synced=False (without a reason, as Bitnami's), the event says why.
const failedWith = (namespace: string, name: string, reason: string) =>
  waitFor(
    `${namespace}/${name} to fail with ${reason}`,
    () =>
      syncedCondition(server, namespace, name)?.status === 'False' &&
      eventsFor(server, namespace, name).some((event) => event.reason === reason),
  );
const isKeySecret = (object: JsonObject) =>
  object.kind === 'Secret' && object.metadata?.namespace === 'kube-system' && object.type === 'kubernetes.io/tls';

beforeAll(async () => {
  server = await startCluster();
  controller = await startController(server, ['--update-status', '--log-level', 'debug']);
  const keySecret = await waitFor('the key Secret', () => server.list('Secret', 'kube-system').find(isKeySecret));
  const data = keySecret.data as Record<string, string>;
  controllerKey = keyCanary(Buffer.from(data['tls.key']!, 'base64').toString(), 'controller-key');
  keyring = await Keyring.from(await (await call('/v1/cert.pem')).text());

  // Opens: the value lands in the Secret, also through a data template.
  const ok = await seal(keyring, { name: 'opened', namespace: 'apps', data: { password: opened.value } });
  ok.spec.template = { ...ok.spec.template, data: { 'config.ini': 'password={{ .password }}' } };
  put(ok);

  // Does not open: another key, another name, a flipped bit.
  const stranger = await Keyring.from((await generateKeyPair({ bits: 2048 })).certificatePem);
  put(await seal(stranger, { name: 'wrong-key', namespace: 'apps', data: { password: wrongKey.value } }));
  const moved = await seal(keyring, { name: 'elsewhere', namespace: 'apps', data: { password: wrongScope.value } });
  put({ ...moved, metadata: { ...moved.metadata, name: 'wrong-scope' } });
  const flipped = await seal(keyring, { name: 'tampered', namespace: 'apps', data: { password: tampered.value } });
  flipped.spec.encryptedData.password = flipByte(flipped.spec.encryptedData.password!);
  put(flipped);

  // Opens, but its templates fail on the value: fail quotes it, int/div chokes on it.
  const failing = await seal(keyring, { name: 'template-fails', namespace: 'apps', data: { password: templated.value } });
  failing.spec.template = {
    ...failing.spec.template,
    data: { a: '{{ fail .password }}', b: '{{ .password | int | div 0 }}', c: '{{ .password.field }}' },
  };
  put(failing);

  // Opens, but a Secret of that name belongs to someone else.
  put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'taken', namespace: 'apps' }, data: { theirs: 'dGhlaXJz' } });
  put(await seal(keyring, { name: 'taken', namespace: 'apps', data: { password: foreign.value } }));

  await waitFor('the Secret that opens', () => syncedCondition(server, 'apps', 'opened')?.status === 'True');
  await failedWith('apps', 'wrong-key', 'ErrUnsealFailed');
  await failedWith('apps', 'wrong-scope', 'ErrUnsealFailed');
  await failedWith('apps', 'tampered', 'ErrUnsealFailed');
  await failedWith('apps', 'template-fails', 'ErrUnsealFailed');
  await failedWith('apps', 'taken', 'ErrUpdateFailed');

  // The HTTP API kubeseal uses, with good and bad input.
  expect((await post('/v1/verify', JSON.stringify(server.get('SealedSecret', 'apps', 'opened')))).status).toBe(200);
  expect((await post('/v1/verify', JSON.stringify(server.get('SealedSecret', 'apps', 'wrong-key')))).status).toBe(409);
  expect((await post('/v1/verify', JSON.stringify(server.get('SealedSecret', 'apps', 'template-fails')))).status).toBe(200);
  expect((await post('/v1/rotate', JSON.stringify(server.get('SealedSecret', 'apps', 'opened')))).status).toBe(200);
  expect((await post('/v1/rotate', JSON.stringify(server.get('SealedSecret', 'apps', 'tampered')))).status).not.toBe(200);
  const sealedShape = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'x', namespace: 'apps' } };
  const malformed = [
    `not json ${httpBody.value}`,
    `{"password": "${httpBody.value}"`,
    JSON.stringify({ ...sealedShape, spec: { encryptedData: { password: httpBody.value } } }),
    JSON.stringify({ ...sealedShape, spec: { encryptedData: { password: httpBody.base64 } } }),
    JSON.stringify({ ...sealedShape, spec: { encryptedData: [httpBody.value] } }),
    JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { password: httpBody.value } }),
  ];
  for (const body of malformed) {
    for (const path of ['/v1/verify', '/v1/rotate']) expect((await post(path, body)).status).toBeGreaterThanOrEqual(400);
  }
  for (const path of ['/healthz', '/readyz', `/v1/cert.pem?${httpBody.value}`, `/${httpBody.value}`]) await call(path);

  // A new key, made at the controller's leisure: its private key must not be logged either.
  controller.child.kill('SIGUSR1');
  await waitFor('a second key', () => server.list('Secret', 'kube-system').filter(isKeySecret).length === 2);
  await waitFor(
    'the events',
    () => eventsFor(server, 'apps', 'taken').length > 0 && eventsFor(server, 'apps', 'template-fails').length > 0,
  );
});

afterAll(async () => {
  await killControllers();
  await server?.close();
});

/** The canaries found in `text`, of those given. */
const leaks = (text: string, canaries: readonly Canary[]) => findCanaries(text, canaries);

describe('the controller keeps its canaries', () => {
  it('puts a value only into the Secret it opens to, and the private key only into its key Secret', async () => {
    const secret = server.get('Secret', 'apps', 'opened')!;
    // Positive controls: the search finds them where they belong.
    expect(leaks(JSON.stringify(secret), [opened])).toContain('opened:base64@0');
    expect(leaks(Buffer.from((secret.data as Record<string, string>)['config.ini']!, 'base64').toString(), [opened])).toContain(
      'opened:raw',
    );
    expect(server.list('Secret', 'kube-system').filter((object) => leaks(JSON.stringify(object), [controllerKey]).length > 0)).toHaveLength(
      1,
    );

    const elsewhere = ['Secret', 'SealedSecret', 'Event', 'Lease', 'ConfigMap']
      .flatMap((kind) => server.list(kind))
      .filter((object) => !(object.kind === 'Secret' && object.metadata?.namespace === 'apps' && object.metadata?.name === 'opened'));
    for (const object of elsewhere) {
      const canaries = isKeySecret(object) ? values : [...values, controllerKey];
      expect(leaks(JSON.stringify(object), canaries), `${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}`).toEqual([]);
    }
    expect(server.get('Secret', 'apps', 'taken')!.data).toEqual({ theirs: 'dGhlaXJz' });
  });

  it('says nothing of them in its logs, statuses, events, metrics or HTTP answers', async () => {
    const metrics = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('sealed_secrets_controller_unseal_errors_total{reason="unseal",namespace="apps"}');
    const statuses = server.list('SealedSecret', 'apps').map((s) => `${s.metadata?.name}: ${JSON.stringify(s.status)}`);
    expect(statuses).toHaveLength(6);
    const events = server.list('Event', 'apps').map((e) => JSON.stringify(e));
    expect(events.length).toBeGreaterThanOrEqual(6);
    const logs = controller.output();
    expect(controller.logs().length).toBeGreaterThan(10);
    expect(answers.length).toBeGreaterThan(20);

    const everything = { logs, metrics, statuses: statuses.join('\n'), events: events.join('\n'), answers: answers.join('\n----\n') };
    for (const [where, text] of Object.entries(everything)) expect(leaks(text, [...values, controllerKey]), where).toEqual([]);
  });

  it('still says why each one failed, in words', () => {
    expect(syncedCondition(server, 'apps', 'template-fails')!.message).toMatch(/fail was called \(message withheld/);
    expect(syncedCondition(server, 'apps', 'taken')!.message).toBe(
      'failed update: Resource "taken" already exists and is not managed by SealedSecret',
    );
    expect(syncedCondition(server, 'apps', 'wrong-scope')!.message).toMatch(/^Cannot unseal /);
  });
});
