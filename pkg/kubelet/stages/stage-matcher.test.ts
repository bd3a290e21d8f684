import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseFieldPath, readFieldPath } from './field-path.ts';
import { compileStages, exitCodeOf, firstMatch, selects, stageDelayMs } from './stage-matcher.ts';
import type { Stage, StageSelector } from './stage-types.ts';

const pod: Pod = {
  metadata: { name: 'p', labels: { app: 'web' }, annotations: { 'example.com/delay': '1m30s', 'example.com/code': '42' } },
  spec: { nodeName: 'n', containers: [{ name: 'main' }], restartPolicy: 'Always' },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }, { type: 'ContainersReady', status: 'True' }],
    containerStatuses: [{ name: 'main', ready: true, restartCount: 3, image: 'x', imageID: '', state: { running: {} } }],
  },
};

function stage(name: string, selector?: StageSelector, delay?: Stage['spec']['delay']): Stage {
  return { apiVersion: 'fake-kubelet.kube-ts.io/v1alpha1', kind: 'Stage', metadata: { name }, spec: { resourceRef: { kind: 'Pod' }, selector, delay, next: { delete: true } } };
}

describe('field paths', () => {
  it.each([
    ['.status.phase', 'Running'],
    ['.metadata.labels.app', 'web'],
    ['.metadata.annotations["example.com/code"]', '42'],
    ['.status.conditions[type=ContainersReady].status', 'True'],
    ['.status.conditions[1].type', 'ContainersReady'],
    ['.status.containerStatuses[0].restartCount', 3],
    ['.status.containerStatuses[0].ready', true],
    ['.status.containerStatuses[0].state.running', {}],
    ['.status.containerStatuses[0].state.waiting', undefined],
    ['.status.conditions[type=PodScheduled].status', undefined],
    ['.status.conditions[5]', undefined],
    ['.status.phase.length', undefined],
    ['.spec.containers.name', undefined],
  ])('%s reads %j', (path, value) => {
    expect(readFieldPath(pod, parseFieldPath(path))).toEqual(value);
  });
});

describe('selectors', () => {
  const sel = (selector: StageSelector) => selects(compileStages([stage('s', selector)])[0]!, pod);

  it.each<[string, StageSelector, boolean]>([
    ['no selector at all', {}, true],
    ['a matching label', { matchLabels: { app: 'web' } }, true],
    ['a label of another value', { matchLabels: { app: 'db' } }, false],
    ['a matching annotation', { matchAnnotations: { 'example.com/code': '42' } }, true],
    ['In on a scalar', { matchExpressions: [{ key: '.status.phase', operator: 'In', values: ['Pending', 'Running'] }] }, true],
    ['In on a number, compared as text', { matchExpressions: [{ key: '.status.containerStatuses[0].restartCount', operator: 'In', values: ['3'] }] }, true],
    ['In on a missing field', { matchExpressions: [{ key: '.status.reason', operator: 'In', values: ['x'] }] }, false],
    ['NotIn on a missing field (as label selectors)', { matchExpressions: [{ key: '.status.reason', operator: 'NotIn', values: ['x'] }] }, true],
    ['NotIn on a condition', { matchExpressions: [{ key: '.status.conditions[type=Ready].status', operator: 'NotIn', values: ['True'] }] }, true],
    ['Exists on an object', { matchExpressions: [{ key: '.status.containerStatuses[0].state.running', operator: 'Exists' }] }, true],
    ['DoesNotExist on a field that is there', { matchExpressions: [{ key: '.spec.nodeName', operator: 'DoesNotExist' }] }, false],
    ['every part is ANDed', { matchLabels: { app: 'web' }, matchExpressions: [{ key: '.status.phase', operator: 'In', values: ['Pending'] }] }, false],
  ])('%s: %j', (_what, selector, expected) => {
    expect(sel(selector)).toBe(expected);
  });

  it('picks the first stage that selects the object and has not fired', () => {
    const stages = compileStages([
      stage('pending-only', { matchExpressions: [{ key: '.status.phase', operator: 'In', values: ['Pending'] }] }),
      stage('web', { matchLabels: { app: 'web' } }),
      stage('any'),
    ]);
    expect(firstMatch(stages, 'Pod', pod)?.name).toBe('web');
    expect(firstMatch(stages, 'Pod', pod, (name) => name === 'web')?.name).toBe('any');
    expect(firstMatch(stages, 'Pod', pod, () => true)).toBeUndefined();
  });
});

describe('delays and exit codes', () => {
  it('waits the fixed duration, or the annotation\'s when it is a valid duration', () => {
    expect(stageDelayMs(stage('s'), pod)).toBe(0);
    expect(stageDelayMs(stage('s', {}, { durationMilliseconds: 250 }), pod)).toBe(250);
    expect(stageDelayMs(stage('s', {}, { durationMilliseconds: 250, durationFrom: { annotation: 'example.com/delay' } }), pod)).toBe(90_000);
    expect(stageDelayMs(stage('s', {}, { durationMilliseconds: 250, durationFrom: { annotation: 'example.com/code' } }), pod)).toBe(250); // "42" has no unit
    expect(stageDelayMs(stage('s', {}, { durationMilliseconds: 250, durationFrom: { annotation: 'example.com/none' } }), pod)).toBe(250);
  });

  it('draws jitter uniformly between the duration and the jitter duration', () => {
    const jittered = stage('s', {}, { durationMilliseconds: 1000, jitterDurationMilliseconds: 3000 });
    expect(stageDelayMs(jittered, pod, () => 0)).toBe(1000);
    expect(stageDelayMs(jittered, pod, () => 0.25)).toBe(1500);
    expect(stageDelayMs(jittered, pod, () => 0.999)).toBe(2998);
    expect(stageDelayMs(stage('s', {}, { jitterDurationMilliseconds: 100 }), pod, () => 0.5)).toBe(50);
  });

  it('reads an exit code from an annotation when it is one, else the fixed code, else 1', () => {
    expect(exitCodeOf({ codeFromAnnotation: 'example.com/code', code: 7 }, pod)).toBe(42);
    expect(exitCodeOf({ codeFromAnnotation: 'example.com/delay', code: 7 }, pod)).toBe(7);
    expect(exitCodeOf({ codeFromAnnotation: 'example.com/none' }, pod)).toBe(1);
    expect(exitCodeOf({ code: 0 }, pod)).toBe(0);
  });
});
