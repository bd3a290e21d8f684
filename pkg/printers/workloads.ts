/**
 * apps/v1 and ReplicationController printers (printDeployment, printReplicaSet, printStatefulSet,
 * printDaemonSet, printReplicationController, printControllerRevision in kubernetes/kubernetes
 * pkg/printers/internalversion/printers.go).
 * Replica counts the API server defaults (spec.replicas → 1) are defaulted here too, so an object
 * stored before defaulting prints as the real server would show it.
 */
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import * as d from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import { controllerOf, formatLabels, formatLabelSelector, groupOfApiVersion, labelSelectorString } from './format.ts';
import type { Printer } from './types.ts';
import { workloadPrinter } from './workload-table.ts';

const readyDoc = 'Number of the pod with ready state';

/** "ready/desired", as Deployments and StatefulSets print it. */
function readyOfDesired(o: Deployment | StatefulSet): string {
  return `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`;
}

export const deploymentPrinter = workloadPrinter<Deployment>({
  columns: [
    column('Ready', 'string', readyDoc),
    column('Up-to-date', 'string', d.deploymentStatusUpdatedReplicas),
    column('Available', 'string', d.deploymentStatusAvailableReplicas),
  ],
  cells: (o) => [readyOfDesired(o), o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0],
  containers: (o) => o.spec?.template?.spec?.containers,
  // Unlike the other workloads, an empty selector prints "" here and an invalid one "<invalid>".
  selector: { description: d.deploymentSpecSelector, cell: (o) => labelSelectorString(o.spec?.selector) ?? '<invalid>' },
});

interface ReplicaDocs {
  desired: string;
  current: string;
  ready: string;
  selector: string;
}

/** ReplicaSets and ReplicationControllers print the same table; descriptions and selector kind differ. */
function replicaPrinter<T extends ReplicaSet | ReplicationController>(docs: ReplicaDocs, selector: (o: T) => string): Printer {
  return workloadPrinter<T>({
    columns: [
      column('Desired', 'integer', docs.desired),
      column('Current', 'integer', docs.current),
      column('Ready', 'integer', docs.ready),
    ],
    cells: (o) => [o.spec?.replicas ?? 1, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0],
    containers: (o) => o.spec?.template?.spec?.containers,
    selector: { description: docs.selector, cell: selector },
  });
}

export const replicaSetPrinter = replicaPrinter<ReplicaSet>({
  desired: d.replicaSetSpecReplicas,
  current: d.replicaSetStatusReplicas,
  ready: d.replicaSetStatusReadyReplicas,
  selector: d.replicaSetSpecSelector,
}, (o) => formatLabelSelector(o.spec?.selector));

export const replicationControllerPrinter = replicaPrinter<ReplicationController>({
  desired: d.replicationControllerSpecReplicas,
  current: d.replicationControllerStatusReplicas,
  ready: d.replicationControllerStatusReadyReplicas,
  selector: d.replicationControllerSpecSelector,
}, (o) => formatLabels(o.spec?.selector));

export const statefulSetPrinter = workloadPrinter<StatefulSet>({
  columns: [column('Ready', 'string', readyDoc)],
  cells: (o) => [readyOfDesired(o)],
  containers: (o) => o.spec?.template?.spec?.containers,
});

export const daemonSetPrinter = workloadPrinter<DaemonSet>({
  columns: [
    column('Desired', 'integer', d.daemonSetStatusDesiredNumberScheduled),
    column('Current', 'integer', d.daemonSetStatusCurrentNumberScheduled),
    column('Ready', 'integer', d.daemonSetStatusNumberReady),
    column('Up-to-date', 'integer', d.daemonSetStatusUpdatedNumberScheduled),
    column('Available', 'integer', d.daemonSetStatusNumberAvailable),
    column('Node Selector', 'string', d.podSpecNodeSelector),
  ],
  cells: (o) => [
    o.status?.desiredNumberScheduled ?? 0,
    o.status?.currentNumberScheduled ?? 0,
    o.status?.numberReady ?? 0,
    o.status?.updatedNumberScheduled ?? 0,
    o.status?.numberAvailable ?? 0,
    formatLabels(o.spec?.template?.spec?.nodeSelector),
  ],
  containers: (o) => o.spec?.template?.spec?.containers,
  selector: { description: d.daemonSetSpecSelector, cell: (o) => formatLabelSelector(o.spec?.selector) },
});

/** "daemonset.apps/fluentd": lower-cased Kind.group of the controller, then its name. */
function controllerName(o: ControllerRevision): string {
  const ref = controllerOf(o.metadata?.ownerReferences);
  if (!ref) return '<none>';
  const group = groupOfApiVersion(ref.apiVersion ?? '');
  const kind = ref.kind ?? '';
  if (group === '' && kind === '') return ref.name ?? '';
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${ref.name ?? ''}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', d.controllerRevisionRevision),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const o = obj as unknown as ControllerRevision;
    return [o.metadata?.name ?? '', controllerName(o), o.revision ?? 0, translateTimestampSince(o.metadata?.creationTimestamp, now)];
  },
};
