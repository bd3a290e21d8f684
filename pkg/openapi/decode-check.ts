/**
 * The type errors the real apiserver reports while *decoding* a built-in object, before any
 * validation runs. Kubernetes decodes JSON into Go structs with sigs.k8s.io/json (a fork of
 * encoding/json), which stops at a type mismatch with
 *   json: cannot unmarshal <value> into Go struct field <Struct>.<json.path> of type <go type>
 * and the handler wraps it as a 400 BadRequest
 *   <Kind> in version "<version>" cannot be handled as a <Kind>: <that error>
 * (k8s.io/apiserver/pkg/endpoints/handlers/rest.go, transformDecodeError). <Struct> is the
 * innermost Go struct, the path holds JSON field names only (no array indices, no map keys), and
 * <go type> is the element type after pointers (`int32`, `v1.PodSpec`, `[]v1.Container`).
 */
import { definitionNameFor, goPackage, resolve, shortName, type Schema } from './schema.ts';

/**
 * Where a value sits: the innermost struct's definition and the JSON field path to it, as a chain
 * to the parent, so that the message's strings are only built for the one value that fails.
 */
interface Context {
  /** Definition name of the struct holding `field`. */
  def: string;
  field: string;
  up: Context | undefined;
}

function fieldPath(ctx: Context): string {
  let path = ctx.field;
  for (let c = ctx.up; c; c = c.up) path = `${c.field}.${path}`;
  return path;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How encoding/json names a JSON value in UnmarshalTypeError.Value. */
function valueWord(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  return typeof v === 'string' ? 'string' : 'object';
}

/** The Go type a schema decodes into, as reflect.Type.String() prints it. */
function goType(schema: Schema): string {
  if (schema.$ref) {
    const name = resolve(schema).name ?? '';
    return `${goPackage(name)}.${shortName(name)}`;
  }
  if (schema.type === 'array') return `[]${schema.items ? goType(schema.items) : 'interface {}'}`;
  if (schema.type === 'object') return `map[string]${schema.additionalProperties ? goType(schema.additionalProperties) : 'interface {}'}`;
  if (schema.type === 'integer') return schema.format === 'int64' ? 'int64' : 'int32';
  if (schema.type === 'number') return 'float64';
  if (schema.type === 'boolean') return 'bool';
  return schema.format === 'byte' ? '[]uint8' : 'string';
}

function typeError(value: string, type: string, ctx: Context | undefined): string {
  if (!ctx) return `json: cannot unmarshal ${value} into Go value of type ${type}`;
  return `json: cannot unmarshal ${value} into Go struct field ${shortName(ctx.def)}.${fieldPath(ctx)} of type ${type}`;
}

const quantityError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const quantityPattern = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

type Custom = 'IntOrString' | 'Quantity' | 'Time' | 'Raw' | 'none';

/** Which definitions decode themselves, by name, worked out once per name. */
const customByName = new Map<string, Custom>();

function customOf(name: string): Custom {
  let c = customByName.get(name);
  if (c === undefined) {
    if (name.endsWith('.intstr.IntOrString')) c = 'IntOrString';
    else if (name.endsWith('.resource.Quantity')) c = 'Quantity';
    else if (name.endsWith('.meta.v1.Time') || name.endsWith('.meta.v1.MicroTime')) c = 'Time';
    else if (name.endsWith('.runtime.RawExtension') || name.endsWith('.meta.v1.FieldsV1')) c = 'Raw';
    else c = 'none';
    customByName.set(name, c);
  }
  return c;
}

/** Types with their own UnmarshalJSON; undefined means "not special, keep walking". */
function customCheck(name: string, v: unknown): string | null | undefined {
  const custom = customOf(name);
  if (custom === 'none') return undefined;
  if (custom === 'IntOrString') {
    // IntOrString decodes non-strings with a nested encoding/json call, so no struct context.
    if (typeof v === 'string') return null;
    if (typeof v === 'number') return intRange(v, 'int32') ? null : typeError(`number ${v}`, 'int32', undefined);
    return typeError(valueWord(v), 'int32', undefined);
  }
  if (custom === 'Quantity') {
    const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
    return quantityPattern.test(text.trim()) ? null : quantityError;
  }
  if (custom === 'Time') return typeof v === 'string' ? null : typeError(valueWord(v), 'string', undefined);
  return null;
}

function intRange(v: number, format: string): boolean {
  if (!Number.isInteger(v)) return false;
  return format === 'int64' ? Number.isSafeInteger(v) : v >= -2147483648 && v <= 2147483647;
}

/** Offset of the first byte Go's base64.StdEncoding rejects, or -1 when it decodes. */
function base64ErrorOffset(s: string): number {
  const clean = s.replace(/[\r\n]/g, '');
  const bad = clean.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const pad = clean.indexOf('=');
  if (pad >= 0 && !/^=*$/.test(clean.slice(pad))) return pad;
  if (clean.length % 4 !== 0) return clean.length - (clean.length % 4);
  return -1;
}

// The Go type (goType) is only spelled out for a value that fails: building it for every value
// was a large part of this walk's cost.
function check(schema: Schema, v: unknown, ctx: Context | undefined): string | null {
  if (v === null) return null;
  let name: string | undefined;
  let s = schema;
  if (schema.$ref) {
    ({ name, schema: s } = resolve(schema));
    const custom = customCheck(name!, v);
    if (custom !== undefined) return custom;
  }
  if (s.properties) {
    if (!isObject(v)) return typeError(valueWord(v), goType(schema), ctx);
    const props = s.properties;
    const def = name ?? '';
    for (const k of Object.keys(v)) {
      const sub = props[k];
      if (!sub) continue;
      const err = check(sub, v[k], { def, field: k, up: ctx });
      if (err) return err;
    }
    return null;
  }
  switch (s.type) {
    case 'object': {
      if (!isObject(v)) return typeError(valueWord(v), goType(schema), ctx);
      const values = s.additionalProperties;
      if (!values) return null;
      for (const k of Object.keys(v)) {
        const err = check(values, v[k], ctx);
        if (err) return err;
      }
      return null;
    }
    case 'array': {
      if (!Array.isArray(v)) return typeError(valueWord(v), goType(schema), ctx);
      if (!s.items) return null;
      for (const x of v) {
        const err = check(s.items, x, ctx);
        if (err) return err;
      }
      return null;
    }
    case 'integer':
      if (typeof v !== 'number') return typeError(valueWord(v), goType(schema), ctx);
      return intRange(v, s.format ?? 'int32') ? null : typeError(`number ${v}`, goType(schema), ctx);
    case 'number':
      return typeof v === 'number' ? null : typeError(valueWord(v), goType(schema), ctx);
    case 'boolean':
      return typeof v === 'boolean' ? null : typeError(valueWord(v), goType(schema), ctx);
    case 'string': {
      if (typeof v !== 'string') return typeError(valueWord(v), goType(schema), ctx);
      if (s.format !== 'byte') return null;
      const at = base64ErrorOffset(v);
      return at < 0 ? null : `illegal base64 data at input byte ${at}`;
    }
  }
  return null;
}

/**
 * Returns the 400 message the real apiserver gives when `obj` cannot be decoded into the Go type
 * of group/version/kind (the first type mismatch in document order), or null when it decodes.
 * Unknown fields are not a decode error here (see unknownFields). Never mutates `obj`.
 */
export function decodeCheck(group: string, version: string, kind: string, obj: unknown): string | null {
  const name = definitionNameFor(group, version, kind);
  if (!name) return null;
  const err = check({ $ref: `#/definitions/${name}` }, obj, undefined);
  return err ? `${kind} in version "${version}" cannot be handled as a ${kind}: ${err}` : null;
}
