/**
 * Leader election over a ResourceLock, after client-go tools/leaderelection/leaderelection.go
 * (LeaderElector: acquire, renew, release, tryAcquireOrRenew). A candidate takes the lock when it
 * is free, released, or not renewed for leaseDuration as measured on the candidate's own clock
 * since it last saw the record change (never by comparing the holder's timestamps, so clock skew
 * between machines does not matter). The leader renews every retryPeriod and gives up, ending its
 * term, when it cannot renew within renewDeadline.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { logger, type Logger } from '../../util/log.ts';
import { sleep } from '../informers/index.ts';
import { microTime, type LeaderElectionRecord, type ResourceLock } from './lease-lock.ts';

/** leaderelection.JitterFactor: waits while acquiring are retryPeriod plus up to 1.2 times it. */
export const jitterFactor = 1.2;
/** The kube-controller-manager and kube-scheduler defaults. */
export const defaultLeaseDurationMs = 15_000;
export const defaultRenewDeadlineMs = 10_000;
export const defaultRetryPeriodMs = 2_000;

export interface LeaderCallbacks {
  /**
   * Called once this candidate leads. `signal` aborts when leadership ends (lost, or the elector
   * stopped); the returned promise should settle once the work guarded by the lease has stopped,
   * because a release waits for it.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when run() ends, whether or not this candidate ever led. */
  onStoppedLeading?(): void;
  /** Called when a different leader is observed (this candidate included). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionClock {
  now(): number;
  /** Resolves after ms, or at once when the signal aborts; never rejects. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  callbacks: LeaderCallbacks;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Release the lock when run() stops (after onStartedLeading's work has settled). */
  releaseOnCancel?: boolean;
  clock?: LeaderElectionClock;
  random?: () => number;
  logger?: Logger;
}

