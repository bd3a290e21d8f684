/**
 * When a container's probes flip its `started` and `ready`, after pkg/kubelet/prober (worker.go):
 * each probe ticks every periodSeconds from the container's start and counts once
 * initialDelaySeconds have passed; the startup probe gates readiness and liveness. Readiness turns
 * true after successThreshold passing probes; a failing probe reports an Unhealthy event every
 * period, and at failureThreshold a startup or liveness probe kills the container, which the
 * worker restarts per restartPolicy. Simulated results never change, so a passing probe needs one
 * timer and a failing one a timer per period.
 */
import type { Probe } from 'kubernetes-types/core/v1.js';
import type { EventType } from '../event-recorder.ts';
import { probeAt, probeTiming, runProbe, type ProbeResult, type ProbeTiming } from '../runtime/probes.ts';
import { killedExitCode, type ContainerRun } from './container-run.ts';

/** What the schedule needs from its pod worker. */
export interface ProbeHost {
  /** Runs `fn` at absolute time `at` unless the container instance ends first. */
  after(run: ContainerRun, at: number, fn: () => void): void;
  event(run: ContainerRun, type: EventType, reason: string, message: string): void;
  /** The pod's address, which network probes reach. */
  podIP(): string;
  /** Whether a killed container is started again (restartPolicy, or a sidecar). */
  restarts(run: ContainerRun): boolean;
  /** The probe killed the container with `code`. */
  kill(run: ContainerRun, code: number): void;
  /** The container has started (its startup probe passed). */
  started(run: ContainerRun): void;
  changed(): void;
}

type ProbeKind = 'Startup' | 'Readiness' | 'Liveness';

/** Arms the probes of an instance that started at `startedAt` (ms); sets started/ready for probe-less containers. */
export function armProbes(host: ProbeHost, run: ContainerRun, startedAt: number): void {
  const rec = run.record;
  const startup = run.spec.startupProbe;
  rec.ready = false;
  rec.started = !startup;
  if (!startup) return armAfterStarted(host, run, startedAt, startedAt);
  const timing = probeTiming(startup);
  const result = probe(host, run, startup);
  if (!result.ok) return failingProbe(host, run, startedAt, startedAt, 'Startup', timing, result);
  const passedAt = probeAt(startedAt, startedAt, timing, timing.successThreshold - 1);
  host.after(run, passedAt, () => {
    rec.started = true;
    armAfterStarted(host, run, startedAt, passedAt);
    host.started(run);
    host.changed();
  });
}

/** Readiness and liveness count from `since`: the container's start, or when its startup probe passed. */
function armAfterStarted(host: ProbeHost, run: ContainerRun, startedAt: number, since: number): void {
  const rec = run.record;
  const readiness = run.spec.readinessProbe;
  if (!readiness) rec.ready = true;
  else {
    const timing = probeTiming(readiness);
    const result = probe(host, run, readiness);
    if (result.ok) {
      // Ready once successThreshold probes in a row have passed.
      host.after(run, probeAt(startedAt, since, timing, timing.successThreshold - 1), () => {
        rec.ready = true;
        host.changed();
      });
    } else failingProbe(host, run, startedAt, since, 'Readiness', timing, result);
  }
  const liveness = run.spec.livenessProbe;
  if (liveness) {
    const result = probe(host, run, liveness);
    if (!result.ok) failingProbe(host, run, startedAt, since, 'Liveness', probeTiming(liveness), result);
  }
}

function probe(host: ProbeHost, run: ContainerRun, spec: Probe): ProbeResult {
  return runProbe(spec, { container: run.spec, podIP: host.podIP() });
}

/** Every counted tick reports Unhealthy; a startup or liveness probe kills at failureThreshold. */
function failingProbe(host: ProbeHost, run: ContainerRun, startedAt: number, since: number, kind: ProbeKind,
  timing: ProbeTiming, result: ProbeResult): void {
  const kills = kind !== 'Readiness';
  let failures = 0;
  const tick = (n: number): void => host.after(run, probeAt(startedAt, since, timing, n), () => {
    failures++;
    host.event(run, 'Warning', 'Unhealthy', `${kind} probe ${result.errored ? 'errored' : 'failed'}: ${result.output}`);
    if (kills && failures >= timing.failureThreshold) {
      // kuberuntime computePodActions: "Container <name> failed liveness probe[, will be restarted]".
      const message = `Container ${run.spec.name} failed ${kind.toLowerCase()} probe`;
      host.event(run, 'Normal', 'Killing', host.restarts(run) ? `${message}, will be restarted` : message);
      host.kill(run, killedExitCode);
      return;
    }
    tick(n + 1);
  });
  tick(0);
}
