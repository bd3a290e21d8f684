/**
 * The informers the quota controller counts with (pkg/controller/resourcequota/resource_quota_monitor.go):
 * one per served, namespaced resource that supports create, list, watch and delete, taken from
 * discovery (refreshed periodically, so new resources are found). Unlike upstream, a monitor is
 * started only once some quota limits a resource of its kind: clusters without quotas watch nothing
 * extra. Deletions, and updates that lower usage (a pod turning terminal, a service changing type),
 * are reported so the quotas of that namespace are recounted.
 */
import type { KubeObject } from '../../api/index.ts';
import { discoverResources, type DiscoveredResource } from '../../client/discovery.ts';
import { finalStateOf, type ResourceRef, type SharedIndexInformer, type SharedInformerFactory } from '../../client/informers/index.ts';
import type { RestClient } from '../../client/rest-client.ts';
import { evaluatorFor, isIgnoredResource } from '../../quota/registry.ts';
import type { Evaluator, GroupResource } from '../../quota/types.ts';
import type { UsageSource } from '../../quota/usage.ts';

const requiredVerbs = ['create', 'list', 'watch', 'delete'];

interface Monitor {
  evaluator: Evaluator;
  informer: SharedIndexInformer<KubeObject>;
}

export interface QuotaMonitorDeps {
  client: RestClient;
  factory: SharedInformerFactory;
  discover?: () => Promise<DiscoveredResource[]>;
  /** How long discovery results are reused (upstream re-discovers every 30 s). */
  discoveryTtlMs?: number;
  /** Called when `gr` objects of `namespace` were deleted or released usage. */
  onRelease(gr: GroupResource, namespace: string): void;
  now(): Date;
}

/** A resource quota can count: its group/resource and the ref to watch it by. */
interface Quotable { gr: GroupResource; ref: ResourceRef }

export class QuotaMonitor {
  private readonly monitors = new Map<string, Monitor>();
  private quotable: Quotable[] = [];
  private discoveredAt = 0;
  private signal?: AbortSignal;

  constructor(private readonly deps: QuotaMonitorDeps) {}

  /** Informers added from now on start with `signal` (the leader's). */
  start(signal: AbortSignal): void {
    this.signal = signal;
  }

  private async quotableResources(): Promise<Quotable[]> {
    if (Date.now() - this.discoveredAt < (this.deps.discoveryTtlMs ?? 30_000)) return this.quotable;
    const found = await (this.deps.discover ?? (() => discoverResources(this.deps.client)))();
    this.quotable = found.filter((r) => r.namespaced && requiredVerbs.every((v) => r.verbs.includes(v))).flatMap((r) => {
      const [group, version] = r.groupVersion.includes('/') ? r.groupVersion.split('/') as [string, string] : ['', r.groupVersion];
      const gr = { group, resource: r.name };
      if (isIgnoredResource(gr)) return [];
      return [{ gr, ref: { group, version, resource: r.name, namespaced: true } }];
    });
    this.discoveredAt = Date.now();
    return this.quotable;
  }

  /**
   * Sources for the resources `hard` limits, their informers started and synced. Resolves
   * undefined when some informer did not sync within `timeoutMs` (the caller retries).
   */
  async sourcesFor(hard: Iterable<string>, timeoutMs = 30_000): Promise<UsageSource[] | undefined> {
    const names = [...hard];
    const needed: Monitor[] = [];
    for (const q of await this.quotableResources()) {
      const evaluator = evaluatorFor(q.gr);
      if (evaluator.matchingResources(names).length === 0) continue;
      needed.push(this.monitorFor(q, evaluator));
    }
    const signal = this.signal;
    if (!signal) return undefined;
    this.deps.factory.start(signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const either = AbortSignal.any([signal, timeout]);
    const synced = await Promise.all(needed.map((m) => m.informer.whenSynced(either)));
    if (!synced.every(Boolean)) return undefined;
    return needed.map((m) => ({ evaluator: m.evaluator, list: (ns: string) => m.informer.lister.list(ns) }));
  }

  private monitorFor(q: Quotable, evaluator: Evaluator): Monitor {
    const key = `${q.gr.group}/${q.gr.resource}`;
    let m = this.monitors.get(key);
    if (m) return m;
    const informer = this.deps.factory.informerFor<KubeObject>(q.ref);
    const release = (obj: KubeObject) => { if (obj.metadata?.namespace) this.deps.onRelease(q.gr, obj.metadata.namespace); };
    informer.addEventHandler({
      onUpdate: (oldObj, newObj) => { if (evaluator.updateReleases?.(oldObj, newObj, this.deps.now())) release(newObj); },
      onDelete: (obj) => release(finalStateOf(obj)),
    });
    m = { evaluator, informer };
    this.monitors.set(key, m);
    return m;
  }
}
