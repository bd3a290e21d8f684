/**
 * The single list of what the apiserver serves. Routes, discovery, OpenAPI paths, storage keys,
 * watch caches and RBAC verbs are all derived from these entries; no resource name is spelled
 * anywhere else in pkg/apiserver.
 */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const allVerbs: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A subresource such as pods/status; its kind may live in another group (Scale is autoscaling/v1). */
export interface SubresourceEntry {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: readonly Verb[];
  /**
   * A subresource that streams bytes rather than an object (pods/log): the media type it writes and
   * the kind of its query options (their parameters are documented in pkg/openapi/params.ts).
   */
  stream?: { contentType: 'text/plain'; options: 'PodLogOptions' };
}

export interface ResourceEntry {
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural used in URLs and RBAC: "pods". */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly Verb[];
  subresources: readonly SubresourceEntry[];
  /**
   * False for resources that are computed per request and never stored (access reviews, token
   * reviews): they have no store, no watch cache and no storage version hash.
   */
  stored: boolean;
}

const statusSub: SubresourceEntry = { name: 'status', kind: '', verbs: ['get', 'patch', 'update'] };
const scaleSub: SubresourceEntry = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
/** A create-only resource answered per request and never stored (access and token reviews). */
function review(group: string, version: string, kind: string, plural: string, namespaced: boolean): ResourceEntry {
  return entry({ group, version, kind, plural, namespaced, verbs: ['create'], stored: false });
}

const noCollectionDelete: readonly Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

type Defaulted = 'shortNames' | 'categories' | 'verbs' | 'subresources' | 'singular' | 'stored';

function entry(e: Omit<ResourceEntry, Defaulted> & Partial<Pick<ResourceEntry, Defaulted>>): ResourceEntry {
  return {
    shortNames: [], categories: [], verbs: allVerbs, subresources: [], stored: true,
    singular: e.kind.toLowerCase(),
    ...e,
  };
}

export const resourceTable: readonly ResourceEntry[] = [
  // core/v1
  entry({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'],
    verbs: noCollectionDelete, subresources: [statusSub, { name: 'finalize', kind: 'Namespace', verbs: ['update'] }] }),
  entry({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'],
    subresources: [statusSub, { name: 'binding', kind: 'Binding', verbs: ['create'] }, { name: 'log', kind: 'Pod', verbs: ['get'], stream: { contentType: 'text/plain', options: 'PodLogOptions' } }] }),
  entry({ group: '', version: 'v1', kind: 'Binding', plural: 'bindings', namespaced: true, verbs: ['create'] }),
  entry({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'],
    subresources: [statusSub] }),
  entry({ group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'] }),
  entry({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] }),
  entry({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true }),
  entry({ group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'],
    subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }] }),
  entry({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'], subresources: [statusSub] }),
  entry({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] }),
  entry({ group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: true,
    shortNames: ['rc'], categories: ['all'], subresources: [statusSub, scaleSub] }),
  entry({ group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true, shortNames: ['limits'] }),
  entry({ group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true, shortNames: ['quota'],
    subresources: [statusSub] }),
  // apps/v1
  entry({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'],
    categories: ['all'], subresources: [statusSub, scaleSub] }),
  entry({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'],
    categories: ['all'], subresources: [statusSub, scaleSub] }),
  entry({ group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'],
    categories: ['all'], subresources: [statusSub, scaleSub] }),
  entry({ group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'],
    categories: ['all'], subresources: [statusSub] }),
  entry({ group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true }),
  // authentication.k8s.io
  review('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', false),
  review('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', false),
  review('authentication.k8s.io', 'v1beta1', 'SelfSubjectReview', 'selfsubjectreviews', false),
  // authorization.k8s.io/v1
  review('authorization.k8s.io', 'v1', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
  review('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false),
  review('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false),
  review('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', false),
  // batch/v1
  entry({ group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, categories: ['all'], subresources: [statusSub] }),
  entry({ group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true, shortNames: ['cj'],
    categories: ['all'], subresources: [statusSub] }),
  // certificates.k8s.io/v1
  entry({ group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests',
    namespaced: false, shortNames: ['csr'],
    subresources: [{ name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] }, statusSub] }),
  // scheduling.k8s.io/v1
  entry({ group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false, shortNames: ['pc'] }),
  // rbac.authorization.k8s.io/v1
  entry({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false }),
  entry({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false }),
  entry({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true }),
  entry({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true }),
  // coordination.k8s.io/v1
  entry({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true }),
  // node.k8s.io/v1
  entry({ group: 'node.k8s.io', version: 'v1', kind: 'RuntimeClass', plural: 'runtimeclasses', namespaced: false }),
  // discovery.k8s.io/v1
  entry({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true }),
  // events.k8s.io/v1
  entry({ group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] }),
];

/**
 * Groups a real cluster serves through API aggregation (an APIService in front of another server):
 * metrics.k8s.io is metrics-server's. Here the apiserver answers them itself (pkg/registry/metrics),
 * so discovery and routing list them like the rest; they have no schema in our OpenAPI (that comes
 * from the aggregated server upstream), so the OpenAPI paths, built from resourceTable, leave them out.
 */
export const aggregatedResourceTable: readonly ResourceEntry[] = [
  entry({ group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics', plural: 'nodes', singular: '', namespaced: false,
    verbs: ['get', 'list'], stored: false }),
  entry({ group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true,
    verbs: ['get', 'list'], stored: false }),
];
