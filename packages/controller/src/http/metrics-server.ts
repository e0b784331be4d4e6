/** GET /metrics in the Prometheus text format, on its own port like Bitnami's (:8081). */
import type http from 'node:http';
import type { Registry } from 'prom-client';

export function createMetricsHandler(registry: Registry): http.RequestListener {
  return (request, response) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found.\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Could not collect the metrics.\n'),
    );
  };
}
