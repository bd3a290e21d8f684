/**
 * ClusterRole aggregation (pkg/controller/clusterroleaggregation): a ClusterRole with an
 * aggregationRule holds the union of the rules of the ClusterRoles its selectors match. Any
 * ClusterRole change may change some union, so every change enqueues every aggregated role, as
 * upstream does; sync recomputes from the lister and writes only when the rules differ.
 */
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import type { SharedIndexInformer } from '../../client/informers/index.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { logger } from '../../util/log.ts';
import { runWorkers } from '../controller.ts';
import { aggregatedRules, rulesEqual } from './aggregate.ts';

const log = logger('kube-controller-manager');

export interface ClusterRoleAggregationDeps {
  client: RestClient;
  clusterRoles: SharedIndexInformer<ClusterRole & { metadata: NonNullable<ClusterRole['metadata']> }>;
  workers?: number;
}

export function newClusterRoleAggregationController(deps: ClusterRoleAggregationDeps) {
  const queue = new WorkQueue(5, 30_000);
  const { client, clusterRoles } = deps;

  const enqueueAll = () => {
    for (const c of clusterRoles.lister.list()) if (c.aggregationRule && c.metadata.name) queue.add(c.metadata.name);
  };
  clusterRoles.addEventHandler({ onAdd: enqueueAll, onUpdate: enqueueAll, onDelete: enqueueAll });

  async function sync(name: string): Promise<void> {
    const role = clusterRoles.lister.get('', name);
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, clusterRoles.lister.list());
    if (rulesEqual(rules, role.rules)) return;
    // Upstream applies server-side and falls back to an update; an update with the cached
    // resourceVersion is refused on conflict and retried from a fresher cache.
    const body = { ...structuredClone(role), rules };
    try {
      await client.request('PUT', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${encodeURIComponent(name)}`, body);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    log.info('aggregated clusterrole', { controller: 'clusterrole-aggregation', name, rules: rules.length });
  }

  return {
    sync,
    async run(signal: AbortSignal): Promise<void> {
      if (!(await clusterRoles.whenSynced(signal))) return;
      await runWorkers('clusterrole-aggregation', queue, sync, log, deps.workers ?? 5, signal);
    },
  };
}
