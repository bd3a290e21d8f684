/**
 * Turns a request body into an object of the endpoint's kind, with the real server's checks and
 * messages (k8s.io/apiserver/pkg/endpoints/handlers: create.go, update.go, rest.go).
 */
import * as apierrors from '../apierrors/index.ts';
import { isRecord, type KubeObject } from '../api/index.ts';
import { apiVersionOf, type ResourceEntry } from '../resources/index.ts';
import { decodeCheck, pruneUnknownFields, unknownFields } from '../openapi/index.ts';
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

/**
 * encoding/json's maxNestingDepth (also sigs.k8s.io/json's): a document may nest objects and arrays
 * 10,000 deep; the scanner fails on the bracket that opens level 10,001.
 */
export const maxNestingDepth = 10000;

/**
 * The scanner's error for a decoded JSON value nested deeper than maxNestingDepth, or undefined:
 * `invalid character '{' exceeded max depth` (encoding/json scanner.go pushParseState), naming the
 * first bracket, in document order, that opens level 10,001. Iterative, so no input can exhaust the
 * stack; run it once, before anything walks the value recursively.
 */
export function nestingDepthError(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (depth > maxNestingDepth) return `invalid character '${Array.isArray(v) ? '[' : '{'}' exceeded max depth`;
    const children = Array.isArray(v) ? v : Object.values(v);
    // Pushed last to first, so they come off the stack in document order.
    for (let i = children.length - 1; i >= 0; i--) {
      const c: unknown = children[i];
      if (typeof c === 'object' && c !== null) {
        values.push(c);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/** A deep copy of a JSON value, made with an explicit stack (structuredClone recurses). */
export function cloneJson(value: unknown): unknown {
  const copy = (v: unknown): unknown => (Array.isArray(v) ? new Array<unknown>(v.length) : isRecord(v) ? {} : v);
  const root = copy(value);
  const stack: [unknown, unknown][] = [[value, root]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    if (Array.isArray(from)) {
      const out = to as unknown[];
      for (let i = 0; i < from.length; i++) {
        out[i] = copy(from[i]);
        if (out[i] !== from[i]) stack.push([from[i], out[i]]);
      }
    } else if (isRecord(from)) {
      const out = to as Record<string, unknown>;
      for (const [k, v] of Object.entries(from)) {
        out[k] = copy(v);
        if (out[k] !== v) stack.push([v, out[k]]);
      }
    }
  }
  return root;
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
  const unknown = validation === 'Ignore' ? [] : unknownFields(entry.group, entry.version, entry.kind, obj);
  if (validation === 'Strict' && unknown.length > 0) {
    const list = unknown.map((f) => `unknown field "${f}"`);
    throw apierrors.badRequest(`${strictPrefix}strict decoding error: ${list.join(', ')}`);
  }
  // Decoding into the typed object drops them: they are not stored, and nothing walks them again.
  // obj is the caller's own, but below its top level it may share values with a cached object.
  if (validation === 'Ignore' ? unknownFields(entry.group, entry.version, entry.kind, obj).length > 0 : unknown.length > 0) {
    for (const [k, v] of Object.entries(obj)) (obj as Record<string, unknown>)[k] = cloneJson(v);
    pruneUnknownFields(entry.group, entry.version, entry.kind, obj);
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
  // SimpleMetaFactory.Interpret's encoding/json pass scans the whole body first, so a body nested too
  // deep fails there, before any field is looked at.
  const depthError = nestingDepthError(body);
  if (depthError) {
    throw apierrors.badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): couldn't get version/kind; json parse error: ${depthError} (${summarize(raw)})`);
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
  // Subresource kinds (Scale, Binding, TokenRequest) are checked against their own schema.
  const warnings = checkDecoded({ ...entry, group: expected.group, version: expected.version, kind: expected.kind }, object, validation, prefix);
  return { object, warnings };
}
