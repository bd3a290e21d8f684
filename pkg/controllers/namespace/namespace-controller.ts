/**
 * Namespace lifecycle (the namespace controller of kube-controller-manager), after kubernetes
 * pkg/controller/namespace/namespace_controller.go and
 * pkg/controller/namespace/deletion/namespaced_resources_deleter.go: when a namespace is deleted,
 * delete everything in it, and once nothing is left remove the "kubernetes" finalizer through
 * namespaces/<name>/finalize so the apiserver can drop the namespace.
 *
 * Namespace events come from the shared informer and only enqueue names. sync(name) reads the
 * lister, then, like upstream's deleter, GETs the namespace live (another controller may have
 * changed it since the cache saw it) and lists content live through discovery. It is idempotent
 * and throws to be retried with back-off: a list that fails is an error, never "nothing there".
 */
import type { V1Namespace } from '@kubernetes/client-node';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import { discoverResources, resourcePath, type DiscoveredResource } from '../../client/discovery.ts';
import type { SharedIndexInformer } from '../../client/informers/index.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { logger } from '../../util/log.ts';
import { RequeueAfter, runWorkers } from '../controller.ts';

const log = logger('kube-controller-manager');
const finalizerName = 'kubernetes';
/** How soon to look again while content is still being removed. */
const contentRecheckMs = 1000;

export interface NamespaceControllerDeps {
  client: RestClient;
  /** The shared namespaces informer; handlers are added at construction. */
  namespaces: SharedIndexInformer<V1Namespace>;
  /** The served resources (default: discovery through `client`). */
  discover?: () => Promise<DiscoveredResource[]>;
  workers?: number;
}

interface ListResult { items?: unknown[] }

export function newNamespaceController(deps: NamespaceControllerDeps) {
  const queue = new WorkQueue(500, 30_000);
  const { client, namespaces } = deps;
  const discover = deps.discover ?? (() => discoverResources(client));

  const enqueue = (ns: V1Namespace) => { if (ns.metadata?.name && ns.metadata.deletionTimestamp) queue.add(ns.metadata.name); };
  namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });

  /** Deletes each namespaced resource's content; returns how many kinds still have some. */
  async function deleteContent(namespace: string, resources: DiscoveredResource[]): Promise<number> {
    let remaining = 0;
    for (const r of resources) {
      // Only what can be deleted is waited for (upstream's deletableResources): pods.metrics.k8s.io
      // lists a namespace's pods but is not content of its own.
      if (!r.namespaced || !r.verbs.includes('delete')) continue;
      const path = resourcePath(r, namespace);
      if (r.verbs.includes('deletecollection')) {
        await client.request('DELETE', path).catch(ignoreGoneOrUnsupported);
      }
      if (r.verbs.includes('list')) {
        const list = await client.request<ListResult>('GET', `${path}?limit=1`).catch(emptyWhenUnsupported);
        remaining += list.items?.length ?? 0;
      }
    }
    return remaining;
  }

  async function sync(name: string): Promise<void> {
    if (!namespaces.lister.get('', name)?.metadata?.deletionTimestamp) return;
    let ns: V1Namespace;
    try {
      ns = await client.request<V1Namespace>('GET', `/api/v1/namespaces/${encodeURIComponent(name)}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    const finalizers = ns.spec?.finalizers ?? [];
    if (!finalizers.includes(finalizerName)) return;
    const remaining = await deleteContent(name, await discover());
    if (remaining > 0) throw new RequeueAfter(contentRecheckMs, `namespace ${name}: ${remaining} resource kinds still have content`);
    const body = { ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== finalizerName) } };
    await client.request('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, body).catch(ignoreGoneOrUnsupported);
    log.info('namespace finalized', { controller: 'namespace', name });
  }

  return {
    sync,
    /** Waits for the namespaces cache, then works until `signal` aborts; resolves once the workers stopped. */
    async run(signal: AbortSignal): Promise<void> {
      if (!(await namespaces.whenSynced(signal))) return;
      await runWorkers('namespace', queue, sync, log, deps.workers ?? 2, signal);
    },
  };
}

function ignoreGoneOrUnsupported(err: unknown): void {
  if (err instanceof ApiError && (err.code === 404 || err.code === 405 || err.code === 409)) return;
  throw err;
}

/** A resource that cannot be listed here (404/405) holds nothing to wait for; every other failure is rethrown. */
function emptyWhenUnsupported(err: unknown): ListResult {
  if (err instanceof ApiError && (err.code === 404 || err.code === 405)) return { items: [] };
  throw err;
}
