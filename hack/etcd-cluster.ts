import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  clientUrl,
  formatLayout,
  memberArgs,
  newLayout,
  pairPorts,
  parseLayout,
  peerUrl,
  type ClusterLayout,
  type ClusterState,
  type MemberPorts,
} from './etcd-layout.ts';
import { freePorts, isPortFree } from './free-port.ts';
import { describeExit, startProcess, tailFile, type ExitInfo, type ManagedProcess } from './managed-process.ts';

export interface EtcdClusterOptions {
  /** Holds one data directory per member plus `cluster.json`; kept across restarts. */
  dataDir: string;
  /** Number of members for a new cluster (default 3). */
  members?: number;
  /** Ports for a new cluster; default: the persisted ones if still free, else free loopback ports. */
  ports?: readonly MemberPorts[];
  /** Where `<member>.log` files go (default `<dataDir>/logs`). */
  logDir?: string;
  /** How long to wait for every member's /health (default 30 s). */
  readyTimeoutMs?: number;
  /** The etcd binary (default `etcd` from PATH). */
  etcdBinary?: string;
}

export interface EtcdMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  /** The member's current process; `restart` replaces it. */
  process: ManagedProcess;
  /**
   * Starts this member again after it died, from its data: same name, ports and
   * data directory, `--initial-cluster-state=existing`, so it rejoins the cluster.
   */
  restart(): ManagedProcess;
}

export interface EtcdCluster {
  /** Client URLs, one per member, e.g. http://127.0.0.1:23790. */
  endpoints: string[];
  members: EtcdMember[];
  /** Whether this start bootstrapped the cluster or restarted it from its data. */
  state: ClusterState;
  /** Resolves with the first member that exits, for supervisors; never rejects. */
  firstExit: Promise<ExitInfo>;
  /** Stops every member (SIGTERM, then SIGKILL) and waits until they are gone. Data is kept. */
  stop(): Promise<void>;
}

/** The file, inside `dataDir`, that remembers member names and ports. */
export const layoutFileName = 'cluster.json';

function hasData(dataDir: string, name: string): boolean {
  return existsSync(join(dataDir, name, 'member'));
}

function readLayout(dataDir: string): ClusterLayout | undefined {
  const file = join(dataDir, layoutFileName);
  if (!existsSync(file)) return undefined;
  try {
    return parseLayout(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}; remove ${dataDir} (make clean) to start over`);
  }
}

function writeLayout(dataDir: string, layout: ClusterLayout): void {
  const file = join(dataDir, layoutFileName);
  writeFileSync(`${file}.tmp`, formatLayout(layout));
  renameSync(`${file}.tmp`, file);
}

async function allFree(ports: readonly MemberPorts[]): Promise<boolean> {
  for (const p of ports) if (!(await isPortFree(p.client)) || !(await isPortFree(p.peer))) return false;
  return true;
}

/** Decides whether to bootstrap or restart, and on which names and ports. */
async function planCluster(options: EtcdClusterOptions): Promise<{ layout: ClusterLayout; state: ClusterState }> {
  const { dataDir } = options;
  const saved = readLayout(dataDir);
  if (saved !== undefined) {
    const withData = saved.members.filter((m) => hasData(dataDir, m.name)).length;
    if (withData === saved.members.length) return { layout: saved, state: 'existing' };
    if (withData > 0) {
      throw new Error(
        `${dataDir}: only ${withData} of ${saved.members.length} etcd members have data; ` +
          `remove ${dataDir} (make clean) to start a new cluster`,
      );
    }
  }
  const count = options.members ?? saved?.members.length ?? 3;
  if (saved === undefined && Array.from({ length: count }, (_, i) => hasData(dataDir, `etcd-${i}`)).some(Boolean)) {
    throw new Error(`${dataDir} holds etcd data but no ${layoutFileName}; remove ${dataDir} (make clean) to start over`);
  }
  let ports = options.ports;
  if (ports === undefined && saved !== undefined && saved.members.length === count && (await allFree(saved.members))) {
    ports = saved.members;
  }
  ports ??= pairPorts(await freePorts(2 * count));
  if (ports.length !== count) throw new Error(`etcd cluster: ${count} members but ${ports.length} port pairs`);
  // Leftovers of a bootstrap that never wrote data would confuse the new members.
  for (let i = 0; i < count; i++) rmSync(join(dataDir, `etcd-${i}`), { recursive: true, force: true });
  const layout = newLayout(ports, `kube-ts-${randomBytes(6).toString('hex')}`);
  writeLayout(dataDir, layout);
  return { layout, state: 'new' };
}

async function checkPorts(layout: ClusterLayout): Promise<void> {
  for (const m of layout.members) {
    for (const port of [m.client, m.peer]) {
      if (!(await isPortFree(port))) {
        throw new Error(`etcd member ${m.name} needs port ${port}, which is in use (is another cluster still running?)`);
      }
    }
  }
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { health?: unknown };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls every member's GET /health until all report healthy or the deadline passes. */
async function waitHealthy(members: readonly EtcdMember[], timeoutMs: number, dead: { exit?: ExitInfo }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (dead.exit === undefined) {
    const health = await Promise.all(members.map((m) => isHealthy(m.clientUrl)));
    if (health.every(Boolean)) return;
    if (Date.now() > deadline) {
      const sick = members.filter((_, i) => !health[i]).map((m) => m.name);
      throw new Error(`etcd members not healthy after ${timeoutMs} ms: ${sick.join(', ')}`);
    }
    await sleep(200);
  }
}

/**
 * Starts (or restarts, when `dataDir` already holds its data) a local etcd
 * cluster on loopback and waits until every member answers /health. On any
 * failure the members already started are stopped and the error carries the
 * failing member's last log lines.
 */
export async function startEtcdCluster(options: EtcdClusterOptions): Promise<EtcdCluster> {
  mkdirSync(options.dataDir, { recursive: true });
  const { layout, state } = await planCluster(options);
  await checkPorts(layout);
  const logDir = options.logDir ?? join(options.dataDir, 'logs');
  const members: EtcdMember[] = [];
  // One member at a time: when all get SIGTERM together the leader tries to hand
  // leadership to a member that is going away and hangs until SIGKILL.
  const stop = async (): Promise<void> => {
    for (const m of members) await m.process.stop();
  };
  try {
    for (const m of layout.members) {
      const start = (memberState: ClusterState): ManagedProcess =>
        startProcess({
          name: m.name,
          command: options.etcdBinary ?? 'etcd',
          args: memberArgs(layout, m, options.dataDir, memberState),
          logFile: join(logDir, `${m.name}.log`),
        });
      const member: EtcdMember = {
        name: m.name,
        clientUrl: clientUrl(m),
        peerUrl: peerUrl(m),
        process: start(state),
        restart: () => (member.process = start('existing')),
      };
      members.push(member);
    }
    const firstExit = Promise.race(members.map((m) => m.process.exited));
    const dead: { exit?: ExitInfo } = {};
    void firstExit.then((exit) => (dead.exit = exit));
    await waitHealthy(members, options.readyTimeoutMs ?? 30_000, dead);
    if (dead.exit !== undefined) throw new Error(describeExit(dead.exit));
    return { endpoints: members.map((m) => m.clientUrl), members, state, firstExit, stop };
  } catch (err) {
    await stop();
    const logs = members.map((m) => `--- ${m.process.logFile}\n${tailFile(m.process.logFile, 8)}`).join('\n');
    throw new Error(`etcd cluster in ${options.dataDir} did not start: ${(err as Error).message}\n${logs}`);
  }
}
