/**
 * Deep freezing of cached objects: what an informer hands out is shared by every handler and
 * lister caller of the process, so an accidental write must fail loudly (ES modules run in strict
 * mode, where assigning to a frozen property throws) instead of corrupting the cache.
 */

/** Freezes `value` and everything reachable from it; returns it. Already-frozen parts are skipped. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value as object)) deepFreeze(child);
  return value;
}
