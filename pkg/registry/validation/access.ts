/** Small accessors strategies share to read and write the untyped parts of a KubeObject. */
import type { KubeObject } from '../../api/index.ts';

/** obj[key] as an object, created (and attached) when absent or not an object. */
export function ensureObject<T extends object>(obj: Record<string, unknown> | KubeObject, key: string): T {
  const cur = obj[key];
  if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) return cur as T;
  const created = {} as T;
  (obj as Record<string, unknown>)[key] = created;
  return created;
}

/** obj[key] as an object when it is one; undefined otherwise (never creates). */
export function objectAt<T extends object>(obj: Record<string, unknown> | KubeObject | undefined, key: string): T | undefined {
  const cur = obj?.[key];
  return cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? cur as T : undefined;
}

/** Sets each listed numeric status field to 0 when absent: Go serializes these non-omitempty zeros. */
export function fillZeros(target: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of keys) if (typeof target[k] !== 'number') target[k] = 0;
}
