// Kubernetes `Status` objects and the errors that carry them.
//
// Message formats follow k8s.io/apimachinery/pkg/api/errors so that clients
// (kubectl, client-go, @kubernetes/client-node) print the same text they would
// print against a real API server.

export type JsonObject = Record<string, any>;

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string; resourceVersion?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly status: Status;
  readonly headers: Record<string, string>;
  constructor(status: Status, headers: Record<string, string> = {}) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.status = status;
    this.headers = headers;
  }
  get code(): number {
    return this.status.code;
  }
}

/** A group/resource pair, e.g. {group:'', resource:'secrets'}. */
export interface GroupResource {
  group: string;
  resource: string;
}
/** A group/kind pair, e.g. {group:'bitnami.com', kind:'SealedSecret'}. */
export interface GroupKind {
  group: string;
  kind: string;
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}
export function qualifiedKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

export function status(code: number, reason: string, message: string, details?: StatusDetails): Status {
  // field order as the real server serialises metav1.Status
  const s = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  } as Status;
  return s;
}

function detailsFor(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name };
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource; // the real server puts the resource here ("Yes we set Kind field to resource.")
  return d;
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(status(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, detailsFor(gr, name)));
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(status(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, detailsFor(gr, name)));
}

export const OBJECT_MODIFIED_MSG = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, why: string = OBJECT_MODIFIED_MSG): ApiError {
  return new ApiError(
    status(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`, detailsFor(gr, name)),
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(status(400, 'BadRequest', message));
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
  return new ApiError(status(405, 'MethodNotAllowed', message, {}));
}

export function notAcceptable(message: string): ApiError {
  return new ApiError(status(406, 'NotAcceptable', message));
}

export function unsupportedMediaType(message: string): ApiError {
  return new ApiError(status(415, 'UnsupportedMediaType', message));
}

export function forbidden(gr: GroupResource, name: string, why: string, causes?: StatusCause[]): ApiError {
  const d = detailsFor(gr, name);
  if (causes) d.causes = causes;
  const subject = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return new ApiError(status(403, 'Forbidden', `${subject} is forbidden: ${why}`, d));
}

export function gone(message: string, continueToken?: string): ApiError {
  const s = status(410, 'Expired', message);
  if (continueToken) s.metadata.continue = continueToken;
  return new ApiError(s);
}

export function tooOldResourceVersion(requested: number | string, oldest: number): ApiError {
  return gone(`too old resource version: ${requested} (${oldest})`);
}

export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return new ApiError(
    status(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    }),
  );
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError(status(503, 'ServiceUnavailable', message));
}

export function internalError(message: string): ApiError {
  return new ApiError(
    status(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    }),
  );
}

/** Default `reason` for an HTTP status code (apimachinery's reasonForCode + common ones). */
export function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

// ---------------------------------------------------------------------------
// Field errors (k8s.io/apimachinery/pkg/util/validation/field)

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail?: string;
  hasValue?: boolean;
}

/** A value printed verbatim in field errors (e.g. Go's `0x0`). */
export class GoLiteral {
  constructor(readonly text: string) {}
  toJSON() {
    return this.text;
  }
}

function goValue(v: unknown): string {
  if (v instanceof GoLiteral) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueTooLong':
      return e.detail ? `Too long: ${e.detail}` : 'Too long';
    case 'FieldValueDuplicate':
      return `Duplicate value: ${goValue(e.value)}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${goValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${goValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueInvalid':
    default:
      return `Invalid value: ${goValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

export const fe = {
  required: (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  invalid: (field: string, value: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field, value, detail }),
  forbidden: (field: string, detail = ''): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  tooLong: (field: string, max: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    detail: `must have at most ${max} bytes`,
  }),
  notSupported: (field: string, value: unknown, supported: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    value,
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueTypeInvalid',
    field,
    value,
    detail,
  }),
};

/** 422 Invalid, formatted like errors.NewInvalid. */
export function invalid(gk: GroupKind, name: string, errs: FieldError[]): ApiError {
  const causes: StatusCause[] = errs.map((e) => ({
    reason: e.type,
    message: fieldErrorBody(e),
    field: e.field,
  }));
  const msgs = errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
  const agg = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  const details: StatusDetails = { name };
  if (gk.group) details.group = gk.group;
  details.kind = gk.kind;
  details.causes = causes;
  return new ApiError(status(422, 'Invalid', `${qualifiedKind(gk)} "${name}" is invalid: ${agg}`, details));
}
