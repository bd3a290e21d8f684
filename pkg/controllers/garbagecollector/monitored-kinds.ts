/**
 * The kinds the garbage collector watches, fixed rather than discovered: upstream monitors every
 * deletable resource it finds in discovery (GraphBuilder.syncMonitors); this first collector covers
 * the workload kinds whose owners and dependents this control plane creates. An owner reference to
 * any other kind is never treated as absent, so nothing is deleted on a kind we cannot look up.
 */
import { resourceRefs, type ResourceRef } from '../../client/informers/index.ts';

export interface MonitoredKind {
  /** The `kind` an owner reference names. */
  kind: string;
  ref: ResourceRef;
}

export const monitoredKinds: readonly MonitoredKind[] = [
  { kind: 'Pod', ref: resourceRefs.pods },
  { kind: 'ReplicationController', ref: resourceRefs.replicationcontrollers },
  { kind: 'ReplicaSet', ref: resourceRefs.replicasets },
  { kind: 'Deployment', ref: resourceRefs.deployments },
  { kind: 'StatefulSet', ref: resourceRefs.statefulsets },
  { kind: 'DaemonSet', ref: resourceRefs.daemonsets },
  { kind: 'ControllerRevision', ref: resourceRefs.controllerrevisions },
  { kind: 'Job', ref: resourceRefs.jobs },
];

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ''); owner references match on group and kind, not version. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The URL of one object of a kind. */
export function objectPath(ref: ResourceRef, namespace: string, name: string): string {
  const base = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const scope = ref.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${ref.resource}/${encodeURIComponent(name)}`;
}
