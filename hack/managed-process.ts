import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** How a managed process ended. `error` is set when it could not be started at all. */
export interface ExitInfo {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
}

/** A child process whose output goes to its own log file and which can be stopped by pid. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves once, when the process has exited for any reason; never rejects. */
  readonly exited: Promise<ExitInfo>;
  isRunning(): boolean;
  /**
   * SIGTERM to the child's process group, then SIGKILL after `graceMs`.
   * Resolves when the child has exited; safe to call more than once.
   */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** Synchronous SIGKILL of the process group, for `process.on('exit')` handlers. */
  killNow(): void;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: readonly string[];
  /** Appended to; created with its directory when missing. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts the header line `startProcess` writes before each run of a child. */
const runHeader = '=== ';

/** Default time a child gets between SIGTERM and SIGKILL. */
export const defaultGraceMs = 5_000;

/**
 * Starts a child in its own process group (so a Ctrl-C in the terminal reaches
 * only our supervisor, which then stops children in a chosen order, and so a
 * wrapper's grandchildren die with it). stdout and stderr are written straight
 * to `logFile` by the child: logs survive even if the supervisor dies first.
 * Throws when the command cannot be spawned.
 */
export function startProcess(options: StartProcessOptions): ManagedProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  let child;
  try {
    writeSync(fd, `\n${runHeader}${new Date().toISOString()} ${options.command} ${options.args.join(' ')}\n`);
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    child.on('error', () => undefined);
    throw new Error(`${options.name}: cannot start ${options.command} (is it installed and on PATH?)`);
  }

  let running = true;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ name: options.name, code, signal });
    });
    child.once('error', (err) => {
      running = false;
      resolve({ name: options.name, code: null, signal: null, error: err.message });
    });
  });

  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the whole group is already gone.
    }
  };

  const stop = async (graceMs: number = defaultGraceMs): Promise<ExitInfo> => {
    if (running) signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    const info = await exited;
    clearTimeout(timer);
    // A wrapper (npx, a shell) may leave grandchildren in the group after it exits.
    signalGroup('SIGKILL');
    return info;
  };

  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    isRunning: () => running,
    stop,
    killNow: () => signalGroup('SIGKILL'),
  };
}

/**
 * The last `lines` lines a child wrote in its latest run (log files are
 * appended across runs); empty when the file cannot be read.
 */
export function tailFile(path: string, lines: number): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  const all = text.trimEnd().split('\n');
  let header = all.length - 1;
  while (header >= 0 && !all[header]!.startsWith(runHeader)) header--;
  return all.slice(Math.max(header + 1, all.length - lines)).join('\n');
}

/** One line describing how a process ended, e.g. "etcd-1 exited with code 2". */
export function describeExit(info: ExitInfo): string {
  if (info.error !== undefined) return `${info.name} could not be started: ${info.error}`;
  if (info.signal !== null) return `${info.name} was killed by ${info.signal}`;
  return `${info.name} exited with code ${info.code ?? 'unknown'}`;
}

/** Whether a process is running: it exists and is not a zombie (in a container nobody may reap it). */
export function isProcessAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
