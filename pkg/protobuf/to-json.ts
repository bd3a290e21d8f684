/**
 * Decoded protobuf message → the JSON Kubernetes prints for the same Go object.
 *
 * Go rules reproduced (the Go object is what proto.Unmarshal fills in):
 * - pointer fields (nullable in gogo) are printed when present on the wire, even when zero
 *   (`replicas: 0`), and left out when absent;
 * - value scalars are printed unless zero and tagged `omitempty` (most are; the generator
 *   records the exceptions, such as PodDisruptionBudgetStatus.currentHealthy);
 * - value structs are always printed (`status: {}`), absent ones as their zero value;
 * - empty lists and maps are left out; inline structs merge into their parent;
 * - Time, Quantity, IntOrString, RawExtension… use their Go JSON form (well-known.ts).
 * One difference: a nil list, map or pointer without `omitempty` prints `null` in Go
 * (`"selector": null`); we leave it out.
 */
import protobuf from 'protobufjs';
import { isInline, isNamedSlice, isOmitEmpty, isValueField, jsonName } from './schema.ts';
import { type EmbeddedCodec, type WireMessage, toNumber, wellKnownTypes } from './well-known.ts';

const has = (m: WireMessage, key: string): boolean => Object.prototype.hasOwnProperty.call(m, key);

function isZeroScalar(value: unknown): boolean {
  if (value === '' || value === false || value === 0) return true;
  if (value instanceof Uint8Array) return value.length === 0;
  return typeof value === 'object' && value !== null && 'isZero' in value && typeof value.isZero === 'function'
    && (value as { isZero(): boolean }).isZero();
}

function zeroScalar(field: protobuf.Field): unknown {
  if (field.type === 'string') return '';
  if (field.type === 'bool') return false;
  if (field.type === 'bytes') return new Uint8Array();
  return 0;
}

function scalarToJson(field: protobuf.Field, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (typeof value === 'object' && value !== null) return toNumber(value); // Long
  if (field.resolvedType instanceof protobuf.Enum) return field.resolvedType.valuesById[value as number] ?? value;
  return value;
}

function valueToJson(field: protobuf.Field, value: unknown, codec: EmbeddedCodec): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) return messageToJson(type, (value ?? {}) as WireMessage, codec);
  return scalarToJson(field, value);
}

export function messageToJson(type: protobuf.Type, message: WireMessage, codec: EmbeddedCodec): unknown {
  const special = wellKnownTypes.get(type.fullName);
  if (special) return special.toJson(message, codec);
  if (isNamedSlice(type)) {
    const items = (message.items ?? []) as unknown[];
    const itemField = type.fieldsArray[0] as protobuf.Field;
    return items.map((item) => valueToJson(itemField, item, codec));
  }
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const present = has(message, field.name);
    const value = message[field.name];
    const key = jsonName(field);
    if (field.map) {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>);
      if (entries.length > 0) out[key] = Object.fromEntries(entries.map(([k, v]) => [k, valueToJson(field, v, codec)]));
    } else if (field.repeated) {
      const items = (value ?? []) as unknown[];
      if (items.length > 0) out[key] = items.map((item) => valueToJson(field, item, codec));
    } else if (field.resolvedType instanceof protobuf.Type) {
      if (!present && !isValueField(field)) continue;
      const json = valueToJson(field, present ? value : {}, codec);
      if (isInline(field) && json && typeof json === 'object' && !Array.isArray(json)) Object.assign(out, json);
      else out[key] = json;
    } else if (!isValueField(field)) {
      if (present) out[key] = scalarToJson(field, value);
    } else if (!isOmitEmpty(field)) {
      out[key] = scalarToJson(field, present ? value : zeroScalar(field));
    } else if (present && !isZeroScalar(value)) {
      out[key] = scalarToJson(field, value);
    }
  }
  return out;
}
