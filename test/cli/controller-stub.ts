/**
 * A minimal stand-in for the sealed-secrets controller's HTTP API, built on
 * @sealkit/core: GET /v1/cert.pem, POST /v1/verify (200 opens / 409 does not),
 * POST /v1/rotate (the SealedSecret resealed with the newest key).
 */
import { createServer } from 'node:http';
import { scopeFromAnnotations, unsealSecret, type Keyring, type SealedSecretManifest } from '../../packages/core/src/index.js';

export interface ControllerStub {
  url: string;
  /** Paths the stub was asked for, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

async function rotate(sealed: SealedSecretManifest, keyring: Keyring): Promise<SealedSecretManifest> {
  const target = {
    namespace: sealed.metadata.namespace,
    name: sealed.metadata.name,
    scope: scopeFromAnnotations(sealed.metadata.annotations),
  };
  const encryptedData: Record<string, string> = {};
  for (const [key, value] of Object.entries(sealed.spec.encryptedData))
    encryptedData[key] = await keyring.seal((await keyring.open(value, target)).plaintext, target);
  // What a controller returns: the object as stored, server fields included.
  return {
    ...sealed,
    metadata: { ...sealed.metadata, creationTimestamp: '2026-01-01T00:00:00Z', generation: 2 },
    spec: { ...sealed.spec, encryptedData },
  };
}

export async function startControllerStub(keyring: Keyring): Promise<ControllerStub> {
  const calls: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      calls.push(`${request.method} ${request.url}`);
      const body = () => JSON.parse(Buffer.concat(chunks).toString('utf8')) as SealedSecretManifest;
      try {
        if (request.method === 'GET' && request.url === '/v1/cert.pem') {
          response.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(keyring.activeCertificatePem);
        } else if (request.method === 'POST' && request.url === '/v1/verify') {
          await unsealSecret(body(), keyring);
          response.writeHead(200).end();
        } else if (request.method === 'POST' && request.url === '/v1/rotate') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await rotate(body(), keyring)));
        } else {
          response.writeHead(404).end('not found');
        }
      } catch {
        response.writeHead(409).end('unable to decrypt');
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    calls,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
