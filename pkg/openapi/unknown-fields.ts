/**
 * Fields of a decoded object that its schema does not declare, for fieldValidation=Strict
 * (`strict decoding error: unknown field "spec.foo"`) and Warn (one warning per field).
 */
import { definitionNameFor, resolve, type Schema } from './schema.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One step of a path: a field or map key, or an array index. Built into a string only when reported. */
interface Step {
  key: string | number;
  up: Step | undefined;
}

function pathOf(step: Step | undefined): string {
  const steps: (string | number)[] = [];
  for (let s = step; s; s = s.up) steps.push(s.key);
  let path = '';
  for (let i = steps.length - 1; i >= 0; i--) {
    const key = steps[i]!;
    if (typeof key === 'number') path = `${path}[${key}]`;
    else path = path ? `${path}.${key}` : key;
  }
  return path;
}

function walk(schema: Schema, value: unknown, at: Step | undefined, out: string[]): void {
  const s = schema.$ref ? resolve(schema).schema : schema;
  if (s.properties) {
    if (!isObject(value)) return;
    const props = s.properties;
    for (const k of Object.keys(value)) {
      const sub = props[k];
      const step: Step = { key: k, up: at };
      if (sub) walk(sub, value[k], step, out);
      else out.push(pathOf(step));
    }
  } else if (s.additionalProperties) {
    if (!isObject(value)) return;
    const values = s.additionalProperties;
    // Map values with no structure below them (labels, annotations, data) hold no unknown fields.
    if (!values.$ref && !values.properties && !values.additionalProperties && !values.items) return;
    for (const k of Object.keys(value)) walk(values, value[k], { key: k, up: at }, out);
  } else if (s.items) {
    if (!Array.isArray(value)) return;
    const items = s.items;
    for (let i = 0; i < value.length; i++) walk(items, value[i], { key: i, up: at }, out);
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
  walk({ $ref: `#/definitions/${name}` }, obj, undefined, out);
  return out;
}
