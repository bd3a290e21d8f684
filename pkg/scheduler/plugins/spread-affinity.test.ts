import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { CycleState, type AnyPlugin } from '../framework/interface.ts';
import { makeNode, makePod, snapshotOf } from '../framework/testing.ts';
import { newPodTopologySpread } from './pod-topology-spread.ts';
import { newInterPodAffinity } from './inter-pod-affinity.ts';
import { labelSelectorFromSet } from '../../api/selectors/index.ts';

/** The filter result per node name ('ok' or the first reason). */
function filterAll(plugin: AnyPlugin, pod: Pod, nodes: Node[], bound: Pod[] = [], nsLabels = {}): Record<string, string> {
  const { cache, handle } = snapshotOf(nodes, bound, nsLabels);
  const state = new CycleState();
  const pre = plugin.preFilter!(state, pod, handle);
  const out: Record<string, string> = {};
  for (const n of cache.nodeInfos) {
    if (pre.status?.code === 'Skip') out[n.name] = 'ok';
    else out[n.name] = plugin.filter!(state, pod, n, handle)?.reasons[0] ?? 'ok';
  }
  return out;
}

const zoneNodes = () => [
  makeNode('a1', { labels: { zone: 'a' } }), makeNode('a2', { labels: { zone: 'a' } }), makeNode('b1', { labels: { zone: 'b' } }), makeNode('nolabel'),
];
const web = (name: string, nodeName?: string) => makePod(name, { labels: { app: 'web' }, nodeName });
const spread = (maxSkew: number, when = 'DoNotSchedule') => ({
  topologySpreadConstraints: [{ maxSkew, topologyKey: 'zone', whenUnsatisfiable: when, labelSelector: { matchLabels: { app: 'web' } } }],
});

describe('PodTopologySpread filter', () => {
  it('keeps the skew between zones within maxSkew and needs the topology label', () => {
    const pod = makePod('p', { labels: { app: 'web' }, spec: spread(1) as never });
    const got = filterAll(newPodTopologySpread(), pod, zoneNodes(), [web('x', 'a1')]);
    expect(got).toEqual({
      a1: "node(s) didn't match pod topology spread constraints", a2: "node(s) didn't match pod topology spread constraints",
      b1: 'ok', nolabel: "node(s) didn't match pod topology spread constraints (missing required label)",
    });
  });
  it('allows it once the zones are even', () => {
    const pod = makePod('p', { labels: { app: 'web' }, spec: spread(1) as never });
    expect(filterAll(newPodTopologySpread(), pod, zoneNodes(), [web('x', 'a1'), web('y', 'b1')]).a2).toBe('ok');
  });
});

describe('PodTopologySpread score', () => {
  it('prefers the emptier zone for ScheduleAnyway, and the system defaults need a selector', () => {
    const nodes = zoneNodes().slice(0, 3);
    const { cache, handle } = snapshotOf(nodes, [web('x', 'a1'), web('y', 'a2')]);
    const plugin = newPodTopologySpread();
    const state = new CycleState();
    const pod = makePod('p', { labels: { app: 'web' }, spec: spread(1, 'ScheduleAnyway') as never });
    expect(plugin.preScore!(state, pod, cache.nodeInfos, handle)).toBeNull();
    const s = cache.nodeInfos.map((n) => plugin.score!(state, pod, n, handle));
    plugin.normalizeScore!(state, pod, cache.nodeInfos, s);
    expect(s[2]).toBe(100);
    expect(s[0]).toBeLessThan(s[2]!);
    // No constraints and no owner: the defaults do not apply.
    expect(plugin.preScore!(new CycleState(), makePod('q', { labels: { app: 'web' } }), cache.nodeInfos, handle)?.code).toBe('Skip');
    const withDefaults = newPodTopologySpread({ defaultSelector: () => labelSelectorFromSet({ app: 'web' }) });
    expect(withDefaults.preScore!(new CycleState(), makePod('q', { labels: { app: 'web' } }), cache.nodeInfos, handle)).toBeNull();
  });
});

describe('InterPodAffinity filter', () => {
  const term = (labels: Record<string, string>, extra: object = {}) => [{ topologyKey: 'zone', labelSelector: { matchLabels: labels }, ...extra }];
  it('required affinity: only zones with a matching pod', () => {
    const pod = makePod('p', { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term({ app: 'db' }) } } } as never });
    const got = filterAll(newInterPodAffinity(), pod, zoneNodes().slice(0, 3), [makePod('db', { labels: { app: 'db' }, nodeName: 'b1' })]);
    expect(got).toEqual({ a1: "node(s) didn't match pod affinity rules", a2: "node(s) didn't match pod affinity rules", b1: 'ok' });
  });
  it('required affinity to itself lets the first pod of a group in', () => {
    const pod = makePod('p', { labels: { app: 'db' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term({ app: 'db' }) } } } as never });
    expect(Object.values(filterAll(newInterPodAffinity(), pod, zoneNodes().slice(0, 3)))).toEqual(['ok', 'ok', 'ok']);
  });
  it('required anti-affinity, both ways', () => {
    const anti = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term({ app: 'web' }) } } };
    const pod = makePod('p', { labels: { app: 'web' }, spec: anti as never });
    expect(filterAll(newInterPodAffinity(), pod, zoneNodes().slice(0, 3), [web('x', 'a1')]))
      .toEqual({ a1: "node(s) didn't match pod anti-affinity rules", a2: "node(s) didn't match pod anti-affinity rules", b1: 'ok' });
    const existing = makePod('e', { labels: { app: 'other' }, nodeName: 'b1', spec: anti as never });
    expect(filterAll(newInterPodAffinity(), web('p2'), zoneNodes().slice(0, 3), [existing]))
      .toEqual({ a1: 'ok', a2: 'ok', b1: "node(s) didn't satisfy existing pods anti-affinity rules" });
  });
  it('namespaceSelector picks namespaces by their labels', () => {
    const pod = makePod('p', { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term({ app: 'db' }, { namespaceSelector: { matchLabels: { team: 'x' } } }) } } } as never });
    const db = makePod('db', { labels: { app: 'db' }, nodeName: 'b1', namespace: 'data' });
    expect(filterAll(newInterPodAffinity(), pod, zoneNodes().slice(0, 3), [db], { data: { team: 'x' } }).b1).toBe('ok');
    expect(filterAll(newInterPodAffinity(), pod, zoneNodes().slice(0, 3), [db], { data: { team: 'y' } }).b1).toBe("node(s) didn't match pod affinity rules");
  });
});
