/**
 * ResourceQuota (plugin/pkg/admission/resourcequota and k8s.io/apiserver admission/plugin/
 * resourcequota): a create or update in a namespace with quotas is checked against every quota
 * whose status.hard (set by the quota controller) tracks a resource the object consumes; it is
 * refused when it would exceed one, otherwise the quotas' status.used is raised with a
 * compare-and-swap before the object is written. The controller later recounts, releasing what
 * deletes and failed writes left behind. Dry runs are checked but never charged.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import * as apierrors from '../../apierrors/index.ts';
import { deepCopy, type KubeObject } from '../../api/index.ts';
import { checkRequest, QuotaDenied } from '../../quota/check.ts';
import { toWire, type ResourceList } from '../../quota/quantity.ts';
import { evaluatorFor, isIgnoredResource } from '../../quota/registry.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';

/** How long an empty live lookup of a namespace's quotas is trusted (liveLookupCache TTL). */
const liveLookupTtlMs = 30_000;
/** Rounds of reloading quotas after a lost compare-and-swap (upstream's evaluator retries 3 times). */
const maxRetries = 3;

export function resourceQuota(deps: AdmissionDeps): AdmissionPlugin {
  const quotas = deps.registry.store({ group: '', plural: 'resourcequotas' });
  const liveEmpty = new Map<string, number>();
  /** Quotas this server wrote last, newer than its cache may be yet (upstream's updatedQuotas LRU). */
  const written = new Map<string, KubeObject>();
  /** Requests of one namespace are checked one at a time, as upstream's per-namespace work queue does. */
  const busy = new Map<string, Promise<void>>();

  const newest = (q: KubeObject): KubeObject => {
    const key = `${q.metadata.namespace}/${q.metadata.name}`;
    const w = written.get(key);
    if (w && w.metadata.uid === q.metadata.uid && Number(w.metadata.resourceVersion) > Number(q.metadata.resourceVersion)) return w;
    if (w) written.delete(key);
    return q;
  };

  async function quotasIn(namespace: string, live: boolean): Promise<KubeObject[]> {
    if (live) return (await quotas.list({ namespace })).items.map((q) => ({ ...q, metadata: { ...q.metadata, namespace } }));
    await quotas.cache.start();
    const cached = quotas.cache.inNamespace(namespace);
    if (cached.length > 0) return cached.map(newest);
    // None cached: the quota may have been created a moment ago; look once in storage.
    const until = liveEmpty.get(namespace);
    if (until !== undefined && until > Date.now()) return [];
    const items = await quotasIn(namespace, true);
    if (items.length === 0) {
      if (liveEmpty.size > 10_000) liveEmpty.clear();
      liveEmpty.set(namespace, Date.now() + liveLookupTtlMs);
    }
    return items;
  }

  /** Writes status.used if the quota is unchanged since it was read; false when it changed. */
  async function charge(q: KubeObject, used: ResourceList): Promise<boolean> {
    const ns = q.metadata.namespace!;
    const name = q.metadata.name!;
    try {
      const { object } = await quotas.update(ns, name, (current) => {
        if (!current) throw apierrors.notFound('', 'resourcequotas', name);
        const next = deepCopy(current);
        next.metadata.resourceVersion = q.metadata.resourceVersion;
        next.status = { ...(next.status as object), used: toWire(used) };
        return next;
      }, { subresource: 'status' });
      written.set(`${ns}/${name}`, object);
      return true;
    } catch (err) {
      if (apierrors.isStatusError(err) && (err.code === 409 || err.code === 404)) return false;
      throw err;
    }
  }

  async function admit(a: AdmissionAttributes): Promise<void> {
    const op = a.operation as 'CREATE' | 'UPDATE';
    const evaluator = evaluatorFor({ group: a.entry.group, resource: a.entry.plural });
    if (!evaluator.handles(op) || !a.object) return;
    const request = { operation: op, object: a.object, oldObject: a.oldObject };
    let candidates = await quotasIn(a.namespace, false);
    for (let attempt = 0; candidates.length > 0; attempt++) {
      let charged: Map<number, ResourceList>;
      try {
        charged = checkRequest(candidates as unknown as ResourceQuota[], request, evaluator, deps.now());
      } catch (err) {
        if (err instanceof QuotaDenied) throw apierrors.forbidden(a.entry.group, a.entry.plural, resourceName(a), err.message);
        throw err;
      }
      if (a.dryRun || charged.size === 0) return;
      const failed = new Set<string>();
      for (const [i, used] of charged) {
        const q = candidates[i]!;
        if (!(await charge(q, used))) failed.add(q.metadata.name!);
      }
      if (failed.size === 0) return;
      if (attempt >= maxRetries) {
        const name = [...failed][0]!;
        throw apierrors.conflict('', 'resourcequotas', name);
      }
      // Only the quotas that lost the race are checked again, against their stored state.
      candidates = (await quotasIn(a.namespace, true)).filter((q) => failed.has(q.metadata.name!));
    }
  }

  return {
    name: 'ResourceQuota',
    operations: ['CREATE', 'UPDATE'],
    async validate(a) {
      // Subresources (status, scale, binding…) and cluster-scoped objects never charge quota.
      if (a.subresource || !a.namespace || !a.entry.namespaced) return;
      if (isIgnoredResource({ group: a.entry.group, resource: a.entry.plural })) return;
      const op = a.operation as 'CREATE' | 'UPDATE';
      if (!evaluatorFor({ group: a.entry.group, resource: a.entry.plural }).handles(op)) return;
      // Most namespaces have no quota: answer those without queueing behind other requests.
      if ((await quotasIn(a.namespace, false)).length === 0) return;
      const previous = busy.get(a.namespace) ?? Promise.resolve();
      const run = previous.then(() => admit(a));
      const tail = run.catch(() => {});
      busy.set(a.namespace, tail);
      try {
        await run;
      } finally {
        if (busy.get(a.namespace) === tail) busy.delete(a.namespace);
      }
    },
  };
}

/** admission.NewForbidden's name: the request's, else the object's name or generateName, else "Unknown". */
function resourceName(a: AdmissionAttributes): string {
  return a.name || a.object?.metadata.name || a.object?.metadata.generateName || 'Unknown';
}
