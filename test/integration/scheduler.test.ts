/**
 * kube-scheduler against a real apiserver and etcd: the real binary (as run-local starts it, with
 * its own system:kube-scheduler identity) schedules pods onto nodes created through the API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import {
  createNamespace, createNode, createPod, getPod, listPods, podEvents, scheduledCondition, startSchedulerCluster, type SchedulerCluster,
} from './scheduler-support.ts';

let sc: SchedulerCluster | undefined;
afterEach(async () => {
  await sc?.stop();
  sc = undefined;
});

async function setup(name: string, ns = 'sched'): Promise<SchedulerCluster> {
  sc = await startSchedulerCluster(name);
  await createNamespace(sc.api, ns);
  return sc;
}

const ns = 'sched';

describe('kube-scheduler', () => {
  it('binds pods, spreads them over the nodes and records Scheduled', async () => {
    const { api } = await setup('sched-bind');
    for (const n of ['node-a', 'node-b', 'node-c']) await createNode(api, n);
    for (let i = 0; i < 6; i++) await createPod(api, ns, `p${i}`, { cpu: '100m' });
    await eventually(async () => {
      const pods = await listPods(api, ns);
      expect(pods.filter((p) => p.spec?.nodeName).length).toBe(6);
      const perNode = new Map<string, number>();
      for (const p of pods) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
      expect([...perNode.values()]).toEqual([2, 2, 2]);
    }, 20_000);
    const p0 = await getPod(api, ns, 'p0');
    expect(scheduledCondition(p0)).toMatchObject({ status: 'True' });
    await eventually(async () => {
      const events = await podEvents(api, ns, 'p0');
      expect(events.find((e) => e.reason === 'Scheduled')).toMatchObject({
        type: 'Normal', message: `Successfully assigned ${ns}/p0 to ${p0.spec!.nodeName}`, source: { component: 'default-scheduler' },
      });
    });
  });

  it('leaves a pod whose nodeSelector matches no node Pending with the real message, then binds it once a node matches', async () => {
    const { api } = await setup('sched-selector');
    await createNode(api, 'n1');
    await createNode(api, 'n2', { labels: { disk: 'hdd' } });
    await createPod(api, ns, 'wants-ssd', { spec: { nodeSelector: { disk: 'ssd' } } });
    const message = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. "
      + 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..';
    await eventually(async () => {
      const pod = await getPod(api, ns, 'wants-ssd');
      expect(pod.spec?.nodeName).toBeUndefined();
      expect(scheduledCondition(pod)).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
      const ev = (await podEvents(api, ns, 'wants-ssd')).find((e) => e.reason === 'FailedScheduling');
      expect(ev).toMatchObject({ type: 'Warning', message });
    }, 20_000);
    await api.request('PATCH', '/api/v1/nodes/n2', { metadata: { labels: { disk: 'ssd' } } }).catch(async () => {
      const n = await api.request<Record<string, unknown> & { metadata: { labels: Record<string, string> } }>('GET', '/api/v1/nodes/n2');
      n.metadata.labels.disk = 'ssd';
      await api.request('PUT', '/api/v1/nodes/n2', n);
    });
    await eventually(async () => expect((await getPod(api, ns, 'wants-ssd')).spec?.nodeName).toBe('n2'), 20_000);
  });

  it('counts taints, cordoned nodes and insufficient cpu in one message', async () => {
    const { api } = await setup('sched-reasons');
    await createNode(api, 'cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    await createNode(api, 'w1', { cpu: '2' });
    await createNode(api, 'w2', { cpu: '2' });
    await createNode(api, 'cordoned', { unschedulable: true });
    // Existing pods (bound directly, priority 0) use most of the workers' cpu.
    await createPod(api, ns, 'busy1', { cpu: '1500m', spec: { nodeName: 'w1' } });
    await createPod(api, ns, 'busy2', { cpu: '1500m', spec: { nodeName: 'w2' } });
    await createPod(api, ns, 'big', { cpu: '1' });
    const message = '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, '
      + '1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/4 nodes are available: '
      + '2 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..';
    await eventually(async () => {
      const pod = await getPod(api, ns, 'big');
      expect(scheduledCondition(pod)).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    }, 20_000);
    // A pod tolerating the taint fits the control-plane node.
    await createPod(api, ns, 'tolerant', {
      cpu: '1', spec: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
    });
    await eventually(async () => expect((await getPod(api, ns, 'tolerant')).spec?.nodeName).toBe('cp'), 20_000);
  });

  it('refuses a host port in use, counting 0.0.0.0 as every address', async () => {
    const { api } = await setup('sched-ports');
    await createNode(api, 'only');
    const port = (hostIP?: string) => ({ container: { ports: [{ containerPort: 80, hostPort: 8080, ...(hostIP ? { hostIP } : {}) }] } });
    await createPod(api, ns, 'holder', port('127.0.0.1'));
    await eventually(async () => expect((await getPod(api, ns, 'holder')).spec?.nodeName).toBe('only'), 20_000);
    await createPod(api, ns, 'any-address', port());
    await createPod(api, ns, 'other-address', port('127.0.0.2'));
    await eventually(async () => {
      expect((await getPod(api, ns, 'other-address')).spec?.nodeName).toBe('only');
      expect(scheduledCondition(await getPod(api, ns, 'any-address'))).toMatchObject({
        status: 'False', reason: 'Unschedulable',
        message: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. "
          + 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
      });
    }, 20_000);
  });

  it('preempts a lower-priority pod: DisruptionTarget, deleted, nominatedNodeName, then bound', async () => {
    const { api } = await setup('sched-preempt');
    for (const [name, value] of [['low', 100], ['high', 1000]] as const) {
      await api.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
    }
    await createNode(api, 'small', { cpu: '2' });
    await createPod(api, ns, 'victim', { cpu: '1500m', spec: { priorityClassName: 'low' } });
    await eventually(async () => expect((await getPod(api, ns, 'victim')).spec?.nodeName).toBe('small'), 20_000);
    await createPod(api, ns, 'preemptor', { cpu: '1', spec: { priorityClassName: 'high' } });
    await eventually(async () => {
      const victim = await getPod(api, ns, 'victim');
      expect(victim.metadata?.deletionTimestamp).toBeDefined();
      expect(victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
        status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod',
      });
      expect((await getPod(api, ns, 'preemptor')).status?.nominatedNodeName).toBe('small');
    }, 20_000);
    // The kubelet's part: the victim's containers stop and the pod object goes.
    await api.request('DELETE', `/api/v1/namespaces/${ns}/pods/victim`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
    await eventually(async () => expect((await getPod(api, ns, 'preemptor')).spec?.nodeName).toBe('small'), 30_000);
  });

  it('ignores pods for another scheduler', async () => {
    const { api } = await setup('sched-name');
    await createNode(api, 'n');
    await createPod(api, ns, 'theirs', { spec: { schedulerName: 'other-scheduler' } });
    await createPod(api, ns, 'ours');
    await eventually(async () => expect((await getPod(api, ns, 'ours')).spec?.nodeName).toBe('n'), 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    const theirs = await getPod(api, ns, 'theirs');
    expect(theirs.spec?.nodeName).toBeUndefined();
    expect(scheduledCondition(theirs)).toBeUndefined();
    expect(await podEvents(api, ns, 'theirs')).toEqual([]);
  });

  it('spreads pods over zones with a DoNotSchedule topology spread constraint', async () => {
    const { api } = await setup('sched-spread');
    await createNode(api, 'a1', { labels: { 'topology.kubernetes.io/zone': 'a' } });
    await createNode(api, 'a2', { labels: { 'topology.kubernetes.io/zone': 'a' } });
    await createNode(api, 'b1', { labels: { 'topology.kubernetes.io/zone': 'b' } });
    const spec = {
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
      // Pull every pod towards zone a: only the constraint keeps them even.
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] } }] } },
    };
    for (let i = 0; i < 4; i++) await createPod(api, ns, `web${i}`, { labels: { app: 'web' }, spec });
    await eventually(async () => {
      const pods = await listPods(api, ns);
      expect(pods.every((p) => p.spec?.nodeName)).toBe(true);
      const zoneB = pods.filter((p) => p.spec?.nodeName === 'b1').length;
      expect(zoneB).toBe(2);
    }, 20_000);
  });
});
