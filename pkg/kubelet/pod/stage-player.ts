/**
 * Plays stages for one pod, as kwok's stage controller does per object but in memory: every time
 * the pod changes (a container starts or exits, a probe flips, a new copy arrives from the API),
 * the pod as it would be written now is matched against the stages; the first one that selects it
 * and has not fired yet for the pod's current container instances is armed, and fires after its
 * delay unless a different stage is chosen first. A zero delay fires at once, inside the same
 * change, so a simple pod's admission, start and readiness still make one status write.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { firstMatch, stageDelayMs, type CompiledStage } from '../stages/index.ts';

/** What the player needs from its pod worker. */
export interface StageHost {
  /** The pod as stages see it: the latest copy from the API carrying the status the kubelet would write now. */
  current(): Pod;
  /** The pod's container instances (their IDs); a stage fires at most once per such set. */
  instances(): string;
  /** Applies a stage that fired. */
  apply(stage: CompiledStage, pod: Pod): void;
  /** A stage file that keeps firing at once without end (a loop between stages). */
  runaway(stage: CompiledStage): void;
}

/** Stages fired at once in a row before the player gives up (a loop in the stage file). */
const maxImmediateFires = 64;

export class StagePlayer {
  private readonly fired = new Set<string>();
  private instanceKey: string | undefined;
  private armed: { stage: CompiledStage; timer: NodeJS.Timeout } | undefined;
  private evaluating = false;
  private again = false;
  private disposed = false;

  constructor(private readonly stages: readonly CompiledStage[], private readonly host: StageHost,
    private readonly random: () => number = Math.random) {}

  /** The pod changed: re-evaluate now (or after the evaluation in progress). */
  poke(): void {
    if (this.disposed) return;
    if (this.evaluating) {
      this.again = true;
      return;
    }
    this.evaluating = true;
    try {
      let fires = 0;
      do {
        this.again = false;
        const due = this.choose();
        if (due) {
          if (++fires > maxImmediateFires) {
            this.host.runaway(due.stage);
            return;
          }
          this.fire(due.stage, due.pod);
          this.again = true;
        }
      } while (this.again && !this.disposed);
    } finally {
      this.evaluating = false;
    }
  }

  /** Stops the pending stage for good (the pod is forgotten). */
  dispose(): void {
    this.disposed = true;
    this.disarm();
  }

  /** Which stage plays now, if one is due at once; arms or keeps a delayed one. */
  private choose(): { stage: CompiledStage; pod: Pod } | undefined {
    const pod = this.host.current();
    const instances = this.host.instances();
    if (instances !== this.instanceKey) {
      this.instanceKey = instances;
      this.fired.clear();
    }
    const stage = firstMatch(this.stages, 'Pod', pod, (name) => this.fired.has(name));
    if (stage === undefined) {
      this.disarm();
      return undefined;
    }
    if (this.armed?.stage === stage) return undefined;
    this.disarm();
    const delay = stageDelayMs(stage.stage, pod, this.random);
    if (delay <= 0) return { stage, pod };
    const timer = setTimeout(() => {
      this.armed = undefined;
      if (this.disposed) return;
      this.evaluating = true;
      try {
        this.fire(stage, this.host.current());
      } finally {
        this.evaluating = false;
      }
      this.poke();
    }, delay);
    this.armed = { stage, timer };
    return undefined;
  }

  private fire(stage: CompiledStage, pod: Pod): void {
    this.fired.add(stage.name);
    this.host.apply(stage, pod);
  }

  private disarm(): void {
    if (this.armed) clearTimeout(this.armed.timer);
    this.armed = undefined;
  }
}
