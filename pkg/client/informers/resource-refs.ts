/**
 * The resources our programs inform on, named once: the scheduler, the controller-manager and the
 * fake-kubelet share these refs (and so, through the factory, their informers' cache keys).
 */
import type { ResourceRef } from './types.ts';

const core = (resource: string, namespaced: boolean): ResourceRef => ({ group: '', version: 'v1', resource, namespaced });

export const resourceRefs = {
  pods: core('pods', true),
  nodes: core('nodes', false),
  namespaces: core('namespaces', false),
  services: core('services', true),
  serviceaccounts: core('serviceaccounts', true),
  configmaps: core('configmaps', true),
  resourcequotas: core('resourcequotas', true),
  replicationcontrollers: core('replicationcontrollers', true),
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true },
  controllerrevisions: { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  clusterroles: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false },
  certificatesigningrequests: { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests', namespaced: false },
} satisfies Record<string, ResourceRef>;
