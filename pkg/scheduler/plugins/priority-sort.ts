/**
 * PrioritySort (QueueSort): higher priority first, then the earlier queue timestamp, after
 * kubernetes pkg/scheduler/framework/plugins/queuesort/priority_sort.go.
 */
import type { AnyPlugin, QueuedPodInfo } from '../framework/interface.ts';
import { podPriority } from '../framework/pod-info.ts';

export const name = 'PrioritySort';

export function less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = podPriority(a.pod);
  const pb = podPriority(b.pod);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

export function newPrioritySort(): AnyPlugin {
  return { name, less };
}
