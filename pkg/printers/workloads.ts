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
import { ageColumn, column, containerColumns, nameColumn, wideColumn } from './columns.ts';
import * as d from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import { controllerOf, formatLabels, formatLabelSelector, groupOfApiVersion, labelSelectorString, layoutContainerCells } from './format.ts';
import type { Printer } from './types.ts';

const readyDoc = 'Number of the pod with ready state';

function age(obj: { metadata?: { creationTimestamp?: string } }, now: Date): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, now);
}

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', readyDoc),
    column('Up-to-date', 'string', d.deploymentStatusUpdatedReplicas),
    column('Available', 'string', d.deploymentStatusAvailableReplicas),
    ageColumn,
    ...containerColumns,
    wideColumn('Selector', 'string', d.deploymentSpecSelector),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const o = obj as unknown as Deployment;
    const [names, images] = layoutContainerCells(o.spec?.template?.spec?.containers);
    // Unlike the other workloads, an empty selector prints "" here and an invalid one "<invalid>".
    const selector = labelSelectorString(o.spec?.selector) ?? '<invalid>';
    return [
      o.metadata?.name ?? '',
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o, now),
      names, images, selector,
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', d.replicaSetSpecReplicas),
    column('Current', 'integer', d.replicaSetStatusReplicas),
    column('Ready', 'integer', d.replicaSetStatusReadyReplicas),
    ageColumn,
    ...containerColumns,
    wideColumn('Selector', 'string', d.replicaSetSpecSelector),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const o = obj as unknown as ReplicaSet;
    const [names, images] = layoutContainerCells(o.spec?.template?.spec?.containers);
    return [
      o.metadata?.name ?? '',
      o.spec?.replicas ?? 1,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o, now),
      names, images, formatLabelSelector(o.spec?.selector),
    ];
  },
};

export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', d.replicationControllerSpecReplicas),
    column('Current', 'integer', d.replicationControllerStatusReplicas),
    column('Ready', 'integer', d.replicationControllerStatusReadyReplicas),
    ageColumn,
    ...containerColumns,
    wideColumn('Selector', 'string', d.replicationControllerSpecSelector),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const o = obj as unknown as ReplicationController;
    const [names, images] = layoutContainerCells(o.spec?.template?.spec?.containers);
    return [
      o.metadata?.name ?? '',
      o.spec?.replicas ?? 1,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o, now),
      names, images, formatLabels(o.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [nameColumn, column('Ready', 'string', readyDoc), ageColumn, ...containerColumns],
  cells(obj: KubeObject, now: Date): unknown[] {
    const o = obj as unknown as StatefulSet;
    const [names, images] = layoutContainerCells(o.spec?.template?.spec?.containers);
    return [o.metadata?.name ?? '', `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, age(o, now), names, images];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', d.daemonSetStatusDesiredNumberScheduled),
    column('Current', 'integer', d.daemonSetStatusCurrentNumberScheduled),
    column('Ready', 'integer', d.daemonSetStatusNumberReady),
    column('Up-to-date', 'integer', d.daemonSetStatusUpdatedNumberScheduled),
    column('Available', 'integer', d.daemonSetStatusNumberAvailable),
    column('Node Selector', 'string', d.podSpecNodeSelector),
    ageColumn,
    ...containerColumns,
    wideColumn('Selector', 'string', d.daemonSetSpecSelector),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const o = obj as unknown as DaemonSet;
    const st = o.status;
    const [names, images] = layoutContainerCells(o.spec?.template?.spec?.containers);
    return [
      o.metadata?.name ?? '',
      st?.desiredNumberScheduled ?? 0,
      st?.currentNumberScheduled ?? 0,
      st?.numberReady ?? 0,
      st?.updatedNumberScheduled ?? 0,
      st?.numberAvailable ?? 0,
      formatLabels(o.spec?.template?.spec?.nodeSelector),
      age(o, now),
      names, images, formatLabelSelector(o.spec?.selector),
    ];
  },
};

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
    return [o.metadata?.name ?? '', controllerName(o), o.revision ?? 0, age(o, now)];
  },
};
