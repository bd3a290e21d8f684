/**
 * The swagger 2.0 document served at /openapi/v2: every definition plus the paths from the
 * resource table. Built and serialised once; callers share the result and must not mutate it.
 */
import { createHash } from 'node:crypto';
import { apiPaths, type Operation, type PathItem } from './routes.ts';
import type { Param } from './params.ts';
import { definitions } from './schema.ts';

/** The Kubernetes version the documents claim, matching what /version reports. */
export const kubernetesVersion = 'v1.32.0';

export const securityDefinitions = {
  BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' },
};

const ref = (definition: string): { $ref: string } => ({ $ref: `#/definitions/${definition}` });

function v2Param(p: Param): object {
  return { description: p.description, in: p.in, name: p.name, ...(p.required ? { required: true } : {}), type: p.type, uniqueItems: true };
}

function v2Operation(op: Operation): object {
  const parameters: object[] = [];
  if (op.body) parameters.push({ in: 'body', name: 'body', ...(op.body.required ? { required: true } : {}), schema: ref(op.body.definition) });
  parameters.push(...op.parameters.map(v2Param));
  const responses: Record<string, object> = {};
  for (const r of op.responses) responses[r.code] = { description: r.description, schema: r.definition ? ref(r.definition) : { type: 'string' } };
  responses['401'] = { description: 'Unauthorized' };
  return {
    consumes: op.consumes,
    description: op.description,
    operationId: op.operationId,
    ...(parameters.length ? { parameters } : {}),
    produces: op.produces,
    responses,
    schemes: ['https'],
    tags: [op.tag],
    ...(op.action ? { 'x-kubernetes-action': op.action } : {}),
    ...(op.gvk ? { 'x-kubernetes-group-version-kind': op.gvk } : {}),
  };
}

/** One path item; shared by the v2 renderer only (v3 has its own shape). */
function v2PathItem(item: PathItem): object {
  const out: Record<string, object> = {};
  for (const op of item.operations) out[op.method] = v2Operation(op);
  if (item.parameters.length) out.parameters = item.parameters.map(v2Param);
  return out;
}

export interface SerializedDocument {
  /** The document as served (JSON, UTF-8). */
  body: Buffer;
  /** Upper-case hex SHA-512 of body, as kube-openapi computes ETags and v3 `hash=` values. */
  hash: string;
}

/** Upper-case hex SHA-512, kube-openapi's ETag. */
export function hashOf(body: Buffer): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

export function serialize(doc: object): SerializedDocument {
  const body = Buffer.from(JSON.stringify(doc));
  return { body, hash: hashOf(body) };
}

let doc: object | undefined;
let serialized: SerializedDocument | undefined;

/** The full swagger 2.0 document; built on the first call and cached. */
export function openapiV2Document(): object {
  if (!doc) {
    const paths: Record<string, object> = {};
    for (const item of [...apiPaths()].sort((a, b) => a.path.localeCompare(b.path))) paths[item.path] = v2PathItem(item);
    doc = {
      definitions: definitions(),
      info: { title: 'Kubernetes', version: kubernetesVersion },
      paths,
      security: [{ BearerToken: [] }],
      securityDefinitions,
      swagger: '2.0',
    };
  }
  return doc;
}

/** openapiV2Document() serialised once, with its hash for the ETag header. */
export function openapiV2Serialized(): SerializedDocument {
  serialized ??= serialize(openapiV2Document());
  return serialized;
}
