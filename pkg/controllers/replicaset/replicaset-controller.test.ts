import { afterEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startFakeInformer } from '../../client/informers/testing/fake-lister-watcher.ts';
import { ApiError, RestClient } from '../../client/rest-client.ts';
import type { EventRecorder } from '../event-recorder.ts';
import { replicaSetKind, type ReplicaOwner } from './replica-kind.ts';
import { newReplicaController } from './replicaset-controller.ts';

/** A RestClient that answers from a function and records every call; no network. */
class FakeClient extends RestClient {
  readonly calls: { method: string; path: string; body: unknown }[] = [];
  constructor(private readonly answer: (method: string, path: string, body: unknown) => unknown) {
    super(new KubeConfig());
  }

  override async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.calls.push({ method, path, body });
    const result = this.answer(method, path, body);
    if (result instanceof Error) throw result;
    return result as T;
  }
}

const rs: ReplicaOwner = {
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 1, resourceVersion: '1' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
};

const stops: (() => Promise<void>)[] = [];
afterEach(async () => { for (const stop of stops.splice(0)) await stop(); });

async function setup(pods: Pod[], answer: (method: string, path: string, body: unknown) => unknown) {
  const owners = startFakeInformer<ReplicaOwner>([structuredClone(rs)], 'replicasets');
  const podInformer = startFakeInformer<Pod>(pods, 'pods');
  stops.push(owners.stop, podInformer.stop);
  await Promise.all([owners.synced, podInformer.synced]);
  const events: string[] = [];
  const recorder: EventRecorder = { event: (_s, type, reason, message) => events.push(`${type} ${reason} ${message}`) };
  const client = new FakeClient(answer);
  const controller = newReplicaController({ kind: replicaSetKind, client, owners: owners.informer, pods: podInformer.informer, recorder });
  return { client, controller, events };
}

let created = 0;
const createPods = (method: string, path: string, body: unknown) => {
  if (method === 'POST') return { ...(body as Pod), metadata: { ...(body as Pod).metadata, name: `web-${++created}` } };
  if (method === 'PUT') return body;
  return {};
};

describe('replica controller sync', () => {
  it('creates the missing pods from the template once, then waits for the informer to see them', async () => {
    const { client, controller, events } = await setup([], createPods);
    await controller.sync('ns/web');
    const posts = client.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(posts[0]!.path).toBe('/api/v1/namespaces/ns/pods');
    expect(posts[0]!.body).toMatchObject({
      metadata: { generateName: 'web-', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }] },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    expect(events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: web-'))).toHaveLength(3);
    expect(controller.expectations.pending('ns/web')).toEqual([3, 0]);
    // A second sync before the informer has the pods must not create again.
    await controller.sync('ns/web');
    expect(client.calls.filter((c) => c.method === 'POST')).toHaveLength(3);
    const status = client.calls.filter((c) => c.method === 'PUT').at(-1)!;
    expect(status.path).toBe('/apis/apps/v1/namespaces/ns/replicasets/web/status');
    expect(status.body).toMatchObject({ status: { replicas: 0, readyReplicas: 0, observedGeneration: 1 } });
  });

  it('sets ReplicaFailure and records FailedCreate when creates are refused, stopping after the first batch', async () => {
    const forbidden = new ApiError(403, { message: 'pods "web-x" is forbidden: exceeded quota: q' });
    const { client, controller, events } = await setup([], (method, _path, body) => (method === 'POST' ? forbidden : method === 'PUT' ? body : {}));
    await expect(controller.sync('ns/web')).rejects.toThrow('exceeded quota');
    expect(client.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(events).toEqual(['Warning FailedCreate Error creating: pods "web-x" is forbidden: exceeded quota: q']);
    // Failed creates will never be observed: nothing is left expected.
    expect(controller.expectations.satisfied('ns/web')).toBe(true);
    const body = client.calls.find((c) => c.method === 'PUT')!.body as ReplicaOwner;
    expect(body.status?.conditions).toEqual([expect.objectContaining({
      type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota: q',
    })]);
  });

  it('adopts a matching orphan after a live check of the owner, and releases its pod that no longer matches', async () => {
    const orphan: Pod = { metadata: { name: 'orphan', namespace: 'ns', uid: 'o', labels: { app: 'web' } }, status: { phase: 'Running' } };
    const mine = (name: string, labels: Record<string, string>): Pod => ({
      metadata: { name, namespace: 'ns', uid: name, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true }] },
      status: { phase: 'Running' },
    });
    const { client, controller } = await setup([orphan, mine('kept', { app: 'web' }), mine('relabelled', { app: 'other' })], (method, path, body) => {
      if (method === 'GET' && path === '/apis/apps/v1/namespaces/ns/replicasets/web') return structuredClone(rs);
      return createPods(method, path, body);
    });
    await controller.sync('ns/web');
    const calls = client.calls.map((c) => `${c.method} ${c.path}`);
    expect(calls.slice(0, 3)).toEqual([
      'GET /apis/apps/v1/namespaces/ns/replicasets/web',
      'PATCH /api/v1/namespaces/ns/pods/orphan',
      'PATCH /api/v1/namespaces/ns/pods/relabelled',
    ]);
    expect(client.calls[1]!.body).toEqual({ metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }], uid: 'o' } });
    expect(client.calls[2]!.body).toEqual({ metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-uid' }], uid: 'relabelled' } });
    // Two claimed (orphan + kept) of three wanted: one create.
    expect(client.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('does not adopt when the live owner is being deleted', async () => {
    const orphan: Pod = { metadata: { name: 'orphan', namespace: 'ns', uid: 'o', labels: { app: 'web' } }, status: { phase: 'Running' } };
    const { client, controller } = await setup([orphan], (method, path, body) => {
      if (method === 'GET') return { ...structuredClone(rs), metadata: { ...rs.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
      return createPods(method, path, body);
    });
    await expect(controller.sync('ns/web')).rejects.toThrow("can't adopt Pod ns/orphan (o): ns/web has just been deleted at 2024-01-01T00:00:00Z");
    expect(client.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
  });

  it('deletes the surplus, cheapest first, and expects exactly those deletions', async () => {
    const pod = (name: string, node: string | undefined, phase: string): Pod => ({
      metadata: { name, namespace: 'ns', uid: name, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true }] },
      spec: { nodeName: node, containers: [] }, status: { phase },
    });
    const pods = [pod('running', 'n', 'Running'), pod('a', 'n', 'Running'), pod('pending', 'n', 'Pending'), pod('unassigned', undefined, 'Pending'), pod('b', 'n', 'Running')];
    const { client, controller, events } = await setup(pods, createPods);
    await controller.sync('ns/web');
    expect(client.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/api/v1/namespaces/ns/pods/unassigned', '/api/v1/namespaces/ns/pods/pending',
    ]);
    expect(events).toEqual(['Normal SuccessfulDelete Deleted pod: unassigned', 'Normal SuccessfulDelete Deleted pod: pending']);
    expect(controller.expectations.pending('ns/web')).toEqual([0, 2]);
  });
});
