#!/usr/bin/env node
// Serves the built sealing page as static files, with the controller's certificate
// at /v1/cert.pem where the page looks for it by default. No dependencies:
//
//   pnpm --filter @sealkit/web build
//   sealkit --fetch-cert > cert.pem            # or kubeseal --fetch-cert
//   node examples/web/serve.mjs --cert cert.pem [--dir packages/web/dist] [--port 8080] [--host 127.0.0.1]
//
// Browsers give WebCrypto only to HTTPS and localhost pages: serve it to others behind TLS.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// The page carries its own Content-Security-Policy in a meta tag; a meta tag cannot
// forbid framing, so that one directive comes as a header (browsers enforce both).
const SECURITY_HEADERS = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A server for the page in `dir` and, when given, `certificatePem` at /v1/cert.pem. */
export function createPageServer({ dir, certificatePem }) {
  const root = resolve(dir);
  return createServer(async (request, response) => {
    const send = (status, type, body, extra = {}) => {
      response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(405, 'text/plain', 'Only GET and HEAD.\n', { allow: 'GET, HEAD' });
    try {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://page').pathname);
      if (path === '/v1/cert.pem' && certificatePem)
        return send(200, 'application/x-pem-file', certificatePem, { 'cache-control': 'no-store' });
      const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
      const type = CONTENT_TYPES[extname(file)];
      if (!file.startsWith(root + sep) || !type) return send(404, 'text/plain', 'Not found.\n');
      send(200, type, await readFile(file));
    } catch {
      send(404, 'text/plain', 'Not found.\n'); // a missing file or a malformed path
    }
  });
}

const USAGE = `Serves the built sealing page, with the controller's certificate at /v1/cert.pem.

Usage: node examples/web/serve.mjs [--cert cert.pem] [--dir packages/web/dist] [--port 8080] [--host 127.0.0.1]

  --cert FILE   the certificate to serve at /v1/cert.pem (sealkit --fetch-cert > cert.pem)
  --dir DIR     the built page (default: packages/web/dist; build it with pnpm --filter @sealkit/web build)
  --port PORT   default 8080
  --host HOST   default 127.0.0.1; browsers give WebCrypto only to HTTPS and localhost pages
  -h, --help    this text
`;

/** Reads the command line; a mistake is one sentence and exit code 2, never a stack trace. */
function readOptions() {
  try {
    return parseArgs({
      options: {
        dir: { type: 'string', default: fileURLToPath(new URL('../../packages/web/dist', import.meta.url)) },
        cert: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8080' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`serve.mjs: ${error.message.split('\n')[0]} (see --help)`);
    process.exit(2);
  }
}

async function main() {
  const values = readOptions();
  if (values.help) return console.log(USAGE);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('serve.mjs: --port needs a number from 0 to 65535.');
    process.exit(2);
  }
  let certificatePem;
  try {
    certificatePem = values.cert && (await readFile(values.cert, 'utf8'));
  } catch (error) {
    console.error(`serve.mjs: cannot read the certificate file ${values.cert} (${error.code ?? 'unreadable'}).`);
    process.exit(1);
  }
  const server = createPageServer({ dir: values.dir, certificatePem });
  server.on('error', (error) => {
    console.error(`serve.mjs: cannot listen on ${values.host}:${port} (${error.code ?? error.message}).`);
    process.exit(1);
  });
  server.listen(port, values.host, () => console.log(`Serving the sealing page at http://${values.host}:${server.address().port}/`));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
