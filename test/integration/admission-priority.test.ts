/**
 * Priority, DefaultTolerationSeconds and RuntimeClass admission, and the PriorityClass and
 * RuntimeClass APIs they read, through the HTTP API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createNamespace } from './support/fixtures.ts';

let server: TestServer;
const ns = 'adm-prio';
const podsPath = `/api/v1/namespaces/${ns}/pods`;
const pcPath = '/apis/scheduling.k8s.io/v1/priorityclasses';
const rcPath = '/apis/node.k8s.io/v1/runtimeclasses';

function pod(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

const defaultTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

describe('PriorityClass API', () => {
  it('has the two system classes from start-up', async () => {
    const res = await server.request.get(`${pcPath}/system-node-critical`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', value: 2000001000, preemptionPolicy: 'PreemptLowerPriority',
      description: 'Used for system critical pods that must not be moved from their current node.',
    });
    const cluster = await server.request.get(`${pcPath}/system-cluster-critical`);
    expect(cluster.body.value).toBe(2000000000);
  });

  it('refuses reserved names and changes of value', async () => {
    const bad = await server.request.post(pcPath).send({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-mine' }, value: 5 });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe('PriorityClass.scheduling.k8s.io "system-mine" is invalid: metadata.name: Forbidden: priority class names with '
      + "'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class");
    const ok = await server.request.post(pcPath).send({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' });
    expect(ok.status).toBe(201);
    const patch = await server.request.patch(`${pcPath}/high`).set('Content-Type', 'application/merge-patch+json').send({ value: 2000 });
    expect(patch.status).toBe(422);
    expect(patch.body.message).toBe('PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: may not be changed in an update.');
  });
});

describe('Priority and DefaultTolerationSeconds admission', () => {
  it('gives a pod without a class priority 0 and the default tolerations', async () => {
    const res = await server.request.post(podsPath).send(pod('plain'));
    expect(res.status).toBe(201);
    expect(res.body.spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority', tolerations: defaultTolerations });
    expect(res.body.spec.priorityClassName).toBeUndefined();
  });

  it("resolves a class to its value and preemption policy", async () => {
    const res = await server.request.post(podsPath).send(pod('classy', { priorityClassName: 'high' }));
    expect(res.status).toBe(201);
    expect(res.body.spec).toMatchObject({ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
    const sys = await server.request.post(podsPath).send(pod('critical', { priorityClassName: 'system-node-critical' }));
    expect(sys.body.spec.priority).toBe(2000001000);
  });

  it('refuses an unknown class and a priority set by hand', async () => {
    const unknown = await server.request.post(podsPath).send(pod('lost', { priorityClassName: 'nope' }));
    expect(unknown.status).toBe(403);
    expect(unknown.body).toMatchObject({ reason: 'Forbidden', message: 'pods "lost" is forbidden: no PriorityClass with name nope was found' });
    const manual = await server.request.post(podsPath).send(pod('manual', { priority: 5 }));
    expect(manual.status).toBe(403);
    expect(manual.body.message).toBe('pods "manual" is forbidden: the integer value of priority (5) must not be provided in pod spec; '
      + 'priority admission controller computed 0 from the given PriorityClass name');
    const policy = await server.request.post(podsPath).send(pod('policy', { priorityClassName: 'high', preemptionPolicy: 'PreemptLowerPriority' }));
    expect(policy.status).toBe(403);
    expect(policy.body.message).toBe('pods "policy" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; '
      + 'priority admission controller computed Never from the given PriorityClass name');
  });
});

describe('RuntimeClass admission', () => {
  beforeAll(async () => {
    const res = await server.request.post(rcPath).send({
      apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'kata' }, handler: 'kata',
      overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
      scheduling: { nodeSelector: { sandbox: 'true' }, tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('refuses a pod naming a missing RuntimeClass', async () => {
    const res = await server.request.post(podsPath).send(pod('no-rc', { runtimeClassName: 'missing' }));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods "no-rc" is forbidden: pod rejected: RuntimeClass "missing" not found');
  });

  it('copies overhead and merges scheduling constraints', async () => {
    const res = await server.request.post(podsPath).send(pod('sandboxed', { runtimeClassName: 'kata', nodeSelector: { zone: 'a' } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.spec.overhead).toEqual({ cpu: '250m', memory: '120Mi' });
    expect(res.body.spec.nodeSelector).toEqual({ zone: 'a', sandbox: 'true' });
    // DefaultTolerationSeconds runs first; the class's tolerations are merged after the pod's.
    expect(res.body.spec.tolerations).toEqual([...defaultTolerations, { key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it('refuses a different overhead, overhead without a class and a selector conflict', async () => {
    const other = await server.request.post(podsPath).send(pod('heavy', { runtimeClassName: 'kata', overhead: { cpu: '1' } }));
    expect(other.status).toBe(403);
    expect(other.body.message).toBe("pods \"heavy\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
    const bare = await server.request.post(podsPath).send(pod('bare', { overhead: { cpu: '1' } }));
    expect(bare.status).toBe(403);
    expect(bare.body.message).toBe('pods "bare" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    const conflict = await server.request.post(podsPath).send(pod('conflict', { runtimeClassName: 'kata', nodeSelector: { sandbox: 'false' } }));
    expect(conflict.status).toBe(403);
    expect(conflict.body.message).toBe('pods "conflict" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = true; pod.spec.nodeSelector[sandbox] = false');
  });

  it('keeps the handler immutable', async () => {
    const res = await server.request.patch(`${rcPath}/kata`).set('Content-Type', 'application/merge-patch+json').send({ handler: 'runc' });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('RuntimeClass.node.k8s.io "kata" is invalid: handler: Invalid value: "runc": field is immutable');
  });
});

describe('a global default PriorityClass', () => {
  it('applies to pods without a class, and there is only one', async () => {
    const body = (name: string, value: number) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, globalDefault: true });
    expect((await server.request.post(pcPath).send(body('everyone', 50))).status).toBe(201);
    // The Priority plugin reads PriorityClasses from the watch cache, as upstream's reads its lister:
    // wait until a dry run of a second default is refused, then the real one must be too.
    await eventually(async () => expect((await server.request.post(`${pcPath}?dryRun=All`).send(body('second', 60))).status).toBe(403));
    const second = await server.request.post(pcPath).send(body('second', 60));
    expect(second.status).toBe(403);
    expect(second.body.message).toBe('priorityclasses.scheduling.k8s.io "second" is forbidden: PriorityClass everyone is already marked as default. Only one default can exist');
    const res = await server.request.post(podsPath).send(pod('defaulted'));
    expect(res.status).toBe(201);
    expect(res.body.spec).toMatchObject({ priorityClassName: 'everyone', priority: 50, preemptionPolicy: 'PreemptLowerPriority' });
  });
});
