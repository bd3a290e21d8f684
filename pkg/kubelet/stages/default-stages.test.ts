/**
 * Golden tests of the built-in stages (default-stages.yaml) and of user stages placed before
 * them: each case is a pod (the object in), then steps of simulated time, each with the status the
 * kubelet would write after it (timestamps and IDs left out) and the events the step emitted.
 * A real PodWorker plays the stages; only the clock is fake.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContainerState, Pod, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { PodWorker } from '../pod/pod-worker.ts';
import { compileStages, defaultStages, parseStages } from './index.ts';

/** The status as a golden file shows it: conditions by type, container states without times or IDs. */
interface Golden {
  phase?: string;
  reason?: string;
  message?: string;
  conditions: Record<string, string>;
  containers: { name: string; ready: boolean; restartCount: number; state: string; lastState?: string }[];
}

function stateText(state: ContainerState | undefined): string {
  if (state?.running) return 'running';
  if (state?.waiting) return `waiting ${state.waiting.reason}`;
  const t = state?.terminated;
  if (t) return `terminated ${t.exitCode} ${t.reason}${t.message ? `: ${t.message}` : ''}`;
  return 'none';
}

function golden(status: PodStatus): Golden {
  return {
    phase: status.phase,
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.message ? { message: status.message } : {}),
    conditions: Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c.status])),
    containers: (status.containerStatuses ?? []).map((c) => ({
      name: c.name, ready: c.ready, restartCount: c.restartCount, state: stateText(c.state),
      ...(c.lastState?.terminated ? { lastState: stateText(c.lastState) } : {}),
    })),
  };
}

const ready = { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' };
const notReady = { ...ready, Ready: 'False', ContainersReady: 'False' };

interface Step {
  /** Milliseconds of simulated time before this step's check (0: right after admission). */
  after: number;
  /** Replaces the pod's metadata before the time passes (a new copy from the API). */
  update?: Partial<Pod['metadata']>;
  status: Partial<Golden>;
  /** `type reason` of every event emitted during the step, in order. */
  events?: string[];
  deleteRequested?: boolean;
}

interface Case {
  name: string;
  pod: { labels?: Record<string, string>; annotations?: Record<string, string>; spec?: Partial<PodSpec> };
  /** A user's stage file, tried before the built-in stages. */
  userStages?: string;
  steps: Step[];
}

const sleeper = { name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] };
const started = ['Normal Pulled', 'Normal Created', 'Normal Started'];

const failLabelled = `
apiVersion: fake-kubelet.kube-ts.io/v1alpha1
kind: Stage
metadata:
  name: broken-pods-fail
spec:
  resourceRef:
    kind: Pod
  selector:
    matchLabels:
      app: broken
    matchExpressions:
    - key: .status.phase
      operator: In
      values: [Pending]
  delay:
    durationMilliseconds: 1000
    jitterDurationMilliseconds: 3000
  next:
    podPhase: Failed
    reason: SimulatedFailure
    message: the stage said so
    event:
      type: Warning
      reason: SimulatedFailure
      message: failed by stage broken-pods-fail
`;

const oomAfterRunning = `
apiVersion: fake-kubelet.kube-ts.io/v1alpha1
kind: Stage
metadata:
  name: oom
spec:
  resourceRef:
    kind: Pod
  selector:
    matchLabels:
      app: leaky
    matchExpressions:
    - key: .status.containerStatuses[0].state.running
      operator: Exists
    # One stage waits at a time, and this one comes before the built-in pod-ready: without this
    # term the container would stay unready until the stage fires.
    - key: .status.conditions[type=ContainersReady].status
      operator: In
      values: ["True"]
  delay:
    durationMilliseconds: 4000
  next:
    containerExit:
      code: 137
      reason: OOMKilled
`;

