/**
 * The RBAC rule resolver (DefaultRuleResolver in pkg/registry/rbac/validation/rule.go) over the
 * apiserver's own watch caches: the bindings are kept in a BindingIndex fed by cache events, and
 * roles are read from their cache by key. One resolver per registry, shared by the RBAC
 * authorizer and the escalation check (see rbacResolverFor).
 */
import type { ClusterRole, PolicyRule, Role, RoleRef } from 'kubernetes-types/rbac/v1.js';
import { goQuote } from '../../apierrors/index.ts';
import type { Registry } from '../../registry/registry.ts';
import type { WatchCache } from '../../storage/cacher/index.ts';
import type { UserInfo } from '../user.ts';
import { BindingIndex, type Binding } from './binding-index.ts';
import { describeSubject, firstApplyingSubject } from './subjects.ts';

export const rbacGroup = 'rbac.authorization.k8s.io';

/** Describes where a rule came from, for allow reasons; called only when needed. */
export type RuleSource = () => string;

/** Return false to stop visiting. */
export type RuleVisitor = (source: RuleSource | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean;

interface Caches {
  clusterRoles: WatchCache;
  roles: WatchCache;
  key: (kind: 'Role' | 'ClusterRole', namespace: string, name: string) => string;
}

/** Watches one cache into an index and re-subscribes when the cache restarts after a failure. */
function follow(cache: WatchCache, index: BindingIndex): Promise<void> {
  const subscribe = async (): Promise<void> => {
    await cache.start();
    const { initial } = cache.watch(undefined, {
      deliver: (e) => {
        if (e.type === 'DELETED') index.delete(e.key);
        else index.put(e.key, e.object as unknown as Binding);
      },
      fail: () => {
        // The cache drops its watchers and re-lists; follow it once it is back.
        const retry = (): void => { subscribe().catch(() => { setTimeout(retry, 1000).unref(); }); };
        setTimeout(retry, 1000).unref();
      },
    });
    index.clear();
    for (const o of initial) {
      const b = o as unknown as Binding;
      index.put(keyOf(cache, b), b);
    }
  };
  return subscribe();
}

function keyOf(cache: WatchCache, b: Binding): string {
  const ns = b.metadata?.namespace;
  return ns ? `${cache.prefix}${ns}/${b.metadata?.name ?? ''}` : `${cache.prefix}${b.metadata?.name ?? ''}`;
}

export class RuleResolver {
  private readonly clusterBindings = new BindingIndex();
  private readonly roleBindings = new BindingIndex();
  private readonly caches: Caches;
  private readonly ready: Promise<void>;
  private isReady = false;

  constructor(registry: Registry) {
    const store = (plural: string) => registry.store({ group: rbacGroup, plural });
    const roles = store('roles');
    const clusterRoles = store('clusterroles');
    this.caches = {
      roles: roles.cache,
      clusterRoles: clusterRoles.cache,
      key: (kind, ns, name) => kind === 'Role' ? roles.key(ns, name) : clusterRoles.key(undefined, name),
    };
    this.ready = Promise.all([
      follow(store('clusterrolebindings').cache, this.clusterBindings),
      follow(store('rolebindings').cache, this.roleBindings),
      roles.cache.start(),
      clusterRoles.cache.start(),
    ]).then(() => { this.isReady = true; });
    // Failures surface on the first waitReady(); do not crash the process meanwhile.
    this.ready.catch(() => undefined);
  }

  /** Resolves once every cache is listed; cheap after that. */
  async waitReady(): Promise<void> {
    if (!this.isReady) await this.ready;
  }

  /** GetRoleReferenceRules: the rules of the referenced role, or the lister's NotFound text. */
  roleReferenceRules(ref: RoleRef, namespace: string): { rules: PolicyRule[]; err?: string } {
    switch (ref.kind) {
      case 'Role': {
        const role = this.caches.roles.get(this.caches.key('Role', namespace, ref.name)) as unknown as Role | undefined;
        if (!role) return { rules: [], err: `role.${rbacGroup} ${goQuote(ref.name)} not found` };
        return { rules: role.rules ?? [] };
      }
      case 'ClusterRole': {
        const role = this.caches.clusterRoles.get(this.caches.key('ClusterRole', '', ref.name)) as unknown as ClusterRole | undefined;
        if (!role) return { rules: [], err: `clusterrole.${rbacGroup} ${goQuote(ref.name)} not found` };
        return { rules: role.rules ?? [] };
      }
      default:
        return { rules: [], err: `unsupported role reference kind: ${goQuote(ref.kind ?? '')}` };
    }
  }

  /**
   * VisitRulesFor: the rules of every ClusterRoleBinding naming the user, then (for a namespace)
   * of every RoleBinding there naming it. Call waitReady() first.
   */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    if (!this.visitBindings(user, this.clusterBindings.lookup(user, ''), '', 'ClusterRoleBinding', visit)) return;
    if (namespace) this.visitBindings(user, this.roleBindings.lookup(user, namespace), namespace, 'RoleBinding', visit);
  }

  private visitBindings(user: UserInfo, bindings: Binding[], namespace: string, kind: string, visit: RuleVisitor): boolean {
    for (const b of bindings) {
      const i = firstApplyingSubject(user, b.subjects, namespace);
      if (i < 0) continue;
      const { rules, err } = this.roleReferenceRules(b.roleRef, namespace);
      if (err !== undefined) {
        if (!visit(undefined, undefined, err)) return false;
        continue;
      }
      const subject = b.subjects![i]!;
      const name = namespace ? `${b.metadata?.name ?? ''}/${namespace}` : b.metadata?.name ?? '';
      const source = () => `${kind} ${goQuote(name)} of ${b.roleRef.kind} ${goQuote(b.roleRef.name)} to ${describeSubject(subject, namespace)}`;
      for (const r of rules) {
        if (!visit(source, r, undefined)) return false;
      }
    }
    return true;
  }

  /** RulesFor: every rule the user holds in the namespace, and the resolution errors met. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_s, rule, err) => {
      if (rule) rules.push(rule);
      if (err !== undefined) errors.push(err);
      return true;
    });
    return { rules, errors };
  }
}

const resolvers = new WeakMap<Registry, RuleResolver>();

/** The registry's one resolver, created (and its caches followed) on first use. */
export function rbacResolverFor(registry: Registry): RuleResolver {
  let r = resolvers.get(registry);
  if (!r) resolvers.set(registry, r = new RuleResolver(registry));
  return r;
}

/** The registry's resolver if RBAC authorization was set up for it (authorizersFor), else undefined. */
export function existingRbacResolver(registry: Registry): RuleResolver | undefined {
  return resolvers.get(registry);
}

/** utilerrors.NewAggregate(errs).Error(): one message as is, several deduplicated in brackets. */
export function aggregateMessage(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  if (errors.length === 1 || unique.length === 1) return unique[0] ?? '';
  return `[${unique.join(', ')}]`;
}