/** `<hostname>_<uuid>`, the identity kube-controller-manager and kube-scheduler use. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

const realClock: LeaderElectionClock = { now: () => Date.now(), sleep };

/** NewLeaderElector's checks on the three timings (milliseconds); throws with the upstream wording. */
export function validateTimings(leaseMs: number, renewMs: number, retryMs: number): void {
  if (leaseMs <= renewMs) throw new Error('leaseDuration must be greater than renewDeadline');
  if (renewMs <= jitterFactor * retryMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
  if (leaseMs < 1000) throw new Error('leaseDuration must be at least one second (the Lease stores whole seconds)');
  if (retryMs < 1) throw new Error('retryPeriod must be greater than zero');
}

export class LeaderElector {
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly retryMs: number;
  private readonly clock: LeaderElectionClock;
  private readonly log: Logger;
  private observedRecord: LeaderElectionRecord | undefined;
  private observedRaw = '';
  /** When this candidate last saw the record change, on its own clock. */
  private observedTime = 0;
  private reportedLeader = '';

  constructor(private readonly config: LeaderElectionConfig) {
    this.leaseMs = config.leaseDurationMs ?? defaultLeaseDurationMs;
    this.renewMs = config.renewDeadlineMs ?? defaultRenewDeadlineMs;
    this.retryMs = config.retryPeriodMs ?? defaultRetryPeriodMs;
    validateTimings(this.leaseMs, this.renewMs, this.retryMs);
    this.clock = config.clock ?? realClock;
    this.log = config.logger ?? logger('leaderelection');
  }

  /** Whether the last observed record names this candidate. */
  isLeader(): boolean {
    return this.observedRecord?.holderIdentity === this.config.lock.identity;
  }

  /** The identity in the last observed record ('' when none). */
  getLeader(): string {
    return this.observedRecord?.holderIdentity ?? '';
  }

  /**
   * Campaigns until leading, leads until the lease is lost or `signal` aborts, then (when
   * configured) releases. Resolves when all of that is over; never rejects.
   */
  async run(signal: AbortSignal): Promise<void> {
    try {
      if (!(await this.acquire(signal))) return;
      const ended = new AbortController();
      const leading = AbortSignal.any([signal, ended.signal]);
      const work = this.startLeading(leading);
      await this.renew(leading);
      ended.abort();
      if (this.config.releaseOnCancel) {
        await work;
        await this.release();
      }
    } finally {
      this.config.callbacks.onStoppedLeading?.();
    }
  }

  /**
   * One attempt (tryAcquireOrRenew): take or renew the lock when it is ours, free, released or
   * expired. Returns whether this candidate holds it now; failures are logged and return false.
   */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const desired: LeaderElectionRecord = {
      holderIdentity: this.config.lock.identity,
      leaseDurationSeconds: Math.floor(this.leaseMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaderTransitions: 0,
    };
    // 1. Fast path: the leader updates assuming the record it saw last is still current.
    if (this.isLeader() && this.isLeaseValid(now)) {
      const old = this.observedRecord!;
      if (await this.write('update', { ...desired, acquireTime: old.acquireTime, leaderTransitions: old.leaderTransitions })) return true;
    }
    // 2. Read the record, or create it.
    let current: Awaited<ReturnType<ResourceLock['get']>>;
    try {
      current = await this.config.lock.get();
    } catch (err) {
      this.log.warn('error retrieving resource lock', { lease: this.config.lock.describe(), error: String(err) });
      return false;
    }
    if (!current) return this.write('create', desired);
    // 3. Someone else holds an unexpired lease: wait.
    if (current.raw !== this.observedRaw) {
      this.setObserved(current.record);
      this.observedRaw = current.raw;
    }
    if (current.record.holderIdentity !== '' && this.isLeaseValid(now) && !this.isLeader()) return false;
    // 4. Ours (renew through the slow path) or free: take it, counting a transition when it changes hands.
    const record = this.isLeader()
      ? { ...desired, acquireTime: current.record.acquireTime, leaderTransitions: current.record.leaderTransitions }
      : { ...desired, leaderTransitions: current.record.leaderTransitions + 1 };
    return this.write('update', record);
  }

  /** Gives the lock up (holder '' and a one-second lease) if this candidate holds it. */
  async release(): Promise<boolean> {
    if (!this.isLeader()) return true;
    const now = microTime(this.clock.now());
    const released: LeaderElectionRecord = {
      holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now,
      leaderTransitions: this.observedRecord!.leaderTransitions,
    };
    return this.write('update', released);
  }

  private async write(verb: 'create' | 'update', record: LeaderElectionRecord): Promise<boolean> {
    try {
      await this.config.lock[verb](record);
    } catch (err) {
      this.log.warn(`failed to ${verb} lock`, { lease: this.config.lock.describe(), error: String(err) });
      return false;
    }
    this.setObserved(record);
    return true;
  }

  private startLeading(signal: AbortSignal): Promise<void> {
    return Promise.resolve()
      .then(() => this.config.callbacks.onStartedLeading(signal))
      .catch((err: unknown) => this.log.error('onStartedLeading failed', { error: err instanceof Error ? err.stack : String(err) }));
  }

  /** Retries every retryPeriod (jittered) until the lock is ours; false when `signal` aborts first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    const lease = this.config.lock.describe();
    this.log.info('attempting to acquire leader lease', { lease });
    const random = this.config.random ?? Math.random;
    while (!signal.aborted) {
      const acquired = await this.attempt(this.renewMs);
      this.maybeReportTransition();
      if (acquired) {
        this.log.info('successfully acquired lease', { lease });
        return true;
      }
      await this.clock.sleep(this.retryMs * (1 + random() * jitterFactor), signal);
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal did not succeed within renewDeadline, or on abort. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const deadline = this.clock.now() + this.renewMs;
      let renewed = await this.attempt(this.renewMs);
      while (!renewed && !signal.aborted) {
        await this.clock.sleep(this.retryMs, signal);
        if (this.clock.now() >= deadline || signal.aborted) break;
        renewed = await this.attempt(deadline - this.clock.now());
      }
      this.maybeReportTransition();
      if (!renewed) {
        if (!signal.aborted) this.log.warn('failed to renew lease, leadership lost', { lease: this.config.lock.describe() });
        return;
      }
      await this.clock.sleep(this.retryMs, signal);
    }
  }

  /** tryAcquireOrRenew bounded by `timeoutMs` (a hung request counts as a failed attempt). */
  private async attempt(timeoutMs: number): Promise<boolean> {
    const timer = new AbortController();
    const timeout = this.clock.sleep(timeoutMs, timer.signal).then(() => false);
    try {
      return await Promise.race([this.tryAcquireOrRenew(), timeout]);
    } finally {
      timer.abort();
    }
  }

  private isLeaseValid(now: number): boolean {
    return this.observedTime + (this.observedRecord?.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private setObserved(record: LeaderElectionRecord): void {
    this.observedRecord = record;
    this.observedTime = this.clock.now();
  }

  private maybeReportTransition(): void {
    const holder = this.getLeader();
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    this.config.callbacks.onNewLeader?.(holder);
  }
}
