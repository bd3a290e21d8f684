/**
 * A pod's life as kubectl shows it, on the fake-kubelet's simulated runtime (scheduled by the
 * kube-scheduler): logs (follow, tail, previous instance), resource usage (`kubectl top`), a
 * container that fails, and one that crash-loops. The runtime reads a container's command as a
 * tiny shell (pkg/kubelet/runtime/interpreter.ts): `echo`, `sleep`, `exit` chained with `;`, `&&`,
 * `||`; loops are not understood (such a container runs forever and prints nothing), so the
 * scripts below spell their steps out.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { eventually } from '../helpers/eventually.ts';
import { Kubectl, kubectlBinaries, tableHeader, tableRecords } from '../helpers/kubectl.ts';

let cluster: TestCluster;
let k: Kubectl;
const ns = 'lifecycle';

beforeAll(async () => {
  cluster = await startTestCluster({
    name: 'e2e-kubectl-pod-lifecycle', components: ['kube-scheduler', 'kube-controller-manager', 'fake-kubelet'],
  });
  k = new Kubectl(cluster, kubectlBinaries([])[0]!);
  await k.ok(['create', 'namespace', ns]);
  await eventually(async () => expect((await k.ok(['get', 'sa', 'default', '-n', ns, '-o', 'name'])).trim()).toBe('serviceaccount/default'));
  await eventually(async () => expect(await k.ok(['get', 'nodes', '-o', 'name'])).toMatch(/^(node\/fake-node-\d\n){3}$/), 30_000);
});

afterAll(async () => {
  await cluster?.stop();
});

/** `kubectl run <name> --image=busybox [--restart=…] -- sh -c <script>`; expects "pod/<name> created". */
async function runShell(name: string, script: string, restart: 'Always' | 'Never' = 'Never'): Promise<void> {
  const out = await k.ok(['run', name, '-n', ns, '--image=busybox:1.36', `--restart=${restart}`, '--', 'sh', '-c', script]);
  expect(out).toBe(`pod/${name} created\n`);
}

const jsonpath = (pod: string, path: string): Promise<string> => k.ok(['get', 'pod', pod, '-n', ns, '-o', `jsonpath=${path}`]);

async function waitReady(pod: string): Promise<void> {
  expect(await k.ok(['wait', '-n', ns, '--for=condition=Ready', `pod/${pod}`, '--timeout=30s'], { timeoutMs: 40_000 })).toBe(`pod/${pod} condition met\n`);
}

/** The pod's row of `kubectl get pods`. */
async function podRow(pod: string): Promise<Record<string, string>> {
  const out = await k.ok(['get', 'pod', pod, '-n', ns]);
  expect(tableHeader(out)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  return tableRecords(out)[0]!;
}

interface FollowedLogs {
  /** Each stdout chunk with the milliseconds since kubectl started. */
  chunks: { at: number; text: string }[];
  code: number | null;
  stderr: string;
}

/** Runs `kubectl logs -f …` until kubectl exits on its own (the container ended) or `timeoutMs` passes. */
function follow(args: readonly string[], timeoutMs: number): Promise<FollowedLogs> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(k.binary.path, ['logs', '-f', '-n', ns, ...args], { env: k.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const result: FollowedLogs = { chunks: [], code: null, stderr: '' };
    child.stdout.on('data', (c: Buffer) => result.chunks.push({ at: Date.now() - started, text: c.toString() }));
    child.stderr.on('data', (c: Buffer) => (result.stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ...result, code });
    });
  });
}

describe('kubectl logs', () => {
  it('prints what the container wrote, and --tail the last lines of it', async () => {
    await runShell('five-lines', 'echo line-1; echo line-2; echo line-3; echo line-4; echo line-5 >&2; sleep 3600');
    await waitReady('five-lines');
    await eventually(async () => expect(await k.ok(['logs', 'five-lines', '-n', ns])).toBe('line-1\nline-2\nline-3\nline-4\nline-5\n'));
    expect(await k.ok(['logs', 'five-lines', '-n', ns, '--tail=2'])).toBe('line-4\nline-5\n');
    const stamped = (await k.ok(['logs', 'five-lines', '-n', ns, '--timestamps', '--tail=1'])).trimEnd();
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line-5$/);
    expect((await k.fails(['logs', 'five-lines', '-n', ns, '-c', 'nope'])).trim()).toBe('error: container nope is not valid for pod five-lines');
  });

  it('follows a container with -f: lines arrive as they are written, and kubectl exits when the container does', async () => {
    // The trailing sleep keeps the last line apart from the exit: the fake-kubelet drops a line due
    // at the same instant as the exit whenever its clock ticks between the two timers (reported).
    await runShell('counter', 'echo 1; sleep 2; echo 2; sleep 2; echo 3; sleep 1');
    await waitReady('counter');
    const followed = await follow(['counter'], 20_000);
    expect(followed.stderr).toBe('');
    expect(followed.code).toBe(0);
    expect(followed.chunks.map((c) => c.text).join('')).toBe('1\n2\n3\n');
    // "3" is written about four seconds after "1": it cannot have come in the first read.
    const firstAt = followed.chunks[0]!.at;
    const threeAt = followed.chunks.find((c) => c.text.includes('3'))!.at;
    expect(threeAt - firstAt).toBeGreaterThan(1500);
    expect(await jsonpath('counter', '{.status.phase}')).toBe('Succeeded');
    expect((await podRow('counter')).STATUS).toBe('Completed');
  });

  it('shows the previous instance of a restarted container with --previous', async () => {
    await runShell('restarter', 'echo attempt; echo failing >&2; exit 2', 'Always');
    await eventually(async () => expect(Number(await jsonpath('restarter', '{.status.containerStatuses[0].restartCount}'))).toBeGreaterThanOrEqual(1), 20_000);
    expect(await k.ok(['logs', 'restarter', '-n', ns, '--previous'])).toBe('attempt\nfailing\n');
    await runShell('fresh', 'echo only once; sleep 3600');
    await waitReady('fresh');
    expect((await k.fails(['logs', 'fresh', '-n', ns, '--previous'])).trim()).toBe(
      'Error from server (BadRequest): previous terminated container "fresh" in pod "fresh" not found');
  });

  it('picks the first container of a pod with several, and --all-containers --prefix names each', async () => {
    const manifest = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pair' },
      spec: { containers: ['a', 'b'].map((c) => ({ name: c, image: 'busybox:1.36', command: ['sh', '-c', `echo from-${c}; sleep 3600`] })) },
    };
    await k.ok(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(manifest) });
    await waitReady('pair');
    const first = await k.run(['logs', 'pair', '-n', ns]);
    expect(first).toMatchObject({ code: 0, stdout: 'from-a\n', stderr: 'Defaulted container "a" out of: a, b\n' });
    expect(await k.ok(['logs', 'pair', '-n', ns, '-c', 'b'])).toBe('from-b\n');
    expect(await k.ok(['logs', 'pair', '-n', ns, '--all-containers', '--prefix'])).toBe('[pod/pair/a] from-a\n[pod/pair/b] from-b\n');
  });
});

