/**
 * Turns a request body into an object of the endpoint's kind, with the real server's checks and
 * messages (k8s.io/apiserver/pkg/endpoints/handlers: create.go, update.go, rest.go).
 */
import * as apierrors from '../apierrors/index.ts';
import { isRecord, type KubeObject } from '../api/index.ts';
import { apiVersionOf, type ResourceEntry } from '../resources/index.ts';
import { decodeCheck, unknownFields } from '../openapi/index.ts';
import { decodeObjectBody } from './body.ts';

function summarize(raw: Buffer): string {
  if (raw.length === 0) return '<empty>';
  if (raw[0] === 0x7b) return raw.length > 30 ? `${raw.subarray(0, 30).toString('utf8')} ...` : raw.toString('utf8');
  return raw.length > 30 ? `${raw.subarray(0, 30).toString('hex')} ...` : raw.toString('hex');
}

/**
 * Go package name of a group's internal types, as reflect prints them in conversion errors
 * ("converting (v1.Secret) to (core.ConfigMap)"): the group's first DNS label, core for "".
 */
function internalPackage(group: string): string {
  return group === '' || group === 'events.k8s.io' ? 'core' : group.split('.')[0]!;
}

/** encoding/json's name for a JSON value's type in an UnmarshalTypeError. */
function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : 'object';
}

/**
 * The error encoding/json gives when apiVersion or kind is not a string, as SimpleMetaFactory.Interpret
 * reads them into an anonymous struct: keys match case-insensitively, and the first bad one in the
 * document is reported. null is no error (it leaves the field empty).
 */
function typeMetaTypeError(body: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(body)) {
    const fieldName = key.toLowerCase() === 'apiversion' ? 'apiVersion' : key.toLowerCase() === 'kind' ? 'kind' : undefined;
    if (!fieldName || value === null || typeof value === 'string') continue;
    return `json: cannot unmarshal ${jsonTypeName(value)} into Go struct field .${fieldName} of type string`;
  }
  return undefined;
}

export interface DecodedBody {
  object: KubeObject;
  /** Warnings to send back (fieldValidation=Warn). */
  warnings: string[];
}

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Type-checks and unknown-field-checks an object that is already JSON-shaped (patch results too). */
export function checkDecoded(entry: ResourceEntry, obj: KubeObject, validation: FieldValidation,
  strictPrefix = ''): string[] {
  const typeError = decodeCheck(entry.group, entry.version, entry.kind, obj);
  if (typeError) throw apierrors.badRequest(typeError);
  if (validation === 'Ignore') return [];
  const unknown = unknownFields(entry.group, entry.version, entry.kind, obj);
  if (unknown.length === 0) return [];
  if (validation === 'Strict') {
    const list = unknown.map((f) => `unknown field "${f}"`);
    throw apierrors.badRequest(`${strictPrefix}strict decoding error: ${list.join(', ')}`);
  }
  return unknown.map((f) => `unknown field "${f}"`);
}

export function decodeBodyAs(entry: ResourceEntry, raw: Buffer, contentType: string, validation: FieldValidation,
  expected: { kind: string; group: string; version: string } = entry): DecodedBody {
  let body: unknown;
  try {
    body = decodeObjectBody(raw, contentType);
  } catch (err) {
    if (apierrors.isStatusError(err) && err.code === 400 && err.message.startsWith("couldn't get version/kind")) {
      throw apierrors.badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${err.message} (${summarize(raw)})`);
    }
    throw err;
  }
  if (!isRecord(body)) {
    throw apierrors.badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (${summarize(raw)})`);
  }
  const typeError = typeMetaTypeError(body);
  if (typeError) {
    throw apierrors.badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): couldn't get version/kind; json parse error: ${typeError} (${summarize(raw)})`);
  }
  const wantVersion = apiVersionOf(expected);
  const kind = typeof body.kind === 'string' ? body.kind : '';
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  if (kind && kind !== expected.kind) {
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    throw apierrors.badRequest(`${kind} in version "${version ?? ''}" cannot be handled as a ${expected.kind}: converting (${version}.${kind}) to (${internalPackage(expected.group)}.${expected.kind}): unknown conversion`);
  }
  if (apiVersion && apiVersion !== wantVersion) {
    throw apierrors.badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${wantVersion})`);
  }
  body.apiVersion = wantVersion;
  body.kind = expected.kind;
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  const object = body as KubeObject;
  // Create and update report strict errors through transformDecodeError, which names the kind.
  const prefix = `${expected.kind} in version "${expected.version}" cannot be handled as a ${expected.kind}: `;
  const warnings = expected.kind === entry.kind ? checkDecoded(entry, object, validation, prefix) : [];
  return { object, warnings };
}
