import { afterEach, describe, expect, it } from 'vitest';
import { KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import type { KubeObject } from '../../api/index.ts';
import { startFakeInformer } from '../../client/informers/testing/fake-lister-watcher.ts';
import { RestClient } from '../../client/rest-client.ts';
import { defaultServiceAccount, rootCAConfigMap } from './defaults.ts';
import { newPerNamespaceController, type PerNamespaceSpec } from './per-namespace-controller.ts';

class RecordingClient extends RestClient {
  readonly calls: { method: string; path: string; body?: unknown }[] = [];
  constructor() {
    super(new KubeConfig());
  }

  override async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.calls.push({ method, path, body });
    return {} as T;
  }
}

const ns = (name: string, extra: Partial<V1Namespace> = {}): V1Namespace => ({ metadata: { name }, status: { phase: 'Active' }, ...extra });
const stops: (() => Promise<void>)[] = [];
afterEach(async () => { for (const stop of stops.splice(0)) await stop(); });

async function setup(spec: PerNamespaceSpec, namespaces: V1Namespace[], managed: KubeObject[]) {
  const nsInformer = startFakeInformer<V1Namespace>(namespaces, 'namespaces');
  const managedInformer = startFakeInformer<KubeObject>(managed, spec.resource);
  stops.push(nsInformer.stop, managedInformer.stop);
  await Promise.all([nsInformer.synced, managedInformer.synced]);
  const client = new RecordingClient();
  const controller = newPerNamespaceController({ client, namespaces: nsInformer.informer, managed: managedInformer.informer }, spec);
  return { client, controller };
}

describe('per-namespace controller sync', () => {
  it('creates the object missing from the cache, reading listers instead of the apiserver', async () => {
    const { client, controller } = await setup(defaultServiceAccount, [ns('a'), ns('b')], [
      { metadata: { name: 'default', namespace: 'b', resourceVersion: '3' } },
    ]);
    await controller.sync('a');
    await controller.sync('b');
    expect(client.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/namespaces/a/serviceaccounts']);
  });

  it('leaves terminating and unknown namespaces alone', async () => {
    const { client, controller } = await setup(defaultServiceAccount, [ns('t', { status: { phase: 'Terminating' } })], []);
    await controller.sync('t');
    await controller.sync('missing');
    expect(client.calls).toEqual([]);
  });

  it('replaces drifted content with a new object, leaving the cached one untouched', async () => {
    const cached: KubeObject = { metadata: { name: 'kube-root-ca.crt', namespace: 'a', resourceVersion: '7' }, data: { 'ca.crt': 'old' } };
    const { client, controller } = await setup(rootCAConfigMap('new-ca'), [ns('a')], [cached]);
    await controller.sync('a');
    expect(client.calls).toHaveLength(1);
    expect(client.calls[0]).toMatchObject({
      method: 'PUT', path: '/api/v1/namespaces/a/configmaps/kube-root-ca.crt',
      body: { data: { 'ca.crt': 'new-ca' }, metadata: { name: 'kube-root-ca.crt', resourceVersion: '7' } },
    });
  });
});
