/**
 * Builds one GenericStore per resource-table entry, wiring each to its strategy and I/O hooks.
 * The apiserver looks stores up here; nothing else constructs them.
 */
import type { KubeObject } from '../api/index.ts';
import type { FieldError } from '../apierrors/index.ts';
import { resourceTable, resourceKey, type ResourceEntry } from '../resources/index.ts';
import type { EtcdStore } from '../storage/etcd/index.ts';
import { GenericStore, type StoreHooks } from './generic/store.ts';
import { defaultMetaSources, type MetaSources } from './generic/object-meta.ts';
import { strategyFor } from './strategies.ts';
import { restKey, type RestObject } from './rest.ts';
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

export class Registry {
  private readonly stores = new Map<string, GenericStore>();
  private readonly rests = new Map<string, RestObject>();
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
    const hooksFor: Record<string, StoreHooks> = { services: serviceHooks };
    for (const entry of resourceTable) {
      if (!entry.stored) continue;
      const key = resourceKey(entry);
      this.stores.set(key, new GenericStore(entry, strategyFor(entry.group, entry.plural), {
        etcd: cfg.etcd,
        meta: cfg.meta ?? defaultMetaSources,
        schemaErrors: cfg.schemaErrors,
        watchCacheSize: cfg.watchCacheSize,
      }, hooksFor[key]));
    }
  }

  store(entry: Pick<ResourceEntry, 'group' | 'plural'>): GenericStore {
    const s = this.stores.get(resourceKey(entry));
    if (!s) throw new Error(`no store for ${resourceKey(entry)}`);
    return s;
  }

  /** Serves a non-stored resource, or a subresource, with code (reviews, TokenRequest, pods/log, metrics). */
  registerRest(entry: Pick<ResourceEntry, 'group' | 'plural'>, subresource: string, rest: RestObject): void {
    this.rests.set(restKey(resourceKey(entry), subresource), rest);
  }

  rest(entry: Pick<ResourceEntry, 'group' | 'plural'>, subresource = ''): RestObject | undefined {
    return this.rests.get(restKey(resourceKey(entry), subresource));
  }

  all(): GenericStore[] {
    return [...this.stores.values()];
  }

  async startCaches(): Promise<void> {
    await Promise.all(this.all().map((s) => s.cache.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((s) => s.cache.stop()));
  }
}
