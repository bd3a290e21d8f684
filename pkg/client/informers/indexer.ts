/**
 * The informer's local cache: objects by `namespace/name` key plus named secondary indices, after
 * client-go tools/cache/thread_safe_store.go and tools/cache/index.go. Single-threaded JavaScript
 * needs no lock; every mutation updates the items and all indices before it returns.
 *
 * The store keeps the objects it is given, it does not copy them: callers (the shared informer)
 * freeze what they put in, and everything read out must be treated as read-only.
 */
import { metaNamespaceKey } from './keys.ts';
import type { InformerObject } from './types.ts';

/** Values an object is indexed under (e.g. its namespace, its spec.nodeName, its owners' uids). */
export type IndexFunc<T> = (obj: T) => readonly string[];
/** Index functions by index name. */
export type Indexers<T> = Readonly<Record<string, IndexFunc<T>>>;

/** Name of the built-in index by namespace (client-go cache.NamespaceIndex). */
export const namespaceIndex = 'namespace';

/** client-go MetaNamespaceIndexFunc: one value, the namespace ('' for cluster-scoped objects). */
export function metaNamespaceIndexFunc(obj: InformerObject): string[] {
  return [obj.metadata?.namespace ?? ''];
}

/** What a replace changed, for the informer to turn into notifications. */
export interface ReplaceResult<T> {
  added: T[];
  /** Objects present before and after whose resourceVersion differs. */
  updated: { oldObj: T; newObj: T }[];
  /** Objects no longer present, with their keys. */
  deleted: { key: string; obj: T }[];
}

export class Indexer<T extends InformerObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → indexed value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers(indexers);
  }

  /**
   * Adds index functions and indexes the current items under them. The same function under the
   * same name again is a no-op; a different function under a taken name throws.
   */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const existing = this.indexers.get(name);
      if (existing === fn) continue;
      if (existing) throw new Error(`indexer conflict: ${name}`);
      this.indexers.set(name, fn);
      this.indices.set(name, new Map());
      for (const [key, obj] of this.items) this.indexUnder(name, fn(obj), key);
    }
  }

  /** Inserts or replaces the object under its key; returns the object it replaced. */
  upsert(obj: T): T | undefined {
    const key = metaNamespaceKey(obj);
    const old = this.items.get(key);
    this.items.set(key, obj);
    this.reindex(key, old, obj);
    return old;
  }

  /** Removes the object with this key; returns what was stored. */
  deleteKey(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    this.reindex(key, old, undefined);
    return old;
  }

  /**
   * Makes the store hold exactly `objs` and reports the difference: objects with a new key are
   * added, ones whose resourceVersion changed are updated, missing ones are deleted. Objects with
   * an unchanged resourceVersion are stored too but reported nowhere (client-go delivers them as
   * resync notifications only, which we do not configure).
   */
  replace(objs: readonly T[]): ReplaceResult<T> {
    const result: ReplaceResult<T> = { added: [], updated: [], deleted: [] };
    const seen = new Set<string>();
    for (const obj of objs) {
      seen.add(metaNamespaceKey(obj));
      const old = this.upsert(obj);
      if (old === undefined) result.added.push(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) result.updated.push({ oldObj: old, newObj: obj });
    }
    for (const [key, obj] of [...this.items]) {
      if (seen.has(key)) continue;
      this.deleteKey(key);
      result.deleted.push({ key, obj });
    }
    return result;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Objects indexed under `value` by the named index; throws when no such index exists. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((key) => this.items.get(key)!);
  }

  /** Keys indexed under `value` by the named index; throws when no such index exists. */
  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`Index with name ${indexName} does not exist`);
    return [...(index.get(value) ?? [])];
  }

  private reindex(key: string, oldObj: T | undefined, newObj: T | undefined): void {
    for (const [name, fn] of this.indexers) {
      if (oldObj !== undefined) this.unindexFrom(name, fn(oldObj), key);
      if (newObj !== undefined) this.indexUnder(name, fn(newObj), key);
    }
  }

  private indexUnder(name: string, values: readonly string[], key: string): void {
    const index = this.indices.get(name)!;
    for (const value of values) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindexFrom(name: string, values: readonly string[], key: string): void {
    const index = this.indices.get(name)!;
    for (const value of values) {
      const keys = index.get(value);
      if (!keys) continue;
      keys.delete(key);
      // Drop empty sets so an index over a high-churn value (pod uids) does not grow forever.
      if (keys.size === 0) index.delete(value);
    }
  }
}
