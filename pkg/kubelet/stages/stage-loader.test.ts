import { describe, expect, it } from 'vitest';
import { defaultStages, loadStageFile, parseStages, StageFileError } from './index.ts';

/** A valid stage; each refusal case edits one line of it (line numbers below count from 1). */
const valid = `apiVersion: fake-kubelet.kube-ts.io/v1alpha1
kind: Stage
metadata:
  name: slow-start
spec:
  resourceRef:
    kind: Pod
  selector:
    matchLabels:
      app: slow
    matchExpressions:
    - key: .status.phase
      operator: In
      values: [Pending]
  delay:
    durationMilliseconds: 1000
    jitterDurationMilliseconds: 2000
  next:
    startContainers: true
`;

function refusal(source: string): string {
  try {
    parseStages(source, 'user.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(StageFileError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('stage loader', () => {
  it('accepts a valid file and the built-in one, in order', () => {
    expect(parseStages(valid, 'user.yaml').map((s) => s.metadata.name)).toEqual(['slow-start']);
    expect(defaultStages().map((s) => s.metadata.name)).toEqual([
      'pod-delete', 'pod-start-after-annotation', 'pod-start', 'pod-ready-after-annotation', 'pod-ready', 'pod-exit-code-annotation',
    ]);
    // An empty document (a trailing ---) is no stage.
    expect(parseStages(`${valid}---\n`, 'user.yaml')).toHaveLength(1);
  });

  it.each([
    ['a YAML syntax error', valid.replace('values: [Pending]', 'values: [Pending'), 'user.yaml:15: '],
    ['an unknown field', valid.replace('operator: In', 'operater: In'), 'user.yaml:13: spec.selector.matchExpressions[0].operater: unknown field "operater"'],
    ['an unknown top-level field', `${valid}status: {}\n`, 'user.yaml:20: status: unknown field "status"'],
    ['a duration that is no integer', valid.replace('durationMilliseconds: 1000', 'durationMilliseconds: 5s'), 'user.yaml:16: spec.delay.durationMilliseconds: must be an integer, not string "5s"'],
    ['a negative duration', valid.replace('durationMilliseconds: 1000', 'durationMilliseconds: -5'), 'user.yaml:16: spec.delay.durationMilliseconds: must be from 0 to 31536000000, not -5'],
    ['jitter below the duration', valid.replace('jitterDurationMilliseconds: 2000', 'jitterDurationMilliseconds: 500'), 'user.yaml:17: spec.delay.jitterDurationMilliseconds: must be at least durationMilliseconds (1000), not 500'],
    ['an unknown operator', valid.replace('operator: In', 'operator: Equals'), 'user.yaml:13: spec.selector.matchExpressions[0].operator: unsupported value "Equals": must be one of "In", "NotIn", "Exists", "DoesNotExist"'],
    ['In without values', valid.replace('      values: [Pending]\n', ''), 'user.yaml:12: spec.selector.matchExpressions[0].values: must be non-empty for operator In'],
    ['Exists with values', valid.replace('operator: In', 'operator: Exists'), 'user.yaml:14: spec.selector.matchExpressions[0].values: must be absent for operator Exists'],
    ['a field path without its dot', valid.replace('key: .status.phase', 'key: status.phase'), 'user.yaml:12: spec.selector.matchExpressions[0].key: field path "status.phase" must start with "." (e.g. .status.phase)'],
    ['a field path that cannot be read', valid.replace('key: .status.phase', 'key: .status.conditions[type=Ready.status'), 'user.yaml:12: spec.selector.matchExpressions[0].key: field path ".status.conditions[type=Ready.status" cannot be read at "[type=Ready.status"'],
    ['a label value that is no string', valid.replace('app: slow', 'app: 1'), 'user.yaml:10: spec.selector.matchLabels.app: must be a string, not number 1 (quote it)'],
    ['a boolean that is a string', valid.replace('startContainers: true', 'startContainers: yes'), 'user.yaml:19: spec.next.startContainers: must be true or false, not string "yes"'],
    ['a missing required field', valid.replace('  next:\n    startContainers: true\n', ''), 'user.yaml:5: spec.next: required field is missing'],
    ['a next that does nothing', valid.replace('    startContainers: true\n', '    {}\n').replace('  next:\n    {}', '  next: {}'), 'user.yaml:18: spec.next: must say what happens: event, startContainers, containersReady, containerExit, podPhase or delete'],
    ['a reason without podPhase', valid.replace('startContainers: true', 'reason: Boom'), 'user.yaml:19: spec.next.reason: is the status reason of podPhase, which is missing'],
    ['an exit code out of range', valid.replace('startContainers: true', 'containerExit: {code: 300}'), 'user.yaml:19: spec.next.containerExit.code: must be from 0 to 255, not 300'],
    ['an exit without a code', valid.replace('startContainers: true', 'containerExit: {reason: OOMKilled}'), 'user.yaml:19: spec.next.containerExit: needs code or codeFromAnnotation'],
    ['a Node stage (not played yet)', valid.replace('kind: Pod', 'kind: Node'), 'user.yaml:7: spec.resourceRef.kind: unsupported value "Node": must be one of "Pod"'],
    ['another apiVersion', valid.replace('apiVersion: fake-kubelet.kube-ts.io/v1alpha1', 'apiVersion: kwok.x-k8s.io/v1alpha1'), 'user.yaml:1: apiVersion: unsupported value "kwok.x-k8s.io/v1alpha1": must be one of "fake-kubelet.kube-ts.io/v1alpha1"'],
    ['a document that is a list', '- a\n- b\n', 'user.yaml:1: (document): must be a mapping, not a list'],
    ['an event of an unknown type', valid.replace('startContainers: true', 'event: {type: Error, reason: X}'), 'user.yaml:19: spec.next.event.type: unsupported value "Error": must be one of "Normal", "Warning"'],
  ])('refuses %s, naming the line and field', (_what, source, message) => {
    const got = refusal(source);
    if (message.endsWith(': ')) expect(got.startsWith(message)).toBe(true);
    else expect(got).toBe(message);
  });

  it('counts lines across documents and refuses a name used twice', () => {
    const second = valid.replace('app: slow', 'app: 2');
    expect(refusal(`${valid}---\n${second}`)).toBe('user.yaml:30: spec.selector.matchLabels.app: must be a string, not number 2 (quote it)');
    expect(refusal(`${valid}---\n${valid}`)).toBe('user.yaml:24: metadata.name: stage "slow-start" is already defined at line 4');
  });

  it('refuses a file it cannot read', () => {
    expect(() => loadStageFile('/nonexistent/stages.yaml')).toThrow(new StageFileError('/nonexistent/stages.yaml: cannot read stage file: ENOENT'));
  });
});
