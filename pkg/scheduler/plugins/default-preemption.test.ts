import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Framework } from '../framework/runtime.ts';
import { CycleState } from '../framework/interface.ts';
import { makeNode, makePod, snapshotOf } from '../framework/testing.ts';
import { FitError } from '../framework/fit-error.ts';
import { newDefaultPreemption } from './default-preemption.ts';
import { newNodeResourcesFit } from './node-resources-fit.ts';
import { newTaintToleration } from './taint-toleration.ts';

function setup(bound: Pod[]) {
  const nodes = [makeNode('n1', { cpu: '2' }), makeNode('n2', { cpu: '2' }), makeNode('cp', { spec: { taints: [{ key: 'cp', effect: 'NoSchedule' }] } })];
  const { handle } = snapshotOf(nodes, bound);
  const evicted: string[] = [];
  let fwk: Framework;
  const preemption = newDefaultPreemption({
    filter: (s, p, n) => fwk.runFilterPlugins(s, p, n),
    nominatedPodsForNode: () => [],
    evict: async (v) => { evicted.push(v.metadata!.name!); },
    clearNomination: async () => {},
  });
  fwk = new Framework({ schedulerName: 'default-scheduler', plugins: [newTaintToleration(), newNodeResourcesFit(), preemption], scoreWeights: new Map() }, handle);
  return { fwk, evicted };
}

async function preempt(fwk: Framework, pod: Pod) {
  const state = new CycleState();
  try {
    fwk.schedule(state, pod);
    throw new Error('expected no fit');
  } catch (err) {
    if (!(err instanceof FitError)) throw err;
    return fwk.runPostFilterPlugins(state, pod, err.diagnosis.nodeToStatus);
  }
}

describe('DefaultPreemption', () => {
  it('evicts the cheapest set of lower-priority victims and nominates their node', async () => {
    const { fwk, evicted } = setup([
      makePod('n1-mid', { cpu: '1500m', priority: 50, nodeName: 'n1' }),
      makePod('n2-low-a', { cpu: '1', priority: 10, nodeName: 'n2' }),
      makePod('n2-low-b', { cpu: '500m', priority: 10, nodeName: 'n2' }),
    ]);
    const r = await preempt(fwk, makePod('p', { cpu: '1', priority: 100 }));
    expect(r.status).toBeNull();
    expect(r.result?.nominatedNodeName).toBe('n2');
    // Both go in the dry run; the more important one (equal priority: the first) is given back
    // first and still fits beside the preemptor, so only n2-low-b goes.
    expect(evicted).toEqual(['n2-low-b']);
  });

  it('explains why no node helps', async () => {
    const { fwk, evicted } = setup([makePod('a', { cpu: '1500m', priority: 100, nodeName: 'n1' }), makePod('b', { cpu: '1500m', priority: 200, nodeName: 'n2' })]);
    const r = await preempt(fwk, makePod('p', { cpu: '1', priority: 100 }));
    expect(r.status?.reasons).toEqual(['preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.']);
    expect(evicted).toEqual([]);
  });

  it('honours preemptionPolicy Never', async () => {
    const { fwk } = setup([makePod('a', { cpu: '2', priority: 1, nodeName: 'n1' }), makePod('b', { cpu: '2', priority: 1, nodeName: 'n2' })]);
    const r = await preempt(fwk, makePod('p', { cpu: '1', priority: 100, spec: { preemptionPolicy: 'Never' } as never }));
    expect(r.status?.reasons).toEqual(['preemption: not eligible due to preemptionPolicy=Never.']);
  });
});
