import { describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { computePodStatus, podPhase, rejectedStatus, type ContainerRecord, type PodRuntimeView } from './pod-status.ts';

const now = new Date('2025-01-01T00:00:10Z');
const pod = (restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', extra: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u' },
  spec: { restartPolicy, containers: [{ name: 'a' }, { name: 'b' }], ...extra },
});

const running = (name: string, ready = true): ContainerRecord => ({
  name, image: 'docker.io/library/busybox:latest', restartCount: 0, ready, started: true, state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
});
const exited = (name: string, exitCode: number): ContainerRecord => ({
  name, image: 'i', restartCount: 0, ready: false, started: false,
  state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:05Z' } },
});
const waiting = (name: string, reason: string, last?: number): ContainerRecord => ({
  name, image: 'i', restartCount: last === undefined ? 0 : 1, ready: false, started: false, state: { waiting: { reason } },
  ...(last === undefined ? {} : { lastState: { exitCode: last, reason: 'Error' } }),
});
const view = (containers: ContainerRecord[], init: ContainerRecord[] = [], extra: Partial<PodRuntimeView> = {}): PodRuntimeView => ({
  init, containers, hostIP: '127.0.0.1', podIP: '10.244.0.2', startTime: '2025-01-01T00:00:00Z', sandboxReady: true, ...extra,
});

describe('podPhase (kubelet getPhase)', () => {
  it.each<[string, Pod, PodRuntimeView, string, boolean?]>([
    ['all running', pod(), view([running('a'), running('b')]), 'Running'],
    ['one still creating', pod(), view([running('a'), waiting('b', 'ContainerCreating')]), 'Pending'],
    ['crash-looping counts as stopped, not waiting', pod(), view([running('a'), waiting('b', 'CrashLoopBackOff', 1)]), 'Running'],
    ['Always: all exited is still Running (restarting)', pod('Always'), view([exited('a', 0), exited('b', 1)]), 'Running'],
    ['OnFailure: all succeeded', pod('OnFailure'), view([exited('a', 0), exited('b', 0)]), 'Succeeded'],
    ['OnFailure: one failed keeps Running', pod('OnFailure'), view([exited('a', 0), exited('b', 1)]), 'Running'],
    ['Never: one failed', pod('Never'), view([exited('a', 0), exited('b', 2)]), 'Failed'],
    ['Never: one still running', pod('Never'), view([running('a'), exited('b', 2)]), 'Running'],
    ['init running', pod(), view([waiting('a', 'PodInitializing'), waiting('b', 'PodInitializing')], [running('i')]), 'Pending'],
    ['init failed under Never', pod('Never'), view([waiting('a', 'PodInitializing'), waiting('b', 'PodInitializing')], [exited('i', 1)]), 'Failed'],
    ['init failed under Always retries: Pending', pod(), view([waiting('a', 'PodInitializing'), waiting('b', 'PodInitializing')], [exited('i', 1)]), 'Pending'],
    ['terminal (being deleted) Always pod with a failure', pod(), view([exited('a', 0), exited('b', 143)]), 'Failed', true],
    ['terminal all-zero', pod(), view([exited('a', 0), exited('b', 0)]), 'Succeeded', true],
    ['forced outcome wins', pod(), view([exited('a', 137), exited('b', 137)], [], { forced: { phase: 'Failed', reason: 'DeadlineExceeded' } }), 'Failed'],
  ])('%s → %s', (_name, p, v, phase, terminal) => {
    expect(podPhase(p, v, terminal)).toBe(phase);
  });
});

