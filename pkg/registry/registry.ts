/**
 * Builds one GenericStore per resource-table entry, wiring each to its strategy and I/O hooks.
 * The apiserver looks stores up here; nothing else constructs them.
 */
import type { KubeObject } from '../api/index.ts';
import type { FieldError } from '../apierrors/index.ts';
import { resourceTable, resourceKey, type ResourceEntry } from '../resources/index.ts';
import type { EtcdStore } from '../storage/etcd/index.ts';
import { GenericStore, type NamespaceState, type StoreHooks } from './generic/store.ts';
import { defaultMetaSources, type MetaSources } from './generic/object-meta.ts';
import { strategyFor } from './strategies.ts';
import { allocateServiceAddresses, releaseServiceAddresses, releaseServiceAddressesNotIn, type Reservations } from './core/service/ip-allocator.ts';

export interface RegistryConfig {
  etcd: EtcdStore;
  serviceCIDR: string;
  nodePortRange: [number, number];
  schemaErrors: (entry: ResourceEntry, obj: KubeObject) => FieldError[];
  meta?: MetaSources;
  /** Window of each resource's watch cache, in events (tests shrink it to reach 410 quickly). */
  watchCacheSize?: number;
}

/** How long a namespace deleted through this server is read live (the real plugin's forceLiveLookupTTL). */
const liveLookupTtlMs = 30_000;

export class Registry {
  private readonly stores = new Map<string, GenericStore>();
  /**
   * Namespaces this server was asked to delete, until when (ms): their cached state may lag, so
   * they are read from etcd (the NamespaceLifecycle plugin's forceLiveLookupCache).
   */
  private readonly liveLookups = new Map<string, number>();
  readonly etcd: EtcdStore;

  constructor(cfg: RegistryConfig) {
    this.etcd = cfg.etcd;
    const reservations: Reservations = {
      reserve: async (key) => {
        try {
          await cfg.etcd.create(`/ranges/serviceallocations/${key}`, Buffer.from('1'));
          return true;
        } catch {
          return false;
        }
      },
      release: async (key) => { await cfg.etcd.deleteKey(`/ranges/serviceallocations/${key}`); },
    };
    const serviceHooks: StoreHooks = {
      beforeCreate: (obj) => allocateServiceAddresses(obj, undefined, { serviceCIDR: cfg.serviceCIDR, nodePortRange: cfg.nodePortRange }, reservations),
      beforeUpdate: (obj, old) => allocateServiceAddresses(obj, old, { serviceCIDR: cfg.serviceCIDR, nodePortRange: cfg.nodePortRange }, reservations),
      rollback: async (obj, old) => { if (old) await releaseServiceAddressesNotIn(obj, old, reservations); else await releaseServiceAddresses(obj, reservations); },
      afterDelete: (obj) => releaseServiceAddresses(obj, reservations),
    };
    const namespaceHooks: StoreHooks = {
      deleteRequested: (obj) => { this.liveLookups.set(obj.metadata.name ?? '', Date.now() + liveLookupTtlMs); },
    };
    const hooksFor: Record<string, StoreHooks> = { services: serviceHooks, namespaces: namespaceHooks };
    for (const entry of resourceTable) {
      const key = resourceKey(entry);
      this.stores.set(key, new GenericStore(entry, strategyFor(entry.group, entry.plural), {
        etcd: cfg.etcd,
        meta: cfg.meta ?? defaultMetaSources,
        schemaErrors: cfg.schemaErrors,
        namespaceState: (ns) => this.namespaceState(ns),
        watchCacheSize: cfg.watchCacheSize,
      }, hooksFor[key]));
    }
  }

  store(entry: Pick<ResourceEntry, 'group' | 'plural'>): GenericStore {
    const s = this.stores.get(resourceKey(entry));
    if (!s) throw new Error(`no store for ${resourceKey(entry)}`);
    return s;
  }

  all(): GenericStore[] {
    return [...this.stores.values()];
  }

  /** Reads the namespace through its watch cache, falling back to etcd when the cache has not seen it yet. */
  async namespaceState(namespace: string): Promise<NamespaceState> {
    const namespaces = this.store({ group: '', plural: 'namespaces' });
    await namespaces.cache.start();
    const liveUntil = this.liveLookups.get(namespace);
    if (liveUntil !== undefined && liveUntil < Date.now()) this.liveLookups.delete(namespace);
    let ns = liveUntil !== undefined && liveUntil >= Date.now() ? undefined : namespaces.cache.get(namespaces.key(undefined, namespace));
    if (!ns) {
      try {
        ns = await namespaces.get(undefined, namespace);
      } catch {
        return 'Missing';
      }
    }
    const phase = (ns.status as { phase?: string } | undefined)?.phase;
    return ns.metadata.deletionTimestamp || phase === 'Terminating' ? 'Terminating' : 'Active';
  }

  async startCaches(): Promise<void> {
    await Promise.all(this.all().map((s) => s.cache.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((s) => s.cache.stop()));
  }
}
