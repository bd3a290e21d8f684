import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { afterAll, describe, expect, it } from 'vitest';
import { clientUrl, parseLayout } from './etcd-layout.ts';
import { freePorts } from './free-port.ts';
import { isProcessAlive as isAlive, startProcess, type ManagedProcess } from './managed-process.ts';
import { httpsStatus } from './wait-readyz.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms until it holds; fails with `what` after `timeoutMs`. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}

/** POST to etcd's JSON gateway; undefined when the member does not answer. */
async function etcdGateway(url: string, path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(`${url}${path}`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1_000) });
    return res.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// Runs `hack/run-local.ts` for real (etcd on PATH, the apiserver, the controller-manager) in a
// temporary RUN_LOCAL_DIR, kills children with SIGKILL and expects them back.
describe('run-local restarts a dead child', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-run-local-'));
  const output = join(dir, 'run-local.out');
  let runLocal: ManagedProcess | undefined;
  /** Every child pid seen, so cleanup can kill them even when run-local could not. */
  const seen = new Set<number>();
  const children = (): Map<string, number> => {
    let state: { children: { name: string; pid: number }[] };
    try {
      state = JSON.parse(readFileSync(join(dir, 'run-local.json'), 'utf8')) as typeof state;
    } catch {
      return new Map();
    }
    for (const c of state.children) seen.add(c.pid);
    return new Map(state.children.map((c) => [c.name, c.pid]));
  };
  const out = (): string => readFileSync(output, 'utf8');

  afterAll(() => {
    runLocal?.killNow();
    children();
    for (const pid of seen) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings back the etcd leader and the apiserver, then stops everything on SIGINT', async () => {
    const [port] = await freePorts(1);
    runLocal = startProcess({
      name: 'run-local',
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'hack/run-local.ts')],
      logFile: output,
      cwd: root,
      env: { ...process.env, RUN_LOCAL_DIR: dir, APISERVER_PORT: String(port) },
    });
    await eventually('run-local is up', () => out().includes('kube-ts is running') || !runLocal!.isRunning(), 30_000);
    expect(runLocal.isRunning(), out()).toBe(true);

    // The etcd leader: the member whose own id is the leader id it reports.
    const layout = parseLayout(readFileSync(join(dir, 'etcd', 'cluster.json'), 'utf8'));
    const endpoints = layout.members.map(clientUrl);
    const statuses = await Promise.all(endpoints.map((url) => etcdGateway(url, '/v3/maintenance/status')));
    const leader = layout.members.find((_, i) => {
      const s = statuses[i] as { header?: { member_id?: string }; leader?: string } | undefined;
      return s?.leader !== undefined && s.header?.member_id === s.leader;
    });
    expect(leader, JSON.stringify(statuses)).toBeDefined();
    const oldEtcd = children().get(leader!.name)!;
    process.kill(oldEtcd, 'SIGKILL');

    await eventually(`${leader!.name} restarted`, () => (children().get(leader!.name) ?? oldEtcd) !== oldEtcd);
    const allHealthy = async (): Promise<boolean> => {
      const health = await Promise.all(endpoints.map((url) => fetch(`${url}/health`).then((r) => r.json(), () => ({}))));
      return health.every((h) => (h as { health?: string }).health === 'true');
    };
    await eventually('all 3 etcd members healthy', allHealthy);
    const members = await etcdGateway(endpoints[0]!, '/v3/cluster/member/list');
    expect((members?.members as unknown[] | undefined)?.length).toBe(3);
    const client = new Etcd3({ hosts: endpoints });
    try {
      await client.put('run-local-restart-test').value('still here');
      expect(await client.get('run-local-restart-test').string()).toBe('still here');
    } finally {
      client.close();
    }
    expect(out()).toMatch(new RegExp(`${leader!.name} was killed by SIGKILL at [\\d:]+; restarting it in 1 s`));
    expect(out()).toContain(`restarted ${leader!.name} (pid ${children().get(leader!.name)})`);

    const oldApiserver = children().get('kube-apiserver')!;
    process.kill(oldApiserver, 'SIGKILL');
    await eventually('kube-apiserver restarted', () => (children().get('kube-apiserver') ?? oldApiserver) !== oldApiserver);
    const pki = join(dir, 'pki');
    const tls = { ca: readFileSync(join(pki, 'ca.crt'), 'utf8'), cert: readFileSync(join(pki, 'admin.crt'), 'utf8'), key: readFileSync(join(pki, 'admin.key'), 'utf8') };
    await eventually('/readyz answers 200', async () => (await httpsStatus(`https://127.0.0.1:${port}/readyz`, tls)) === 200);
    expect(out()).toMatch(/kube-apiserver was killed by SIGKILL at [\d:]+; restarting it in 1 s/);

    children();
    process.kill(runLocal.pid, 'SIGINT');
    const exit = await runLocal.exited;
    expect(exit.code, out()).toBe(0);
    expect(out()).toContain('run-local: stopped');
    expect([...seen].filter(isAlive)).toEqual([]);
  }, 60_000);
});
