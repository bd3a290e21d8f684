import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isProcessAlive, type ExitInfo, type ManagedProcess } from './managed-process.ts';

/** What the state file records, so a later run can find children a killed supervisor left behind. */
interface SupervisorState {
  pid: number;
  /** A string every child's command line contains (our state directory), checked before killing. */
  marker: string;
  children: { name: string; pid: number }[];
}

/**
 * Tracks the children of one run: stops them in reverse start order, reports
 * the first one that exits on its own, and keeps a state file that doubles as
 * a lock against two runs sharing one state directory.
 */
export class Supervisor {
  /** Children in start order. */
  private readonly children: ManagedProcess[] = [];
  private stopping = false;
  /** Only the run that acquired the state file may remove it. */
  private acquired = false;
  private resolveExit: (info: ExitInfo) => void = () => undefined;
  /** Resolves with the first child that exits while we are not stopping; never rejects. */
  readonly firstUnexpectedExit: Promise<ExitInfo> = new Promise((resolve) => (this.resolveExit = resolve));

  constructor(
    private readonly stateFile: string,
    private readonly marker: string,
  ) {}

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

  /** Tracks a started child; call `acquire` first. */
  add(child: ManagedProcess): void {
    if (!this.acquired) throw new Error('Supervisor.add before acquire');
    this.children.push(child);
    this.save();
    void child.exited.then((info) => {
      if (!this.stopping) this.resolveExit(info);
    });
  }

  /** Stops every child, last started first (programs before etcd), then drops the state file. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const child of [...this.children].reverse()) await child.stop();
    if (this.acquired) rmSync(this.stateFile, { force: true });
  }

  /** Last resort from an 'exit' handler: SIGKILL everything still running, synchronously. */
  killAllNow(): void {
    this.stopping = true;
    for (const child of this.children) if (child.isRunning()) child.killNow();
  }

  private save(): void {
    const state: SupervisorState = {
      pid: process.pid,
      marker: this.marker,
      children: this.children.map((c) => ({ name: c.name, pid: c.pid })),
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
