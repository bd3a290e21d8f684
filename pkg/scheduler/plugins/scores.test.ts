import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { CycleState, type AnyPlugin } from '../framework/interface.ts';
import { makeNode, makePod, snapshotOf } from '../framework/testing.ts';
import { newNodeResourcesFit } from './node-resources-fit.ts';
import { newBalancedAllocation } from './balanced-allocation.ts';
import { newTaintToleration } from './taint-toleration.ts';
import { newNodeAffinity } from './node-affinity.ts';
import { newImageLocality } from './image-locality.ts';
import { newInterPodAffinity } from './inter-pod-affinity.ts';
import { defaultNormalizeScore } from './helper.ts';

/** PreScore, Score and NormalizeScore over every node, as the framework runs them. */
function scores(plugin: AnyPlugin, pod: Pod, nodes: Node[], bound: Pod[] = []): number[] | 'skip' {
  const { cache, handle } = snapshotOf(nodes, bound);
  const state = new CycleState();
  const infos = cache.nodeInfos;
  if (plugin.preScore?.(state, pod, infos, handle)?.code === 'Skip') return 'skip';
  const s = infos.map((n) => plugin.score!(state, pod, n, handle));
  plugin.normalizeScore?.(state, pod, infos, s);
  return s;
}

describe('defaultNormalizeScore', () => {
  it.each([
    [[0, 5, 10], false, [0, 50, 100]],
    [[0, 5, 10], true, [100, 50, 0]],
    [[0, 0], true, [100, 100]],
    [[0, 0], false, [0, 0]],
    [[1, 3], false, [33, 100]],
  ])('%j reverse=%s → %j', (input, reverse, want) => {
    const s = [...input];
    defaultNormalizeScore(s, reverse);
    expect(s).toEqual(want);
  });
});

describe('NodeResourcesFit LeastAllocated', () => {
  it('scores free cpu and memory, with 100m / 200Mi for unset requests', () => {
    const nodes = [makeNode('a', { cpu: '4', memory: '8Gi' }), makeNode('b', { cpu: '4', memory: '8Gi' })];
    const bound = [makePod('x', { cpu: '2', memory: '4Gi', nodeName: 'a' })];
    // a: cpu (4000-3000)/4000 = 25, mem (8-5)/8 = 37 → 31; b: cpu 75, mem 87 → 81
    expect(scores(newNodeResourcesFit(), makePod('p', { cpu: '1', memory: '1Gi' }), nodes, bound)).toEqual([31, 81]);
    // no requests: 100m and 200Mi → b: cpu 97, mem 97
    expect((scores(newNodeResourcesFit(), makePod('p'), nodes, bound) as number[])[1]).toBe(97);
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  it('prefers equal cpu and memory fractions and skips pods requesting nothing', () => {
    const nodes = [makeNode('a', { cpu: '4', memory: '4Gi' }), makeNode('b', { cpu: '4', memory: '4Gi' })];
    const bound = [makePod('x', { cpu: '2', nodeName: 'a' })];
    // a: cpu 3/4, mem 1/4 → std 0.25 → 75; b: 1/4, 1/4 → 100
    expect(scores(newBalancedAllocation(), makePod('p', { cpu: '1', memory: '1Gi' }), nodes, bound)).toEqual([75, 100]);
    expect(scores(newBalancedAllocation(), makePod('p'), nodes, bound)).toBe('skip');
  });
});

describe('TaintToleration score', () => {
  it('prefers nodes with fewer untolerated PreferNoSchedule taints', () => {
    const soft = (key: string) => ({ key, effect: 'PreferNoSchedule' });
    const nodes = [makeNode('a'), makeNode('b', { spec: { taints: [soft('x')] } }), makeNode('c', { spec: { taints: [soft('x'), soft('y')] } })];
    expect(scores(newTaintToleration(), makePod('p'), nodes)).toEqual([100, 50, 0]);
    const tolerant = makePod('p', { spec: { tolerations: [{ key: 'x', operator: 'Exists', effect: 'PreferNoSchedule' }] } as never });
    expect(scores(newTaintToleration(), tolerant, nodes)).toEqual([100, 100, 0]);
  });
});

describe('NodeAffinity score', () => {
  it('sums the weights of matching preferred terms', () => {
    const term = (weight: number, v: string) => ({ weight, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: [v] }] } });
    const pod = makePod('p', { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [term(10, 'a'), term(30, 'b')] } } } as never });
    const nodes = [makeNode('a', { labels: { zone: 'a' } }), makeNode('b', { labels: { zone: 'b' } }), makeNode('c')];
    expect(scores(newNodeAffinity(), pod, nodes)).toEqual([33, 100, 0]);
  });
});

describe('ImageLocality', () => {
  it('prefers nodes holding the image, scaled by its spread', () => {
    const img = { names: ['docker.io/library/nginx:1.27', 'nginx:1.27'], sizeBytes: 500 * 1024 * 1024 };
    const nodes = [makeNode('a', { images: [img] }), makeNode('b')];
    const pod = makePod('p', { spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } as never });
    // 500Mi * 1/2 = 250Mi; (250-23)/(1000-23) * 100 = 23
    expect(scores(newImageLocality(), pod, nodes)).toEqual([23, 0]);
  });
});

describe('InterPodAffinity score', () => {
  it('adds preferred affinity weight per topology domain and subtracts anti-affinity', () => {
    const nodes = [makeNode('a', { labels: { zone: 'z1' } }), makeNode('b', { labels: { zone: 'z1' } }), makeNode('c', { labels: { zone: 'z2' } })];
    const bound = [makePod('db', { labels: { app: 'db' }, nodeName: 'a' })];
    const term = (weight: number) => [{ weight, podAffinityTerm: { topologyKey: 'zone', labelSelector: { matchLabels: { app: 'db' } } } }];
    const near = makePod('p', { spec: { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: term(5) } } } as never });
    expect(scores(newInterPodAffinity(), near, nodes, bound)).toEqual([100, 100, 0]);
    const far = makePod('q', { spec: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: term(5) } } } as never });
    expect(scores(newInterPodAffinity(), far, nodes, bound)).toEqual([0, 0, 100]);
  });
});
