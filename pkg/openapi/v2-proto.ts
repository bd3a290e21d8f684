/**
 * /openapi/v2 as protobuf (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): kubectl's
 * discovery client only ever asks for this form and parses the body with gnostic's openapi.v2
 * Document message, so a JSON answer fails with "proto: cannot parse invalid wire-format data".
 * The message schema is openapi/openapiv2-proto.json (cut out of kubectl by
 * hack/update-openapi.ts); the mapping from swagger JSON mirrors gnostic's compiler: vendor
 * extensions become NamedAny with their value as YAML text (JSON is valid YAML), which is how
 * k8s.io/kube-openapi/pkg/util/proto reads them back.
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { hashOf, openapiV2Document, type SerializedDocument } from './v2.ts';
import { repoPath } from '../util/repo-path.ts';

/** The media type kubectl sends in Accept for /openapi/v2. */
export const openapiV2ProtobufMediaType = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/**
 * The Content-Type the real server answers it with (k8s.io/kube-openapi/pkg/handler): Go's mime
 * parser rejects the `@` in the requested type, so kubectl fails on a response that echoes it.
 */
export const openapiV2ProtobufContentType = 'application/octet-stream';

type JsonMap = Record<string, unknown>;

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (isMap(v) ? Object.entries(v) : []);

function vendorExtensions(obj: JsonMap): JsonMap[] {
  return Object.entries(obj).filter(([k]) => k.startsWith('x-'))
    .map(([name, value]) => ({ name, value: { yaml: `${JSON.stringify(value)}\n` } }));
}

function schema(s: JsonMap): JsonMap {
  const m: JsonMap = { vendorExtension: vendorExtensions(s) };
  if (typeof s.$ref === 'string') m.Ref = s.$ref;
  for (const k of ['format', 'description'] as const) if (typeof s[k] === 'string') m[k] = s[k];
  if (Array.isArray(s.required)) m.required = s.required;
  if (typeof s.type === 'string') m.type = { value: [s.type] };
  if (isMap(s.items)) m.items = { schema: [schema(s.items)] };
  if (isMap(s.additionalProperties)) m.additionalProperties = { schema: schema(s.additionalProperties) };
  if (isMap(s.properties)) {
    m.properties = { additionalProperties: entries(s.properties).map(([name, v]) => ({ name, value: schema(v as JsonMap) })) };
  }
  return m;
}

function parameter(p: JsonMap): JsonMap {
  if (p.in === 'body') {
    return { parameter: { bodyParameter: { name: p.name, in: p.in, required: p.required === true,
      description: p.description, schema: schema(p.schema as JsonMap) } } };
  }
  const sub = { required: p.required === true, in: p.in, description: p.description, name: p.name, type: p.type,
    uniqueItems: p.uniqueItems === true };
  return { parameter: { nonBodyParameter: p.in === 'path' ? { pathParameterSubSchema: sub } : { queryParameterSubSchema: sub } } };
}

function operation(op: JsonMap): JsonMap {
  const responseCode = entries(op.responses).map(([name, r]) => {
    const resp = r as JsonMap;
    return { name, value: { response: { description: resp.description,
      ...(isMap(resp.schema) ? { schema: { schema: schema(resp.schema) } } : {}) } } };
  });
  return {
    tags: op.tags, description: op.description, operationId: op.operationId, produces: op.produces, consumes: op.consumes,
    parameters: Array.isArray(op.parameters) ? op.parameters.map((p) => parameter(p as JsonMap)) : [],
    responses: { responseCode }, schemes: op.schemes, vendorExtension: vendorExtensions(op),
  };
}

function pathItem(item: JsonMap): JsonMap {
  const m: JsonMap = {};
  for (const method of ['get', 'put', 'post', 'delete', 'patch']) if (isMap(item[method])) m[method] = operation(item[method]);
  if (Array.isArray(item.parameters)) m.parameters = item.parameters.map((p) => parameter(p as JsonMap));
  return m;
}

/** The gnostic Document message for a swagger 2.0 JSON document (only the keywords we emit). */
function documentMessage(doc: JsonMap): JsonMap {
  const info = doc.info as JsonMap;
  return {
    swagger: doc.swagger,
    info: { title: info.title, version: info.version },
    paths: { path: entries(doc.paths).map(([name, item]) => ({ name, value: pathItem(item as JsonMap) })) },
    definitions: { additionalProperties: entries(doc.definitions).map(([name, s]) => ({ name, value: schema(s as JsonMap) })) },
    security: (doc.security as JsonMap[]).map((req) => ({
      additionalProperties: Object.entries(req).map(([name, scopes]) => ({ name, value: { value: scopes } })) })),
    securityDefinitions: { additionalProperties: entries(doc.securityDefinitions).map(([name, d]) => ({ name, value: { apiKeySecurity: d } })) },
  };
}

let serialized: SerializedDocument | undefined;

/** openapiV2Document() encoded as gnostic protobuf, built once; hash is for the ETag header. */
export function openapiV2Protobuf(): SerializedDocument {
  if (!serialized) {
    const json = JSON.parse(readFileSync(repoPath('openapi/openapiv2-proto.json'), 'utf8')) as protobuf.INamespace;
    const Document = protobuf.Root.fromJSON(json).lookupType('openapi.v2.Document');
    const message = Document.fromObject(documentMessage(openapiV2Document() as JsonMap));
    const bytes = Buffer.from(Document.encode(message).finish());
    serialized = { body: bytes, hash: hashOf(bytes) };
  }
  return serialized;
}
