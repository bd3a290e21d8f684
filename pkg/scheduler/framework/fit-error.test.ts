import { describe, expect, it } from 'vitest';
import { fitErrorMessage } from './fit-error.ts';
import { newStatus, unresolvable, unschedulable } from './status.ts';
import { numFeasibleNodesToFind, selectHost } from './runtime.ts';
import { NodeInfo } from './node-info.ts';

describe('fitErrorMessage', () => {
  it('counts reasons, sorts them as strings and appends the preemption message', () => {
    const statuses = new Map([
      ['cp', unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')],
      ['w1', unschedulable('Insufficient cpu', 'Insufficient memory')],
      ['w2', unschedulable('Insufficient cpu')],
    ]);
    const msg = fitErrorMessage(3, {
      nodeToStatus: { statuses, absent: newStatus('UnschedulableAndUnresolvable') }, unschedulablePlugins: new Set(),
      postFilterMsg: 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    });
    expect(msg).toBe('0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. '
      + 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..');
  });
  it('uses the PreFilter message alone when a PreFilter plugin rejected the pod', () => {
    expect(fitErrorMessage(2, {
      nodeToStatus: { statuses: new Map(), absent: unresolvable('x') }, preFilterMsg: 'waiting for scheduling gates: [a]', unschedulablePlugins: new Set(),
    })).toBe('0/2 nodes are available: waiting for scheduling gates: [a].');
  });
});

describe('numFeasibleNodesToFind', () => {
  it.each([[50, undefined, 50], [100, undefined, 100], [1000, undefined, 420], [5000, undefined, 500], [6000, undefined, 300], [100_000, undefined, 5000], [1000, 5, 100], [1000, 50, 500]])(
    '%i nodes, percentage %s → %i', (nodes, pct, want) => expect(numFeasibleNodesToFind(pct, nodes)).toBe(want));
});

describe('selectHost', () => {
  it('takes the highest score and breaks ties at random', () => {
    const nodes = ['a', 'b', 'c'].map((n) => new NodeInfo(n));
    expect(selectHost(nodes, [10, 30, 20])).toBe('b');
    expect(selectHost(nodes, [30, 30, 20], () => 0)).toBe('b');
    expect(selectHost(nodes, [30, 30, 20], () => 0.99)).toBe('a');
  });
});
