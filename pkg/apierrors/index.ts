/**
 * StatusError and its constructors: the only place a Kubernetes Status is built.
 * Messages follow k8s.io/apimachinery/pkg/api/errors/errors.go word for word.
 */
import type { StatusCause, StatusDetails, StatusObject } from '../api/index.ts';

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict'
  | 'Gone' | 'Expired' | 'Invalid' | 'ServerTimeout' | 'Timeout' | 'TooManyRequests'
  | 'MethodNotAllowed' | 'NotAcceptable' | 'UnsupportedMediaType' | 'RequestEntityTooLarge'
  | 'InternalError' | 'ServiceUnavailable' | '';

export class StatusError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details?: StatusDetails;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): StatusObject {
    const status: StatusObject = {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: this.message, reason: this.reason || undefined, code: this.code,
    };
    if (this.details && Object.keys(this.details).length > 0) status.details = this.details;
    if (!status.reason) delete status.reason;
    return status;
  }
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}

/** "pods" for the core group, "deployments.apps" otherwise: Kubernetes' GroupResource.String(). */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** "Pod" for the core group, "Deployment.apps" otherwise: GroupKind.String(). */
export function qualifiedKind(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

/** First code point of a surrogate-escaped byte: a URL byte that is not UTF-8 is kept as U+DC80+byte (0x80..0xff). */
const escapedByteBase = 0xdc00;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrintable(ch: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch);
}

/**
 * Go's strconv.Quote (the %q verb): printable characters as they are, the rest escaped. A byte that
 * was not UTF-8 in the URL (a lone surrogate U+DC80..U+DCFF, see escapedByteBase) prints as \xNN, as
 * Go prints an invalid byte.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (r >= 0xdc80 && r <= 0xdcff) out += `\\x${(r - escapedByteBase).toString(16)}`;
    else if (isGoPrintable(ch)) out += ch;
    else if (goEscapes[ch]) out += goEscapes[ch];
    else if (r < 0x20 || r === 0x7f) out += `\\x${r.toString(16).padStart(2, '0')}`;
    else if (r < 0x10000) out += `\\u${r.toString(16).padStart(4, '0')}`;
    else out += `\\U${r.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const goEscapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** The string Go's JSON encoder writes for one holding invalid bytes: each becomes U+FFFD. */
function goJsonString(s: string): string {
  return s.replace(/[\udc80-\udcff]/g, '\ufffd');
}

export function notFound(group: string, resource: string, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(group, resource)} ${goQuote(name)} not found`,
    { name: goJsonString(name), group: group || undefined, kind: resource });
}

/** The 404 for a URL that names no served resource. */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(group: string, resource: string, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(group, resource)} "${name}" already exists`,
    { name, group: group || undefined, kind: resource });
}

export const modifiedMessage = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(group: string, resource: string, name: string, why: string = modifiedMessage): StatusError {
  return new StatusError(409, 'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`,
    { name, group: group || undefined, kind: resource });
}

/** One field error, as field.Error in apimachinery/pkg/util/validation/field. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden'
    | 'FieldValueDuplicate' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueTypeInvalid' | 'InternalError';
  field: string;
  /** Full message as printed, e.g. `Required value` or `Invalid value: "x": must be ...`. */
  detail: string;
}

const fieldTypeText: Record<FieldError['type'], string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export const field = {
  required(path: string, detail = ''): FieldError {
    return { type: 'FieldValueRequired', field: path, detail: detail ? `Required value: ${detail}` : 'Required value' };
  },
  invalid(path: string, value: unknown, detail: string): FieldError {
    return { type: 'FieldValueInvalid', field: path, detail: `Invalid value: ${renderValue(value)}${detail ? `: ${detail}` : ''}` };
  },
  notSupported(path: string, value: unknown, valid: string[]): FieldError {
    const list = valid.map((v) => JSON.stringify(v)).join(', ');
    return { type: 'FieldValueNotSupported', field: path, detail: `Unsupported value: ${renderValue(value)}: supported values: ${list}` };
  },
  forbidden(path: string, detail: string): FieldError {
    return { type: 'FieldValueForbidden', field: path, detail: `Forbidden: ${detail}` };
  },
  duplicate(path: string, value: unknown): FieldError {
    return { type: 'FieldValueDuplicate', field: path, detail: `Duplicate value: ${renderValue(value)}` };
  },
  tooLong(path: string, max: number): FieldError {
    return { type: 'FieldValueTooLong', field: path, detail: `Too long: may not be more than ${max} bytes` };
  },
  typeInvalid(path: string, value: unknown, detail: string): FieldError {
    return { type: 'FieldValueTypeInvalid', field: path, detail: `Invalid value: ${renderValue(value)}: ${detail}` };
  },
  /** The reason word for a field error type, as in field.ErrorType.String(). */
  typeText(type: FieldError['type']): string {
    return fieldTypeText[type];
  },
};

/** 422 Invalid aggregating field errors; kind is the Kind ("Pod"), as NewInvalid does. */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const parts = errors.map((e) => (e.field ? `${e.field}: ${e.detail}` : e.detail));
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.detail, field: e.field }));
  return new StatusError(422, 'Invalid', `${qualifiedKind(group, kind)} "${name}" is invalid: ${joined}`,
    // StatusDetails.name is omitempty: an object without a name (DeleteOptions, reviews) has none.
    { name: name || undefined, group: group || undefined, kind, causes });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError(401, 'Unauthorized', message);
}

export function forbidden(group: string, resource: string, name: string, why: string): StatusError {
  // errors.NewForbidden: an empty group-resource (a non-resource path) is just "forbidden: …".
  if (!group && !resource) return new StatusError(403, 'Forbidden', `forbidden: ${why}`, {});
  const subject = name ? `${qualifiedResource(group, resource)} "${name}"` : qualifiedResource(group, resource);
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`,
    { name: name || undefined, group: group || undefined, kind: resource });
}

export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export const servedMediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

export function notAcceptable(): StatusError {
  return new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${servedMediaTypes.join(', ')}`);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${servedMediaTypes.join(', ')}`,
    contentType ? undefined : undefined);
}

export function requestEntityTooLarge(limit: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/** NewRequestEntityTooLargeError: 413 with a message of the caller's. */
export function requestEntityTooLargeMessage(message: string): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/**
 * NewGenericServerResponse(422, …, isUnexpectedResponse=false), as patch.go wraps a JSON patch that
 * fails to apply: a fixed message, the server's own text dropped, no details.
 */
export function patchNotApplied(): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** 410 for a resourceVersion older than the watch window. */
export function resourceExpired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Gone', message);
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function serverTimeout(message: string): StatusError {
  return new StatusError(504, 'Timeout', message);
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}
