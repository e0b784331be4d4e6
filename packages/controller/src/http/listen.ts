/** Starts an HTTP server on a Go-style listen address: ":8080", "127.0.0.1:0", "[::1]:8080". */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenAddress {
  host?: string;
  port: number;
}

export function parseListenAddress(address: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new Error(`"${address}" is not a listen address; write it as host:port or :port.`);
  const host = match[1] ?? match[2];
  return { host: host || undefined, port };
}

export interface ServerTimeouts {
  readTimeoutMs: number;
  writeTimeoutMs: number;
}

/** Listens and resolves with the bound address (the real port when asked for port 0). */
export function listen(server: http.Server, address: string, timeouts: ServerTimeouts): Promise<AddressInfo> {
  const { host, port } = parseListenAddress(address);
  server.requestTimeout = timeouts.readTimeoutMs;
  server.headersTimeout = timeouts.readTimeoutMs;
  server.timeout = timeouts.writeTimeoutMs;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
