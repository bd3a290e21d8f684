import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { describeExit, isProcessAlive, tailFile, type ExitInfo, type ManagedProcess } from './managed-process.ts';

/** What the state file records, so a later run can find children a killed supervisor left behind. */
interface SupervisorState {
  pid: number;
  /** A string every child's command line contains (our state directory), checked before killing. */
  marker: string;
  children: { name: string; pid: number }[];
}

/** When a dead child is started again, and when the supervisor gives up on it. */
export interface RestartPolicy {
  /** Delay before the first restart; it doubles after each crash. */
  initialDelayMs: number;
  /** The delay never grows past this. */
  maxDelayMs: number;
  /** A child that stayed up this long before it died is restarted after `initialDelayMs` again. */
  stableAfterMs: number;
  /** The supervisor gives up on a child that crashes more often than this within `crashWindowMs`. */
  maxCrashes: number;
  crashWindowMs: number;
}

/** 1 s doubling to 30 s, reset after a minute up; more than 5 crashes within 5 minutes is fatal. */
export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxCrashes: 5,
  crashWindowMs: 5 * 60_000,
};

/** What to do about one crash: restart after `delayMs`, or give up. `crashes` counts the window's crashes. */
export type RestartDecision = { restart: true; delayMs: number; crashes: number } | { restart: false; crashes: number };

/** The back-off state of one child. Pure: the caller passes the time, so tests need no clock. */
export class RestartBackoff {
  private nextDelayMs: number;
  /** Crash times within the window, oldest first. */
  private crashTimes: number[] = [];

  constructor(
    private readonly policy: RestartPolicy,
    /** When the child (re)started; uptime is measured from here. */
    private startedAt: number,
  ) {
    this.nextDelayMs = policy.initialDelayMs;
  }

  /** Call when the child has been started again. */
  started(now: number): void {
    this.startedAt = now;
  }

  /** Call when the child died on its own. */
  crashed(now: number): RestartDecision {
    const { initialDelayMs, maxDelayMs, stableAfterMs, maxCrashes, crashWindowMs } = this.policy;
    if (now - this.startedAt >= stableAfterMs) this.nextDelayMs = initialDelayMs;
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < crashWindowMs), now];
    const crashes = this.crashTimes.length;
    if (crashes > maxCrashes) return { restart: false, crashes };
    const delayMs = this.nextDelayMs;
    this.nextDelayMs = Math.min(delayMs * 2, maxDelayMs);
    return { restart: true, delayMs, crashes };
  }
}

/** Starts a child again with the same name, flags and ports; may throw like `startProcess`. */
export type Restart = () => ManagedProcess;

