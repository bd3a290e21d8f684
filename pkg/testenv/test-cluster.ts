/**
 * One isolated test cluster: a kube-apiserver process (and, when asked, the other programs under
 * cmd/) on a free loopback port, storing under its own etcd key prefix of a shared etcd, with an
 * admin kubeconfig of its own. The apiserver and programs are started exactly as `make run-local`
 * starts them (hack/local-components.ts), so tests exercise the real binaries, from a bundle of
 * their sources (bundle.ts) because that starts three times faster than through tsx.
 *
 * Plays the part of controller-runtime's envtest (sigs.k8s.io/controller-runtime/pkg/envtest),
 * except that clusters share etcd and certificates, so several start in parallel and each costs
 * only an apiserver start.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { startEtcdCluster, type EtcdCluster } from '../../hack/etcd-cluster.ts';
import { freePorts } from '../../hack/free-port.ts';
import { renderKubeconfig, writeKubeconfig } from '../../hack/kubeconfig.ts';
import { applyPrerequisites, localComponents, startComponent, type LocalComponent, type LocalContext } from '../../hack/local-components.ts';
import { tailFile, type ManagedProcess } from '../../hack/managed-process.ts';
import { ensurePki } from '../../hack/pki.ts';
import type { AdminTls } from '../../hack/wait-readyz.ts';
import { EtcdStore } from '../storage/etcd/index.ts';
import { bundledEntry } from './bundle.ts';
import { guardProcessGroup } from './orphan-guard.ts';
import { sharedEnvironment, type SharedEnvironment } from './shared-environment.ts';

/** Repository root (this file is pkg/testenv/test-cluster.ts). */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The programs a test cluster can run besides the apiserver, by their binary names. */
export type ClusterComponent = 'kube-controller-manager' | 'kube-scheduler' | 'fake-kubelet';

export interface TestClusterOptions {
  /** Names the temporary directory and the etcd prefix, e.g. the test file's name (default `cluster`). */
  name?: string;
  /** Programs to run besides the apiserver (default none). Asking for one that is not built yet throws. */
  components?: readonly ClusterComponent[];
  /**
   * An etcd cluster of this cluster's own, with this many members, instead of the shared one
   * (the benchmark wants every process of the cluster to itself). Default: the shared etcd.
   */
  dedicatedEtcd?: { members: number };
  /** Extra node flags for one program's process, e.g. { 'kube-apiserver': ['--cpu-prof'] }. */
  nodeArgs?: Readonly<Partial<Record<'kube-apiserver' | ClusterComponent, readonly string[]>>>;
  /** Keep the temporary directory (logs, kubeconfig) after stop; also when KUBE_TS_KEEP_DIR=1. */
  keepDir?: boolean;
  /** Milliseconds each program may take to become ready (default 60 s). */
  readyTimeoutMs?: number;
}

