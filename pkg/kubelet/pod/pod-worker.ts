/**
 * One pod on a simulated node, from admission to a terminal phase: image pulls, init containers
 * in order, then the containers (refused with CreateContainerConfigError when their config cannot
 * be made, container-config.ts), each playing back what its command says (runtime/interpreter,
 * or runtime/agnhost for the e2e image),
 * restarted per restartPolicy with the kubelet's back-off, probed (runtime/probes), stopped by
 * activeDeadlineSeconds or deletion. When containers start, when the pod may become ready, forced
 * exits, failures and deletion are decided by stages (../stages, played by stage-player.ts). It
 * only changes in-memory state, emits events and calls `changed`; the pod manager turns that into
 * as few status writes as it can.
 * Mirrors pkg/kubelet/kuberuntime (SyncPod, computePodActions, doBackOff) and pkg/kubelet/prober.
 */
import { randomBytes } from 'node:crypto';
import type { Container, ContainerStateTerminated, ObjectReference, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { EventRecorder, EventType } from '../event-recorder.ts';
import { agnhostSimulation } from '../runtime/agnhost.ts';
import { goDuration } from '../runtime/backoff.ts';
import { ContainerLogBuffer } from '../runtime/container-log.ts';
import { imageID, pullError } from '../runtime/images.ts';
import { interpret } from '../runtime/interpreter.ts';
import { compileStages, defaultStages, exitCodeOf, type CompiledStage, type ContainerExit, type StageNext } from '../stages/index.ts';
import { containerConfigError } from './container-config.ts';
import { ContainerRun, killedExitCode, stoppedExitCode } from './container-run.ts';
import { armProbes, type ProbeHost } from './probe-schedule.ts';
import { computePodStatus, timestamp, type ContainerRecord, type PodRuntimeView } from './pod-status.ts';
import { StagePlayer } from './stage-player.ts';

export interface PodWorkerDeps {
  nodeName: string;
  hostIP: string;
  events: Pick<EventRecorder, 'record'>;
  /** The status may have changed: schedule a write. */
  changed(): void;
  /** The pod reached a terminal phase on its own (its containers are done, or its deadline passed). */
  finished(): void;
  allocateIp(): string | undefined;
  releaseIp(ip: string): void;
  /** The stages that decide the pod's lifecycle, compiled (default: the built-in ones). */
  stages?: readonly CompiledStage[];
  /** A stage asked for the pod to be stopped and deleted. */
  deleteRequested?(): void;
  /** A stage file loops (stages firing at once without end): the player stopped. */
  stageRunaway?(stage: string): void;
  /** Source of stage jitter (default Math.random). */
  random?(): number;
}

let builtInStages: readonly CompiledStage[] | undefined;

/** How long ErrImagePull shows before the worker's next sync reports ImagePullBackOff. */
const pullErrorShownMs = 1000;
/** How often a pod worker whose container config failed syncs again (pod_workers.go backOffPeriod). */
const configRetryMs = 10_000;

export class PodWorker {
  pod: Pod;
  private readonly init: ContainerRun[];
  private readonly containers: ContainerRun[];
  private readonly podTimers = new Set<NodeJS.Timeout>();
  private podIP: string | undefined;
  private startTime: string | undefined;
  private sandboxReady = false;
  private forced: PodRuntimeView['forced'];
  /** Whether a stage has started the containers (an adopted pod's were already running). */
  private containersStarted = false;
  private readonly stagePlayer: StagePlayer;
  /** True once the pod is stopped for good; nothing changes its containers any more. */
  terminal = false;

  constructor(pod: Pod, private readonly deps: PodWorkerDeps) {
    this.pod = pod;
    const hasInit = (pod.spec?.initContainers ?? []).length > 0;
    this.init = (pod.spec?.initContainers ?? []).map((c) => new ContainerRun(c, true, 'PodInitializing'));
    this.containers = (pod.spec?.containers ?? []).map((c) => new ContainerRun(c, false, hasInit ? 'PodInitializing' : 'ContainerCreating'));
    const stages = deps.stages ?? (builtInStages ??= compileStages(defaultStages()));
    this.stagePlayer = new StagePlayer(stages, {
      current: () => ({ ...this.pod, status: this.status(undefined, new Date()) }),
      instances: () => [...this.init, ...this.containers].map((r) => r.record.containerID ?? '').join(','),
      apply: (stage, current) => this.applyStage(stage.stage.spec.next, current),
      runaway: (stage) => this.deps.stageRunaway?.(stage.name),
    }, deps.random);
  }

  get key(): string {
    return `${this.pod.metadata?.namespace}/${this.pod.metadata?.name}`;
  }

  /** The address the pod holds, if any. */
  ip(): string | undefined {
    return this.podIP;
  }

  /** Starts the pod; `adopted` is the status a previous kubelet process wrote, to continue from. */
  start(adopted?: PodStatus): void {
    const now = Date.now();
    this.startTime = adopted?.startTime ?? timestamp(new Date(now));
    this.podIP = this.pod.spec?.hostNetwork ? this.deps.hostIP : adopted?.podIP ?? this.deps.allocateIp();
    this.sandboxReady = true;
    this.armDeadline();
    if (adopted) {
      // A previous process started these containers and opened their readiness: continue as it was.
      this.adopt(adopted);
      this.containersStarted = true;
      this.advance();
    }
    this.changed();
  }

  /**
   * A newer copy of the pod from the informer: activeDeadlineSeconds may change, and so may the
   * conditions of readiness gates, which the Ready condition depends on.
   */
  update(pod: Pod): void {
    const deadlineChanged = pod.spec?.activeDeadlineSeconds !== this.pod.spec?.activeDeadlineSeconds;
    const gatesChanged = gateStates(pod) !== gateStates(this.pod);
    this.pod = pod;
    if (deadlineChanged && !this.terminal) this.armDeadline();
    if (gatesChanged && !this.terminal) this.deps.changed();
    this.stagePlayer.poke(); // labels, annotations or a deletion may select another stage
  }

  view(): PodRuntimeView {
    // Until a stage opens an instance's readiness gate, it does not count as ready, whatever its probes say.
    const gated = (r: ContainerRun) => (!r.readyGateOpen && r.record.ready && (!r.init || r.sidecar) ? { ...r.record, ready: false } : r.record);
    return {
      init: this.init.map(gated), containers: this.containers.map(gated),
      hostIP: this.deps.hostIP, podIP: this.podIP, startTime: this.startTime, sandboxReady: this.sandboxReady, forced: this.forced,
    };
  }

  status(previous: PodStatus | undefined, now: Date): PodStatus {
    return computePodStatus(this.pod, this.view(), previous, now, this.terminal);
  }

  /** Stops every container because the pod is being deleted (SIGTERM honoured at once). */
  stopForDeletion(): void {
    if (this.terminal) return;
    this.killAll(stoppedExitCode, (name) => `Stopping container ${name}`);
    this.finish();
  }

  /** Forgets the pod: timers stop, logs end, the address is released. */
  dispose(): void {
    this.stagePlayer.dispose();
    this.finish();
  }

  /** Carries out what a stage that fired says, on `current` (the pod as the stage saw it). */
  private applyStage(next: StageNext, current: Pod): void {
    if (next.event) this.podEvent(next.event.type, next.event.reason, next.event.message);
    if (next.startContainers && !this.containersStarted && !this.terminal) {
      this.containersStarted = true;
      this.advance();
    }
    if (next.containersReady !== undefined) for (const run of [...this.init, ...this.containers]) run.readyGateOpen = next.containersReady;
    if (next.containerExit) this.forceExit(next.containerExit, current);
    if (next.podPhase) this.endPod(next.podPhase, next.reason, next.message);
    if (next.delete) this.deps.deleteRequested?.();
    this.changed();
  }

  /** Cuts the named (or first) container's running instance short with the stage's exit code. */
  private forceExit(exit: ContainerExit, current: Pod): void {
    const run = exit.container === undefined ? this.containers[0] : [...this.containers, ...this.init].find((r) => r.spec.name === exit.container);
    if (run) this.exited(run, exitCodeOf(exit, current), exit.reason, exit.message);
  }

  /** The pod stops for good in `phase` (a stage's podPhase): running containers are killed. */
  private endPod(phase: 'Failed' | 'Succeeded', reason: string | undefined, message: string | undefined): void {
    if (this.terminal) return;
    this.killAll(phase === 'Succeeded' ? 0 : killedExitCode, (name) => `Stopping container ${name}`);
    this.forced = { phase, ...(reason !== undefined ? { reason } : {}), ...(message !== undefined ? { message } : {}) };
    this.finish();
    this.deps.finished();
  }

  /** The status may have changed: a write is due, and another stage may now select the pod. */
  private changed(): void {
    this.deps.changed();
    this.stagePlayer.poke();
  }

  /** The log of a container's current or previous instance; undefined when there is none. */
  log(container: string, previous: boolean): { log?: ContainerLogBuffer; record?: ContainerRecord } {
    const run = [...this.containers, ...this.init].find((r) => r.spec.name === container);
    if (!run) return {};
    return { record: run.record, log: previous ? run.previousLog : run.record.containerID ? run.log : undefined };
  }

  /** Containers that are running now, with their specs (for the usage source). */
  runningContainers(): Container[] {
    return [...this.init, ...this.containers].filter((r) => r.record.state.running).map((r) => r.spec);
  }

  // --- flow -----------------------------------------------------------------------------------

  /**
   * Starts whatever should run next: init containers in order (a sidecar only has to have
   * started), then every container; restarts what exited and may restart.
   */
  private advance(): void {
    if (this.terminal || !this.containersStarted) return;
    for (const run of this.init) {
      const rec = run.record;
      if (run.sidecar) {
        if (!rec.state.running && !run.pendingRestart) {
          if (rec.containerID === undefined) this.startContainer(run);
          else this.scheduleRestart(run); // sidecars always restart
        }
        // The next init container waits until the sidecar has started; a later crash does not block it again.
        if (!rec.started && !(rec.containerID !== undefined && !rec.state.running)) return;
        continue;
      }
      if (rec.state.terminated?.exitCode === 0) continue;
      if (rec.state.running || run.pendingRestart) return;
      if (!rec.state.terminated) this.startContainer(run);
      // A failed init container: the pod fails under restartPolicy Never, else it runs again.
      else if ((this.pod.spec?.restartPolicy ?? 'Always') === 'Never') this.checkDone();
      else this.scheduleRestart(run);
      return;
    }
    for (const run of this.containers) {
      if (run.record.state.running || run.pendingRestart) continue;
      if (run.record.state.terminated && !this.shouldRestart(run)) continue;
      if (run.record.state.terminated) this.scheduleRestart(run);
      else this.startContainer(run);
    }
    this.checkDone();
  }

  private shouldRestart(run: ContainerRun): boolean {
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    const code = run.record.state.terminated?.exitCode ?? 0;
    return policy === 'Always' || (policy === 'OnFailure' && code !== 0);
  }

  private checkDone(): void {
    if (this.terminal) return;
    const phase = computePodStatus(this.pod, this.view(), undefined, new Date()).phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Sidecars are stopped once the containers are done (KEP-753); their exit codes do not count.
      this.killAll(stoppedExitCode, (name) => `Stopping container ${name}`);
      this.finish();
      this.deps.finished();
    }
  }

  private startContainer(run: ContainerRun): void {
    if (this.terminal) return;
    run.pendingRestart = false;
    const image = run.spec.image ?? '';
    const failure = pullError(image);
    if (failure) return this.pullFailed(run, failure);
    const policy = run.spec.imagePullPolicy ?? (/:latest$|^[^:@]*$/.test(image.slice(image.lastIndexOf('/') + 1)) ? 'Always' : 'IfNotPresent');
    if (policy === 'Always') {
      this.event(run, 'Normal', 'Pulling', `Pulling image "${image}"`);
      this.event(run, 'Normal', 'Pulled', `Successfully pulled image "${image}" in 5ms (5ms including waiting). Image size: 2160640 bytes.`);
    } else {
      this.event(run, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    }
    const configError = containerConfigError(this.pod, run.spec, { podIP: this.podIP, hostIP: this.deps.hostIP });
    if (configError) return this.configFailed(run, configError);
    const rec = run.record;
    if (rec.containerID) {
      // A new instance: the old one becomes lastState and its log "previous".
      if (rec.state.terminated) rec.lastState = rec.state.terminated;
      rec.restartCount++;
      run.previousLog = run.log;
      run.log = new ContainerLogBuffer();
    }
    const startedAt = Date.now();
    run.readyGateOpen = false; // a new instance waits for a stage to let it be ready
    rec.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    rec.imageID = imageID(image);
    rec.state = { running: { startedAt: timestamp(new Date(startedAt)) } };
    this.event(run, 'Normal', 'Created', `Created container: ${run.spec.name}`);
    this.event(run, 'Normal', 'Started', `Started container ${run.spec.name}`);
    this.playProgram(run, startedAt);
    if (run.init && !run.sidecar) {
      rec.started = true;
      rec.ready = false;
    } else {
      armProbes(this.probeHost, run, startedAt);
    }
    this.changed();
  }

  /** Schedules the container's output and exit, relative to when it started. */
  private playProgram(run: ContainerRun, startedAt: number): void {
    const sim = agnhostSimulation(run.spec) ?? interpret(run.spec.command, run.spec.args);
    const log = run.log;
    const exitAt = sim.outcome.kind === 'exits' ? sim.outcome.after : Infinity;
    /** Lines due no later than the exit and not written yet: the exit writes them first. */
    const unwritten = new Set<() => void>();
    for (const line of sim.lines) {
      const write = () => {
        unwritten.delete(write);
        const time = new Date();
        log.write({ time, stream: line.stream, text: line.textAt ? line.textAt(time) : line.text });
      };
      // What a container prints as it starts is in its log at once (kubectl logs right after Started).
      if (line.at === 0) write();
      else {
        if (line.at <= exitAt) unwritten.add(write);
        this.after(run, startedAt + line.at * 1000, write);
      }
    }
    if (sim.outcome.kind === 'exits') {
      const code = sim.outcome.code;
      // Timers due at the same moment may fire in either order: never end a container before its last words.
      this.after(run, startedAt + sim.outcome.after * 1000, () => {
        for (const write of [...unwritten]) write();
        this.exited(run, code);
      });
    }
  }

  private pullFailed(run: ContainerRun, failure: string): void {
    const image = run.spec.image ?? '';
    const rec = run.record;
    run.pendingRestart = true;
    rec.state = { waiting: { reason: 'ErrImagePull', message: failure } };
    rec.ready = false;
    this.event(run, 'Normal', 'Pulling', `Pulling image "${image}"`);
    this.event(run, 'Warning', 'Failed', `Failed to pull image "${image}": ${failure}`);
    this.event(run, 'Warning', 'Failed', 'Error: ErrImagePull');
    const now = Date.now();
    run.imageBackoff.next(now);
    const retryAt = now + run.imageBackoff.currentMs();
    this.after(run, now + pullErrorShownMs, () => {
      rec.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${failure}` } };
      this.event(run, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      this.event(run, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      this.changed();
    });
    this.after(run, retryAt, () => this.startContainer(run));
    this.changed();
  }

  /**
   * The container's config could not be generated (kuberuntime startContainer): it stays Waiting
   * with CreateContainerConfigError, and the next pod sync (every 10 s) tries again.
   */
  private configFailed(run: ContainerRun, message: string): void {
    const rec = run.record;
    run.pendingRestart = true;
    rec.state = { waiting: { reason: 'CreateContainerConfigError', message } };
    rec.ready = false;
    this.event(run, 'Warning', 'Failed', `Error: ${message}`);
    this.after(run, Date.now() + configRetryMs, () => this.startContainer(run));
    this.changed();
  }

  /** The current instance ended with `code` (its program exited, a probe killed it, or a stage said so). */
  private exited(run: ContainerRun, code: number, reason?: string, message?: string): void {
    if (this.terminal || !run.record.state.running) return;
    this.endInstance(run, code, reason, message);
    if (run.init && !run.sidecar && code === 0) run.record.ready = true;
    this.advance();
    this.changed();
  }

  /** Ends the current instance; a stage may give the terminated state its own reason and message. */
  private endInstance(run: ContainerRun, code: number, reason?: string, message?: string): void {
    const rec = run.record;
    run.clearTimers();
    const terminated: ContainerStateTerminated = {
      exitCode: code, reason: reason ?? (code === 0 ? 'Completed' : 'Error'), ...(message !== undefined ? { message } : {}),
      startedAt: rec.state.running?.startedAt, finishedAt: timestamp(new Date()), containerID: rec.containerID,
    };
    rec.state = { terminated };
    rec.ready = false;
    rec.started = false;
    run.log.end();
  }

  /** Restarts at once after the first crash, else waits the back-off in CrashLoopBackOff. */
  private scheduleRestart(run: ContainerRun): void {
    const rec = run.record;
    const finishedAt = Date.parse(rec.state.terminated?.finishedAt ?? '') || Date.now();
    const now = Date.now();
    const delay = run.backoff.delay(finishedAt, now);
    run.pendingRestart = true;
    if (delay === 0) {
      run.backoff.next(finishedAt);
      this.startContainer(run);
      return;
    }
    const pod = this.pod.metadata!;
    rec.lastState = rec.state.terminated;
    rec.state = { waiting: {
      reason: 'CrashLoopBackOff',
      message: `back-off ${goDuration(run.backoff.currentMs())} restarting failed container=${run.spec.name} pod=${pod.name}_${pod.namespace}(${pod.uid})`,
    } };
    this.event(run, 'Warning', 'BackOff', `Back-off restarting failed container ${run.spec.name} in pod ${pod.name}_${pod.namespace}(${pod.uid})`);
    this.after(run, now + delay, () => {
      run.backoff.next(finishedAt);
      this.startContainer(run);
    });
  }

  // --- pod-level ------------------------------------------------------------------------------

  private armDeadline(): void {
    for (const t of this.podTimers) clearTimeout(t);
    this.podTimers.clear();
    const seconds = this.pod.spec?.activeDeadlineSeconds;
    if (seconds === undefined || this.startTime === undefined) return;
    const due = Date.parse(this.startTime) + seconds * 1000 - Date.now();
    const timer = setTimeout(() => {
      this.podTimers.delete(timer);
      this.deadlineExceeded();
    }, Math.max(0, due));
    this.podTimers.add(timer);
  }

  private deadlineExceeded(): void {
    if (this.terminal) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.podEvent('Normal', 'DeadlineExceeded', message);
    this.killAll(killedExitCode, (name) => `Stopping container ${name}`);
    this.forced = { phase: 'Failed', reason: 'DeadlineExceeded', message };
    this.finish();
    this.changed();
    this.deps.finished();
  }

  private killAll(code: number, message: (name: string) => string): void {
    for (const run of [...this.init, ...this.containers]) {
      run.pendingRestart = false;
      if (run.record.state.running) {
        this.event(run, 'Normal', 'Killing', message(run.spec.name));
        this.endInstance(run, code);
      } else if (run.record.state.waiting && run.record.lastState) {
        // Waiting to restart: it stays at its last termination.
        run.record.state = { terminated: run.record.lastState };
      }
      run.clearTimers();
    }
  }

  /** The pod is stopped for good: timers stop, logs end, the sandbox and its address go. */
  private finish(): void {
    this.terminal = true;
    this.sandboxReady = false;
    for (const t of this.podTimers) clearTimeout(t);
    this.podTimers.clear();
    for (const run of [...this.init, ...this.containers]) {
      run.clearTimers();
      run.log.end();
    }
    if (this.podIP && !this.pod.spec?.hostNetwork) this.deps.releaseIp(this.podIP);
  }

  /** Continues from a status an earlier process wrote: running instances keep running, finished init containers stay done. */
  private adopt(status: PodStatus): void {
    const take = (runs: ContainerRun[], statuses: PodStatus['containerStatuses']) => {
      for (const run of runs) {
        const s = statuses?.find((c) => c.name === run.spec.name);
        if (!s) continue;
        const rec = run.record;
        rec.restartCount = s.restartCount ?? 0;
        rec.containerID = s.containerID;
        rec.imageID = s.imageID;
        rec.lastState = s.lastState?.terminated;
        run.readyGateOpen = s.ready === true;
        if (s.state?.running?.startedAt) {
          rec.state = { running: { startedAt: s.state.running.startedAt } };
          const startedAt = Date.parse(s.state.running.startedAt);
          this.playProgram(run, startedAt);
          if (run.init && !run.sidecar) rec.started = true;
          else armProbes(this.probeHost, run, startedAt);
        } else if (run.init && s.state?.terminated?.exitCode === 0) {
          rec.state = { terminated: s.state.terminated };
          rec.ready = true;
        }
      }
    };
    take(this.init, status.initContainerStatuses);
    take(this.containers, status.containerStatuses);
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Runs `fn` at absolute time `at` (at once when past), unless the instance ends first. */
  private after(run: ContainerRun, at: number, fn: () => void): void {
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      if (!this.terminal) fn();
    }, Math.max(0, at - Date.now()));
    run.timers.add(timer);
  }

  private ref(fieldPath?: string): ObjectReference {
    const m = this.pod.metadata!;
    return { kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: 'v1', resourceVersion: m.resourceVersion, ...(fieldPath ? { fieldPath } : {}) };
  }

  private event(run: ContainerRun, type: EventType, reason: string, message: string): void {
    this.deps.events.record(this.ref(run.fieldPath), this.deps.nodeName, type, reason, message);
  }

  private readonly probeHost: ProbeHost = {
    after: (run, at, fn) => this.after(run, at, fn),
    event: (run, type, reason, message) => this.event(run, type, reason, message),
    podIP: () => this.podIP ?? '',
    restarts: (run) => run.sidecar || (this.pod.spec?.restartPolicy ?? 'Always') !== 'Never',
    kill: (run, code) => this.exited(run, code),
    // The next init container waits for a sidecar to start.
    started: (run) => { if (run.sidecar) this.advance(); },
    changed: () => this.changed(),
  };

  private podEvent(type: EventType, reason: string, message: string): void {
    this.deps.events.record(this.ref(), this.deps.nodeName, type, reason, message);
  }
}

/** The status of each readiness gate's condition, as one comparable string. */
function gateStates(pod: Pod): string {
  const conditions = pod.status?.conditions ?? [];
  return (pod.spec?.readinessGates ?? []).map((g) => conditions.find((c) => c.type === g.conditionType)?.status ?? '').join(',');
}
