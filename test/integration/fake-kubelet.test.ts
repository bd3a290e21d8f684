/**
 * The fake-kubelet against a real apiserver and etcd, started as `make run-local` starts it
 * (pkg/testenv): nodes register and heartbeat, and pods bound to them (no scheduler: spec.nodeName
 * is set) go through the kubelet's lifecycle.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { ApiError, RestClient } from '../../pkg/client/rest-client.ts';
import { eventually } from '../helpers/eventually.ts';

const ns = 'fk';
let cluster: TestCluster;
let api: RestClient;

interface Lease { metadata: { ownerReferences?: { kind: string; name: string; uid: string }[] }; spec: { holderIdentity: string; leaseDurationSeconds: number; renewTime: string } }

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'fake-kubelet', components: ['fake-kubelet'] });
  api = new RestClient(cluster.kubeConfig);
  await api.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  await api.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'default' } });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

const node = (i: number) => `fake-node-${i}`;

async function createPod(name: string, spec: Partial<PodSpec>, nodeIndex = 0): Promise<Pod> {
  const containers = spec.containers ?? [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }];
  return api.request<Pod>('POST', `/api/v1/namespaces/${ns}/pods`, {
    metadata: { name }, spec: { nodeName: node(nodeIndex), terminationGracePeriodSeconds: 30, ...spec, containers },
  });
}

const getPod = (name: string) => api.request<Pod>('GET', `/api/v1/namespaces/${ns}/pods/${name}`);

async function waitPod(name: string, check: (pod: Pod) => void, timeoutMs = 20_000): Promise<Pod> {
  let pod: Pod | undefined;
  await eventually(async () => {
    pod = await getPod(name);
    check(pod);
  }, timeoutMs);
  return pod!;
}

/** In-range check of an IPv4 address against a CIDR. */
function inCidr(ip: string, cidr: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return toInt(ip) >= toInt(base) && toInt(ip) < toInt(base) + size;
}

/** Counts MODIFIED events of one pod from a watch, until `stop` is called. */
async function watchModifications(name: string): Promise<{ count: () => number; events: () => { type: string; object: Pod }[]; stop: () => void }> {
  const url = new URL(`/api/v1/namespaces/${ns}/pods?watch=true&fieldSelector=metadata.name%3D${name}`, cluster.apiserverUrl);
  const opts: https.RequestOptions = { method: 'GET' };
  await cluster.kubeConfig.applyToHTTPSOptions(opts);
  let count = 0;
  const seen: { type: string; object: Pod }[] = [];
  let buffered = '';
  const req = https.request(url, opts, (res) => {
    res.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.trim()) continue;
        const event = JSON.parse(line) as { type: string; object: Pod };
        seen.push(event);
        if (event.type === 'MODIFIED') count++;
      }
    });
  });
  req.on('error', () => {});
  req.end();
  await new Promise((r) => setTimeout(r, 300));
  return { count: () => count, events: () => seen, stop: () => req.destroy() };
}

