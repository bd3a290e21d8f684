/** Node printer (printNode, findNodeRoles in kubernetes/kubernetes pkg/printers/internalversion/printers.go). */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import * as d from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import type { Printer } from './types.ts';

const roleLabelPrefix = 'node-role.kubernetes.io/';
const legacyRoleLabel = 'kubernetes.io/role';

/** Sorted, de-duplicated roles from node-role.kubernetes.io/<role> keys and kubernetes.io/role values. */
export function findNodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(roleLabelPrefix)) {
      const role = k.slice(roleLabelPrefix.length);
      if (role) roles.add(role);
    } else if (k === legacyRoleLabel && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

/** "Ready" / "NotReady" from the (last) Ready condition, "Unknown" without one, plus ",SchedulingDisabled". */
function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', d.nodeSystemInfoKubeletVersion),
    wideColumn('Internal-IP', 'string', d.nodeStatusAddresses),
    wideColumn('External-IP', 'string', d.nodeStatusAddresses),
    wideColumn('OS-Image', 'string', d.nodeSystemInfoOsImage),
    wideColumn('Kernel-Version', 'string', d.nodeSystemInfoKernelVersion),
    wideColumn('Container-Runtime', 'string', d.nodeSystemInfoContainerRuntimeVersion),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const node = obj as unknown as Node;
    const info = node.status?.nodeInfo;
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      findNodeRoles(node.metadata?.labels).join(',') || '<none>',
      translateTimestampSince(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};
