/**
 * The FailedScheduling message, after kubernetes pkg/scheduler/framework/types.go (FitError.Error):
 * `0/N nodes are available:` then the PreFilter message, or every node's reasons counted and
 * sorted as strings ("1 node(s) had untolerated taint {…}, 2 Insufficient cpu"), then the
 * PostFilter (preemption) message, each followed by a period.
 */
import type { NodeToStatus } from './interface.ts';

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Set when a PreFilter plugin rejected the pod; the node statuses are then not counted. */
  preFilterMsg?: string;
  postFilterMsg?: string;
  unschedulablePlugins: Set<string>;
}

export class FitError extends Error {
  constructor(readonly numAllNodes: number, readonly diagnosis: Diagnosis) {
    super(fitErrorMessage(numAllNodes, diagnosis));
  }

  /** The message again, after the PostFilter message was added. */
  override toString(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

/** Go's sort.Strings: byte order. */
const byteOrder = (a: string, b: string): number => (Buffer.compare(Buffer.from(a), Buffer.from(b)));

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const status of d.nodeToStatus.statuses.values()) {
      for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    const absent = numAllNodes - d.nodeToStatus.statuses.size;
    if (absent > 0) for (const r of d.nodeToStatus.absent.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort(byteOrder);
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}