export interface SupervisorOptions {
  /** Overrides of `defaultRestartPolicy`. */
  policy?: Partial<RestartPolicy>;
  /** Where deaths, restarts and giving up are told (default: nowhere). */
  log?: (line: string) => void;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

/** One tracked child: its current process, and how to start it again. */
interface Slot {
  child: ManagedProcess;
  /** Absent: the child's death is fatal. */
  again?: { start: Restart; backoff: RestartBackoff };
  /** A pending restart. */
  timer?: NodeJS.Timeout;
}

const duration = (ms: number): string =>
  ms < 1_000 ? `${ms} ms` : ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 6_000) / 10} min`;
const clock = (ms: number): string => new Date(ms).toTimeString().slice(0, 8);

/**
 * Tracks the children of one run: restarts a child that dies (with back-off)
 * when it was added with a restart function, reports one that dies for good,
 * stops them in reverse start order, and keeps a state file that doubles as a
 * lock against two runs sharing one state directory.
 */
export class Supervisor {
  /** Children in start order. */
  private readonly slots: Slot[] = [];
  private stopping = false;
  /** Only the run that acquired the state file may remove it. */
  private acquired = false;
  private readonly policy: RestartPolicy;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private resolveFatal: (info: ExitInfo) => void = () => undefined;
  /**
   * Resolves with the first child that dies for good while we are not stopping:
   * one added without a restart function, or one that kept crashing. Never rejects.
   */
  readonly fatalExit: Promise<ExitInfo> = new Promise((resolve) => (this.resolveFatal = resolve));

  constructor(
    private readonly stateFile: string,
    private readonly marker: string,
    options: SupervisorOptions = {},
  ) {
    this.policy = { ...defaultRestartPolicy, ...options.policy };
    this.log = options.log ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  /** Fails when another live supervisor holds the state file; stops orphans of a dead one. */
  async acquire(): Promise<void> {
    const previous = readState(this.stateFile);
    if (previous !== undefined) {
      if (previous.pid !== process.pid && commandLine(previous.pid).includes('run-local')) {
        throw new Error(`already running as pid ${previous.pid} (state file ${this.stateFile})`);
      }
      for (const child of previous.children) {
        if (commandLine(child.pid).includes(previous.marker)) await stopOrphan(child.pid);
      }
    }
    this.acquired = true;
    this.save();
  }

  /**
   * Tracks a started child; call `acquire` first. With `restart`, a child that
   * dies is started again after a back-off; without, its death is fatal.
   */
  add(child: ManagedProcess, restart?: Restart): void {
    if (!this.acquired) throw new Error('Supervisor.add before acquire');
    const slot: Slot = { child, again: restart && { start: restart, backoff: new RestartBackoff(this.policy, this.now()) } };
    this.slots.push(slot);
    this.save();
    this.watch(slot);
  }

  /** The current process of every child, in start order. */
  get children(): readonly ManagedProcess[] {
    return this.slots.map((s) => s.child);
  }

  /** Stops every child, last started first (programs before etcd), then drops the state file. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) clearTimeout(slot.timer);
    for (const slot of [...this.slots].reverse()) await slot.child.stop();
    if (this.acquired) rmSync(this.stateFile, { force: true });
  }

  /** Last resort from an 'exit' handler: SIGKILL everything still running, synchronously. */
  killAllNow(): void {
    this.stopping = true;
    for (const slot of this.slots) {
      clearTimeout(slot.timer);
      if (slot.child.isRunning()) slot.child.killNow();
    }
  }

  private watch(slot: Slot): void {
    const child = slot.child;
    void child.exited.then((info) => {
      if (!this.stopping && slot.child === child) this.died(slot, info);
    });
  }

  private died(slot: Slot, info: ExitInfo): void {
    const again = slot.again;
    if (again === undefined) {
      this.resolveFatal(info);
      return;
    }
    const now = this.now();
    const decision = again.backoff.crashed(now);
    const { maxCrashes, crashWindowMs } = this.policy;
    const count = `crash ${decision.crashes} within ${duration(crashWindowMs)}, at most ${maxCrashes} tolerated`;
    const what = `${describeExit(info)} at ${clock(now)}`;
    if (!decision.restart) {
      this.log(`${what}; ${count}: giving up`);
      this.resolveFatal(info);
      return;
    }
    // A crash (not a kill) usually explains itself in the log; whoever gets `fatalExit` shows the log when giving up.
    const tail = info.signal === null ? tailFile(slot.child.logFile, 10) : '';
    this.log(`${what}; restarting it in ${duration(decision.delayMs)} (${count})${tail && `\n${tail}`}`);
    slot.timer = setTimeout(() => this.restart(slot, again), decision.delayMs);
  }

  private restart(slot: Slot, again: NonNullable<Slot['again']>): void {
    slot.timer = undefined;
    if (this.stopping) return;
    const name = slot.child.name;
    try {
      slot.child = again.start();
    } catch (err) {
      this.died(slot, { name, code: null, signal: null, error: (err as Error).message });
      return;
    }
    again.backoff.started(this.now());
    this.save();
    this.log(`restarted ${name} (pid ${slot.child.pid})`);
    this.watch(slot);
  }

  private save(): void {
    const state: SupervisorState = {
      pid: process.pid,
      marker: this.marker,
      children: this.slots.map(({ child }) => ({ name: child.name, pid: child.pid })),
    };
    writeFileSync(`${this.stateFile}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }
}

function readState(file: string): SupervisorState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SupervisorState;
  } catch {
    return undefined;
  }
}

/** The NUL-separated /proc command line joined with spaces; empty when the process is gone. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the orphan's process group, SIGKILL if it is still there after 5 s. */
async function stopOrphan(pid: number): Promise<void> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 50 && isProcessAlive(pid); i++) await sleep(100);
  signal('SIGKILL');
}
