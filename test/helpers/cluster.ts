/**
 * A whole local cluster for e2e tests and the benchmark, started the way `make run-local` does
 * (same hack/ modules: PKI, 3-member etcd, admin kubeconfig, the cmd/ programs with their
 * run-local flags and readiness checks), but in a temporary directory on free loopback ports,
 * and stopped by pid. One per test file (beforeAll/afterAll).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEtcdCluster, type EtcdCluster } from '../../hack/etcd-cluster.ts';
import { freePorts } from '../../hack/free-port.ts';
import { writeKubeconfig } from '../../hack/kubeconfig.ts';
import { localComponents, startComponent, type LocalContext } from '../../hack/local-components.ts';
import { tailFile, type ManagedProcess } from '../../hack/managed-process.ts';
import { ensurePki } from '../../hack/pki.ts';
import type { AdminTls } from '../../hack/wait-readyz.ts';

/** Repository root (this file is test/helpers/cluster.ts). */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface ClusterOptions {
  /** Prefix of the temporary directory name, e.g. the test file's name. */
  name?: string;
  /**
   * Which run-local components to start (by name, e.g. ['kube-apiserver']); default every one
   * whose entry exists, as run-local does. The benchmark starts the apiserver only, so no
   * scheduler or kubelet touches its pods.
   */
  components?: readonly string[];
  /** Extra node flags for one component's process, e.g. { 'kube-apiserver': ['--cpu-prof'] }. */
  nodeArgs?: Readonly<Record<string, readonly string[]>>;
  /** Keep the temporary directory (logs, etcd data) after stop; also when E2E_KEEP_DIR=1. */
  keepDir?: boolean;
}

export interface LocalCluster {
  /** The temporary state directory (pki/, etcd/, logs/, kubeconfig). */
  dir: string;
  kubeconfig: string;
  apiserverUrl: string;
  etcdEndpoints: readonly string[];
  /** Admin TLS material (PEM text) for direct HTTPS requests. */
  tls: AdminTls;
  /** The started programs by name (kube-apiserver, …), for pids and log files. */
  processes: ReadonlyMap<string, ManagedProcess>;
  /** pid of the apiserver process. */
  apiserverPid: number;
  /** Every process of the cluster (etcd members, then the programs) with its pid, e.g. for CPU accounting. */
  pids: readonly { name: string; pid: number }[];
  /** Last `lines` lines of a component's log (default the apiserver's). */
  logTail(lines?: number, component?: string): string;
  /** Stops the programs (last started first), then etcd; removes the directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Every live cluster of this process, so an unexpected exit still kills their processes. */
const live = new Set<() => void>();
process.once('exit', () => {
  for (const kill of live) kill();
});

/**
 * Starts PKI, etcd and the programs; resolves once every program reports ready (the apiserver's
 * /readyz). On failure everything already started is stopped and the error carries the log tail.
 */
export async function startLocalCluster(options: ClusterOptions = {}): Promise<LocalCluster> {
  const dir = mkdtempSync(join(tmpdir(), `kube-ts-${options.name ?? 'e2e'}-`));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const started: ManagedProcess[] = [];
  let etcd: EtcdCluster | undefined;
  const killNow = (): void => {
    for (const p of started) if (p.isRunning()) p.killNow();
    for (const m of etcd?.members ?? []) if (m.process.isRunning()) m.process.killNow();
  };
  live.add(killNow);
  const keep = options.keepDir === true || process.env.E2E_KEEP_DIR === '1';
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const p of [...started].reverse()) await p.stop();
    await etcd?.stop();
    live.delete(killNow);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const pki = await ensurePki(join(dir, 'pki'));
    etcd = await startEtcdCluster({ dataDir: join(dir, 'etcd'), logDir });
    const [apiserverPort] = await freePorts(1);
    const ctx: LocalContext = {
      root: repoRoot,
      pki,
      etcdEndpoints: etcd.endpoints,
      apiserverPort: apiserverPort!,
      apiserverUrl: `https://127.0.0.1:${apiserverPort}`,
      kubeconfig: join(dir, 'kubeconfig'),
      readyTimeoutMs: 120_000,
    };
    const tls: AdminTls = {
      ca: readFileSync(pki.caCert, 'utf8'),
      cert: readFileSync(pki.adminCert, 'utf8'),
      key: readFileSync(pki.adminKey, 'utf8'),
    };
    writeKubeconfig(ctx.kubeconfig, { server: ctx.apiserverUrl, caPem: tls.ca, clientCertPem: tls.cert, clientKeyPem: tls.key });

    const processes = new Map<string, ManagedProcess>();
    for (const component of localComponents) {
      if (options.components !== undefined && !options.components.includes(component.name)) continue;
      // The same command line run-local uses, plus any extra node flags.
      const child = startComponent(component, ctx, { logDir, nodeArgs: options.nodeArgs?.[component.name] });
      if (!child) continue;
      started.push(child);
      processes.set(component.name, child);
      const abort = new AbortController();
      void child.exited.then(() => abort.abort());
      try {
        await component.ready?.(ctx, abort.signal);
      } catch (err) {
        throw new Error(`${component.name} not ready: ${(err as Error).message}\n${tailFile(child.logFile, 30)}`);
      }
    }
    const apiserver = processes.get('kube-apiserver');
    if (apiserver === undefined) throw new Error('kube-apiserver was not started');
    return {
      dir,
      kubeconfig: ctx.kubeconfig,
      apiserverUrl: ctx.apiserverUrl,
      etcdEndpoints: etcd.endpoints,
      tls,
      processes,
      apiserverPid: apiserver.pid,
      pids: [...etcd.members.map((m) => m.process), ...started].map((p) => ({ name: p.name, pid: p.pid })),
      logTail: (lines = 30, component = 'kube-apiserver') => tailFile(join(logDir, `${component}.log`), lines),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
