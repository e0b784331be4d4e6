/**
 * A failed Kubernetes API call, with what the server's Status said; status 0 when
 * no answer came, with the failure's code (ECONNREFUSED, ETIMEDOUT, ERR_OSSL_…).
 */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export const isNotFound = (error: unknown) => error instanceof KubeApiError && error.status === 404;
export const isConflict = (error: unknown) => error instanceof KubeApiError && error.status === 409;
/** 410 Gone: the resourceVersion a list or watch asked for is older than the server keeps. */
export const isExpired = (error: unknown) => error instanceof KubeApiError && error.status === 410;
export const isAlreadyExists = (error: unknown) => isConflict(error) && (error as KubeApiError).reason === 'AlreadyExists';

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
}

/** The error for a non-2xx answer; `body` is the server's Status when it sent one. */
export function apiErrorFrom(status: number, method: string, path: string, body: string): KubeApiError {
  let parsed: StatusBody = {};
  try {
    parsed = JSON.parse(body) as StatusBody;
  } catch {
    // Not a Status (a proxy or load balancer answered): the HTTP status says enough.
  }
  // On Secrets the server's text may quote what we sent (admission webhooks build
  // refusals from the object): keep only the code and reason, which are safe to log.
  const aboutSecrets = /\/secrets(\/|\?|$)/.test(path);
  const message =
    parsed.kind === 'Status' && parsed.message && !aboutSecrets
      ? parsed.message
      : `HTTP ${status}${parsed.reason ? ` ${parsed.reason}` : ''}`;
  return new KubeApiError(
    status,
    parsed.reason ?? '',
    `The Kubernetes API answered ${method} ${path.split('?')[0]} with ${status}: ${message}`,
  );
}
