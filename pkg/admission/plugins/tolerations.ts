/**
 * pkg/util/tolerations MergeTolerations: the union of two toleration lists in which a toleration
 * that another one already covers (a superset) is dropped; of two equal ones the first is kept.
 */
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { isDeepStrictEqual } from 'node:util';

/** Semantic equality: an absent field equals its zero value. */
function same(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '')
    && (a.effect ?? '') === (b.effect ?? '') && isDeepStrictEqual(a.tolerationSeconds ?? null, b.tolerationSeconds ?? null);
}

/** isSuperset: ss tolerates everything t tolerates. */
function isSuperset(ss: Toleration, t: Toleration): boolean {
  if (same(t, ss)) return true;
  if ((t.key ?? '') !== (ss.key ?? '') && ((ss.key ?? '') !== '' || ss.operator !== 'Exists')) return false;
  if ((t.effect ?? '') !== (ss.effect ?? '') && (ss.effect ?? '') !== '') return false;
  if (ss.effect === 'NoExecute' && ss.tolerationSeconds !== undefined && ss.tolerationSeconds !== null) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null || t.tolerationSeconds > ss.tolerationSeconds) return false;
  }
  switch (ss.operator ?? '') {
    case 'Equal':
    case '':
      return t.operator === 'Equal' && (t.value ?? '') === (ss.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function mergeTolerations(first: readonly Toleration[], second: readonly Toleration[]): Toleration[] {
  const all = [...first, ...second];
  const merged: Toleration[] = [];
  all.forEach((t, i) => {
    if (merged.some((m) => isSuperset(m, t))) return;
    if (all.slice(i + 1).some((t2) => !same(t, t2) && isSuperset(t2, t))) return;
    merged.push(t);
  });
  return merged;
}
