/**
 * The REST operations the apiserver serves, derived from the resource table, in a form both the
 * swagger 2.0 and the OpenAPI 3 renderers share. Names, actions and parameter sets follow
 * k8s.io/apiserver/pkg/endpoints/installer.go (operationId = verb + GroupVersion + scope + Kind).
 */
import { resourceTable, type ResourceEntry, type SubresourceEntry } from '../resources/index.ts';
import {
  createParams, deleteCollectionParams, deleteParams, listParams, nameParam, param, patchParams, streamOptionParams, type Param,
} from './params.ts';
import { definitionNameFor, type GroupVersionKind } from './schema.ts';

export type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Response {
  code: '200' | '201' | '202';
  description: 'OK' | 'Created' | 'Accepted';
  /** The definition the body is; absent for a stream of bytes (`type: string`). */
  definition?: string;
}

export interface Operation {
  method: Method;
  action?: Action;
  gvk?: GroupVersionKind;
  operationId: string;
  description: string;
  tag: string;
  parameters: readonly Param[];
  /** Definition name of the request body, if the operation takes one. */
  body?: { definition: string; required: boolean };
  consumes: readonly string[];
  produces: readonly string[];
  responses: Response[];
}

export interface PathItem {
  path: string;
  /** The OpenAPI v3 document this path belongs to: `api/v1`, `apis/apps/v1`, `api`, `apis/apps`. */
  document: string;
  parameters: readonly Param[];
  operations: Operation[];
}