describe('fake-kubelet nodes', () => {
  it('registers 3 Ready nodes with real-looking labels, status and pod CIDRs', async () => {
    await eventually(async () => {
      const list = await api.request<{ items: Node[] }>('GET', '/api/v1/nodes');
      expect(list.items.map((n) => n.metadata?.name).sort()).toEqual([node(0), node(1), node(2)]);
    }, 30_000);
    const cidrs = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const n = await api.request<Node>('GET', `/api/v1/nodes/${node(i)}`);
      expect(n.metadata?.labels).toMatchObject({ 'kubernetes.io/hostname': node(i), 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
      const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
      expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
      expect(n.status?.conditions?.find((c) => c.type === 'MemoryPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory' });
      expect(n.status?.nodeInfo?.kubeletVersion).toBe('v1.32.0');
      expect(n.status?.addresses).toEqual([{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: node(i) }]);
      expect(n.status?.capacity).toEqual(n.status?.allocatable);
      expect(n.status?.capacity?.pods).toBe('110');
      expect(n.spec?.podCIDRs).toEqual([n.spec?.podCIDR]);
      expect(inCidr(n.spec!.podCIDR!.split('/')[0]!, '10.244.0.0/16')).toBe(true);
      expect(n.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBeTypeOf('number');
      cidrs.add(n.spec!.podCIDR!);
    }
    expect(cidrs.size).toBe(3);
  });

  it('holds a Lease per node in kube-node-lease and renews it', async () => {
    const leases: Lease[] = [];
    await eventually(async () => {
      leases.length = 0;
      for (let i = 0; i < 3; i++) {
        leases.push(await api.request<Lease>('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node(i)}`));
      }
    }, 20_000);
    for (let i = 0; i < 3; i++) {
      const lease = leases[i]!;
      const n = await api.request<Node>('GET', `/api/v1/nodes/${node(i)}`);
      expect(lease.spec).toMatchObject({ holderIdentity: node(i), leaseDurationSeconds: 40 });
      expect(lease.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: node(i), uid: n.metadata?.uid }]);
    }
    const first = leases[0]!.spec.renewTime;
    await eventually(async () => {
      const again = await api.request<Lease>('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node(0)}`);
      expect(Date.parse(again.spec.renewTime)).toBeGreaterThan(Date.parse(first));
    }, 15_000);
  }, 40_000);
});

describe('fake-kubelet pods', () => {
  it('runs `sleep 3600`: Running and Ready with a pod IP from the node CIDR, in one status write', async () => {
    const watch = await watchModifications('sleeper');
    await createPod('sleeper', {}, 1);
    const pod = await waitPod('sleeper', (p) => {
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    });
    const n = await api.request<Node>('GET', `/api/v1/nodes/${node(1)}`);
    const s = pod.status!;
    expect(inCidr(s.podIP!, n.spec!.podCIDR!)).toBe(true);
    expect(s.podIPs).toEqual([{ ip: s.podIP }]);
    expect(s.hostIP).toBe('127.0.0.1');
    expect(s.hostIPs).toEqual([{ ip: '127.0.0.1' }]);
    expect(s.qosClass).toBe('BestEffort');
    expect(s.startTime).toBeTruthy();
    expect(s.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
    ]);
    const c = s.containerStatuses![0]!;
    expect(c).toMatchObject({ name: 'main', ready: true, started: true, restartCount: 0, image: 'docker.io/library/busybox:1.36' });
    expect(c.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(c.imageID).toMatch(/^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    expect(c.state?.running?.startedAt).toBeTruthy();
    await new Promise((r) => setTimeout(r, 500));
    watch.stop();
    expect(watch.count()).toBe(1);
  });

  it('gives pods on one node distinct IPs', async () => {
    await Promise.all(['ip-a', 'ip-b'].map((name) => createPod(name, {}, 2)));
    const ips = await Promise.all(['ip-a', 'ip-b'].map((name) => waitPod(name, (p) => expect(p.status?.podIP).toBeTruthy())));
    expect(ips[0]!.status!.podIP).not.toBe(ips[1]!.status!.podIP);
  });

  it('fails `exit 1` under restartPolicy Never with exit code 1 and reason Error', async () => {
    await createPod('exit-one', { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'exit 1'] }] });
    const pod = await waitPod('exit-one', (p) => expect(p.status?.phase).toBe('Failed'));
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(pod.status?.containerStatuses?.[0]?.ready).toBe(false);
  });

  it('completes `true` under restartPolicy OnFailure: Succeeded, reason Completed', async () => {
    await createPod('ok', { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] });
    const pod = await waitPod('ok', (p) => expect(p.status?.phase).toBe('Succeeded'));
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('crash-loops a failing container: CrashLoopBackOff and a growing restartCount', async () => {
    await createPod('crasher', { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo boom; exit 3'] }] });
    const looping = await waitPod('crasher', (p) => {
      const c = p.status?.containerStatuses?.[0];
      expect(c?.state?.waiting?.reason).toBe('CrashLoopBackOff');
      expect(c?.restartCount).toBeGreaterThanOrEqual(1);
    });
    const c = looping.status!.containerStatuses![0]!;
    expect(c.state?.waiting?.message).toMatch(/^back-off 10s restarting failed container=main pod=crasher_fk\(/);
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(looping.status?.phase).toBe('Running');
    await waitPod('crasher', (p) => expect(p.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThan(c.restartCount!), 20_000);
    await eventually(async () => {
      const events = await api.request<{ items: Event[] }>('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3Dcrasher`);
      const backOff = events.items.find((e) => e.reason === 'BackOff');
      expect(backOff?.message).toMatch(/^Back-off restarting failed container main in pod crasher_fk\(/);
      expect(backOff?.type).toBe('Warning');
      // Repeats fold into one event's count, as the kubelet's event correlator does.
      const started = events.items.filter((e) => e.reason === 'Started');
      expect(started).toHaveLength(1);
      expect(started[0]!.count).toBeGreaterThanOrEqual(2);
    });
  }, 40_000);

  it('runs init containers in order before the containers', async () => {
    await createPod('with-init', {
      initContainers: [
        { name: 'first', image: 'busybox', command: ['sleep', '1'] },
        { name: 'second', image: 'busybox', command: ['sh', '-c', 'echo second'] },
      ],
    });
    const pending = await waitPod('with-init', (p) => expect(p.status?.initContainerStatuses?.[0]?.state?.running).toBeTruthy());
    expect(pending.status?.phase).toBe('Pending');
    expect(pending.status?.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [first second]',
    });
    expect(pending.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    const pod = await waitPod('with-init', (p) => expect(p.status?.phase).toBe('Running'));
    const [first, second] = pod.status!.initContainerStatuses!;
    expect(first!.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(second!.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(Date.parse(second!.state!.terminated!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(first!.state!.terminated!.finishedAt!));
    expect(Date.parse(first!.state!.terminated!.finishedAt!) - Date.parse(first!.state!.terminated!.startedAt!)).toBeGreaterThanOrEqual(1000);
    expect(pod.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
  });

  it('fails the pod when an init container fails under restartPolicy Never', async () => {
    await createPod('init-fails', {
      restartPolicy: 'Never',
      initContainers: [{ name: 'setup', image: 'busybox', command: ['/bin/false'] }],
    });
    const pod = await waitPod('init-fails', (p) => expect(p.status?.phase).toBe('Failed'));
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
  });

  it('waits readiness initialDelaySeconds before Ready', async () => {
    await createPod('slow-ready', {
      containers: [{
        name: 'main', image: 'busybox', command: ['sleep', '3600'],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, initialDelaySeconds: 3, periodSeconds: 1 },
      }],
    });
    const running = await waitPod('slow-ready', (p) => expect(p.status?.phase).toBe('Running'));
    expect(running.status?.containerStatuses?.[0]?.ready).toBe(false);
    expect(running.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [main]',
    });
    const ready = await waitPod('slow-ready', (p) => expect(p.status?.containerStatuses?.[0]?.ready).toBe(true));
    const startedAt = Date.parse(ready.status!.containerStatuses![0]!.state!.running!.startedAt!);
    const readyAt = Date.parse(ready.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime!);
    expect(readyAt - startedAt).toBeGreaterThanOrEqual(2000); // second-precision timestamps
  });

  it('never gets Ready when the readiness probe fails, and records Unhealthy', async () => {
    await createPod('never-ready', {
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], readinessProbe: { exec: { command: ['/bin/false'] }, periodSeconds: 1 } }],
    });
    await eventually(async () => {
      const events = await api.request<{ items: Event[] }>('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3Dnever-ready`);
      expect(events.items.find((e) => e.reason === 'Unhealthy')?.message).toBe('Readiness probe failed: ');
    });
    const pod = await getPod('never-ready');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.containerStatuses?.[0]?.ready).toBe(false);
  });

  it('restarts a container whose liveness probe fails', async () => {
    await createPod('not-alive', {
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 2 } }],
    });
    const pod = await waitPod('not-alive', (p) => expect(p.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1));
    expect(pod.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    const events = await api.request<{ items: Event[] }>('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3Dnot-alive`);
    expect(events.items.some((e) => e.reason === 'Killing' && e.message === 'Container main failed liveness probe, will be restarted')).toBe(true);
  });

  it('records Pulled, Created and Started events from the kubelet of the node', async () => {
    await eventually(async () => {
      const events = await api.request<{ items: Event[] }>('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3Dsleeper`);
      const byReason = new Map(events.items.map((e) => [e.reason, e]));
      expect(byReason.get('Pulled')?.message).toBe('Container image "busybox:1.36" already present on machine');
      expect(byReason.get('Created')?.message).toBe('Created container: main');
      expect(byReason.get('Started')?.message).toBe('Started container main');
      const started = byReason.get('Started')!;
      expect(started.source).toEqual({ component: 'kubelet', host: node(1) });
      expect(started.reportingComponent).toBe('kubelet');
      expect(started.involvedObject.fieldPath).toBe('spec.containers{main}');
    });
  });

  it('reports ErrImagePull then ImagePullBackOff for an image that does not exist', async () => {
    await createPod('bad-image', { containers: [{ name: 'main', image: 'registry.invalid/nonexistent:1', command: ['sleep', '10'] }] });
    await waitPod('bad-image', (p) => expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/));
    const pod = await waitPod('bad-image', (p) => expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ImagePullBackOff'));
    expect(pod.status?.phase).toBe('Pending');
  });

  it('rejects a pod whose hostPort is taken on the node', async () => {
    const ports = [{ containerPort: 80, hostPort: 8080 }];
    await createPod('port-a', { containers: [{ name: 'main', image: 'nginx', ports }] }, 2);
    await waitPod('port-a', (p) => expect(p.status?.phase).toBe('Running'));
    await createPod('port-b', { containers: [{ name: 'main', image: 'nginx', ports }] }, 2);
    const pod = await waitPod('port-b', (p) => expect(p.status?.phase).toBe('Failed'));
    expect(pod.status).toMatchObject({ reason: 'NodePorts', message: 'Pod was rejected: Predicate NodePorts failed' });
  });

  it('fails a pod past activeDeadlineSeconds with DeadlineExceeded', async () => {
    await createPod('deadline', { activeDeadlineSeconds: 2 });
    const pod = await waitPod('deadline', (p) => expect(p.status?.phase).toBe('Failed'));
    expect(pod.status).toMatchObject({ reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('deletes gracefully: containers stop, status is written, the kubelet removes the pod', async () => {
    await createPod('to-delete', {});
    await waitPod('to-delete', (p) => expect(p.status?.phase).toBe('Running'));
    const watch = await watchModifications('to-delete');
    const started = Date.now();
    await api.request('DELETE', `/api/v1/namespaces/${ns}/pods/to-delete`);
    await eventually(async () => {
      await expect(getPod('to-delete')).rejects.toSatisfy((err: unknown) => err instanceof ApiError && err.code === 404);
    }, 15_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    await eventually(async () => expect(watch.events().at(-1)?.type).toBe('DELETED'));
    watch.stop();
    // Terminating (deletionTimestamp set), then the kubelet's one final status write, then gone.
    const changes = watch.events().filter((e) => e.type !== 'ADDED'); // the watch opens with the pod as it is
    expect(changes.map((e) => e.type)).toEqual(['MODIFIED', 'MODIFIED', 'DELETED']);
    const final = changes[1]!.object;
    expect(final.metadata?.deletionTimestamp).toBeTruthy();
    expect(final.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
  });

  it('serves container logs through the apiserver (pods/log): current and previous instance', async () => {
    await createPod('talker', { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo hello from main; echo to stderr >&2; sleep 1; exit 1'] }] });
    await waitPod('talker', (p) => expect(p.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1));
    const text = async (path: string) => {
      const url = new URL(path, cluster.apiserverUrl);
      const opts: https.RequestOptions = { method: 'GET' };
      await cluster.kubeConfig.applyToHTTPSOptions(opts);
      return new Promise<{ code: number; body: string }>((resolve, reject) => {
        https.request(url, opts, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        }).on('error', reject).end();
      });
    };
    const previous = await text(`/api/v1/namespaces/${ns}/pods/talker/log?previous=true`);
    expect(previous).toEqual({ code: 200, body: 'hello from main\nto stderr\n' });
    const missing = await text(`/api/v1/namespaces/${ns}/pods/talker/log?container=nope`);
    expect(missing.code).toBe(400);
  });

  it('starts 200 pods with one status write each', async () => {
    const loadNs = 'fk-load';
    await api.request('POST', '/api/v1/namespaces', { metadata: { name: loadNs } });
    await api.request('POST', `/api/v1/namespaces/${loadNs}/serviceaccounts`, { metadata: { name: 'default' } });
    const url = new URL(`/api/v1/namespaces/${loadNs}/pods?watch=true`, cluster.apiserverUrl);
    const opts: https.RequestOptions = { method: 'GET' };
    await cluster.kubeConfig.applyToHTTPSOptions(opts);
    const modified = new Map<string, number>();
    const runningAt = new Map<string, number>();
    let buffered = '';
    const req = https.request(url, opts, (res) => {
      res.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buffered.slice(0, nl)) as { type: string; object: Pod };
          buffered = buffered.slice(nl + 1);
          const name = ev.object.metadata!.name!;
          if (ev.type === 'MODIFIED') modified.set(name, (modified.get(name) ?? 0) + 1);
          if (ev.object.status?.phase === 'Running' && !runningAt.has(name)) runningAt.set(name, Date.now());
        }
      });
    });
    req.on('error', () => {});
    req.end();
    await new Promise((r) => setTimeout(r, 300));
    const count = 200;
    const started = Date.now();
    for (let i = 0; i < count; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, j) => api.request('POST', `/api/v1/namespaces/${loadNs}/pods`, {
        metadata: { name: `load-${i + j}` }, spec: { nodeName: node((i + j) % 3), containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] },
      })));
    }
    await eventually(async () => expect(runningAt.size).toBe(count), 30_000);
    const seconds = (Math.max(...runningAt.values()) - started) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    req.destroy();
    const writes = [...modified.values()];
    console.log(`fake-kubelet: ${count} pods Running in ${seconds.toFixed(2)} s (${(count / seconds).toFixed(0)} pods/s, creates included); status writes per pod: max ${Math.max(...writes)}`);
    expect(writes.every((w) => w === 1)).toBe(true);
  }, 60_000);

  it('reports usage as a fraction of requests (metrics.k8s.io through the kubelet Summary)', async () => {
    await createPod('measured', { containers: [{
      name: 'main', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '200m', memory: '100Mi' } },
    }] }, 0);
    await waitPod('measured', (p) => expect(p.status?.phase).toBe('Running'));
    await eventually(async () => {
      const m = await api.request<{ containers: { name: string; usage: { cpu: string; memory: string } }[] }>(
        'GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/measured`);
      expect(m.containers).toEqual([{ name: 'main', usage: { cpu: '20m', memory: '10Mi' } }]);
    });
  });
});
