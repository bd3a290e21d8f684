import { describe, expect, it } from 'vitest';
import { CycleState } from '../framework/interface.ts';
import { makeNode, makePod, snapshotOf } from '../framework/testing.ts';
import type { AnyPlugin } from '../framework/interface.ts';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { newTaintToleration } from './taint-toleration.ts';
import { newNodeUnschedulable } from './node-unschedulable.ts';
import { newNodeName } from './node-name.ts';
import { newNodeAffinity } from './node-affinity.ts';
import { newNodePorts } from './node-ports.ts';
import { newNodeResourcesFit } from './node-resources-fit.ts';
import { newSchedulingGates } from './scheduling-gates.ts';

/** PreFilter (when present) then Filter on the single node of the snapshot. */
function filter(plugin: AnyPlugin, pod: Pod, node = makeNode('n'), bound: Pod[] = []) {
  const { cache, handle } = snapshotOf([node], bound.map((p) => ({ ...p, spec: { ...p.spec!, nodeName: node.metadata!.name } })));
  const state = new CycleState();
  const pre = plugin.preFilter?.(state, pod, handle);
  if (pre?.status?.code === 'Skip') return 'skip';
  if (pre?.status) return pre.status;
  return plugin.filter!(state, pod, cache.nodeInfos[0]!, handle);
}

const taint = (key: string, effect: string, value?: string) => ({ key, value, effect });

describe('TaintToleration filter', () => {
  it.each([
    ['no taints', [], [], null],
    ['untolerated NoSchedule', [taint('dedicated', 'NoSchedule', 'gpu')], [], { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] }],
    ['PreferNoSchedule is not filtered', [taint('soft', 'PreferNoSchedule')], [], null],
    ['tolerated by Exists', [taint('dedicated', 'NoSchedule', 'gpu')], [{ key: 'dedicated', operator: 'Exists' }], null],
    ['Equal with another value', [taint('dedicated', 'NoExecute', 'gpu')], [{ key: 'dedicated', value: 'cpu', effect: 'NoExecute' }],
      { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] }],
    ['empty key with Exists tolerates all', [taint('a', 'NoSchedule')], [{ operator: 'Exists' }], null],
  ])('%s', (_name, taints, tolerations, want) => {
    const got = filter(newTaintToleration(), makePod('p', { spec: { tolerations } as never }), makeNode('n', { spec: { taints } }));
    expect(got).toEqual(want);
  });
});

describe('NodeUnschedulable, NodeName, SchedulingGates', () => {
  it('rejects a cordoned node unless tolerated', () => {
    const cordoned = makeNode('n', { spec: { unschedulable: true } });
    expect(filter(newNodeUnschedulable(), makePod('p'), cordoned)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
    const tolerant = makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } as never });
    expect(filter(newNodeUnschedulable(), tolerant, cordoned)).toBeNull();
  });
  it('rejects other nodes than spec.nodeName', () => {
    expect(filter(newNodeName(), makePod('p', { spec: { nodeName: 'other' } as never }))).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"] });
  });
  it('gates pods with scheduling gates', () => {
    const gated = makePod('p', { spec: { schedulingGates: [{ name: 'a' }, { name: 'b' }] } as never });
    expect(newSchedulingGates().preEnqueue!(gated)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['waiting for scheduling gates: [a b]'] });
    expect(newSchedulingGates().preEnqueue!(makePod('q'))).toBeNull();
  });
});

describe('NodeAffinity filter', () => {
  const node = makeNode('n', { labels: { disk: 'ssd', cores: '8' } });
  const req = (expr: object) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } } } });
  it.each([
    ['nodeSelector match', { nodeSelector: { disk: 'ssd' } }, null],
    ['nodeSelector mismatch', { nodeSelector: { disk: 'hdd' } }, "node(s) didn't match Pod's node affinity/selector"],
    ['In', req({ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }), null],
    ['NotIn', req({ key: 'disk', operator: 'NotIn', values: ['ssd'] }), "node(s) didn't match Pod's node affinity/selector"],
    ['Gt', req({ key: 'cores', operator: 'Gt', values: ['4'] }), null],
    ['DoesNotExist', req({ key: 'gpu', operator: 'DoesNotExist' }), null],
  ])('%s', (_n, spec, reason) => {
    const got = filter(newNodeAffinity(), makePod('p', { spec: spec as never }), node);
    expect(got === null ? null : (got as unknown as { reasons: string[] }).reasons[0]).toBe(reason);
  });
  it('skips pods without selector or required affinity', () => {
    expect(filter(newNodeAffinity(), makePod('p'), node)).toBe('skip');
  });
});

describe('NodePorts filter', () => {
  const withPort = (hostPort: number, hostIP?: string, protocol?: string) =>
    makePod(`p${hostPort}${hostIP}${protocol}`, { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort, hostIP, protocol }] }] } as never });
  const conflict = { code: 'Unschedulable', reasons: ["node(s) didn't have free ports for the requested pod ports"] };
  it.each([
    ['same port, both any address', withPort(80), withPort(80), conflict],
    ['0.0.0.0 against a specific address', withPort(80, '127.0.0.1'), withPort(80), conflict],
    ['specific against 0.0.0.0', withPort(80), withPort(80, '127.0.0.1'), conflict],
    ['different addresses', withPort(80, '127.0.0.1'), withPort(80, '127.0.0.2'), null],
    ['different protocol', withPort(80), withPort(80, undefined, 'UDP'), null],
    ['different port', withPort(80), withPort(81), null],
  ])('%s', (_n, existing, incoming, want) => {
    expect(filter(newNodePorts(), incoming, makeNode('n'), [existing])).toEqual(want);
  });
});

describe('NodeResourcesFit filter', () => {
  it.each([
    ['fits', makePod('p', { cpu: '1' }), [makePod('a', { cpu: '2' })], null],
    ['insufficient cpu', makePod('p', { cpu: '3' }), [makePod('a', { cpu: '2' })], { code: 'Unschedulable', reasons: ['Insufficient cpu'] }],
    ['more than allocatable is unresolvable', makePod('p', { cpu: '5' }), [], { code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] }],
    ['cpu and memory', makePod('p', { cpu: '3', memory: '7Gi' }), [makePod('a', { cpu: '2', memory: '2Gi' })],
      { code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory'] }],
    ['extended resource', makePod('p', { spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { 'example.com/gpu': '1' } } }] } as never }), [],
      { code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient example.com/gpu'] }],
  ])('%s', (_n, pod, bound, want) => {
    expect(filter(newNodeResourcesFit(), pod, makeNode('n', { cpu: '4', memory: '8Gi' }), bound)).toEqual(want);
  });

  it('counts init containers by their maximum and adds the overhead', () => {
    const pod = makePod('p', { cpu: '1', spec: {
      initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '3500m' } } }], overhead: { cpu: '250m' },
    } as never });
    // max(1, 3.5) + 0.25 = 3.75 > 4 - 0.5
    expect(filter(newNodeResourcesFit(), pod, makeNode('n', { cpu: '4' }), [makePod('a', { cpu: '500m' })])).toEqual({ code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    expect(filter(newNodeResourcesFit(), pod, makeNode('n', { cpu: '4' }), [makePod('a', { cpu: '250m' })])).toBeNull();
  });

  it('refuses a pod over the node\'s pod count', () => {
    expect(filter(newNodeResourcesFit(), makePod('p'), makeNode('n', { pods: '1' }), [makePod('a')])).toEqual({ code: 'Unschedulable', reasons: ['Too many pods'] });
  });
});
