/**
 * Kubernetes JSON → a plain object protobufjs can encode: the inverse of to-json.ts.
 * Inline structs read their fields from the parent object; unknown JSON keys are ignored,
 * as Go's decoder would. A value of the wrong shape throws an Error naming its path.
 * Like gogo's generated Marshal, non-pointer fields are always written (zero when unset), and
 * map keys are sorted, so our bytes match what a Go client or apiserver would send.
 */
import protobuf from 'protobufjs';
import { isInline, isNamedSlice, isValueField, jsonName } from './schema.ts';
import { type WireMessage, wellKnownTypes } from './well-known.ts';

const integerTypes = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function describe(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

function scalarFromJson(field: protobuf.Field, value: unknown, path: string): unknown {
  const fail = (): never => { throw new Error(`${path}: expected ${field.type}, got ${describe(value)}`); };
  if (field.type === 'string') return typeof value === 'string' ? value : fail();
  if (field.type === 'bool') return typeof value === 'boolean' ? value : fail();
  if (field.type === 'bytes') return typeof value === 'string' ? Buffer.from(value, 'base64') : fail();
  if (integerTypes.has(field.type)) return typeof value === 'number' && Number.isInteger(value) ? value : fail();
  if (field.type === 'double' || field.type === 'float') return typeof value === 'number' ? value : fail();
  if (field.resolvedType instanceof protobuf.Enum) {
    const known = typeof value === 'string' ? field.resolvedType.values[value] : value;
    return typeof known === 'number' ? known : fail();
  }
  return fail();
}

/** The zero value Go writes for a non-pointer field; undefined when it writes nothing (nil bytes). */
function zeroValue(field: protobuf.Field): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) return wellKnownTypes.get(type.fullName)?.zero() ?? messageFromJson(type, {}, '');
  if (field.type === 'string') return '';
  if (field.type === 'bool') return false;
  if (field.type === 'bytes') return undefined;
  return 0;
}

function valueFromJson(field: protobuf.Field, value: unknown, path: string): unknown {
  const type = field.resolvedType;
  return type instanceof protobuf.Type ? messageFromJson(type, value, path) : scalarFromJson(field, value, path);
}

export function messageFromJson(type: protobuf.Type, json: unknown, path: string): WireMessage | undefined {
  const special = wellKnownTypes.get(type.fullName);
  if (special) {
    try {
      return special.fromJson(json);
    } catch (err) {
      throw new Error(`${path}: ${(err as Error).message}`);
    }
  }
  if (json === null || json === undefined) return undefined;
  if (isNamedSlice(type)) {
    if (!Array.isArray(json)) throw new Error(`${path}: expected array, got ${describe(json)}`);
    const itemField = type.fieldsArray[0] as protobuf.Field;
    return { items: json.map((item, i) => valueFromJson(itemField, item, `${path}[${i}]`)) };
  }
  if (typeof json !== 'object' || Array.isArray(json)) throw new Error(`${path}: expected object, got ${describe(json)}`);
  const source = json as Record<string, unknown>;
  const out: WireMessage = {};
  for (const field of type.fieldsArray) {
    if (isInline(field) && field.resolvedType instanceof protobuf.Type) {
      out[field.name] = messageFromJson(field.resolvedType, source, path);
      continue;
    }
    const key = jsonName(field);
    const value = source[key];
    if (value === null || value === undefined) {
      const zero = isValueField(field) && !field.repeated && !field.map ? zeroValue(field) : undefined;
      if (zero !== undefined) out[field.name] = zero;
      continue;
    }
    const at = path ? `${path}.${key}` : key;
    if (field.map) {
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${at}: expected object, got ${describe(value)}`);
      out[field.name] = Object.fromEntries(Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, valueFromJson(field, v, `${at}.${k}`) ?? {}]));
    } else if (field.repeated) {
      if (!Array.isArray(value)) throw new Error(`${at}: expected array, got ${describe(value)}`);
      // A null element decodes to the zero struct in Go; protobufjs needs an object.
      out[field.name] = value.map((item, i) => valueFromJson(field, item, `${at}[${i}]`) ?? {});
    } else {
      const converted = valueFromJson(field, value, at) ?? (isValueField(field) ? zeroValue(field) : undefined);
      if (converted !== undefined) out[field.name] = converted;
    }
  }
  return out;
}