const cases: Case[] = [
  {
    name: 'pod-start + pod-ready: a simple pod is Running and Ready at once',
    pod: {},
    steps: [{ after: 0, status: { phase: 'Running', conditions: ready, containers: [{ name: 'main', ready: true, restartCount: 0, state: 'running' }] }, events: started }],
  },
  {
    name: 'pod-start-after-annotation: containers start after the annotation\'s duration',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/start-after': '3s' } },
    steps: [
      { after: 0, status: { phase: 'Pending', containers: [{ name: 'main', ready: false, restartCount: 0, state: 'waiting ContainerCreating' }] }, events: [] },
      { after: 2999, status: { phase: 'Pending' }, events: [] },
      { after: 1, status: { phase: 'Running', conditions: ready }, events: started },
    ],
  },
  {
    name: 'pod-ready-after-annotation: Running at once, Ready after the annotation\'s duration',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/ready-after': '5s' } },
    steps: [
      { after: 0, status: { phase: 'Running', conditions: notReady, containers: [{ name: 'main', ready: false, restartCount: 0, state: 'running' }] }, events: started },
      { after: 4999, status: { conditions: notReady }, events: [] },
      { after: 1, status: { phase: 'Running', conditions: ready, containers: [{ name: 'main', ready: true, restartCount: 0, state: 'running' }] }, events: [] },
    ],
  },
  {
    name: 'pod-ready-after-annotation: a value that is no duration means at once',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/ready-after': 'soon' } },
    steps: [{ after: 0, status: { phase: 'Running', conditions: ready } }],
  },
  {
    name: 'pod-exit-code-annotation under restartPolicy Never: Failed with the exit code',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/exit-code': '3' }, spec: { restartPolicy: 'Never' } },
    steps: [{
      after: 0,
      status: { phase: 'Failed', conditions: { PodReadyToStartContainers: 'False', Initialized: 'True', Ready: 'False', ContainersReady: 'False', PodScheduled: 'True' },
        containers: [{ name: 'main', ready: false, restartCount: 0, state: 'terminated 3 Error' }] },
      events: started,
    }],
  },
  {
    name: 'pod-exit-code-annotation under restartPolicy Always: exits after exit-after, then CrashLoopBackOff',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/exit-code': '2', 'fake-kubelet.kube-ts.io/exit-after': '2s' } },
    steps: [
      { after: 0, status: { phase: 'Running', conditions: ready, containers: [{ name: 'main', ready: true, restartCount: 0, state: 'running' }] }, events: started },
      // The first crash restarts at once (kubelet back-off), and the stage arms again for the new instance.
      { after: 2000, status: { phase: 'Running', containers: [{ name: 'main', ready: true, restartCount: 1, state: 'running', lastState: 'terminated 2 Error' }] }, events: started },
      { after: 2000, status: { conditions: notReady, containers: [{ name: 'main', ready: false, restartCount: 1, state: 'waiting CrashLoopBackOff', lastState: 'terminated 2 Error' }] }, events: ['Warning BackOff'] },
      { after: 10_000, status: { containers: [{ name: 'main', ready: true, restartCount: 2, state: 'running', lastState: 'terminated 2 Error' }] }, events: started },
    ],
  },
  {
    name: 'ready-after with exit-code: every new instance waits for readiness again, then exits',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/ready-after': '1s', 'fake-kubelet.kube-ts.io/exit-code': '4', 'fake-kubelet.kube-ts.io/exit-after': '3s' } },
    steps: [
      { after: 0, status: { conditions: notReady, containers: [{ name: 'main', ready: false, restartCount: 0, state: 'running' }] } },
      { after: 1000, status: { conditions: ready } },
      // One stage waits at a time: exit-after counts from when the pod became ready.
      { after: 2999, status: { conditions: ready } },
      { after: 1, status: { conditions: notReady, containers: [{ name: 'main', ready: false, restartCount: 1, state: 'running', lastState: 'terminated 4 Error' }] } },
      { after: 1000, status: { conditions: ready, containers: [{ name: 'main', ready: true, restartCount: 1, state: 'running', lastState: 'terminated 4 Error' }] } },
    ],
  },
  {
    name: 'pod-exit-code-annotation: a bad code falls back to 1',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/exit-code': 'oops' }, spec: { restartPolicy: 'Never' } },
    steps: [{ after: 0, status: { phase: 'Failed', containers: [{ name: 'main', ready: false, restartCount: 0, state: 'terminated 1 Error' }] } }],
  },
  {
    name: 'pod-exit-code-annotation exit 0 under OnFailure: Succeeded',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/exit-code': '0', 'fake-kubelet.kube-ts.io/exit-after': '1s' }, spec: { restartPolicy: 'OnFailure' } },
    steps: [
      { after: 0, status: { phase: 'Running' } },
      { after: 1000, status: { phase: 'Succeeded', containers: [{ name: 'main', ready: false, restartCount: 0, state: 'terminated 0 Completed' }] } },
    ],
  },
  {
    name: 'pod-ready: a failing readiness probe still keeps the pod unready',
    pod: { spec: { containers: [{ ...sleeper, readinessProbe: { exec: { command: ['false'] }, periodSeconds: 10 } }] } },
    steps: [{ after: 0, status: { phase: 'Running', conditions: notReady } }, { after: 30_000, status: { conditions: notReady } }],
  },
  {
    name: 'pod-delete: a deletionTimestamp asks for the pod to be stopped and deleted',
    pod: {},
    steps: [
      { after: 0, status: { phase: 'Running' }, deleteRequested: false },
      { after: 0, update: { deletionTimestamp: '2025-01-01T00:00:10Z', deletionGracePeriodSeconds: 30 }, status: { phase: 'Running' }, deleteRequested: true },
    ],
  },
  {
    name: 'pod-delete takes over from a stage that is still waiting (ready-after)',
    pod: { annotations: { 'fake-kubelet.kube-ts.io/ready-after': '10s' } },
    steps: [
      { after: 1000, status: { conditions: notReady }, deleteRequested: false },
      { after: 0, update: { deletionTimestamp: '2025-01-01T00:00:10Z' }, status: { conditions: notReady }, deleteRequested: true },
      // The ready-after stage no longer selects a pod being deleted: it never fires.
      { after: 20_000, status: { phase: 'Running', conditions: notReady } },
    ],
  },
  {
    name: 'a user stage selecting a label fails the pod at start with its reason and event',
    pod: { labels: { app: 'broken' } },
    userStages: failLabelled,
    steps: [
      // jitter: uniformly from 1 s to 3 s; the test's random() gives the middle, 2 s.
      { after: 0, status: { phase: 'Pending', containers: [{ name: 'main', ready: false, restartCount: 0, state: 'waiting ContainerCreating' }] }, events: [] },
      { after: 1999, status: { phase: 'Pending' }, events: [] },
      { after: 1, status: { phase: 'Failed', reason: 'SimulatedFailure', message: 'the stage said so', conditions: { PodReadyToStartContainers: 'False', Initialized: 'True', Ready: 'False', ContainersReady: 'False', PodScheduled: 'True' } }, events: ['Warning SimulatedFailure'] },
      { after: 60_000, status: { phase: 'Failed' }, events: [] },
    ],
  },
  {
    name: 'the same user stage leaves pods without the label alone',
    pod: { labels: { app: 'fine' } },
    userStages: failLabelled,
    steps: [{ after: 0, status: { phase: 'Running', conditions: ready }, events: started }],
  },
  {
    name: 'a user stage kills a running container with OOMKilled; the restarted instance meets it again',
    pod: { labels: { app: 'leaky' } },
    userStages: oomAfterRunning,
    steps: [
      { after: 0, status: { phase: 'Running', conditions: ready }, events: started },
      { after: 4000, status: { containers: [{ name: 'main', ready: true, restartCount: 1, state: 'running', lastState: 'terminated 137 OOMKilled' }] }, events: started },
      { after: 4000, status: { containers: [{ name: 'main', ready: false, restartCount: 1, state: 'waiting CrashLoopBackOff', lastState: 'terminated 137 OOMKilled' }] } },
    ],
  },
];

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('stages, golden', () => {
  it.each(cases)('$name', (c) => {
    const stages = compileStages([...(c.userStages ? parseStages(c.userStages, 'user.yaml') : []), ...defaultStages()]);
    const events: string[] = [];
    let deleteRequested = false;
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'ns', uid: 'uid-1', labels: c.pod.labels, annotations: c.pod.annotations },
      spec: { nodeName: 'n', containers: [sleeper], ...c.pod.spec },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
    };
    const worker = new PodWorker(pod, {
      nodeName: 'n', hostIP: '127.0.0.1',
      events: { record: (_ref, _host, type, reason) => events.push(`${type} ${reason}`) },
      changed: () => {}, finished: () => {},
      allocateIp: () => '10.244.0.2', releaseIp: () => {},
      stages, random: () => 0.5,
      deleteRequested: () => { deleteRequested = true; },
    });
    worker.start();
    for (const [i, step] of c.steps.entries()) {
      events.length = i === 0 ? events.length : 0;
      if (step.update) worker.update({ ...worker.pod, metadata: { ...worker.pod.metadata, ...step.update } });
      vi.advanceTimersByTime(step.after);
      const got = golden(worker.status(undefined, new Date()));
      expect({ step: i, ...got }).toMatchObject({ step: i, ...step.status });
      if (step.events) expect({ step: i, events }).toEqual({ step: i, events: step.events });
      if (step.deleteRequested !== undefined) expect({ step: i, deleteRequested }).toEqual({ step: i, deleteRequested: step.deleteRequested });
      events.length = 0;
    }
    worker.dispose();
  });
});
