/**
 * Minimal valid objects for every resource in the resource table, and URL helpers, shared by the
 * integration tests. Each factory returns a fresh object (callers may mutate it).
 */
import { generateKeyPairSync } from 'node:crypto';
import { resourceKey, resourceTable, apiVersionOf, type ResourceEntry } from '../../../pkg/resources/index.ts';
import { createCertificateRequestPem } from '../../../pkg/registry/certificates/request-builder.ts';
import type { TestServer } from '../../helpers/test-server.ts';

export type Obj = Record<string, unknown> & { metadata?: Record<string, unknown> };

const podTemplate = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});

/** A minimal spec/body per resource key ("pods", "deployments.apps"). */
const bodies: Record<string, (ns: string) => Obj> = {
  namespaces: () => ({}),
  pods: () => ({ spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } }),
  services: () => ({ spec: { ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } } }),
  endpoints: () => ({ subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }] }),
  configmaps: () => ({ data: { key: 'value' } }),
  secrets: () => ({ type: 'Opaque', data: { key: Buffer.from('value').toString('base64') } }),
  serviceaccounts: () => ({}),
  nodes: () => ({ spec: {} }),
  events: (ns) => ({
    involvedObject: { kind: 'Pod', name: 'p', namespace: ns, apiVersion: 'v1' },
    reason: 'Testing', message: 'hello', type: 'Normal', source: { component: 'it' },
  }),
  replicationcontrollers: () => ({ spec: { replicas: 1, selector: { app: 'rc' }, template: podTemplate('rc') } }),
  limitranges: () => ({ spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] } }),
  resourcequotas: () => ({ spec: { hard: { pods: '10' } } }),
  'deployments.apps': () => ({ spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template: podTemplate('d') } }),
  'replicasets.apps': () => ({ spec: { replicas: 1, selector: { matchLabels: { app: 'rs' } }, template: podTemplate('rs') } }),
  'statefulsets.apps': () => ({
    spec: { replicas: 1, serviceName: 'web', selector: { matchLabels: { app: 'sts' } }, template: podTemplate('sts') },
  }),
  'daemonsets.apps': () => ({ spec: { selector: { matchLabels: { app: 'ds' } }, template: podTemplate('ds') } }),
  'controllerrevisions.apps': () => ({ revision: 1, data: { spec: { template: {} } } }),
  'jobs.batch': () => ({
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  }),
  'cronjobs.batch': () => ({
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } },
    },
  }),
  'leases.coordination.k8s.io': () => ({ spec: { holderIdentity: 'me', leaseDurationSeconds: 15 } }),
  'priorityclasses.scheduling.k8s.io': () => ({ value: 1000, description: 'fixture' }),
  'runtimeclasses.node.k8s.io': () => ({ handler: 'runc' }),
  'certificatesigningrequests.certificates.k8s.io': () => ({
    spec: {
      request: Buffer.from(createCertificateRequestPem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, { commonName: 'fixture' })).toString('base64'),
      signerName: 'example.com/fixture', usages: ['client auth'],
    },
  }),
  'clusterroles.rbac.authorization.k8s.io': () => ({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }),
  'roles.rbac.authorization.k8s.io': () => ({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }),
  'clusterrolebindings.rbac.authorization.k8s.io': () => ({
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
  }),
  'rolebindings.rbac.authorization.k8s.io': () => ({
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
  }),
  'endpointslices.discovery.k8s.io': () => ({
    addressType: 'IPv4', endpoints: [{ addresses: ['10.1.2.3'] }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  }),
  'events.events.k8s.io': (ns) => ({
    eventTime: '2024-01-01T00:00:00.000000Z', reportingController: 'example.com/it', reportingInstance: 'it-1',
    action: 'Testing', reason: 'Tested', type: 'Normal', note: 'hello', regarding: { kind: 'Pod', name: 'p', namespace: ns },
  }),
};

/** Every resource that has a stand-alone REST endpoint with create (bindings is create-only). */
export const crudEntries: ResourceEntry[] = resourceTable.filter((e) => e.kind !== 'Binding' && e.stored);

export function entryFor(plural: string, group = ''): ResourceEntry {
  const e = resourceTable.find((x) => x.plural === plural && x.group === group);
  if (!e) throw new Error(`no resource ${plural}.${group}`);
  return e;
}

/** A complete object of the entry's kind, named `name`, in `ns` when namespaced. */
export function minimalObject(e: ResourceEntry, name: string, ns: string, extra: { labels?: Record<string, string> } = {}): Obj {
  const make = bodies[resourceKey(e)];
  if (!make) throw new Error(`no fixture for ${resourceKey(e)}`);
  const metadata: Record<string, unknown> = { name };
  if (e.namespaced) metadata.namespace = ns;
  if (extra.labels) metadata.labels = extra.labels;
  return { apiVersion: apiVersionOf(e), kind: e.kind, metadata, ...make(ns) };
}

/** Collection URL: /api/v1/namespaces/ns/pods, /apis/apps/v1/deployments (cluster-scoped or all namespaces). */
export function collectionPath(e: ResourceEntry, ns?: string): string {
  const root = e.group ? `/apis/${e.group}/${e.version}` : `/api/${e.version}`;
  return e.namespaced && ns ? `${root}/namespaces/${ns}/${e.plural}` : `${root}/${e.plural}`;
}

export function objectPath(e: ResourceEntry, ns: string, name: string): string {
  return `${collectionPath(e, ns)}/${name}`;
}

/** The storage key under the test prefix, as the design fixes it: /<group>/<resource>/<ns>/<name>. */
export function storageKey(e: ResourceEntry, ns: string, name: string): string {
  const g = e.group ? `/${e.group}` : '';
  return e.namespaced ? `${g}/${e.plural}/${ns}/${name}` : `${g}/${e.plural}/${name}`;
}

/** Creates a namespace through the API and returns its name. */
export async function createNamespace(server: TestServer, name: string): Promise<string> {
  const res = await server.request.post('/api/v1/namespaces').send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (res.status !== 201) throw new Error(`creating namespace ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return name;
}

/** Every key the test's prefix holds for a resource (to prove "nothing written"). */
export async function storedKeys(server: TestServer, e: ResourceEntry, ns?: string): Promise<string[]> {
  const g = e.group ? `/${e.group}` : '';
  const prefix = `${server.etcd.prefix}${g}/${e.plural}/${e.namespaced && ns ? `${ns}/` : ''}`;
  const keys = await server.etcd.client.getAll().prefix(prefix).keys();
  return keys.map((k) => k.slice(server.etcd.prefix.length)).sort();
}

/** A Status body's fields that tests compare exactly. */
export function statusOf(body: unknown): Record<string, unknown> {
  return body as Record<string, unknown>;
}
