/**
 * Bindings by subject, so authorizing a request looks at the bindings of its user and groups
 * only, never at every binding. Fed with watch-cache events: each put replaces the binding's
 * entries, each delete removes them. Role bindings are indexed per namespace.
 */
import type { ClusterRoleBinding, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { UserInfo } from '../user.ts';
import { subjectKey, userKeys } from './subjects.ts';

export type Binding = RoleBinding | ClusterRoleBinding;

export class BindingIndex {
  /** Storage key → binding (the cache's object: shared, never mutated). */
  private readonly bindings = new Map<string, Binding>();
  /** Storage key → the index cells it sits in, to undo a put. */
  private readonly cellsOf = new Map<string, string[]>();
  /** "<namespace>\0<subject key>" → storage keys; namespace is "" for ClusterRoleBindings. */
  private readonly cells = new Map<string, Set<string>>();

  get size(): number {
    return this.bindings.size;
  }

  put(key: string, binding: Binding): void {
    this.delete(key);
    const ns = binding.metadata?.namespace ?? '';
    const cells = new Set<string>();
    for (const s of binding.subjects ?? []) {
      const k = subjectKey(s, ns);
      if (k !== undefined) cells.add(`${ns}\u0000${k}`);
    }
    this.bindings.set(key, binding);
    this.cellsOf.set(key, [...cells]);
    for (const c of cells) {
      let set = this.cells.get(c);
      if (!set) this.cells.set(c, set = new Set());
      set.add(key);
    }
  }

  delete(key: string): void {
    for (const c of this.cellsOf.get(key) ?? []) {
      const set = this.cells.get(c);
      set?.delete(key);
      if (set?.size === 0) this.cells.delete(c);
    }
    this.cellsOf.delete(key);
    this.bindings.delete(key);
  }

  clear(): void {
    this.bindings.clear();
    this.cellsOf.clear();
    this.cells.clear();
  }

  /**
   * Bindings in `namespace` ("" for cluster bindings) naming the user, one of its groups, or (as
   * its user name) its service account. Callers still check the subjects: the index only narrows.
   */
  lookup(user: UserInfo, namespace: string): Binding[] {
    const keys = new Set<string>();
    for (const k of userKeys(user)) {
      for (const key of this.cells.get(`${namespace}\u0000${k}`) ?? []) keys.add(key);
    }
    // Storage-key order, so reasons and rule lists do not depend on event order.
    return [...keys].sort().map((k) => this.bindings.get(k)!).filter((b) => b !== undefined);
  }
}
