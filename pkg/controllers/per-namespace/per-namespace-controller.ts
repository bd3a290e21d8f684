/**
 * Keeps one object in every active namespace, the shape shared by the serviceaccount controller
 * (kubernetes pkg/controller/serviceaccount/serviceaccounts_controller.go: a "default"
 * ServiceAccount) and the root-ca-cert-publisher
 * (pkg/controller/certificates/rootcacertpublisher/publisher.go: the "kube-root-ca.crt" ConfigMap).
 * Namespace adds and updates, and updates and deletions of the managed object, enqueue the
 * namespace; sync reads both listers and creates the object when it is missing (and, when `drifted`
 * says so, replaces drifted content). Cached objects are never changed: writes send new objects.
 */
import type { V1Namespace } from '@kubernetes/client-node';
import type { KubeObject } from '../../api/index.ts';
import { finalStateOf, type SharedIndexInformer } from '../../client/informers/index.ts';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { logger } from '../../util/log.ts';
import { runWorkers } from '../controller.ts';

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
  drifted?(existing: Readonly<Record<string, unknown>>, namespace: string): boolean;
}

export interface PerNamespaceDeps {
  client: RestClient;
  /** The shared namespaces informer. */
  namespaces: SharedIndexInformer<V1Namespace>;
  /** The shared informer of `spec.resource` (all namespaces). */
  managed: SharedIndexInformer<KubeObject>;
  workers?: number;
}

export function newPerNamespaceController(deps: PerNamespaceDeps, spec: PerNamespaceSpec) {
  const queue = new WorkQueue(200, 30_000);
  const { client, namespaces, managed } = deps;
  const base = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/${spec.resource}`;

  const enqueueNamespace = (ns: V1Namespace) => { if (ns.metadata?.name) queue.add(ns.metadata.name); };
  const enqueueOwner = (o: KubeObject) => {
    if (o.metadata.name === spec.name && o.metadata.namespace) queue.add(o.metadata.namespace);
  };
  namespaces.addEventHandler({ onAdd: enqueueNamespace, onUpdate: (_old, ns) => enqueueNamespace(ns) });
  managed.addEventHandler({ onUpdate: (_old, o) => enqueueOwner(o), onDelete: (o) => enqueueOwner(finalStateOf(o)) });

  async function sync(namespace: string): Promise<void> {
    const ns = namespaces.lister.get('', namespace);
    if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const existing = managed.lister.get(namespace, spec.name);
    if (!existing) {
      await client.request('POST', base(namespace), spec.build(namespace)).catch((err: unknown) => {
        // 409: created meanwhile (or not in the cache yet); 403/404: the namespace is going away.
        if (!(err instanceof ApiError && [403, 404, 409].includes(err.code))) throw err;
      });
      return;
    }
    if (spec.drifted?.(existing, namespace)) {
      // The cached object's resourceVersion guards the write: a stale cache gets 409 and a retry.
      const next = { ...spec.build(namespace), metadata: { ...existing.metadata, name: spec.name } };
      await client.request('PUT', `${base(namespace)}/${spec.name}`, next);
    }
  }

  return {
    sync,
    /** Waits for both caches, then works until `signal` aborts; resolves once the workers stopped. */
    async run(signal: AbortSignal): Promise<void> {
      if (!(await namespaces.whenSynced(signal)) || !(await managed.whenSynced(signal))) return;
      await runWorkers(spec.controller, queue, sync, log, deps.workers ?? 2, signal);
    },
  };
}
