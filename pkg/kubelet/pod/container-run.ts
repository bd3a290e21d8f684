/**
 * One container of a pod worker: its record (what the status shows), the log of its current and
 * previous instance, the timers of the current instance, and its restart and image-pull back-offs.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import { Backoff } from '../runtime/backoff.ts';
import { ContainerLogBuffer } from '../runtime/container-log.ts';
import { normalizeImage } from '../runtime/images.ts';
import type { ContainerRecord } from './pod-status.ts';

/** Exit codes of a container killed by SIGKILL (liveness, deadline) or stopped by SIGTERM (deletion). */
export const killedExitCode = 137;
export const stoppedExitCode = 143;

export class ContainerRun {
  readonly record: ContainerRecord;
  log = new ContainerLogBuffer();
  previousLog: ContainerLogBuffer | undefined;
  readonly timers = new Set<NodeJS.Timeout>();
  readonly backoff = new Backoff();
  readonly imageBackoff = new Backoff();
  /** Set while the container waits to be restarted (or pulled again): nothing more to decide. */
  pendingRestart = false;
  /** Whether a stage has let the current instance be ready (containersReady); probes decide the rest. */
  readyGateOpen = false;
  /** An init container with restartPolicy Always (a sidecar): probed and restarted like a container. */
  readonly sidecar: boolean;

  constructor(readonly spec: Container, readonly init: boolean, waitingReason: string) {
    this.sidecar = init && spec.restartPolicy === 'Always';
    this.record = {
      name: spec.name, image: normalizeImage(spec.image ?? ''), restartCount: 0,
      state: { waiting: { reason: waitingReason } }, ready: false, started: false, ...(this.sidecar ? { restartable: true } : {}),
    };
  }

  /** The spec path events name (`spec.containers{main}`). */
  get fieldPath(): string {
    return `spec.${this.init ? 'initContainers' : 'containers'}{${this.spec.name}}`;
  }

  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