describe('computePodStatus', () => {
  it('writes the kubelet conditions in order with reasons and messages', () => {
    const status = computePodStatus(pod(), view([running('a'), running('b', false)]), undefined, now);
    expect(status.conditions).toEqual([
      { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: '2025-01-01T00:00:10Z' },
      { type: 'Initialized', status: 'True', lastTransitionTime: '2025-01-01T00:00:10Z' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [b]', lastTransitionTime: '2025-01-01T00:00:10Z' },
      { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [b]', lastTransitionTime: '2025-01-01T00:00:10Z' },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-01T00:00:10Z' },
    ]);
    expect(status).toMatchObject({
      phase: 'Running', hostIP: '127.0.0.1', hostIPs: [{ ip: '127.0.0.1' }], podIP: '10.244.0.2', podIPs: [{ ip: '10.244.0.2' }],
      startTime: '2025-01-01T00:00:00Z', qosClass: 'BestEffort',
    });
    expect(status.initContainerStatuses).toBeUndefined();
    expect(status.containerStatuses?.[1]).toEqual({
      name: 'b', state: { running: { startedAt: '2025-01-01T00:00:00Z' } }, lastState: {}, ready: false, restartCount: 0,
      image: 'docker.io/library/busybox:latest', imageID: '', started: true,
    });
  });

  it('keeps transition times of unchanged conditions and the scheduler\'s PodScheduled', () => {
    const scheduled = { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-12-31T00:00:00Z' } as const;
    const p: Pod = { ...pod(), status: { qosClass: 'Guaranteed', conditions: [scheduled] } };
    const previous: PodStatus = computePodStatus(p, view([running('a'), running('b')]), undefined, new Date('2025-01-01T00:00:01Z'));
    const next = computePodStatus(p, view([running('a'), running('b', false)]), previous, now);
    const times = Object.fromEntries(next.conditions!.map((c) => [c.type, c.lastTransitionTime]));
    expect(times).toEqual({
      PodReadyToStartContainers: '2025-01-01T00:00:01Z', Initialized: '2025-01-01T00:00:01Z',
      Ready: '2025-01-01T00:00:10Z', ContainersReady: '2025-01-01T00:00:10Z', PodScheduled: '2024-12-31T00:00:00Z',
    });
    expect(next.qosClass).toBe('Guaranteed');
  });

  it('lists incomplete init containers and reports their statuses', () => {
    const status = computePodStatus(pod(), view([waiting('a', 'PodInitializing'), waiting('b', 'PodInitializing')], [exited('i1', 0), running('i2', false)]), undefined, now);
    expect(status.phase).toBe('Pending');
    expect(status.conditions?.[1]).toMatchObject({ type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i2]' });
    expect(status.initContainerStatuses?.map((c) => c.name)).toEqual(['i1', 'i2']);
  });

  it('completes: Ready False with PodCompleted, sandbox gone', () => {
    const status = computePodStatus(pod('OnFailure'), view([exited('a', 0), exited('b', 0)], [], { sandboxReady: false }), undefined, now);
    expect(status.phase).toBe('Succeeded');
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['PodReadyToStartContainers', 'False', undefined], ['Initialized', 'True', undefined], ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'], ['PodScheduled', 'True', undefined],
    ]);
  });

  it('carries a forced reason and message', () => {
    const status = computePodStatus(pod(), view([exited('a', 137), exited('b', 137)], [], {
      forced: { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' },
    }), undefined, now);
    expect(status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
  });

  it('holds Ready back until readiness gates are True', () => {
    const p = pod('Always', { readinessGates: [{ conditionType: 'example.com/gate' }] });
    const status = computePodStatus(p, view([running('a'), running('b')]), undefined, now);
    expect(status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/gate" does not exist.',
    });
    expect(status.conditions?.find((c) => c.type === 'ContainersReady')?.status).toBe('True');
  });
});

describe('rejectedStatus', () => {
  it('is Failed with "Pod was rejected: " and keeps only PodScheduled', () => {
    const p: Pod = { ...pod(), status: { conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }] } };
    expect(rejectedStatus(p, 'NodePorts', 'Predicate NodePorts failed', '127.0.0.1', now)).toEqual({
      phase: 'Failed', reason: 'NodePorts', message: 'Pod was rejected: Predicate NodePorts failed',
      conditions: [{ type: 'PodScheduled', status: 'True' }], hostIP: '127.0.0.1', hostIPs: [{ ip: '127.0.0.1' }],
      startTime: '2025-01-01T00:00:10Z', qosClass: 'BestEffort',
    });
  });
});
