import { afterEach, describe, expect, it } from 'vitest';
import { KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import type { DiscoveredResource } from '../../client/discovery.ts';
import { startFakeInformer } from '../../client/informers/testing/fake-lister-watcher.ts';
import { ApiError, RestClient } from '../../client/rest-client.ts';
import { RequeueAfter } from '../controller.ts';
import { newNamespaceController } from './namespace-controller.ts';

/** A RestClient that answers from a function and records every call; no network. */
class FakeClient extends RestClient {
  readonly calls: string[] = [];
  constructor(private readonly answer: (method: string, path: string) => unknown) {
    super(new KubeConfig());
  }

  override async request<T>(method: string, path: string): Promise<T> {
    this.calls.push(`${method} ${path}`);
    const result = this.answer(method, path);
    if (result instanceof Error) throw result;
    return result as T;
  }
}

const doomed: V1Namespace = {
  metadata: { name: 'doomed', resourceVersion: '5', deletionTimestamp: '2024-01-01T00:00:00Z' as unknown as Date },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Terminating' },
};
const resources: DiscoveredResource[] = [
  { groupVersion: 'v1', name: 'configmaps', namespaced: true, verbs: ['list', 'delete', 'deletecollection'] },
  { groupVersion: 'example.com/v1', name: 'widgets', namespaced: true, verbs: ['list', 'delete'] },
  { groupVersion: 'v1', name: 'nodes', namespaced: false, verbs: ['list', 'delete'] },
  // Read-only views of other content (pods.metrics.k8s.io) are not waited for.
  { groupVersion: 'metrics.k8s.io/v1beta1', name: 'pods', namespaced: true, verbs: ['get', 'list'] },
];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => { for (const stop of stops.splice(0)) await stop(); });

async function controllerWith(widgetsList: unknown, cached: V1Namespace[] = [doomed]) {
  const fake = startFakeInformer<V1Namespace>(structuredClone(cached), 'namespaces');
  stops.push(fake.stop);
  await fake.synced;
  const client = new FakeClient((method, path) => {
    if (method === 'GET' && path === '/api/v1/namespaces/doomed') return structuredClone(doomed);
    if (path.startsWith('/apis/example.com/v1/namespaces/doomed/widgets')) return widgetsList;
    if (method === 'GET') return { items: [] };
    return {};
  });
  const controller = newNamespaceController({ client, namespaces: fake.informer, discover: async () => resources });
  return { client, controller };
}

describe('namespace controller sync', () => {
  it('empties and finalizes a deleted namespace, skipping cluster-scoped and read-only resources', async () => {
    const { client, controller } = await controllerWith({ items: [] });
    await controller.sync('doomed');
    expect(client.calls).toEqual([
      'GET /api/v1/namespaces/doomed',
      'DELETE /api/v1/namespaces/doomed/configmaps',
      'GET /api/v1/namespaces/doomed/configmaps?limit=1',
      'GET /apis/example.com/v1/namespaces/doomed/widgets?limit=1',
      'PUT /api/v1/namespaces/doomed/finalize',
    ]);
  });

  it.each([
    ['500', new ApiError(500, { message: 'etcdserver: request timed out' })],
    ['403', new ApiError(403, { message: 'forbidden' })],
    ['a broken connection', new Error('socket hang up')],
  ])('does not finalize when a list fails with %s: it throws to be retried', async (_name, failure) => {
    const { client, controller } = await controllerWith(failure);
    await expect(controller.sync('doomed')).rejects.toBe(failure);
    expect(client.calls.filter((c) => c.includes('/finalize'))).toEqual([]);
  });

  it.each([404, 405])('treats a list answered %d as nothing to wait for', async (code) => {
    const { client, controller } = await controllerWith(new ApiError(code, {}));
    await controller.sync('doomed');
    expect(client.calls.at(-1)).toBe('PUT /api/v1/namespaces/doomed/finalize');
  });

  it('waits while content remains', async () => {
    const { client, controller } = await controllerWith({ items: [{}] });
    await expect(controller.sync('doomed')).rejects.toBeInstanceOf(RequeueAfter);
    expect(client.calls.filter((c) => c.includes('/finalize'))).toEqual([]);
  });

  it('does nothing for a namespace the cache does not show as deleted', async () => {
    const { client, controller } = await controllerWith({ items: [] }, [{ metadata: { name: 'doomed' } }]);
    await controller.sync('doomed');
    await controller.sync('unknown');
    expect(client.calls).toEqual([]);
  });
});
