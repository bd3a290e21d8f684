import { describe, expect, it } from 'vitest';
import { openapiV2Document, openapiV2Serialized } from './v2.ts';
import { openapiV3GroupVersion, openapiV3Root, openapiV3Serialized } from './v3.ts';
import { patchMetaFor } from './patch-meta.ts';

interface Op {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
  'x-kubernetes-action'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string };
}
type Paths = Record<string, Record<string, Op>>;

const v2 = openapiV2Document() as { swagger: string; info: unknown; paths: Paths; definitions: Record<string, unknown> };
const paramNames = (op: Op | undefined): string[] => (op?.parameters ?? []).map((p) => p.name);

describe('openapiV2Document', () => {
  it('is a swagger 2.0 document claiming v1.32.0', () => {
    expect(v2.swagger).toBe('2.0');
    expect(v2.info).toEqual({ title: 'Kubernetes', version: 'v1.32.0' });
    expect(v2.definitions['io.k8s.api.core.v1.Pod']).toBeDefined();
  });

  it.each([
    ['/api/v1/namespaces/{namespace}/pods', 'get', 'listCoreV1NamespacedPod', 'list', 'Pod'],
    ['/api/v1/namespaces/{namespace}/pods', 'post', 'createCoreV1NamespacedPod', 'post', 'Pod'],
    ['/api/v1/namespaces/{namespace}/pods', 'delete', 'deleteCoreV1CollectionNamespacedPod', 'deletecollection', 'Pod'],
    ['/api/v1/namespaces/{namespace}/pods/{name}', 'patch', 'patchCoreV1NamespacedPod', 'patch', 'Pod'],
    ['/api/v1/namespaces/{namespace}/pods/{name}/status', 'put', 'replaceCoreV1NamespacedPodStatus', 'put', 'Pod'],
    ['/api/v1/namespaces/{namespace}/pods/{name}/binding', 'post', 'createCoreV1NamespacedPodBinding', 'post', 'Binding'],
    ['/api/v1/pods', 'get', 'listCoreV1PodForAllNamespaces', 'list', 'Pod'],
    ['/api/v1/watch/namespaces/{namespace}/pods/{name}', 'get', 'watchCoreV1NamespacedPod', 'watch', 'Pod'],
    ['/api/v1/watch/pods', 'get', 'watchCoreV1PodListForAllNamespaces', 'watchlist', 'Pod'],
    ['/api/v1/nodes/{name}', 'get', 'readCoreV1Node', 'get', 'Node'],
    ['/api/v1/namespaces/{name}/finalize', 'put', 'replaceCoreV1NamespaceFinalize', 'put', 'Namespace'],
    ['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token', 'post', 'createCoreV1NamespacedServiceAccountToken', 'post', 'TokenRequest'],
    ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale', 'patch', 'patchAppsV1NamespacedDeploymentScale', 'patch', 'Scale'],
    ['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}', 'put', 'replaceCoordinationV1NamespacedLease', 'put', 'Lease'],
  ])('%s %s is %s', (path, method, operationId, action, kind) => {
    const op = v2.paths[path]?.[method];
    expect(op?.operationId).toBe(operationId);
    expect(op?.['x-kubernetes-action']).toBe(action);
    expect(op?.['x-kubernetes-group-version-kind']?.kind).toBe(kind);
  });

  it('documents the query parameters kubectl relies on', () => {
    const item = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(paramNames(item?.patch)).toEqual(expect.arrayContaining(['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']));
    expect(paramNames(item?.put)).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation']));
    expect(paramNames(v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.post)).toContain('fieldValidation');
    expect((item?.parameters as unknown as { name: string }[]).map((p) => p.name)).toEqual(['name', 'namespace', 'pretty']);
    expect(paramNames(v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.get))
      .toEqual(expect.arrayContaining(['labelSelector', 'fieldSelector', 'watch', 'resourceVersion', 'limit', 'continue']));
  });

  it('documents pods/log as a text stream with the PodLogOptions parameters', () => {
    const op = v2.paths['/api/v1/namespaces/{namespace}/pods/{name}/log']?.get as unknown as
      { operationId: string; produces: string[]; parameters: { name: string }[]; responses: Record<string, { schema?: object }> };
    expect(op.operationId).toBe('readCoreV1NamespacedPodLog');
    expect(op.produces[0]).toBe('text/plain');
    expect(op.parameters.map((p) => p.name)).toEqual(
      ['container', 'follow', 'insecureSkipTLSVerifyBackend', 'limitBytes', 'previous', 'sinceSeconds', 'tailLines', 'timestamps']);
    expect(op.responses['200']?.schema).toEqual({ type: 'string' });
    const v3 = openapiV3GroupVersion('/openapi/v3/api/v1') as { paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: object }> }> } }> };
    expect(v3.paths['/api/v1/namespaces/{namespace}/pods/{name}/log']?.get?.responses['200']?.content['text/plain']?.schema).toEqual({ type: 'string' });
  });

  it('has no path for a verb a resource lacks', () => {
    expect(v2.paths['/api/v1/namespaces/{namespace}/bindings']?.get).toBeUndefined();
    expect(v2.paths['/api/v1/namespaces']?.delete).toBeUndefined();
  });

  it('serialises once and hashes like kube-openapi', () => {
    const a = openapiV2Serialized();
    expect(openapiV2Serialized()).toBe(a);
    expect(a.hash).toMatch(/^[0-9A-F]{128}$/);
    expect(JSON.parse(a.body.toString())).toEqual(v2);
  });
});

