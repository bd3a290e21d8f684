/**
 * Looks up the objects a token names: from the watch cache first, then from storage (a token issued
 * a moment ago may name an object the cache has not seen yet), as upstream's cached getter does.
 */
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { Registry } from '../../registry/registry.ts';

export interface ObjectGetter {
  /** The object, or a NotFound StatusError. */
  get(resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', namespace: string, name: string): Promise<KubeObject>;
}

export function registryGetter(registry: Registry): ObjectGetter {
  return {
    async get(resource, namespace, name) {
      const store = registry.store({ group: '', plural: resource });
      if (!name) throw apierrors.badRequest('Name parameter required.');
      await store.cache.start();
      const cached = store.cache.get(store.key(namespace || undefined, name));
      if (cached) return cached;
      return store.get(namespace || undefined, name);
    },
  };
}
