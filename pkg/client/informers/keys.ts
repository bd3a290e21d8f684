/**
 * Store keys, after client-go tools/cache/store.go (MetaNamespaceKeyFunc,
 * SplitMetaNamespaceKey): `namespace/name`, or `name` for cluster-scoped objects.
 */
import type { InformerObject } from './types.ts';

/** The key of an object; throws when it has no name (the apiserver never sends one without). */
export function metaNamespaceKey(obj: InformerObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** The inverse of metaNamespaceKey; throws on a key with more than one '/'. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: key };
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  throw new Error(`unexpected key format: "${key}"`);
}
