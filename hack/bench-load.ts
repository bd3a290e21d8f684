/**
 * Load primitives for hack/bench.ts: a bounded-concurrency runner, an HTTPS client with the admin
 * client certificate on a keep-alive agent, the ~1.8 KB benchmark pod, and percentiles.
 */
import { Agent, request } from 'node:https';
import type { AdminTls } from './wait-readyz.ts';

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; resolves with the elapsed ms. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - start;
}

export interface HttpResult {
  status: number;
  body: Buffer;
}

/** A minimal HTTPS client for the apiserver: admin certificate, one keep-alive agent. */
export class ApiClient {
  readonly agent: Agent;

  constructor(
    readonly baseUrl: string,
    readonly tls: AdminTls,
    maxSockets = 64,
    /** Bearer token to send instead of the admin client certificate. */
    private readonly token?: string,
  ) {
    this.agent = token === undefined
      ? new Agent({ keepAlive: true, maxSockets, ca: tls.ca, cert: tls.cert, key: tls.key })
      : new Agent({ keepAlive: true, maxSockets, ca: tls.ca });
  }

  /** One request; resolves with the status and the whole body (never rejects on HTTP errors). */
  send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
            ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Like `send`, but throws (with the body) unless the status is `expect`. */
  async must(expect: number, method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Buffer> {
    const res = await this.send(method, path, body, headers);
    if (res.status !== expect) {
      throw new Error(`${method} ${path}: want ${expect}, got ${res.status}: ${res.body.toString().slice(0, 500)}`);
    }
    return res.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Size of the benchmark pod's JSON, and of the raw etcd values compared against it. */
export const benchObjectBytes = 1800;

/** A pod whose JSON is exactly `benchObjectBytes` long (padded with an annotation). */
export function benchPod(namespace: string, name: string): string {
  const pod = (padding: string): unknown => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench', tier: 'backend' }, annotations: { 'bench/padding': padding } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example/bench/app:1.0.0',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'MODE', value: 'bench' },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        },
      ],
    },
  });
  const bare = JSON.stringify(pod('')).length;
  return JSON.stringify(pod('x'.repeat(Math.max(0, benchObjectBytes - bare))));
}

/** The p-th percentile (0..100) of `values` by nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Resident and peak resident memory of a process in MiB, from /proc/<pid>/status. */
export async function processMemoryMiB(pid: number): Promise<{ rss: number; hwm: number }> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; NaN when gone. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (clock ticks, 100/s on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds per group of processes (e.g. etcd, kube-apiserver) plus this process, as a snapshot. */
export type CpuSnapshot = Record<string, number>;

/** Snapshots CPU time by group: pids are grouped by name with a trailing -<n> removed (etcd-0 → etcd). */
export async function cpuSnapshot(pids: readonly { name: string; pid: number }[]): Promise<CpuSnapshot> {
  const snap: CpuSnapshot = {};
  for (const { name, pid } of pids) {
    const group = name.replace(/-\d+$/, '');
    snap[group] = (snap[group] ?? 0) + (await processCpuSeconds(pid));
  }
  const self = process.cpuUsage();
  snap['bench client'] = (self.user + self.system) / 1e6;
  return snap;
}

/** "etcd 4.1 s, kube-apiserver 6.0 s, bench client 2.2 s" for the time between two snapshots. */
export function formatCpu(before: CpuSnapshot, after: CpuSnapshot, perItems?: number): string {
  return Object.keys(after)
    .map((group) => {
      const used = (after[group] ?? 0) - (before[group] ?? 0);
      const per = perItems === undefined ? '' : ` (${((used * 1000) / perItems).toFixed(2)} ms each)`;
      return `${group} ${used.toFixed(1)} s${per}`;
    })
    .join(', ');
}
