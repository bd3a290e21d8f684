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

interface Context {
  struct: string;
  fields: string[];
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
  if (!ctx || ctx.fields.length === 0) return `json: cannot unmarshal ${value} into Go value of type ${type}`;
  return `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${type}`;
}

const quantityError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const quantityPattern = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** Types with their own UnmarshalJSON; undefined means "not special, keep walking". */
function customCheck(name: string, v: unknown): string | null | undefined {
  if (name.endsWith('.intstr.IntOrString')) {
    // IntOrString decodes non-strings with a nested encoding/json call, so no struct context.
    if (typeof v === 'string') return null;
    if (typeof v === 'number') return intRange(v, 'int32') ? null : typeError(`number ${v}`, 'int32', undefined);
    return typeError(valueWord(v), 'int32', undefined);
  }
  if (name.endsWith('.resource.Quantity')) {
    const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
    return quantityPattern.test(text.trim()) ? null : quantityError;
  }
  if (name.endsWith('.meta.v1.Time') || name.endsWith('.meta.v1.MicroTime')) {
    return typeof v === 'string' ? null : typeError(valueWord(v), 'string', undefined);
  }
  if (name.endsWith('.runtime.RawExtension') || name.endsWith('.meta.v1.FieldsV1')) return null;
  return undefined;
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

function check(schema: Schema, v: unknown, ctx: Context | undefined): string | null {
  if (v === null) return null;
  const { name, schema: s } = resolve(schema);
  if (name) {
    const custom = customCheck(name, v);
    if (custom !== undefined) return custom;
  }
  const type = goType(schema);
  if (s.properties) {
    if (!isObject(v)) return typeError(valueWord(v), type, ctx);
    for (const [k, x] of Object.entries(v)) {
      const sub = s.properties[k];
      if (!sub) continue;
      const err = check(sub, x, { struct: shortName(name ?? ''), fields: [...(ctx?.fields ?? []), k] });
      if (err) return err;
    }
    return null;
  }
  switch (s.type) {
    case 'object': {
      if (!isObject(v)) return typeError(valueWord(v), type, ctx);
      const values = s.additionalProperties;
      if (!values) return null;
      for (const x of Object.values(v)) {
        const err = check(values, x, ctx);
        if (err) return err;
      }
      return null;
    }
    case 'array': {
      if (!Array.isArray(v)) return typeError(valueWord(v), type, ctx);
      for (const x of v) {
        const err = s.items ? check(s.items, x, ctx) : null;
        if (err) return err;
      }
      return null;
    }
    case 'integer':
      if (typeof v !== 'number') return typeError(valueWord(v), type, ctx);
      return intRange(v, s.format ?? 'int32') ? null : typeError(`number ${v}`, type, ctx);
    case 'number':
      return typeof v === 'number' ? null : typeError(valueWord(v), type, ctx);
    case 'boolean':
      return typeof v === 'boolean' ? null : typeError(valueWord(v), type, ctx);
    case 'string': {
      if (typeof v !== 'string') return typeError(valueWord(v), type, ctx);
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
