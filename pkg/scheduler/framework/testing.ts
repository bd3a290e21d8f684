/**
 * Builders for the scheduler's unit tests: nodes, pods and a snapshot handle, all pure objects.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { SchedulerCache } from '../cache/cache.ts';
import type { Handle } from './interface.ts';

let uid = 0;

export function makeNode(name: string, o: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; spec?: Node['spec']; images?: { names: string[]; sizeBytes: number }[] } = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: o.spec ?? {},
    status: { allocatable, capacity: allocatable, images: o.images },
  };
}

export function makePod(name: string, o: { cpu?: string; memory?: string; labels?: Record<string, string>; nodeName?: string; priority?: number; spec?: Partial<Pod['spec']>; namespace?: string } = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-${++uid}`, labels: o.labels },
    spec: {
      containers: [{ name: 'c', image: 'pause', resources: Object.keys(requests).length ? { requests } : undefined }],
      nodeName: o.nodeName, priority: o.priority, ...o.spec,
    },
  };
}

/** A cache holding `nodes` and the `pods` bound to them, and a handle over it. */
export function snapshotOf(nodes: Node[], pods: Pod[] = [], nsLabels: Record<string, Record<string, string>> = {}): { cache: SchedulerCache; handle: Handle } {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addOrUpdateNode(n);
  for (const p of pods) cache.addOrUpdatePod(p);
  return { cache, handle: { snapshot: () => cache, namespaceLabels: (ns) => nsLabels[ns] } };
}