export const metaPrefix = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const jsonYamlProto = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const streaming = [...jsonYamlProto, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
export const patchContentTypes = ['application/json-patch+json', 'application/merge-patch+json',
  'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "rbac.authorization.k8s.io" → "RbacAuthorization"; the core group is "Core". */
export function groupPascal(group: string): string {
  if (!group) return 'Core';
  return group.replace(/\.k8s\.io$/, '').split('.').map(pascal).join('');
}

/** Swagger tag of a group/version: "core_v1", "apps_v1", "rbacAuthorization_v1". */
export function tagOf(group: string, version?: string): string {
  const g = groupPascal(group);
  const base = g.charAt(0).toLowerCase() + g.slice(1);
  return version ? `${base}_${version}` : base;
}

export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

function defName(group: string, version: string, kind: string): string {
  const name = definitionNameFor(group, version, kind);
  if (!name) throw new Error(`openapi: no schema for ${group}/${version}/${kind}; run hack/update-openapi.ts`);
  return name;
}

const ok = (definition: string): Response => ({ code: '200', description: 'OK', definition });
const created = (definition: string): Response => ({ code: '201', description: 'Created', definition });
const accepted = (definition: string): Response => ({ code: '202', description: 'Accepted', definition });

/** Pods and Services return the object from DELETE (they delete gracefully); the rest a Status. */
const deleteReturnsObject = new Set(['/v1/Pod', '/v1/Service']);

/** Builds the paths of one resource entry: collection, item, watch and subresource paths. */
function resourcePaths(e: ResourceEntry): PathItem[] {
  const gv = groupVersionPath(e.group, e.version);
  const document = gv.slice(1);
  const ns = e.namespaced ? '/namespaces/{namespace}' : '';
  const scope = e.namespaced ? 'Namespaced' : '';
  const gvId = `${groupPascal(e.group)}${pascal(e.version)}`;
  const gvk = { group: e.group, kind: e.kind, version: e.version };
  const tag = tagOf(e.group, e.version);
  const kindDef = defName(e.group, e.version, e.kind);
  const status = `${metaPrefix}.Status`;
  const base = { gvk, tag };
  const has = (v: string): boolean => (e.verbs as readonly string[]).includes(v);
  const nsParams = e.namespaced ? [param.namespace] : [];
  const out: PathItem[] = [];

  const collection: Operation[] = [];
  if (has('list')) {
    collection.push({ ...base, method: 'get', action: 'list', operationId: `list${gvId}${scope}${e.kind}`,
      description: `list or watch objects of kind ${e.kind}`, parameters: listParams, consumes: ['*/*'], produces: streaming,
      responses: [ok(defName(e.group, e.version, `${e.kind}List`))] });
  }
  if (has('create')) {
    collection.push({ ...base, method: 'post', action: 'post', operationId: `create${gvId}${scope}${e.kind}`,
      description: `create ${article(e.kind)} ${e.kind}`, parameters: createParams, body: { definition: kindDef, required: true },
      consumes: ['*/*'], produces: jsonYamlProto, responses: [ok(kindDef), created(kindDef), accepted(kindDef)] });
  }
  if (has('deletecollection')) {
    collection.push({ ...base, method: 'delete', action: 'deletecollection', operationId: `delete${gvId}Collection${scope}${e.kind}`,
      description: `delete collection of ${e.kind}`, parameters: deleteCollectionParams,
      body: { definition: `${metaPrefix}.DeleteOptions`, required: false }, consumes: ['*/*'], produces: jsonYamlProto,
      responses: [ok(status)] });
  }
  if (collection.length) out.push({ path: `${gv}${ns}/${e.plural}`, document, parameters: [...nsParams, param.pretty], operations: collection });

  const item: Operation[] = [];
  const itemParams = [nameParam(e.kind), ...nsParams, param.pretty];
  if (has('get')) {
    item.push({ ...base, method: 'get', action: 'get', operationId: `read${gvId}${scope}${e.kind}`,
      description: `read the specified ${e.kind}`, parameters: [], consumes: ['*/*'], produces: jsonYamlProto, responses: [ok(kindDef)] });
  }
  if (has('update')) item.push(replaceOp(base, `replace${gvId}${scope}${e.kind}`, `replace the specified ${e.kind}`, kindDef));
  if (has('patch')) item.push(patchOp(base, `patch${gvId}${scope}${e.kind}`, `partially update the specified ${e.kind}`, kindDef));
  if (has('delete')) {
    const result = deleteReturnsObject.has(`${e.group}/${e.version}/${e.kind}`) ? kindDef : status;
    item.push({ ...base, method: 'delete', action: 'delete', operationId: `delete${gvId}${scope}${e.kind}`,
      description: `delete ${article(e.kind)} ${e.kind}`, parameters: deleteParams,
      body: { definition: `${metaPrefix}.DeleteOptions`, required: false }, consumes: ['*/*'], produces: jsonYamlProto,
      responses: [ok(result), accepted(result)] });
  }
  if (item.length) out.push({ path: `${gv}${ns}/${e.plural}/{name}`, document, parameters: itemParams, operations: item });

  if (has('watch')) {
    const watchEvent = `${metaPrefix}.WatchEvent`;
    const watchOp = (action: Action, operationId: string, description: string): Operation => ({
      ...base, method: 'get', action, operationId, description, parameters: [], consumes: ['*/*'], produces: streaming,
      responses: [ok(watchEvent)] });
    const wp = [...listParams, param.pretty];
    out.push({ path: `${gv}/watch${ns}/${e.plural}`, document, parameters: [...nsParams, ...wp],
      operations: [watchOp('watchlist', `watch${gvId}${scope}${e.kind}List`,
        `watch individual changes to a list of ${e.kind}. deprecated: use the 'watch' parameter with a list operation instead.`)] });
    out.push({ path: `${gv}/watch${ns}/${e.plural}/{name}`, document, parameters: [nameParam(e.kind), ...nsParams, ...wp],
      operations: [watchOp('watch', `watch${gvId}${scope}${e.kind}`,
        `watch changes to an object of kind ${e.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`)] });
    if (e.namespaced) {
      out.push({ path: `${gv}/watch/${e.plural}`, document, parameters: wp,
        operations: [watchOp('watchlist', `watch${gvId}${e.kind}ListForAllNamespaces`,
          `watch individual changes to a list of ${e.kind}. deprecated: use the 'watch' parameter with a list operation instead.`)] });
    }
  }
  if (has('list') && e.namespaced) {
    out.push({ path: `${gv}/${e.plural}`, document, parameters: [...listParams, param.pretty],
      operations: [{ ...base, method: 'get', action: 'list', operationId: `list${gvId}${e.kind}ForAllNamespaces`,
        description: `list or watch objects of kind ${e.kind}`, parameters: [], consumes: ['*/*'], produces: streaming,
        responses: [ok(defName(e.group, e.version, `${e.kind}List`))] }] });
  }
  for (const sub of e.subresources) out.push(subresourcePath(e, sub, { gv, document, ns, scope, gvId, tag, nsParams }));
  return out;
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}

function replaceOp(base: { gvk: GroupVersionKind; tag: string }, operationId: string, description: string, def: string): Operation {
  return { ...base, method: 'put', action: 'put', operationId, description, parameters: createParams,
    body: { definition: def, required: true }, consumes: ['*/*'], produces: jsonYamlProto, responses: [ok(def), created(def)] };
}

function patchOp(base: { gvk: GroupVersionKind; tag: string }, operationId: string, description: string, def: string): Operation {
  return { ...base, method: 'patch', action: 'patch', operationId, description, parameters: patchParams,
    body: { definition: `${metaPrefix}.Patch`, required: true }, consumes: patchContentTypes, produces: jsonYamlProto,
    responses: [ok(def), created(def)] };
}

interface Scope {
  gv: string; document: string; ns: string; scope: string; gvId: string; tag: string; nsParams: Param[];
}

function subresourcePath(e: ResourceEntry, sub: SubresourceEntry, s: Scope): PathItem {
  // status (and finalize) use the parent's kind; scale, binding and token name their own.
  const group = sub.kind && sub.group !== undefined ? sub.group : e.group;
  const version = sub.kind && sub.version !== undefined ? sub.version : e.version;
  const kind = sub.kind || e.kind;
  const def = defName(group, version, kind);
  const base = { gvk: { group, kind, version }, tag: s.tag };
  const suffix = `${s.gvId}${s.scope}${e.kind}${pascal(sub.name)}`;
  const ops: Operation[] = [];
  const verbs = sub.verbs as readonly string[];
  if (verbs.includes('create')) {
    ops.push({ ...base, method: 'post', action: 'post', operationId: `create${suffix}`,
      description: `create ${sub.name} of ${article(e.kind)} ${e.kind}`, parameters: createParams,
      body: { definition: def, required: true }, consumes: ['*/*'], produces: jsonYamlProto,
      responses: [ok(def), created(def), accepted(def)] });
  }
  if (sub.stream && verbs.includes('get')) {
    ops.push({ ...base, method: 'get', action: 'get', operationId: `read${suffix}`,
      description: `read ${sub.name} of the specified ${e.kind}`, parameters: streamOptionParams[sub.stream.options], consumes: ['*/*'],
      produces: [sub.stream.contentType, ...jsonYamlProto], responses: [{ code: '200', description: 'OK' }] });
  } else if (verbs.includes('get')) {
    ops.push({ ...base, method: 'get', action: 'get', operationId: `read${suffix}`,
      description: `read ${sub.name} of the specified ${e.kind}`, parameters: [], consumes: ['*/*'], produces: jsonYamlProto,
      responses: [ok(def)] });
  }
  if (verbs.includes('update')) ops.push(replaceOp(base, `replace${suffix}`, `replace ${sub.name} of the specified ${e.kind}`, def));
  if (verbs.includes('patch')) ops.push(patchOp(base, `patch${suffix}`, `partially update ${sub.name} of the specified ${e.kind}`, def));
  return { path: `${s.gv}${s.ns}/${e.plural}/{name}/${sub.name}`, document: s.document,
    parameters: [nameParam(kind), ...s.nsParams, param.pretty], operations: ops };
}

/** Discovery endpoints: /api/, /api/v1/, /apis/, /apis/<group>/, /apis/<group>/<version>/. */
function discoveryPaths(): PathItem[] {
  const meta = (kind: string): string => `${metaPrefix}.${kind}`;
  const get = (operationId: string, description: string, tag: string, definition: string): Operation => ({
    method: 'get', operationId, description, tag, parameters: [], consumes: jsonYamlProto, produces: jsonYamlProto,
    responses: [ok(definition)] });
  const out: PathItem[] = [
    { path: '/api/', document: 'api', parameters: [], operations: [get('getCoreAPIVersions', 'get available API versions', 'core', meta('APIVersions'))] },
    { path: '/apis/', document: 'apis', parameters: [], operations: [get('getAPIVersions', 'get available API versions', 'apis', meta('APIGroupList'))] },
  ];
  const groups = new Set<string>();
  for (const { group, version } of servedGroupVersions()) {
    const gv = groupVersionPath(group, version);
    out.push({ path: `${gv}/`, document: gv.slice(1), parameters: [], operations: [get(
      `get${groupPascal(group)}${pascal(version)}APIResources`, 'get available resources', tagOf(group, version), meta('APIResourceList'))] });
    if (group && !groups.has(group)) {
      groups.add(group);
      out.push({ path: `/apis/${group}/`, document: `apis/${group}`, parameters: [], operations: [get(
        `get${groupPascal(group)}APIGroup`, 'get information of a group', tagOf(group), meta('APIGroup'))] });
    }
  }
  return out;
}

/** Group/versions with at least one resource, core first, in table order. */
export function servedGroupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const e of resourceTable) seen.set(`${e.group}/${e.version}`, { group: e.group, version: e.version });
  return [...seen.values()];
}

let cached: PathItem[] | undefined;

/** Every path the apiserver serves, built once from the resource table. */
export function apiPaths(): readonly PathItem[] {
  cached ??= [...discoveryPaths(), ...resourceTable.flatMap(resourcePaths)];
  return cached;
}
