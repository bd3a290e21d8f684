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

/** A value to check against its schema, or (no schema) an unknown field to report. */
interface Task {
  schema: Schema | undefined;
  value: unknown;
  at: Step | undefined;
  /** The object holding the field, for an unknown one. */
  owner?: Record<string, unknown>;
}

/**
 * Depth-first over the schema and the value together, with an explicit stack (a document may nest
 * 10,000 deep): a task's children are pushed last to first, so they are visited in document order.
 */
function walk(root: Schema, obj: unknown, onUnknown: (task: Task) => void): void {
  const stack: Task[] = [{ schema: root, value: obj, at: undefined }];
  const children: Task[] = [];
  while (stack.length > 0) {
    const task = stack.pop()!;
    const { schema, value, at } = task;
    if (!schema) {
      onUnknown(task);
      continue;
    }
    const s = schema.$ref ? resolve(schema).schema : schema;
    children.length = 0;
    if (s.properties) {
      if (!isObject(value)) continue;
      const props = s.properties;
      for (const k of Object.keys(value)) children.push({ schema: props[k], value: value[k], at: { key: k, up: at }, owner: value });
    } else if (s.additionalProperties) {
      if (!isObject(value)) continue;
      const values = s.additionalProperties;
      // Map values with no structure below them (labels, annotations, data) hold no unknown fields.
      if (!values.$ref && !values.properties && !values.additionalProperties && !values.items) continue;
      for (const k of Object.keys(value)) children.push({ schema: values, value: value[k], at: { key: k, up: at } });
    } else if (s.items) {
      if (!Array.isArray(value)) continue;
      const items = s.items;
      for (let i = 0; i < value.length; i++) children.push({ schema: items, value: value[i], at: { key: i, up: at } });
    }
    // Anything else (RawExtension, FieldsV1, scalars) keeps whatever it is given.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
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
  walk({ $ref: `#/definitions/${name}` }, obj, ({ at }) => out.push(pathOf(at)));
  return out;
}

/**
 * Deletes, in place, the fields unknownFields reports: what decoding into the typed object does to
 * them upstream (fieldValidation Ignore and Warn), so they are neither stored nor walked again.
 */
export function pruneUnknownFields(group: string, version: string, kind: string, obj: unknown): void {
  const name = definitionNameFor(group, version, kind);
  if (!name) return;
  walk({ $ref: `#/definitions/${name}` }, obj, ({ owner, at }) => {
    if (owner && at) delete owner[at.key as string];
  });
}
