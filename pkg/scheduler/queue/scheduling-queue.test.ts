import { describe, expect, it } from 'vitest';
import { makePod } from '../framework/testing.ts';
import { less } from '../plugins/priority-sort.ts';
import { newSchedulingGates } from '../plugins/scheduling-gates.ts';
import { SchedulingQueue } from './scheduling-queue.ts';

function newQueue() {
  const clock = { t: 1_000_000 };
  const gates = newSchedulingGates();
  const q = new SchedulingQueue({ less, now: () => clock.t, preEnqueue: (p) => gates.preEnqueue!(p) });
  return { q, clock };
}

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival', async () => {
    const { q, clock } = newQueue();
    q.add(makePod('low', { priority: 1 }));
    clock.t++;
    q.add(makePod('high-late', { priority: 10 }));
    q.add(makePod('high-early', { priority: 10 }));
    clock.t++;
    q.add(makePod('mid', { priority: 5 }));
    const order = [];
    for (let i = 0; i < 4; i++) order.push((await q.pop())!.pod.metadata!.name);
    expect(order).toEqual(['high-late', 'high-early', 'mid', 'low']);
  });

  it('keeps unschedulable pods until a cluster event, then honours the 1 s doubling backoff up to 10 s', async () => {
    const { q, clock } = newQueue();
    q.add(makePod('p'));
    const info = (await q.pop())!;
    info.unschedulablePlugins.add('NodeResourcesFit');
    q.done(info.key);
    q.addUnschedulableIfNotPresent(info, q.schedulingCycle);
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    q.moveAllToActiveOrBackoffQueue();
    expect(q.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    clock.t += 999;
    q.flushBackoffQCompleted();
    expect(q.lengths().active).toBe(0);
    clock.t += 1;
    q.flushBackoffQCompleted();
    expect(q.lengths().active).toBe(1);
    // attempt 5: 1, 2, 4, 8 → capped at 10 s
    const again = (await q.pop())!;
    again.attempts = 5;
    q.addUnschedulableIfNotPresent({ ...again, unschedulablePlugins: new Set() }, q.schedulingCycle);
    clock.t += 9_999;
    q.flushBackoffQCompleted();
    expect(q.lengths().active).toBe(0);
    clock.t += 1;
    q.flushBackoffQCompleted();
    expect(q.lengths().active).toBe(1);
  });

  it('sends a pod to backoffQ when a move request came while it was being scheduled', async () => {
    const { q } = newQueue();
    q.add(makePod('p'));
    const info = (await q.pop())!;
    const cycle = q.schedulingCycle;
    q.moveAllToActiveOrBackoffQueue();
    info.unschedulablePlugins.add('X');
    q.addUnschedulableIfNotPresent(info, cycle);
    expect(q.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it('retries unschedulable pods after 5 minutes', async () => {
    const { q, clock } = newQueue();
    q.add(makePod('p'));
    const info = (await q.pop())!;
    info.unschedulablePlugins.add('X');
    q.addUnschedulableIfNotPresent(info, q.schedulingCycle);
    clock.t += 5 * 60_000;
    q.flushUnschedulablePodsLeftover();
    expect(q.lengths().unschedulable).toBe(1);
    clock.t += 1;
    q.flushUnschedulablePodsLeftover();
    expect(q.lengths()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it('holds gated pods until their gates are removed', () => {
    const { q } = newQueue();
    const gated = makePod('g', { spec: { schedulingGates: [{ name: 'wait' }] } as never });
    q.add(gated);
    q.moveAllToActiveOrBackoffQueue();
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    q.update({ ...gated, spec: { ...gated.spec!, schedulingGates: [] } });
    expect(q.lengths()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it('tracks nominated pods per node', () => {
    const { q } = newQueue();
    const p = makePod('p');
    q.addNominatedPod(p, 'n1');
    expect(q.nominatedPodsForNode('n1')).toEqual([p]);
    q.addNominatedPod(p, 'n2');
    expect(q.nominatedPodsForNode('n1')).toEqual([]);
    q.delete(p);
    expect(q.nominatedPodsForNode('n2')).toEqual([]);
  });
});