describe('openapiV3', () => {
  it('indexes every group/version with a hash', () => {
    const root = openapiV3Root();
    for (const key of ['api', 'api/v1', 'apis', 'apis/apps', 'apis/apps/v1', 'apis/batch/v1', 'apis/coordination.k8s.io/v1']) {
      const url = root.paths[key]?.serverRelativeURL;
      expect(url).toBe(`/openapi/v3/${key}?hash=${openapiV3Serialized(key)?.hash}`);
    }
  });

  it('puts fieldValidation on every PATCH that carries a GVK, as kubectl checks', () => {
    const doc = openapiV3GroupVersion('apis/apps/v1') as { paths: Paths };
    const patches = Object.values(doc.paths).map((p) => p.patch).filter((op): op is Op => !!op);
    expect(patches.length).toBeGreaterThan(5);
    for (const op of patches) {
      expect(op['x-kubernetes-group-version-kind']).toBeDefined();
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    }
    const deploymentPatch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
    expect(deploymentPatch?.['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(Object.keys(deploymentPatch?.requestBody?.content ?? {})).toContain('application/strategic-merge-patch+json');
  });

  it('uses components refs and carries only the schemas its paths reach', () => {
    const doc = openapiV3GroupVersion('/openapi/v3/apis/apps/v1') as { openapi: string; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.0.0');
    const schemas = doc.components.schemas;
    expect(schemas['io.k8s.api.apps.v1.Deployment']).toMatchObject({
      'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
    });
    expect(schemas['io.k8s.api.core.v1.PodSpec']).toBeDefined();
    expect(schemas['io.k8s.api.batch.v1.Job']).toBeUndefined();
    const text = JSON.stringify(doc);
    expect(text).not.toContain('#/definitions/');
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(schemas[m[1] ?? '']).toBeDefined();
  });

  it('returns undefined for an unknown document', () => {
    expect(openapiV3GroupVersion('apis/example.com/v1')).toBeUndefined();
  });
});

describe('patchMetaFor', () => {
  it.each([
    [['spec', 'template', 'spec', 'containers'], 'name', ['merge']],
    [['spec', 'template', 'spec', 'containers', 'ports'], 'containerPort', ['merge']],
    [['spec', 'template', 'spec', 'containers', 'env'], 'name', ['merge']],
    [['spec', 'template', 'spec', 'volumes'], 'name', ['merge', 'retainKeys']],
    [['metadata', 'ownerReferences'], 'uid', ['merge']],
    [['metadata', 'finalizers'], undefined, ['merge']],
    [['spec', 'strategy'], undefined, ['retainKeys']],
    [['status', 'conditions'], 'type', ['merge']],
  ])('Deployment %j', (path, mergeKey, strategies) => {
    let meta = patchMetaFor('apps', 'v1', 'Deployment');
    for (const p of path) meta = meta?.child(p);
    expect(meta?.mergeKey).toBe(mergeKey);
    expect(meta?.strategies).toEqual(strategies);
  });

  it('returns undefined below undeclared fields', () => {
    expect(patchMetaFor('apps', 'v1', 'Deployment')?.child('spec')?.child('nope')).toBeUndefined();
  });
});
