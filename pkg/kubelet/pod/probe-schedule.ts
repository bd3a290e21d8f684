/**
 * When a container's probes flip its `started` and `ready`, after pkg/kubelet/prober (worker.go):
 * the startup probe gates readiness and liveness; each probe first runs initialDelaySeconds after
 * the container started, then every periodSeconds. Simulated results never change, so a passing
 * probe needs one timer and a failing one ticks each period: an Unhealthy event every time, and at
 * failureThreshold a startup or liveness probe kills the container (the worker restarts it).
 */
import type { EventType } from '../event-recorder.ts';
import { probeTiming, runProbe, type ProbeTiming } from '../runtime/probes.ts';
import { killedExitCode, type ContainerRun } from './container-run.ts';

/** What the schedule needs from its pod worker. */
export interface ProbeHost {
  /** Runs `fn` at absolute time `at` unless the container instance ends first. */
  after(run: ContainerRun, at: number, fn: () => void): void;
  event(run: ContainerRun, type: EventType, reason: string, message: string): void;
  /** The probe killed the container with `code`. */
  kill(run: ContainerRun, code: number): void;
  /** The container has started (its startup probe passed). */
  started(run: ContainerRun): void;
  changed(): void;
}

/** Arms the probes of an instance that started at `startedAt` (ms); sets started/ready for probe-less containers. */
export function armProbes(host: ProbeHost, run: ContainerRun, startedAt: number): void {
  const rec = run.record;
  const startup = run.spec.startupProbe;
  rec.ready = false;
  rec.started = !startup;
  if (!startup) return armAfterStarted(host, run, startedAt);
  const timing = probeTiming(startup);
  const result = runProbe(startup);
  if (!result.ok) return failingProbe(host, run, startedAt, 'Startup', timing, result.output, true);
  host.after(run, startedAt + timing.initialDelayMs, () => {
    rec.started = true;
    armAfterStarted(host, run, startedAt);
    host.started(run);
    host.changed();
  });
}

/** Readiness and liveness begin once the container has started (no startup probe, or it passed). */
function armAfterStarted(host: ProbeHost, run: ContainerRun, startedAt: number): void {
  const rec = run.record;
  const readiness = run.spec.readinessProbe;
  if (!readiness) rec.ready = true;
  else {
    const timing = probeTiming(readiness);
    const result = runProbe(readiness);
    if (result.ok) {
      host.after(run, startedAt + timing.initialDelayMs, () => {
        rec.ready = true;
        host.changed();
      });
    } else failingProbe(host, run, startedAt, 'Readiness', timing, result.output, false);
  }
  const liveness = run.spec.livenessProbe;
  if (liveness) {
    const result = runProbe(liveness);
    if (!result.ok) failingProbe(host, run, startedAt, 'Liveness', probeTiming(liveness), result.output, true);
  }
}

function failingProbe(host: ProbeHost, run: ContainerRun, startedAt: number, kind: 'Startup' | 'Readiness' | 'Liveness',
  timing: ProbeTiming, output: string, kills: boolean): void {
  let failures = 0;
  const tick = (at: number): void => host.after(run, at, () => {
    failures++;
    host.event(run, 'Warning', 'Unhealthy', `${kind} probe failed: ${output}`);
    if (kills && failures >= timing.failureThreshold) {
      host.event(run, 'Normal', 'Killing', `Container ${run.spec.name} failed ${kind.toLowerCase()} probe, will be restarted`);
      host.kill(run, killedExitCode);
      return;
    }
    tick(at + timing.periodMs);
  });
  tick(startedAt + timing.initialDelayMs);
}
