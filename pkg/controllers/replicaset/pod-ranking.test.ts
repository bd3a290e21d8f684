import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { deleteBefore, deletionCost, podsToDelete, rankByRelatedPodsOnSameNode } from './pod-ranking.ts';

const now = Date.parse('2024-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

interface PodOptions {
  node?: string; phase?: string; readySince?: number; cost?: string; restarts?: number; createdAgo?: number; uid?: string;
}

function pod(name: string, o: PodOptions = {}): Pod {
  return {
    metadata: {
      name, uid: o.uid ?? name, creationTimestamp: o.createdAgo === undefined ? undefined : ago(o.createdAgo),
      annotations: o.cost === undefined ? undefined : { 'controller.kubernetes.io/pod-deletion-cost': o.cost },
    },
    spec: { nodeName: o.node, containers: [{ name: 'c' }] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readySince) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: true, image: 'i', imageID: '' }],
    },
  };
}

const first = (a: Pod, b: Pod, rankA = 0, rankB = 0) => {
  expect(deleteBefore({ pod: a, rank: rankA }, { pod: b, rank: rankB }, now)).toBe(true);
  expect(deleteBefore({ pod: b, rank: rankB }, { pod: a, rank: rankA }, now)).toBe(false);
};

describe('ActivePodsWithRanks order', () => {
  it('deletes unassigned before assigned', () => first(pod('a', { phase: 'Running' }), pod('b', { node: 'n', phase: 'Pending' })));
  it('deletes Pending before Unknown before Running', () => {
    first(pod('a', { node: 'n', phase: 'Pending' }), pod('b', { node: 'n', phase: 'Unknown' }));
    first(pod('a', { node: 'n', phase: 'Unknown' }), pod('b', { node: 'n', phase: 'Running' }));
  });
  it('deletes not ready before ready', () => first(pod('a', { node: 'n' }), pod('b', { node: 'n', readySince: 10 })));
  it('deletes the lower pod-deletion-cost first; an invalid cost counts as 0', () => {
    first(pod('a', { node: 'n', cost: '-5' }), pod('b', { node: 'n' }));
    first(pod('a', { node: 'n', cost: '+5' }), pod('b', { node: 'n', cost: '1' }));
    expect([deletionCost(pod('x', { cost: '007' })), deletionCost(pod('x', { cost: '2147483648' })), deletionCost(pod('x', { cost: '12' }))]).toEqual([0, 0, 12]);
  });
  it('deletes doubled-up pods (higher rank) first', () => first(pod('a', { node: 'n' }), pod('b', { node: 'm' }), 3, 1));
  it('deletes the more recently ready first, in log2 buckets, ties by uid', () => {
    first(pod('a', { node: 'n', readySince: 10 }), pod('b', { node: 'n', readySince: 1000 }));
    // 100 s and 101 s ago fall in the same power-of-two bucket of nanoseconds: the uid decides.
    first(pod('a', { node: 'n', readySince: 101, uid: 'a' }), pod('b', { node: 'n', readySince: 100, uid: 'b' }));
  });
  it('deletes the pod with more restarts first', () => first(pod('a', { node: 'n', restarts: 4 }), pod('b', { node: 'n', restarts: 1 })));
  it('deletes no creation time, then newer, before older', () => {
    first(pod('a', { node: 'n' }), pod('b', { node: 'n', createdAgo: 10 }));
    first(pod('a', { node: 'n', createdAgo: 10 }), pod('b', { node: 'n', createdAgo: 10_000 }));
  });
  it('treats identical pods as equal', () => {
    expect(deleteBefore({ pod: pod('a', { node: 'n' }), rank: 0 }, { pod: pod('a', { node: 'n' }), rank: 0 }, now)).toBe(false);
  });
});

describe('podsToDelete', () => {
  const running = pod('running', { node: 'n1', readySince: 100, createdAgo: 200 });
  const pending = pod('pending', { node: 'n1', phase: 'Pending', createdAgo: 5 });
  const unassigned = pod('unassigned', { phase: 'Pending', createdAgo: 1 });
  const notReady = pod('not-ready', { node: 'n2', createdAgo: 300 });

  it('picks the cheapest pods to lose', () => {
    const victims = podsToDelete([running, notReady, pending, unassigned], [], 3, now);
    expect(victims.map((p) => p.metadata?.name)).toEqual(['unassigned', 'pending', 'not-ready']);
  });
  it('returns them all when the diff covers every pod', () => {
    expect(podsToDelete([running, pending], [], 2, now)).toHaveLength(2);
  });
  it('ranks by active related pods on the same node', () => {
    const a = pod('a', { node: 'busy', readySince: 100 });
    const b = pod('b', { node: 'quiet', readySince: 100 });
    const related = [pod('r1', { node: 'busy' }), pod('r2', { node: 'busy' }), pod('r3', { node: 'quiet', phase: 'Succeeded' })];
    expect(rankByRelatedPodsOnSameNode([a, b], related).map((r) => r.rank)).toEqual([2, 0]);
    expect(podsToDelete([b, a], related, 1, now).map((p) => p.metadata?.name)).toEqual(['a']);
  });
});
