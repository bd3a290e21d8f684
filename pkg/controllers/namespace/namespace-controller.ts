/**
 * Namespace lifecycle (the namespace controller of kube-controller-manager): when a namespace is
 * deleted, delete everything in it, and once nothing is left remove the "kubernetes" finalizer
 * through namespaces/<name>/finalize so the apiserver can drop the namespace.
 * Event handlers only enqueue names; sync(name) is idempotent and throws to be retried.
 */
import { CoreV1Api, makeInformer, type V1Namespace } from '@kubernetes/client-node';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import { discoverResources, resourcePath, type DiscoveredResource } from '../../client/discovery.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { logger } from '../../util/log.ts';
import { RequeueAfter, runWorker } from '../controller.ts';

const log = logger('kube-controller-manager');
const finalizerName = 'kubernetes';
/** How soon to look again while content is still being removed. */
const contentRecheckMs = 1000;

export interface NamespaceControllerDeps {
  client: RestClient;
  workers?: number;
}

interface ListResult { items?: unknown[] }


export function newNamespaceController(deps: NamespaceControllerDeps) {
  const queue = new WorkQueue(500, 30_000);
  const client = deps.client;

  async function deleteContent(namespace: string, resources: DiscoveredResource[]): Promise<number> {
    let remaining = 0;
    for (const r of resources) {
      if (!r.namespaced) continue;
      const path = resourcePath(r, namespace);
      if (r.verbs.includes('deletecollection')) {
        await client.request('DELETE', path).catch(ignoreGoneOrUnsupported);
      }
      if (r.verbs.includes('list')) {
        const list = await client.request<ListResult>('GET', `${path}?limit=1`).catch(() => ({ items: [] }));
        remaining += list.items?.length ?? 0;
      }
    }
    return remaining;
  }

  async function sync(name: string): Promise<void> {
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
    const remaining = await deleteContent(name, await discoverResources(client));
    if (remaining > 0) throw new RequeueAfter(contentRecheckMs, `namespace ${name}: ${remaining} resource kinds still have content`);
    const body = { ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== finalizerName) } };
    await client.request('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, body).catch(ignoreGoneOrUnsupported);
    log.info('namespace finalized', { controller: 'namespace', name });
  }

  return {
    sync,
    async run(signal: AbortSignal): Promise<void> {
      const core = client.kubeConfig.makeApiClient(CoreV1Api);
      const informer = makeInformer<V1Namespace>(client.kubeConfig, '/api/v1/namespaces', () => core.listNamespace());
      const enqueue = (ns: V1Namespace) => { if (ns.metadata?.name && ns.metadata.deletionTimestamp) queue.add(ns.metadata.name); };
      informer.on('add', enqueue);
      informer.on('update', enqueue);
      informer.on('error', (err) => {
        log.warn('namespace informer error; restarting', { error: String(err) });
        setTimeout(() => { if (!signal.aborted) void informer.start(); }, 1000);
      });
      await informer.start();
      const workers = Array.from({ length: deps.workers ?? 2 }, () => runWorker('namespace', queue, sync, log));
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      queue.shutDown();
      await informer.stop();
      await Promise.all(workers);
    },
  };
}

function ignoreGoneOrUnsupported(err: unknown): void {
  if (err instanceof ApiError && (err.code === 404 || err.code === 405 || err.code === 409)) return;
  throw err;
}
