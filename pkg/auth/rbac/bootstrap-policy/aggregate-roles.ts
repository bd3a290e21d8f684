/**
 * The user-facing roles (policy.go): cluster-admin, and admin/edit/view, which are empty
 * aggregated roles filled from the system:aggregate-to-* roles by their labels.
 */
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { clusterRole, read, rule, urls, write } from './rules.ts';

const aggregateTo = (to: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' });

export function aggregateRoles(): ClusterRole[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('admin', [], { aggregateFrom: 'admin' }),
    clusterRole('edit', [], { aggregateFrom: 'edit', labels: aggregateTo('admin') }),
    clusterRole('view', [], { aggregateFrom: 'view', labels: aggregateTo('edit') }),
    clusterRole('system:aggregate-to-admin', [
      rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      rule([...read, ...write], ['rbac.authorization.k8s.io'], ['roles', 'rolebindings']),
    ], { labels: aggregateTo('admin') }),
    clusterRole('system:aggregate-to-edit', [
      // Secrets and the pod/service proxies are readable by editors but not by viewers.
      rule(read, [''], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(write, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
      rule(['create'], [''], ['pods/eviction']),
      rule(write, [''], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services',
        'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(write, ['apps'], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale',
        'deployments/rollback', 'replicasets', 'replicasets/scale']),
      rule(write, ['autoscaling'], ['horizontalpodautoscalers']),
      rule(write, ['batch'], ['jobs', 'cronjobs']),
      rule(write, ['extensions'], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses',
        'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
      rule(write, ['policy'], ['poddisruptionbudgets']),
      rule(write, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
      rule([...read, ...write], ['coordination.k8s.io'], ['leases']),
    ], { labels: aggregateTo('edit') }),
    clusterRole('system:aggregate-to-view', [
      rule(read, [''], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services',
        'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
      rule(read, [''], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status',
        'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
      // Reading namespaces at namespace scope shows which namespaces one may use.
      rule(read, [''], ['namespaces']),
      rule(read, ['discovery.k8s.io'], ['endpointslices']),
      rule(read, ['apps'], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets',
        'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status',
        'replicasets/scale']),
      rule(read, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      rule(read, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
      rule(read, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
        'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status',
        'replicationcontrollers/scale', 'networkpolicies']),
      rule(read, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      rule(read, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
    ], { labels: aggregateTo('view') }),
  ];
}
