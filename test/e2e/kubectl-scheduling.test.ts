/**
 * Scheduling as a kubectl user meets it: the kube-scheduler and the fake-kubelet's three nodes
 * (fake-node-0..2, 32 cpu each) driven only through real kubectl, and judged by what kubectl prints.
 * There are no workload controllers yet, so every pod is a bare pod. Each scenario works in its
 * own namespace and puts back every node change it makes (labels, taints, cordon), so the
 * scenarios do not depend on each other's leftovers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { eventually } from '../helpers/eventually.ts';
import { Kubectl, kubectlBinaries, tableHeader, tableRecords } from '../helpers/kubectl.ts';

let cluster: TestCluster;
let k: Kubectl;
const nodes = ['fake-node-0', 'fake-node-1', 'fake-node-2'];

beforeAll(async () => {
  cluster = await startTestCluster({
    name: 'e2e-kubectl-scheduling', components: ['kube-scheduler', 'kube-controller-manager', 'fake-kubelet'],
  });
  k = new Kubectl(cluster, kubectlBinaries([])[0]!);
  await eventually(async () => expect(await k.ok(['get', 'nodes', '-o', 'name'])).toBe(nodes.map((n) => `node/${n}\n`).join('')), 30_000);
});

afterAll(async () => {
  await cluster?.stop();
});

/** Namespaces the running scenario made; dropped after it, even when it failed, so its pods free the nodes. */
const scenarioNamespaces: string[] = [];
afterEach(async () => {
  for (const ns of scenarioNamespaces.splice(0)) await k.ok(['delete', 'namespace', ns, '--timeout=60s'], { timeoutMs: 70_000 });
});

/** Creates the scenario's namespace and waits for its default ServiceAccount, without which pods are refused. */
async function namespace(name: string): Promise<string> {
  expect((await k.ok(['create', 'namespace', name])).trim()).toBe(`namespace/${name} created`);
  scenarioNamespaces.push(name);
  await eventually(async () => expect((await k.ok(['get', 'sa', 'default', '-n', name, '-o', 'name'])).trim()).toBe('serviceaccount/default'));
  return name;
}

interface PodOptions { cpu?: string; labels?: Record<string, string>; spec?: Record<string, unknown> }

/** `kubectl create -f -` of a bare pod running the pause image (it runs until deleted). */
async function createPod(ns: string, name: string, opts: PodOptions = {}): Promise<void> {
  const resources = opts.cpu === undefined ? {} : { resources: { requests: { cpu: opts.cpu } } };
  const manifest = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: opts.labels ?? { run: name } },
    spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', ...resources }], ...opts.spec },
  };
  expect((await k.ok(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(manifest) })).trim()).toBe(`pod/${name} created`);
}

const nodeOf = (ns: string, pod: string): Promise<string> => k.ok(['get', 'pod', pod, '-n', ns, '-o', 'jsonpath={.spec.nodeName}']);

/** Waits until every named pod is Ready (`kubectl wait`), then returns pod → node. */
async function readyOn(ns: string, pods: readonly string[]): Promise<Map<string, string>> {
  const out = await k.ok(['wait', '-n', ns, '--for=condition=Ready', '--timeout=30s', ...pods.map((p) => `pod/${p}`)], { timeoutMs: 40_000 });
  expect(out).toBe(pods.map((p) => `pod/${p} condition met\n`).join(''));
  return new Map(await Promise.all(pods.map(async (p) => [p, await nodeOf(ns, p)] as const)));
}

/** The message of the pod's FailedScheduling event, as `kubectl describe pod` prints it. */
async function failedScheduling(ns: string, pod: string): Promise<string> {
  let message = '';
  await eventually(async () => {
    const out = await k.ok(['describe', 'pod', pod, '-n', ns]);
    const line = /^\s+Warning\s+FailedScheduling\s+.*?\s+default-scheduler\s+(.+)$/m.exec(out);
    expect(line, out).not.toBeNull();
    message = line![1]!;
  }, 20_000);
  return message;
}

/** Asserts the pod stays Pending (status column and PodScheduled=False/Unschedulable). */
async function expectPending(ns: string, pod: string): Promise<void> {
  const [row] = tableRecords(await k.ok(['get', 'pod', pod, '-n', ns]));
  expect(row).toMatchObject({ NAME: pod, READY: '0/1', STATUS: 'Pending' });
  const cond = await k.ok(['get', 'pod', pod, '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}/{.status.conditions[?(@.type=="PodScheduled")].reason}']);
  expect(cond).toBe('False/Unschedulable');
}

