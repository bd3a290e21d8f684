/**
 * Keeps one object in every active namespace, the shape shared by the serviceaccount controller
 * (a "default" ServiceAccount) and the root-ca-cert-publisher ("kube-root-ca.crt" ConfigMap):
 * namespace events and deletions of the managed object enqueue the namespace; sync creates the
 * object when it is missing (and, when `desired` says so, corrects drifted data).
 */
import { CoreV1Api, makeInformer, type KubernetesObject, type V1Namespace } from '@kubernetes/client-node';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { logger } from '../../util/log.ts';
import { runWorker } from '../controller.ts';

const log = logger('kube-controller-manager');

export interface PerNamespaceSpec {
  /** Controller name, for logs. */
  controller: string;
  /** Plural of the managed core/v1 resource, e.g. "serviceaccounts". */
  resource: 'serviceaccounts' | 'configmaps';
  /** Name of the managed object in each namespace. */
  name: string;
  /** The object to create in a namespace. */
  build(namespace: string): Record<string, unknown>;
  /** True when an existing object must be replaced by build() (drifted content). */
  drifted?(existing: Record<string, unknown>, namespace: string): boolean;
}

export function newPerNamespaceController(client: RestClient, spec: PerNamespaceSpec) {
  const queue = new WorkQueue(200, 30_000);
  const base = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/${spec.resource}`;

  async function sync(namespace: string): Promise<void> {
    let ns: V1Namespace;
    try {
      ns = await client.request<V1Namespace>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    if (ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    let existing: Record<string, unknown> | undefined;
    try {
      existing = await client.request<Record<string, unknown>>('GET', `${base(namespace)}/${spec.name}`);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
    if (!existing) {
      await client.request('POST', base(namespace), spec.build(namespace)).catch((err: unknown) => {
        // 409: created meanwhile; 403/404: the namespace is going away.
        if (!(err instanceof ApiError && [403, 404, 409].includes(err.code))) throw err;
      });
      return;
    }
    if (spec.drifted?.(existing, namespace)) {
      const next = { ...spec.build(namespace), metadata: { ...(existing.metadata as object), name: spec.name } };
      await client.request('PUT', `${base(namespace)}/${spec.name}`, next);
    }
  }

  return {
    sync,
    async run(signal: AbortSignal): Promise<void> {
      const core = client.kubeConfig.makeApiClient(CoreV1Api);
      const namespaces = makeInformer<V1Namespace>(client.kubeConfig, '/api/v1/namespaces', () => core.listNamespace());
      const enqueueNs = (ns: V1Namespace) => { if (ns.metadata?.name) queue.add(ns.metadata.name); };
      namespaces.on('add', enqueueNs);
      namespaces.on('update', enqueueNs);
      const list = spec.resource === 'serviceaccounts'
        ? () => core.listServiceAccountForAllNamespaces({ fieldSelector: `metadata.name=${spec.name}` })
        : () => core.listConfigMapForAllNamespaces({ fieldSelector: `metadata.name=${spec.name}` });
      const managed = makeInformer<KubernetesObject>(client.kubeConfig, `/api/v1/${spec.resource}`, list as () => ReturnType<typeof core.listConfigMapForAllNamespaces>);
      const enqueueOwner = (o: KubernetesObject) => {
        if (o.metadata?.name === spec.name && o.metadata.namespace) queue.add(o.metadata.namespace);
      };
      managed.on('delete', enqueueOwner);
      managed.on('update', enqueueOwner);
      for (const inf of [namespaces, managed]) {
        inf.on('error', () => { setTimeout(() => { if (!signal.aborted) void inf.start(); }, 1000); });
      }
      await namespaces.start();
      await managed.start();
      const workers = [1, 2].map(() => runWorker(spec.controller, queue, sync, log));
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      queue.shutDown();
      await Promise.all([namespaces.stop(), managed.stop()]);
      await Promise.all(workers);
    },
  };
}
