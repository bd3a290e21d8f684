/**
 * OpenAPI 3.0 documents served under /openapi/v3, one per group/version (`api/v1`,
 * `apis/apps/v1`) plus the discovery roots (`api`, `apis`, `apis/<group>`), and the index at
 * /openapi/v3 that links each with `?hash=`. kubectl 1.27+ reads these for `explain` and to learn
 * whether the server validates fields itself: it looks for a `fieldValidation` query parameter on
 * a PATCH operation whose `x-kubernetes-group-version-kind` is the kind being sent
 * (k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go).
 * Everything is built once, on first use, and shared: callers must not mutate the results.
 */
import { apiPaths, type Operation, type PathItem } from './routes.ts';
import type { Param } from './params.ts';
import { definitions, refName } from './schema.ts';
import { kubernetesVersion, securityDefinitions, serialize, type SerializedDocument } from './v2.ts';

const schemaRef = (definition: string): { $ref: string } => ({ $ref: `#/components/schemas/${definition}` });

function v3Param(p: Param): object {
  return { description: p.description, in: p.in, name: p.name, ...(p.required ? { required: true } : {}),
    schema: { type: p.type, uniqueItems: true } };
}

function v3Operation(op: Operation): object {
  const responses: Record<string, object> = {};
  for (const r of op.responses) {
    responses[r.code] = {
      content: Object.fromEntries(op.produces.map((mt) => [mt, { schema: r.definition ? schemaRef(r.definition) : { type: 'string' } }])),
      description: r.description,
    };
  }
  responses['401'] = { description: 'Unauthorized' };
  const body = op.body;
  return {
    description: op.description,
    operationId: op.operationId,
    ...(op.parameters.length ? { parameters: op.parameters.map(v3Param) } : {}),
    ...(body ? { requestBody: {
      content: Object.fromEntries(op.consumes.map((ct) => [ct, { schema: schemaRef(body.definition) }])),
      ...(body.required ? { required: true } : {}),
    } } : {}),
    responses,
    tags: [op.tag],
    ...(op.action ? { 'x-kubernetes-action': op.action } : {}),
    ...(op.gvk ? { 'x-kubernetes-group-version-kind': op.gvk } : {}),
  };
}

/** Definition names the operations mention, plus everything those reference in turn. */
function closure(items: PathItem[]): string[] {
  const defs = definitions();
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (name: string): void => {
    if (!seen.has(name)) { seen.add(name); queue.push(name); }
  };
  for (const item of items) {
    for (const op of item.operations) {
      if (op.body) add(op.body.definition);
      for (const r of op.responses) if (r.definition) add(r.definition);
    }
  }
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const text = JSON.stringify(defs[name] ?? {});
    for (const m of text.matchAll(/"\$ref":"([^"]+)"/g)) add(refName(m[1] ?? ''));
  }
  return [...seen].sort();
}

/**
 * Types whose v3 schema differs from v2: kube-openapi describes them with `oneOf` in v3
 * (their OpenAPIV3OneOfTypes) instead of v2's single `type: string`, and kubectl explain prints
 * `<IntOrString>` / `<Quantity>` only because no `type` is set.
 */
const v3OneOf: Record<string, string[]> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': ['integer', 'string'],
  'io.k8s.apimachinery.pkg.api.resource.Quantity': ['string', 'number'],
};

function v3Schema(name: string): unknown {
  const def = definitions()[name];
  const oneOf = v3OneOf[name];
  if (def && oneOf) {
    const { type: _type, ...rest } = def;
    return { ...rest, oneOf: oneOf.map((type) => ({ type })) };
  }
  // Definitions only ever hold refs to other definitions, so a textual rewrite is exact.
  return JSON.parse(JSON.stringify(def).replaceAll('"#/definitions/', '"#/components/schemas/'));
}

function buildDocument(items: PathItem[]): object {
  const schemas: Record<string, unknown> = {};
  for (const name of closure(items)) schemas[name] = v3Schema(name);
  const paths: Record<string, object> = {};
  for (const item of [...items].sort((a, b) => a.path.localeCompare(b.path))) {
    const out: Record<string, object> = {};
    for (const op of item.operations) out[op.method] = v3Operation(op);
    if (item.parameters.length) out.parameters = item.parameters.map(v3Param);
    paths[item.path] = out;
  }
  return {
    components: { schemas, securitySchemes: securityDefinitions },
    info: { title: 'Kubernetes', version: kubernetesVersion },
    openapi: '3.0.0',
    paths,
    security: [{ BearerToken: [] }],
  };
}

interface V3Entry { doc: object; serialized: SerializedDocument }
let documents: Map<string, V3Entry> | undefined;

function all(): Map<string, V3Entry> {
  if (!documents) {
    const byDoc = new Map<string, PathItem[]>();
    for (const item of apiPaths()) byDoc.set(item.document, [...(byDoc.get(item.document) ?? []), item]);
    documents = new Map();
    for (const [key, items] of [...byDoc].sort(([a], [b]) => a.localeCompare(b))) {
      const doc = buildDocument(items);
      documents.set(key, { doc, serialized: serialize(doc) });
    }
  }
  return documents;
}

/** Accepts `apis/apps/v1`, `/apis/apps/v1` or `/openapi/v3/apis/apps/v1`. */
function key(path: string): string {
  return path.replace(/^\/?(openapi\/v3\/)?/, '').replace(/\/$/, '');
}

/** The /openapi/v3 index: `{ paths: { "apis/apps/v1": { serverRelativeURL: "/openapi/v3/apis/apps/v1?hash=…" } } }`. */
export function openapiV3Root(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [k, v] of all()) paths[k] = { serverRelativeURL: `/openapi/v3/${k}?hash=${v.serialized.hash}` };
  return { paths };
}

/** The OpenAPI 3.0 document for one group/version (or discovery root), or undefined if not served. */
export function openapiV3GroupVersion(path: string): object | undefined {
  return all().get(key(path))?.doc;
}

/**
 * The serialised document and its hash. Handlers answer with `ETag: "<hash>"`; when the request's
 * `hash` query matches, the real server (k8s.io/kube-openapi/pkg/handler3) also sends
 * `Cache-Control: public, immutable` and a far-future `Expires`; without `hash` it sends
 * `Cache-Control: no-cache, private`.
 */
export function openapiV3Serialized(path: string): SerializedDocument | undefined {
  return all().get(key(path))?.serialized;
}