describe('nodes', () => {
  it('lists three Ready fake nodes', async () => {
    const out = await k.ok(['get', 'nodes']);
    expect(tableHeader(out)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(tableRecords(out).map(({ NAME, STATUS, ROLES, VERSION }) => ({ NAME, STATUS, ROLES, VERSION }))).toEqual(
      nodes.map((NAME) => ({ NAME, STATUS: 'Ready', ROLES: '<none>', VERSION: 'v1.32.0' })));
    expect(await k.ok(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=10s'])).toBe(
      nodes.map((n) => `node/${n} condition met\n`).join(''));
  });

  it('describes a node: conditions, addresses, capacity, system info, pod CIDR, pods and allocation', async () => {
    const ns = await namespace('describe-node');
    await createPod(ns, 'sized', { cpu: '500m', spec: { nodeSelector: { 'kubernetes.io/hostname': 'fake-node-1' } } });
    await readyOn(ns, ['sized']);
    const out = await k.ok(['describe', 'node', 'fake-node-1']);
    expect(out).toMatch(/^Name:\s+fake-node-1$/m);
    expect(out).toMatch(/^\s+kubernetes\.io\/hostname=fake-node-1$/m);
    expect(out).toMatch(/^Unschedulable:\s+false$/m);
    for (const [type, reason] of [['MemoryPressure', 'KubeletHasSufficientMemory'], ['DiskPressure', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'KubeletHasSufficientPID']]) {
      expect(out).toMatch(new RegExp(`^\\s+${type}\\s+False\\s+.+\\s+${reason}\\s+`, 'm'));
    }
    expect(out).toMatch(/^\s+Ready\s+True\s+.+\s+KubeletReady\s+kubelet is posting ready status$/m);
    expect(out).toMatch(/^Addresses:\n\s+InternalIP:\s+127\.0\.0\.1\n\s+Hostname:\s+fake-node-1$/m);
    expect(out).toMatch(/^Capacity:\n\s+cpu:\s+32\n\s+ephemeral-storage:\s+100Gi\n\s+memory:\s+256Gi\n\s+pods:\s+110$/m);
    expect(out).toMatch(/^Allocatable:\n\s+cpu:\s+32\n/m);
    expect(out).toMatch(/^System Info:\n(\s+.+\n)*\s+Operating System:\s+linux\n\s+Architecture:\s+amd64\n/m);
    expect(out).toMatch(/^\s+Kubelet Version:\s+v1\.32\.0$/m);
    const podCidr = await k.ok(['get', 'node', 'fake-node-1', '-o', 'jsonpath={.spec.podCIDR}']);
    expect(podCidr).toMatch(/^10\.244\.\d+\.0\/24$/);
    expect(out).toMatch(new RegExp(`^PodCIDR:\\s+${podCidr.replace(/\./g, '\\.')}$`, 'm'));
    expect(out).toMatch(/^Non-terminated Pods:\s+\(1 in total\)$/m);
    expect(out).toMatch(/^\s+describe-node\s+sized\s+500m \(1%\)\s+0 \(0%\)\s+0 \(0%\)\s+0 \(0%\)\s+\d+s$/m);
    expect(out).toMatch(/^Allocated resources:\n.*\n\s+Resource\s+Requests\s+Limits\n.*\n\s+cpu\s+500m \(1%\)\s+0 \(0%\)$/m);
  });
});

describe('placing pods', () => {
  it('runs a pod with kubectl run: Running on a node with an IP from its pod CIDR', async () => {
    const ns = await namespace('run');
    expect((await k.ok(['run', 'web', '--image=nginx', '-n', ns])).trim()).toBe('pod/web created');
    const node = (await readyOn(ns, ['web'])).get('web')!;
    const out = await k.ok(['get', 'pod', 'web', '-n', ns, '-o', 'wide']);
    expect(tableHeader(out)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const [row] = tableRecords(out);
    expect(row).toMatchObject({ NAME: 'web', READY: '1/1', STATUS: 'Running', RESTARTS: '0', NODE: node, 'NOMINATED NODE': '<none>', 'READINESS GATES': '<none>' });
    expect(nodes).toContain(node);
    const cidr = await k.ok(['get', 'node', node, '-o', 'jsonpath={.spec.podCIDR}']);
    expect(cidr).toMatch(/^10\.244\.\d+\.0\/24$/);
    expect(row!.IP).toMatch(new RegExp(`^${cidr.replace(/0\/24$/, '').replace(/\./g, '\\.')}\\d+$`));
    const describe = await k.ok(['describe', 'pod', 'web', '-n', ns]);
    expect(describe).toMatch(new RegExp(`^\\s+Normal\\s+Scheduled\\s+.+\\s+default-scheduler\\s+Successfully assigned ${ns}/web to ${node}$`, 'm'));
    expect(describe).toMatch(/^\s+Normal\s+Started\s+.+\s+kubelet\s+Started container web$/m);
  });

  it('honours nodeSelector and required node affinity, and waits for a node that matches', async () => {
    const ns = await namespace('affinity');
    expect((await k.ok(['label', 'nodes', 'fake-node-2', 'disktype=ssd'])).trim()).toBe('node/fake-node-2 labeled');
    try {
      await createPod(ns, 'on-ssd', { spec: { nodeSelector: { disktype: 'ssd' } } });
      const notOnZeroOrTwo = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
        { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['fake-node-0', 'fake-node-2'] }] }] } } };
      await createPod(ns, 'not-0-or-2', { spec: { affinity: notOnZeroOrTwo } });
      expect(await readyOn(ns, ['on-ssd', 'not-0-or-2'])).toEqual(new Map([['on-ssd', 'fake-node-2'], ['not-0-or-2', 'fake-node-1']]));
      expect(await k.ok(['describe', 'pod', 'on-ssd', '-n', ns])).toMatch(/^Node-Selectors:\s+disktype=ssd$/m);

      const wantsGpu = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
        { matchExpressions: [{ key: 'accelerator', operator: 'In', values: ['gpu'] }] }] } } };
      await createPod(ns, 'wants-gpu', { spec: { affinity: wantsGpu } });
      expect(await failedScheduling(ns, 'wants-gpu')).toBe("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. "
        + 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..');
      await expectPending(ns, 'wants-gpu');
      // A node that gets the label makes the pod schedulable.
      expect((await k.ok(['label', 'nodes', 'fake-node-0', 'accelerator=gpu'])).trim()).toBe('node/fake-node-0 labeled');
      expect(await readyOn(ns, ['wants-gpu'])).toEqual(new Map([['wants-gpu', 'fake-node-0']]));
    } finally {
      await k.ok(['label', 'nodes', '--all', 'disktype-', 'accelerator-']);
    }
  });

  it('keeps pods off tainted nodes unless they tolerate the taint', async () => {
    const ns = await namespace('taints');
    const tainted = await k.ok(['taint', 'nodes', 'fake-node-0', 'fake-node-1', 'dedicated=gpu:NoSchedule']);
    expect(tainted).toBe('node/fake-node-0 tainted\nnode/fake-node-1 tainted\n');
    try {
      expect(await k.ok(['describe', 'node', 'fake-node-0'])).toMatch(/^Taints:\s+dedicated=gpu:NoSchedule$/m);
      for (const p of ['plain-0', 'plain-1', 'plain-2']) await createPod(ns, p);
      expect([...(await readyOn(ns, ['plain-0', 'plain-1', 'plain-2'])).values()]).toEqual(['fake-node-2', 'fake-node-2', 'fake-node-2']);

      const onNode0 = { nodeSelector: { 'kubernetes.io/hostname': 'fake-node-0' } };
      // TaintToleration filters before NodeAffinity (v1.32 default profile): the tainted nodes count as tainted.
      await createPod(ns, 'intolerant', { spec: onNode0 });
      expect(await failedScheduling(ns, 'intolerant')).toBe("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {dedicated: gpu}. "
        + 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..');
      await expectPending(ns, 'intolerant');
      await createPod(ns, 'tolerant', { spec: { ...onNode0, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } });
      expect(await readyOn(ns, ['tolerant'])).toEqual(new Map([['tolerant', 'fake-node-0']]));
      expect(await k.ok(['describe', 'pod', 'tolerant', '-n', ns])).toMatch(/^Tolerations:\s+dedicated=gpu:NoSchedule$/m);

      expect(await k.ok(['taint', 'nodes', 'fake-node-0', 'dedicated=gpu:NoSchedule-'])).toBe('node/fake-node-0 untainted\n');
      expect(await readyOn(ns, ['intolerant'])).toEqual(new Map([['intolerant', 'fake-node-0']]));
    } finally {
      await k.run(['taint', 'nodes', '--all', 'dedicated-']);
    }
    expect(await k.ok(['describe', 'node', 'fake-node-1'])).toMatch(/^Taints:\s+<none>$/m);
  });

  it('leaves a pod that fits nowhere Pending with the real FailedScheduling message, and binds it once room is made', async () => {
    const ns = await namespace('exhaust');
    // 20 of 32 cpu: two never fit on one node, so the fillers take one node each.
    for (const p of ['filler-0', 'filler-1', 'filler-2']) await createPod(ns, p, { cpu: '20' });
    const placed = await readyOn(ns, ['filler-0', 'filler-1', 'filler-2']);
    expect(new Set(placed.values())).toEqual(new Set(nodes));
    await createPod(ns, 'big', { cpu: '20' });
    expect(await failedScheduling(ns, 'big')).toBe('0/3 nodes are available: 3 Insufficient cpu. '
      + 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..');
    await expectPending(ns, 'big');
    expect(await k.ok(['describe', 'node', 'fake-node-0'])).toMatch(/^\s+cpu\s+20 \(62%\)\s+0 \(0%\)$/m);
    // More than a node has at all: preemption could never help.
    await createPod(ns, 'huge', { cpu: '33' });
    expect(await failedScheduling(ns, 'huge')).toBe('0/3 nodes are available: 3 Insufficient cpu. '
      + 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..');

    expect((await k.ok(['delete', 'pod', 'filler-1', '-n', ns])).trim()).toBe('pod "filler-1" deleted');
    expect(await readyOn(ns, ['big'])).toEqual(new Map([['big', placed.get('filler-1')!]]));
  });
});

describe('cordon and drain', () => {
  it('cordons a node: SchedulingDisabled, new pods avoid it until it is uncordoned', async () => {
    const ns = await namespace('cordon');
    expect(await k.ok(['cordon', 'fake-node-0'])).toBe('node/fake-node-0 cordoned\n');
    try {
      expect(await k.ok(['cordon', 'fake-node-0'])).toBe('node/fake-node-0 already cordoned\n');
      const [node0] = tableRecords(await k.ok(['get', 'node', 'fake-node-0']));
      expect(node0).toMatchObject({ NAME: 'fake-node-0', STATUS: 'Ready,SchedulingDisabled' });
      expect(await k.ok(['describe', 'node', 'fake-node-0'])).toMatch(/^Unschedulable:\s+true$/m);
      // 20 of 32 cpu each: with fake-node-0 cordoned, the third pod has no node left.
      for (const p of ['s-0', 's-1', 's-2']) await createPod(ns, p, { cpu: '20' });
      expect(new Set((await readyOn(ns, ['s-0', 's-1'])).values())).toEqual(new Set(['fake-node-1', 'fake-node-2']));
      expect(await failedScheduling(ns, 's-2')).toBe('0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. '
        + 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..');
      await expectPending(ns, 's-2');
    } finally {
      expect(await k.ok(['uncordon', 'fake-node-0'])).toBe('node/fake-node-0 uncordoned\n');
    }
    expect(tableRecords(await k.ok(['get', 'node', 'fake-node-0']))[0]).toMatchObject({ STATUS: 'Ready' });
    expect(await readyOn(ns, ['s-2'])).toEqual(new Map([['s-2', 'fake-node-0']]));
  });

  it('drains a node: refuses bare pods without --force, deletes them with it, leaves other nodes alone', async () => {
    const ns = await namespace('drain');
    const onNode1 = { nodeSelector: { 'kubernetes.io/hostname': 'fake-node-1' } };
    await createPod(ns, 'a', { spec: onNode1 });
    await createPod(ns, 'b', { spec: onNode1 });
    await createPod(ns, 'elsewhere', { spec: { nodeSelector: { 'kubernetes.io/hostname': 'fake-node-2' } } });
    await readyOn(ns, ['a', 'b', 'elsewhere']);
    try {
      const refused = await k.run(['drain', 'fake-node-1', '--ignore-daemonsets']);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('node/fake-node-1 cordoned\n');
      // kubectl's own wording, "cannot delete" twice included.
      expect(refused.stderr).toContain('error: unable to drain node "fake-node-1" due to error: cannot delete cannot delete Pods '
        + `that declare no controller (use --force to override): ${ns}/a, ${ns}/b, continuing command...\n`
        + 'There are pending nodes to be drained:\n fake-node-1\n');

      const drained = await k.run(['drain', 'fake-node-1', '--ignore-daemonsets', '--force', '--timeout=60s'], { timeoutMs: 70_000 });
      expect(drained.code, drained.stderr).toBe(0);
      expect(drained.stderr).toBe(`Warning: deleting Pods that declare no controller: ${ns}/a, ${ns}/b\n`);
      // "deleted" because the apiserver does not serve pods/eviction yet, so kubectl falls back to DELETE;
      // with eviction served kubectl prints "evicting pod <ns>/<name>" and "pod/<name> evicted".
      const lines = drained.stdout.split('\n').filter(Boolean);
      expect(lines[0]).toBe('node/fake-node-1 already cordoned');
      expect(lines.slice(1, 3).sort()).toEqual(['pod/a deleted', 'pod/b deleted']);
      expect(lines.slice(3)).toEqual(['node/fake-node-1 drained']);
      expect(await k.ok(['get', 'pods', '-n', ns, '-o', 'name'])).toBe('pod/elsewhere\n');
      expect(tableRecords(await k.ok(['get', 'node', 'fake-node-1']))[0]).toMatchObject({ STATUS: 'Ready,SchedulingDisabled' });
      expect(await k.ok(['describe', 'node', 'fake-node-1'])).toMatch(/^Non-terminated Pods:\s+\(0 in total\)$/m);
    } finally {
      await k.ok(['uncordon', 'fake-node-1']);
    }
  });
});

describe('topology spread and preemption', () => {
  it('spreads pods evenly over zones (zone labels set with kubectl label)', async () => {
    const ns = await namespace('spread');
    const zone = 'topology.kubernetes.io/zone';
    expect(await k.ok(['label', 'nodes', 'fake-node-0', 'fake-node-1', `${zone}=zone-a`])).toBe('node/fake-node-0 labeled\nnode/fake-node-1 labeled\n');
    expect(await k.ok(['label', 'nodes', 'fake-node-2', `${zone}=zone-b`])).toBe('node/fake-node-2 labeled\n');
    try {
      const zones = tableRecords(await k.ok(['get', 'nodes', '-L', zone]));
      expect(zones.map((r) => `${r.NAME}=${r.ZONE}`)).toEqual(['fake-node-0=zone-a', 'fake-node-1=zone-a', 'fake-node-2=zone-b']);
      const spec = {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: zone, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
        // Every pod prefers zone-a: only the constraint sends half of them to zone-b.
        affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, preference: { matchExpressions: [{ key: zone, operator: 'In', values: ['zone-a'] }] } }] } },
      };
      const web = ['web-0', 'web-1', 'web-2', 'web-3'];
      for (const p of web) await createPod(ns, p, { labels: { app: 'web' }, spec });
      const placed = [...(await readyOn(ns, web)).values()];
      expect(placed.filter((n) => n === 'fake-node-2')).toHaveLength(2);
      const wide = tableRecords(await k.ok(['get', 'pods', '-n', ns, '-o', 'wide', '-l', 'app=web']));
      expect(wide.map((r) => r.STATUS)).toEqual(['Running', 'Running', 'Running', 'Running']);
    } finally {
      await k.ok(['label', 'nodes', '--all', `${zone}-`]);
    }
  });

  it('explains why a spread constraint cannot be met: skew, or nodes without the topology label', async () => {
    const ns = await namespace('spread-blocked');
    const zone = 'topology.kubernetes.io/zone';
    await k.ok(['label', 'nodes', 'fake-node-0', 'fake-node-1', `${zone}=zone-a`]);
    await k.ok(['label', 'nodes', 'fake-node-2', `${zone}=zone-b`]);
    await k.ok(['taint', 'nodes', 'fake-node-0', 'fake-node-1', 'dedicated=infra:NoSchedule']);
    try {
      // Two pods already in zone-b, bound with spec.nodeName (the scheduler never sees them).
      for (const p of ['db-0', 'db-1']) await createPod(ns, p, { labels: { app: 'db' }, spec: { nodeName: 'fake-node-2' } });
      await readyOn(ns, ['db-0', 'db-1']);
      const spread = (key: string, app: string) => ({
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: key, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } }],
      });
      await createPod(ns, 'db-2', { labels: { app: 'db' }, spec: spread(zone, 'db') });
      await createPod(ns, 'racked', { labels: { app: 'racked' }, spec: spread('example.com/rack', 'racked') });
      expect(await failedScheduling(ns, 'db-2')).toBe('0/3 nodes are available: 1 node(s) didn\'t match pod topology spread constraints, '
        + '2 node(s) had untolerated taint {dedicated: infra}. '
        + 'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..');
      expect(await failedScheduling(ns, 'racked')).toBe('0/3 nodes are available: 1 node(s) didn\'t match pod topology spread constraints (missing required label), '
        + '2 node(s) had untolerated taint {dedicated: infra}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..');
      // Zone-a open again: the skewed pod goes there; no node has a rack label, so the other stays Pending.
      await k.ok(['taint', 'nodes', 'fake-node-0', 'fake-node-1', 'dedicated-']);
      const placed = (await readyOn(ns, ['db-2'])).get('db-2');
      expect(['fake-node-0', 'fake-node-1']).toContain(placed);
      await expectPending(ns, 'racked');
    } finally {
      await k.run(['taint', 'nodes', 'fake-node-0', 'fake-node-1', 'dedicated-']);
      await k.ok(['label', 'nodes', '--all', `${zone}-`]);
    }
  });

  it('preempts a lower-priority pod for a higher-priority one (PriorityClasses made with kubectl)', async () => {
    const ns = await namespace('preempt');
    expect(await k.ok(['create', 'priorityclass', 'e2e-low', '--value=100'])).toBe('priorityclass.scheduling.k8s.io/e2e-low created\n');
    expect(await k.ok(['create', 'priorityclass', 'e2e-high', '--value=1000', '--description=urgent work'])).toBe('priorityclass.scheduling.k8s.io/e2e-high created\n');
    expect(await k.ok(['create', 'priorityclass', 'e2e-polite', '--value=1000', '--preemption-policy=Never'])).toBe('priorityclass.scheduling.k8s.io/e2e-polite created\n');
    try {
      const pcs = tableRecords(await k.ok(['get', 'priorityclass', 'e2e-low', 'e2e-high', 'e2e-polite']));
      expect(pcs.map((r) => [r.NAME, r.VALUE, r['GLOBAL-DEFAULT'], r.PREEMPTIONPOLICY])).toEqual([
        ['e2e-low', '100', 'false', 'PreemptLowerPriority'], ['e2e-high', '1000', 'false', 'PreemptLowerPriority'], ['e2e-polite', '1000', 'false', 'Never']]);
      const low = ['low-0', 'low-1', 'low-2'];
      for (const p of low) await createPod(ns, p, { cpu: '20', spec: { priorityClassName: 'e2e-low' } });
      const placed = await readyOn(ns, low);
      expect(new Set(placed.values())).toEqual(new Set(nodes));

      // Same priority as the victims would have, but not allowed to preempt.
      await createPod(ns, 'polite', { cpu: '20', spec: { priorityClassName: 'e2e-polite' } });
      expect(await failedScheduling(ns, 'polite')).toBe('0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..');
      await expectPending(ns, 'polite');
      await k.ok(['delete', 'pod', 'polite', '-n', ns]);

      await createPod(ns, 'urgent', { cpu: '20', spec: { priorityClassName: 'e2e-high' } });
      const urgentNode = (await readyOn(ns, ['urgent'])).get('urgent')!;
      const victim = low.find((p) => placed.get(p) === urgentNode)!;
      await eventually(async () => {
        const names = (await k.ok(['get', 'pods', '-n', ns, '-o', 'name'])).split('\n').filter(Boolean).sort();
        expect(names).toEqual([...low.filter((p) => p !== victim).map((p) => `pod/${p}`), 'pod/urgent'].sort());
      }, 30_000);
      const uid = await k.ok(['get', 'pod', 'urgent', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
      const preempted = await k.ok(['get', 'events', '-n', ns, '--field-selector', `reason=Preempted,involvedObject.name=${victim}`,
        '-o', 'jsonpath={.items[*].message}']);
      expect(preempted).toBe(`Preempted by pod ${uid} on node ${urgentNode}`);
      const describe = await k.ok(['describe', 'pod', 'urgent', '-n', ns]);
      expect(describe).toMatch(/^Priority:\s+1000$/m);
      expect(describe).toMatch(/^Priority Class Name:\s+e2e-high$/m);
      expect(await failedScheduling(ns, 'urgent')).toBe('0/3 nodes are available: 3 Insufficient cpu.');
    } finally {
      await k.run(['delete', 'priorityclass', 'e2e-low', 'e2e-high', 'e2e-polite']);
    }
  });
});
