/**
 * Runs the real kubectl binaries installed on the machine against a cluster: the dispatcher
 * on PATH (it reads /version and picks the matching client) and the versioned binaries beside it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** What kubectl needs of a cluster: its kubeconfig, a directory for caches, and logs for failures. */
export interface KubectlTarget {
  /** A directory of the cluster's own; kubectl's discovery caches go under it. */
  dir: string;
  kubeconfig: string;
  /** Last lines of the apiserver's log, printed with a failing command. */
  logTail(lines?: number): string;
}

/** One kubectl binary under test: a label for test names and the path to run. */
export interface KubectlBinary {
  label: string;
  path: string;
}

function onPath(binary: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${binary} is not on PATH`);
}

/**
 * The dispatcher `kubectl` on PATH and the versioned binaries `kubectl.<v>` in the directory its
 * symlink resolves to. Throws when one is missing (the machine image is expected to have them).
 */
export function kubectlBinaries(versions: readonly string[] = ['1.27', '1.33']): KubectlBinary[] {
  const dispatcher = onPath('kubectl');
  const dir = dirname(realpathSync(dispatcher));
  const versioned = versions.map((v) => {
    const path = join(dir, `kubectl.${v}`);
    accessSync(path, constants.X_OK);
    return { label: `kubectl.${v}`, path };
  });
  return [{ label: 'kubectl', path: dispatcher }, ...versioned];
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (for `-f -`). */
  input?: string;
  /** Default 30 s; kubectl is killed after it. */
  timeoutMs?: number;
}

/** Runs one binary against one cluster; each binary gets its own discovery cache directory. */
export class Kubectl {
  readonly cacheDir: string;

  constructor(
    readonly cluster: KubectlTarget,
    readonly binary: KubectlBinary,
  ) {
    // A per-binary cache: clients of different versions must not read each other's discovery cache.
    this.cacheDir = join(cluster.dir, 'kube-cache', binary.label);
    mkdirSync(this.cacheDir, { recursive: true });
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, KUBECONFIG: this.cluster.kubeconfig, KUBECACHEDIR: this.cacheDir };
  }

  /** Runs kubectl; resolves with its exit code and output whatever the code. */
  run(args: readonly string[], options: KubectlOptions = {}): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        this.binary.path,
        args,
        { env: this.env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' },
        (err, stdout, stderr) => {
          const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
          const killed = err !== null && err.killed ? `\n[killed after ${options.timeoutMs ?? 30_000} ms]` : '';
          resolve({ code, stdout, stderr: stderr + killed });
        },
      );
      child.stdin?.end(options.input ?? '');
    });
  }

  /** Runs kubectl and returns stdout; throws with the full context unless it exits 0. */
  async ok(args: readonly string[], options: KubectlOptions = {}): Promise<string> {
    const res = await this.run(args, options);
    if (res.code !== 0) throw new Error(this.explain(args, res, 'exit 0'));
    return res.stdout;
  }

  /** Runs kubectl expecting a non-zero exit; returns stderr, throws with the context when it succeeded. */
  async fails(args: readonly string[], options: KubectlOptions = {}): Promise<string> {
    const res = await this.run(args, options);
    if (res.code === 0) throw new Error(this.explain(args, res, 'a failure'));
    return res.stderr;
  }

  /** Starts a long-running kubectl (e.g. `get -w`); the caller must call `stop`. */
  spawn(args: readonly string[]): StreamingKubectl {
    const child = spawn(this.binary.path, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new StreamingKubectl(child);
  }

  /** A failure message with the command, both streams and the apiserver's last log lines. */
  explain(args: readonly string[], res: KubectlResult, expected: string): string {
    return [
      `${this.binary.label} ${args.join(' ')}: expected ${expected}, got exit ${res.code}`,
      `--- stdout\n${res.stdout}`,
      `--- stderr\n${res.stderr}`,
      `--- kube-apiserver log tail\n${this.cluster.logTail(30)}`,
    ].join('\n');
  }
}

/** A running kubectl whose stdout is collected; `waitFor` polls it for a pattern. */
export class StreamingKubectl {
  stdout = '';
  stderr = '';
  private exited = false;
  private readonly done: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.done = new Promise((resolve) => child.once('close', () => ((this.exited = true), resolve())));
  }

  /** Resolves once `test(stdout)` holds; throws with both streams after `timeoutMs` or when kubectl exits first. */
  async waitFor(test: (stdout: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.stdout)) {
      if (this.exited || Date.now() > deadline) {
        const why = this.exited ? 'kubectl exited' : `timed out after ${timeoutMs} ms`;
        throw new Error(`waiting for ${what}: ${why}\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills kubectl (by pid) and waits for it to exit. */
  async stop(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.done;
  }
}

/**
 * Parses one kubectl table: cells are cut at the header's column offsets (kubectl aligns every
 * row with a tabwriter), so blank cells (e.g. SHORTNAMES) and headers with spaces
 * ("NOMINATED NODE") survive. Rows are records keyed by header.
 */
export function tableRecords(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const [header, ...rows] = lines;
  if (header === undefined) return [];
  const columns: { name: string; start: number }[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) columns.push({ name: m[0], start: m.index });
  return rows.map((row) =>
    Object.fromEntries(
      columns.map((col, i) => [col.name, row.slice(col.start, columns[i + 1]?.start ?? row.length).trim()]),
    ),
  );
}

/** The header names of a kubectl table (its first non-blank line). */
export function tableHeader(text: string): string[] {
  const header = text.split('\n').find((line) => line.trim() !== '') ?? '';
  return header.trim().split(/\s{2,}/);
}

/** Splits the output of `kubectl get a,b,c` (one table per type, separated by blank lines). */
export function splitTables(text: string): string[] {
  return text.split(/\n\s*\n/).filter((t) => t.trim() !== '');
}
