/**
 * How admission plugins read other objects: the watch cache (upstream: the informer's lister),
 * then storage, since an object created a moment ago may not be cached yet. Only NotFound means
 * "not there"; any other storage error is passed on.
 */
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { GenericStore } from '../../registry/generic/store.ts';

export async function cachedOrLive(store: GenericStore, namespace: string | undefined, name: string,
  opts: { live?: boolean } = {}): Promise<KubeObject | undefined> {
  if (!opts.live) {
    await store.cache.start();
    const cached = store.cache.get(store.key(namespace, name));
    if (cached) return cached;
  }
  return liveGet(store, namespace, name);
}

/** Storage only; undefined for NotFound. */
export async function liveGet(store: GenericStore, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
  try {
    return await store.get(namespace, name);
  } catch (err) {
    if (apierrors.isStatusError(err) && err.code === 404) return undefined;
    throw err;
  }
}