export interface TestCluster {
  /** The temporary directory: kubeconfig, logs/, kube-cache/. */
  dir: string;
  /** Path of the admin kubeconfig file (for `KUBECONFIG=… kubectl`). */
  kubeconfig: string;
  /** The same admin credentials loaded for @kubernetes/client-node: `kubeConfig.makeApiClient(CoreV1Api)`. */
  kubeConfig: KubeConfig;
  /** https://127.0.0.1:<port> */
  apiserverUrl: string;
  etcdEndpoints: readonly string[];
  /** The apiserver's `--etcd-prefix`: every object of this cluster lives under it. */
  etcdPrefix: string;
  /** Admin TLS material (PEM text) for direct HTTPS requests. */
  tls: AdminTls;
  /** The started programs by name (kube-apiserver, …), for pids and log files. */
  processes: ReadonlyMap<string, ManagedProcess>;
  apiserverPid: number;
  /** Every process this cluster owns (a dedicated etcd's members, then the programs), e.g. for CPU accounting. */
  pids: readonly { name: string; pid: number }[];
  /** Last `lines` lines of a program's log (default the apiserver's). */
  logTail(lines?: number, component?: string): string;
  /** Stops the programs (last started first), deletes this cluster's keys from a shared etcd, removes the directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Every live cluster of this process, so an exiting process still kills their programs. */
const live = new Set<() => void>();
process.once('exit', () => {
  for (const kill of live) kill();
});

/** How often the apiserver start is retried when another process took its port first. */
const portAttempts = 3;

/** The components to start, in run-local order; throws for one that does not exist yet. */
function pickComponents(wanted: readonly ClusterComponent[]): LocalComponent[] {
  for (const name of wanted) {
    if (!localComponents.some((c) => c.name === name)) throw new Error(`unknown component ${name}`);
  }
  return localComponents.filter((c) => c.name === 'kube-apiserver' || wanted.includes(c.name as ClusterComponent));
}

async function environmentFor(options: TestClusterOptions, dir: string): Promise<SharedEnvironment & { etcd?: EtcdCluster }> {
  if (options.dedicatedEtcd === undefined) return sharedEnvironment();
  const [pki, etcd] = await Promise.all([
    ensurePki(join(dir, 'pki')),
    startEtcdCluster({ dataDir: join(dir, 'etcd'), members: options.dedicatedEtcd.members, logDir: join(dir, 'logs') }),
  ]);
  return { pki, etcd, etcdEndpoints: etcd.endpoints };
}

/** Starts one program (from its bundle) and waits for it to be ready; the error carries its log tail. */
async function startReady(component: LocalComponent, ctx: LocalContext, logDir: string,
  nodeArgs: readonly string[] | undefined): Promise<{ child: ManagedProcess; release: () => void }> {
  if (!existsSync(join(ctx.root, component.entry))) {
    throw new Error(`${component.name} is not built yet (${component.entry} does not exist)`);
  }
  const bundle = await bundledEntry(ctx.root, component.entry);
  await applyPrerequisites(component, ctx);
  const child = startComponent(component, ctx, { logDir, nodeArgs, bundle })!;
  const release = guardProcessGroup(child.pid);
  const abort = new AbortController();
  void child.exited.then(() => abort.abort());
  try {
    await component.ready?.(ctx, abort.signal);
    return { child, release };
  } catch (err) {
    await child.stop();
    release();
    const error = new Error(`${component.name} not ready: ${(err as Error).message}\n${tailFile(child.logFile, 30)}`);
    (error as Error & { portTaken?: boolean }).portTaken = /EADDRINUSE/.test(tailFile(child.logFile, 30));
    throw error;
  }
}

/**
 * Starts a cluster and resolves once every program is ready (the apiserver's /readyz answers 200).
 * On failure everything already started is stopped and the error carries the failing log tail.
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const name = options.name ?? 'cluster';
  const components = pickComponents(options.components ?? []);
  const dir = mkdtempSync(join(tmpdir(), `kube-ts-${name.replace(/[^A-Za-z0-9_.-]/g, '-')}-`));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const etcdPrefix = `/kube-ts-testenv/${randomBytes(6).toString('hex')}/registry`;
  const started: ManagedProcess[] = [];
  const released: (() => void)[] = [];
  let env: (SharedEnvironment & { etcd?: EtcdCluster }) | undefined;
  const killNow = (): void => {
    for (const p of started) if (p.isRunning()) p.killNow();
    for (const m of env?.etcd?.members ?? []) if (m.process.isRunning()) m.process.killNow();
  };
  live.add(killNow);
  const keep = options.keepDir === true || process.env.KUBE_TS_KEEP_DIR === '1';
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const p of [...started].reverse()) await p.stop();
      if (env?.etcd !== undefined) await env.etcd.stop();
      else if (env !== undefined) await deletePrefix(env.etcdEndpoints, etcdPrefix);
      for (const release of released) release();
      live.delete(killNow);
      if (!keep) rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    env = await environmentFor(options, dir);
    for (const m of env.etcd?.members ?? []) released.push(guardProcessGroup(m.process.pid));
    const { pki } = env;
    const tls: AdminTls = {
      ca: readFileSync(pki.caCert, 'utf8'),
      cert: readFileSync(pki.adminCert, 'utf8'),
      key: readFileSync(pki.adminKey, 'utf8'),
    };
    const processes = new Map<string, ManagedProcess>();
    let ctx: LocalContext | undefined;
    for (const component of components) {
      for (let attempt = 1; ; attempt++) {
        if (ctx === undefined) {
          const [port] = await freePorts(1);
          ctx = {
            root: repoRoot, pki, etcdEndpoints: env.etcdEndpoints, etcdPrefix,
            apiserverPort: port!, apiserverUrl: `https://127.0.0.1:${port}`,
            kubeconfig: join(dir, 'kubeconfig'), readyTimeoutMs: options.readyTimeoutMs ?? 60_000, readyPollMs: 25,
          };
          writeKubeconfig(ctx.kubeconfig, { server: ctx.apiserverUrl, caPem: tls.ca, clientCertPem: tls.cert, clientKeyPem: tls.key });
        }
        try {
          const { child, release } = await startReady(component, ctx, logDir, options.nodeArgs?.[component.name as ClusterComponent]);
          started.push(child);
          released.push(release);
          processes.set(component.name, child);
          break;
        } catch (err) {
          // Another process bound the free port between our check and the apiserver's listen: new port.
          if (component.name !== 'kube-apiserver' || !(err as { portTaken?: boolean }).portTaken || attempt >= portAttempts) throw err;
          ctx = undefined;
        }
      }
    }
    const apiserver = processes.get('kube-apiserver')!;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(renderKubeconfig({ server: ctx!.apiserverUrl, caPem: tls.ca, clientCertPem: tls.cert, clientKeyPem: tls.key }));
    return {
      dir,
      kubeconfig: ctx!.kubeconfig,
      kubeConfig,
      apiserverUrl: ctx!.apiserverUrl,
      etcdEndpoints: env.etcdEndpoints,
      etcdPrefix,
      tls,
      processes,
      apiserverPid: apiserver.pid,
      pids: [...(env.etcd?.members.map((m) => m.process) ?? []), ...started].map((p) => ({ name: p.name, pid: p.pid })),
      logTail: (lines = 30, component = 'kube-apiserver') => tailFile(join(logDir, `${component}.log`), lines),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Removes every key under one cluster's prefix from a shared etcd, so many clusters do not fill it. */
async function deletePrefix(endpoints: readonly string[], prefix: string): Promise<void> {
  const store = new EtcdStore({ endpoints: [...endpoints], prefix });
  try {
    await store.client.delete().prefix(`${store.prefix}/`).exec();
  } finally {
    await store.close();
  }
}
