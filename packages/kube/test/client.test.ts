// The shared Kubernetes client against a local HTTP server: what it sends, the answers it
// reads, and the typed errors both the CLI and the controller turn into their messages.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, KubeClient, type KubeCredentials } from '../src/index.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];
/** The answer to the next requests, by path. */
const answers = new Map<string, (response: http.ServerResponse) => void>();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString() });
      const answer = answers.get(new URL(request.url!, 'http://x').pathname);
      if (answer) answer(response);
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Thing"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** client-node's KubeConfig as the client uses it; counts how often the credentials were read. */
function credentials(serverUrl = base, token = 'first'): KubeCredentials & { reads: number; token: string } {
  return {
    reads: 0,
    token,
    getCurrentCluster: () => ({ server: serverUrl }),
    async applyToHTTPSOptions(options) {
      this.reads++;
      options.headers = { Authorization: `Bearer ${this.token}`, 'Impersonate-User': 'someone' };
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<KubeApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KubeApiError);
  return error as KubeApiError;
}

describe('KubeClient', () => {
  it("sends the credentials, the caller's headers and a JSON body, under the server's path", async () => {
    seen.length = 0;
    const client = await KubeClient.connect(credentials(`${base}/prefix/`), {
      headers: { 'Impersonate-Group': ['a', 'b'] },
      userAgent: 'sealkit-test/1',
    });
    await client.request('PATCH', '/api/v1/things/x', {
      body: { a: 1 },
      contentType: 'application/merge-patch+json',
      query: { dryRun: 'All' },
    });
    client.close();
    const [request] = seen;
    expect(request).toMatchObject({ method: 'PATCH', url: '/prefix/api/v1/things/x?dryRun=All', body: '{"a":1}' });
    expect(request!.headers).toMatchObject({
      authorization: 'Bearer first',
      'impersonate-user': 'someone',
      'impersonate-group': 'a, b',
      'user-agent': 'sealkit-test/1',
      accept: 'application/json',
      'content-type': 'application/merge-patch+json',
    });
  });

  it('answers exchange() whatever the status, and request() with a typed error', async () => {
    answers.set('/missing', (response) =>
      response.writeHead(404).end('{"kind":"Status","reason":"NotFound","message":"things \\"missing\\" not found"}'),
    );
    const client = await KubeClient.connect(credentials());
    const answer = await client.exchange('GET', '/missing', { accept: 'application/x-pem-file, */*' });
    expect(answer.status).toBe(404);
    expect(seen.at(-1)!.headers.accept).toBe('application/x-pem-file, */*');
    const error = await rejection(client.get('/missing'));
    expect(error).toMatchObject({ status: 404, reason: 'NotFound' });
    expect(error.message).toBe('The Kubernetes API answered GET /missing with 404: things "missing" not found');
    client.close();
  });

  it('reads the credentials again after a 401, and otherwise at most every few seconds', async () => {
    answers.set('/unauthorized', (response) => response.writeHead(401).end());
    const config = credentials();
    const client = await KubeClient.connect(config);
    await client.get('/a');
    await client.get('/b');
    const readsBefore = config.reads;
    config.token = 'second';
    await client.exchange('GET', '/unauthorized');
    await client.get('/c');
    expect(config.reads).toBe(readsBefore + 1);
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer second');
    client.close();
  });

  it('waits on the limiter before every request', async () => {
    let taken = 0;
    const client = await KubeClient.connect(credentials(), { limiter: { take: async () => void taken++ } });
    await client.get('/a');
    await client.exchange('GET', '/b');
    expect(taken).toBe(2);
    client.close();
  });

  it('fails an answer larger than maxAnswerBytes with EANSWERTOOLARGE', async () => {
    answers.set('/large', (response) => response.writeHead(200).end('x'.repeat(100_000)));
    const client = await KubeClient.connect(credentials(), { maxAnswerBytes: 1000 });
    const error = await rejection(client.exchange('GET', '/large'));
    expect(error).toMatchObject({ status: 0, code: 'EANSWERTOOLARGE' });
    client.close();
  });

  it('holds a trickling answer to the whole timeout, not to each silence, with ETIMEDOUT', async () => {
    answers.set('/trickle', (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => (response.writableEnded ? clearInterval(drip) : response.write(' ')), 50);
      response.on('close', () => clearInterval(drip));
    });
    const client = await KubeClient.connect(credentials(), { timeoutMs: 400 });
    const started = Date.now();
    const error = await rejection(client.exchange('GET', '/trickle'));
    expect(error).toMatchObject({ status: 0, code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(1500);
    client.close();
  });

  it('ends a watch whose line never ends (no event is that long) with a typed error', async () => {
    answers.set('/endless', (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(1 << 20);
      let sent = 0;
      const send = () => {
        while (sent < 40 && response.write(chunk)) sent++;
        if (sent < 40) response.once('drain', send);
        else response.end();
      };
      send();
    });
    const client = await KubeClient.connect(credentials());
    const error = await rejection(client.watch('/endless', {}, () => undefined, new AbortController().signal, 10_000));
    expect(error).toMatchObject({ status: 0, message: expect.stringMatching(/longer than any object/) });
    client.close();
  });

  it('gives up on a silent server after the timeout, with ETIMEDOUT', async () => {
    answers.set('/silent', () => {});
    const client = await KubeClient.connect(credentials(), { timeoutMs: 200 });
    const started = Date.now();
    const error = await rejection(client.get('/silent'));
    expect(error).toMatchObject({ status: 0, reason: 'Timeout', code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
    client.close();
  });

  it('reports an unreachable server with the network code, and passes credential failures through untouched', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = await KubeClient.connect(credentials(`http://127.0.0.1:${port}`));
    expect(await rejection(client.get('/a'))).toMatchObject({ status: 0, reason: 'NetworkError', code: 'ECONNREFUSED' });
    client.close();

    const plugin = new Error('exec plugin failed');
    const failing: KubeCredentials = {
      getCurrentCluster: () => ({ server: base }),
      applyToHTTPSOptions: () => Promise.reject(plugin),
    };
    await expect(KubeClient.connect(failing)).rejects.toBe(plugin);
  });

  it('never quotes an answer that is not JSON (it may hold a Secret)', async () => {
    answers.set('/garbage', (response) => response.writeHead(200).end('{"data":{"password":"hunter2"'));
    const client = await KubeClient.connect(credentials());
    const error = await rejection(client.get('/garbage'));
    expect(error).toMatchObject({ reason: 'BadResponse' });
    expect(error.message).not.toContain('hunter2');
    client.close();
  });
});
