/**
 * Read access to an informer's cache, after client-go tools/cache/listers.go (ListAll,
 * ListAllByNamespace, GenericLister). Every object returned is the cached, frozen instance:
 * copy it (structuredClone) before changing it, and never send it back expecting it to be fresh.
 */
import { parseLabelSelector, type LabelSelector } from '../../api/selectors/index.ts';
import { namespaceIndex, type Indexer } from './indexer.ts';
import type { InformerObject } from './types.ts';

export interface Lister<T> {
  /**
   * Cached objects, in no particular order: all of them, or those of one namespace, optionally
   * filtered by a label selector (string form as in `?labelSelector=`, or a parsed one). A bad
   * selector string throws the apiserver's 400 StatusError.
   */
  list(namespace?: string, labelSelector?: string | LabelSelector): T[];
  /** The cached object, or undefined; use namespace '' for cluster-scoped resources. */
  get(namespace: string, name: string): T | undefined;
  /** Objects under `value` in a named index; throws when the index does not exist. */
  byIndex(indexName: string, value: string): T[];
}

/** A lister over an indexer; it reads the indexer's current state on every call. */
export function newLister<T extends InformerObject>(indexer: Indexer<T>): Lister<T> {
  return {
    list(namespace, labelSelector) {
      const objs = namespace ? indexer.byIndex(namespaceIndex, namespace) : indexer.list();
      if (labelSelector === undefined || labelSelector === '') return objs;
      const selector = typeof labelSelector === 'string' ? parseLabelSelector(labelSelector) : labelSelector;
      if (selector.empty) return objs;
      return objs.filter((o) => selector.matches(o.metadata?.labels));
    },
    get(namespace, name) {
      return indexer.get(namespace ? `${namespace}/${name}` : name);
    },
    byIndex(indexName, value) {
      return indexer.byIndex(indexName, value);
    },
  };
}
