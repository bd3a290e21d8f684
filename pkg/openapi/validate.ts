/**
 * Schema validation of a decoded object with ajv: one compiled validator per definition, built
 * lazily on first use and shared by every later call. Errors come back as Kubernetes field
 * errors with dotted paths (`spec.template.spec.containers[0].name`) and the wording
 * kube-openapi's validator uses (k8s.io/kube-openapi/pkg/validation/errors), the same text a
 * CRD's schema errors have.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { field, type FieldError } from '../apierrors/index.ts';
import { definitionNameFor, definitions, type Schema } from './schema.ts';

const addFormats = formatsModule.default;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** A copy of a schema that ajv can compile: special string types widened, annotations dropped. */
function forAjv(name: string, schema: Schema): object {
  // IntOrString and Quantity are declared as strings but their JSON decoders accept numbers too.
  if (name.endsWith('.intstr.IntOrString')) return { type: ['integer', 'string'] };
  if (name.endsWith('.resource.Quantity')) return { type: ['string', 'number'] };
  const strip = (s: Schema): object => {
    const out: Record<string, unknown> = {};
    if (s.$ref) out.$ref = `k8s${s.$ref}`;
    if (s.type) out.type = s.type;
    if (s.format) out.format = s.format;
    if (s.required) out.required = s.required;
    if (s.items) out.items = strip(s.items);
    if (s.additionalProperties) out.additionalProperties = strip(s.additionalProperties);
    if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, strip(v)]));
    return out;
  };
  return strip(schema);
}

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, validateSchema: false });
    addFormats(ajv);
    const defs = Object.fromEntries(Object.entries(definitions()).map(([n, s]) => [n, forAjv(n, s)]));
    ajv.addSchema({ $id: 'k8s', definitions: defs });
  }
  return ajv;
}

/** The validator for one definition name, compiled on first use. */
export function validatorFor(definition: string): ValidateFunction {
  let fn = compiled.get(definition);
  if (!fn) {
    fn = instance().compile({ $ref: `k8s#/definitions/${definition}` });
    compiled.set(definition, fn);
  }
  return fn;
}

/**
 * Whether withoutNulls would change anything: a null field, or an object that is not a plain
 * one (the copy turns it into one). Most objects have neither, and then the copy is skipped.
 */
function needsCopy(v: unknown): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (needsCopy(x)) return true;
    return false;
  }
  if (v && typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) return true;
    const o = v as Record<string, unknown>;
    for (const k in o) {
      if (!Object.hasOwn(o, k)) return true;
      const x = o[k];
      if (x === null || needsCopy(x)) return true;
    }
  }
  return false;
}

/**
 * Go's JSON decoder treats `null` as "not set" for every field, so nulls inside objects are
 * dropped before validation instead of being reported as type errors.
 */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
    return out;
  }
  return v;
}

/** JSON pointer → `spec.containers[0].name`, using the data to tell array indices from keys. */
function toFieldPath(pointer: string, data: unknown): { path: string; value: unknown } {
  let path = '';
  let cur: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      path += `[${seg}]`;
      cur = cur[Number(seg)];
    } else {
      path = path ? `${path}.${seg}` : seg;
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return { path, value: cur };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function toFieldError(e: ErrorObject, data: unknown): FieldError {
  const { path, value } = toFieldPath(e.instancePath, data);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return field.required(path ? `${path}.${missing}` : missing);
    }
    case 'type': {
      const want = Array.isArray(params.type) ? params.type.join(', ') : String(params.type);
      const got = jsonType(value);
      return field.typeInvalid(path, got, `${path} in body must be of type ${want}: "${got}"`);
    }
    case 'format':
      return field.invalid(path, value, `${path} in body must be of type ${String(params.format)}: ${JSON.stringify(String(value))}`);
    default:
      return field.invalid(path, value, `${path} in body ${e.message ?? 'is invalid'}`);
  }
}

/**
 * Validates `obj` against the schema of group/version/kind. Returns [] when it conforms, and
 * also when the kind has no schema (callers decide separately whether the kind is served).
 * Never mutates `obj`.
 */
export function validateObject(group: string, version: string, kind: string, obj: unknown): FieldError[] {
  const name = definitionNameFor(group, version, kind);
  if (!name) return [];
  const data = needsCopy(obj) ? withoutNulls(obj) : obj;
  const fn = validatorFor(name);
  if (fn(data)) return [];
  return (fn.errors ?? []).map((e) => toFieldError(e, data));
}
