/**
 * Fields of a decoded object that its schema does not declare, for fieldValidation=Strict
 * (`strict decoding error: unknown field "spec.foo"`) and Warn (one warning per field).
 */
import { definitionNameFor, resolve, type Schema } from './schema.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(schema: Schema, value: unknown, path: string, out: string[]): void {
  const s = resolve(schema).schema;
  if (s.properties) {
    if (!isObject(value)) return;
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      const sub = s.properties[k];
      if (sub) walk(sub, v, p, out);
      else out.push(p);
    }
  } else if (s.additionalProperties) {
    if (!isObject(value)) return;
    for (const [k, v] of Object.entries(value)) walk(s.additionalProperties, v, path ? `${path}.${k}` : k, out);
  } else if (s.items) {
    if (!Array.isArray(value)) return;
    const items = s.items;
    value.forEach((v, i) => walk(items, v, `${path}[${i}]`, out));
  }
  // Anything else (RawExtension, FieldsV1, scalars) keeps whatever it is given.
}

/**
 * Paths of fields in `obj` that the schema of group/version/kind does not declare, in document
 * order, spelled as sigs.k8s.io/json's strict decoder prints them: dotted, no leading dot, array
 * elements indexed (`spec.template.spec.containers[0].foo`), map keys dotted. Returns [] for a
 * kind without a schema. Never mutates `obj`.
 */
export function unknownFields(group: string, version: string, kind: string, obj: unknown): string[] {
  const name = definitionNameFor(group, version, kind);
  if (!name) return [];
  const out: string[] = [];
  walk({ $ref: `#/definitions/${name}` }, obj, '', out);
  return out;
}