describe('kubectl top', () => {
  it('prints node and pod usage (the kubelet reports a tenth of what containers request)', async () => {
    const manifest = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'measured' },
      spec: { containers: [{ name: 'main', image: 'nginx', resources: { requests: { cpu: '200m', memory: '100Mi' } } }] },
    };
    await k.ok(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(manifest) });
    await waitReady('measured');
    await eventually(async () => {
      const out = await k.ok(['top', 'pod', 'measured', '-n', ns]);
      expect(tableHeader(out)).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
      expect(tableRecords(out)).toEqual([{ NAME: 'measured', 'CPU(cores)': '20m', 'MEMORY(bytes)': '10Mi' }]);
    }, 20_000);
    const containers = tableRecords(await k.ok(['top', 'pod', 'measured', '-n', ns, '--containers']));
    expect(containers).toEqual([{ POD: 'measured', NAME: 'main', 'CPU(cores)': '20m', 'MEMORY(bytes)': '10Mi' }]);

    const out = await k.ok(['top', 'nodes']);
    expect(tableHeader(out)).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    const rows = tableRecords(out);
    expect(rows.map((r) => r.NAME)).toEqual(['fake-node-0', 'fake-node-1', 'fake-node-2']);
    for (const r of rows) {
      expect(r['CPU(cores)']).toMatch(/^\d+m$/);
      expect(r['CPU(%)']).toMatch(/^\d+%$/);
      expect(r['MEMORY(bytes)']).toMatch(/^\d+Mi$/);
      expect(r['MEMORY(%)']).toMatch(/^\d+%$/);
    }
    // The measured pod's node uses at least what the pod does.
    const node = await jsonpath('measured', '{.spec.nodeName}');
    expect(parseInt(rows.find((r) => r.NAME === node)!['CPU(cores)']!, 10)).toBeGreaterThanOrEqual(20);
  });
});

describe('containers that end', () => {
  it('fails a pod whose only container exits 1 under restartPolicy Never', async () => {
    await runShell('fails', 'exit 1');
    const waited = await k.ok(['wait', '-n', ns, '--for=jsonpath={.status.phase}=Failed', 'pod/fails', '--timeout=30s'], { timeoutMs: 40_000 });
    expect(waited).toBe('pod/fails condition met\n');
    expect(await jsonpath('fails', '{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason}'))
      .toBe('Failed 1 Error');
    expect(await podRow('fails')).toMatchObject({ READY: '0/1', STATUS: 'Error', RESTARTS: '0' });
    const describe = await k.ok(['describe', 'pod', 'fails', '-n', ns]);
    expect(describe).toMatch(/^Status:\s+Failed$/m);
    expect(describe).toMatch(/^\s+State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1\n/m);
  });

  it('crash-loops a container that keeps failing: CrashLoopBackOff and a growing RESTARTS column', async () => {
    await runShell('crasher', 'echo boom; exit 3', 'Always');
    let first = 0;
    await eventually(async () => {
      const row = await podRow('crasher');
      expect(row.STATUS).toBe('CrashLoopBackOff');
      expect(row.READY).toBe('0/1');
      // "1 (2s ago)": the count and when the last restart happened.
      const m = /^(\d+) \(\d+s ago\)$/.exec(row.RESTARTS!);
      expect(m, row.RESTARTS).not.toBeNull();
      first = Number(m![1]);
    }, 20_000);
    // The kubelet backs off 10 s before the second restart.
    await eventually(async () => expect(Number(/^\d+/.exec((await podRow('crasher')).RESTARTS!)![0])).toBeGreaterThan(first), 30_000);
    const describe = await k.ok(['describe', 'pod', 'crasher', '-n', ns]);
    expect(describe).toMatch(/^\s+State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff\n\s+Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+3\n/m);
    const uid = await jsonpath('crasher', '{.metadata.uid}');
    expect(describe).toMatch(new RegExp(`^\\s+Warning\\s+BackOff\\s+.+\\s+kubelet\\s+Back-off restarting failed container crasher in pod crasher_${ns}\\(${uid}\\)$`, 'm'));
    expect(await k.ok(['logs', 'crasher', '-n', ns, '--previous'])).toBe('boom\n');
  }, 60_000);
});
