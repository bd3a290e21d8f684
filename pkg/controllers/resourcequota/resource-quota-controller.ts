/**
 * The resource quota controller of kube-controller-manager (pkg/controller/resourcequota/
 * resource_quota_controller.go): for every ResourceQuota, status.hard follows spec.hard and
 * status.used is recounted from the objects of its namespace, with the evaluators the admission
 * plugin charges with. A quota is synced when it is created, when its spec.hard changes, when
 * objects it counts are deleted or release usage, and on a full resync (5 minutes by default).
 * The status is written with the cached quota's resourceVersion: a conflict (admission charged in
 * between) is retried with back-off.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.ts';
import type { DiscoveredResource } from '../../client/discovery.ts';
import { resourceRefs, splitMetaNamespaceKey, type SharedInformerFactory } from '../../client/informers/index.ts';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { equals, mask, parseResourceList, toWire } from '../../quota/quantity.ts';
import { evaluatorFor } from '../../quota/registry.ts';
import type { GroupResource } from '../../quota/types.ts';
import { calculateUsage } from '../../quota/usage.ts';
import { logger } from '../../util/log.ts';
import { RequeueAfter, runWorkers } from '../controller.ts';
import { QuotaMonitor } from './quota-monitor.ts';

const log = logger('kube-controller-manager');
/** --resource-quota-sync-period. */
export const defaultResyncPeriodMs = 5 * 60_000;
/** How soon to look again when a counted resource's informer has not synced yet. */
const notSyncedRetryMs = 1000;

export interface ResourceQuotaControllerDeps {
  client: RestClient;
  factory: SharedInformerFactory;
  /** Served resources (default: discovery through `client`). */
  discover?: () => Promise<DiscoveredResource[]>;
  resyncPeriodMs?: number;
  /** --concurrent-resource-quota-syncs. */
  workers?: number;
  now?: () => Date;
}

export function newResourceQuotaController(deps: ResourceQuotaControllerDeps) {
  const queue = new WorkQueue(5, 30_000);
  const now = deps.now ?? (() => new Date());
  const quotas = deps.factory.informerFor<KubeObject>(resourceRefs.resourcequotas);
  const keyOf = (q: KubeObject) => `${q.metadata.namespace}/${q.metadata.name}`;
  const hardOf = (q: KubeObject) => parseResourceList((q as unknown as ResourceQuota).spec?.hard);

  /** replenishQuota: recount the namespace's quotas that track a resource of `gr`. */
  const onRelease = (gr: GroupResource, namespace: string) => {
    const evaluator = evaluatorFor(gr);
    for (const q of quotas.lister.list(namespace)) {
      const hard = Object.keys((q as unknown as ResourceQuota).status?.hard ?? {});
      if (evaluator.matchingResources(hard).length > 0) queue.add(keyOf(q));
    }
  };
  const monitor = new QuotaMonitor({ client: deps.client, factory: deps.factory, discover: deps.discover, onRelease, now });

  quotas.addEventHandler({
    onAdd: (q) => queue.add(keyOf(q)),
    // Only spec.hard drives the status; status writes (admission's charges) need no recount.
    onUpdate: (oldQ, q) => { if (!equals(hardOf(oldQ), hardOf(q))) queue.add(keyOf(q)); },
  });

  async function sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = quotas.lister.get(namespace, name);
    if (!cached) return;
    const quota = cached as unknown as ResourceQuota;
    const hard = parseResourceList(quota.spec?.hard);
    const statusHard = quota.status?.hard ? parseResourceList(quota.status.hard) : undefined;
    const previous = parseResourceList(quota.status?.used);
    let dirty = !statusHard || !equals(hard, statusHard) || !quota.status?.used;

    const sources = await monitor.sourcesFor(hard.keys());
    if (!sources) throw new RequeueAfter(notSyncedRetryMs, `quota ${key}: the informers of counted resources have not synced`);
    const { used: observed, errors } = calculateUsage(quota, hard, sources, now());
    // Past observations are kept for resources nothing counted this time; only limited resources stay.
    const used = mask(new Map([...previous, ...observed]), hard.keys());
    dirty ||= !equals(used, previous);
    if (dirty) {
      const body = { ...structuredClone(cached), status: { hard: toWire(hard), used: toWire(used) } };
      try {
        await deps.client.request('PUT', `/api/v1/namespaces/${encodeURIComponent(namespace)}/resourcequotas/${encodeURIComponent(name)}/status`, body);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return;
        throw err;
      }
    }
    if (errors.length > 0) throw new Error(`quota ${key}: ${errors.map(String).join('; ')}`);
  }

  return {
    sync,
    async run(signal: AbortSignal): Promise<void> {
      monitor.start(signal);
      if (!(await quotas.whenSynced(signal))) return;
      // A full recount of every quota now and then repairs what events missed (enqueueAll).
      const resync = setInterval(() => { for (const q of quotas.lister.list()) queue.add(keyOf(q)); }, deps.resyncPeriodMs ?? defaultResyncPeriodMs);
      try {
        await runWorkers('resourcequota', queue, sync, log, deps.workers ?? 5, signal);
      } finally {
        clearInterval(resync);
      }
    },
  };
}
