/**
 * Writes the bootstrap policy at apiserver start (storage_rbac.go's PostStartHook): creates
 * what is missing and unions missing rules/subjects into defaults marked autoupdate "true".
 * Several apiservers may race: a lost create or update re-reads the object and decides again;
 * any other failure is thrown so start-up fails loudly instead of serving a half policy.
 */
import type { KubeObject } from '../../../api/index.ts';
import * as apierrors from '../../../apierrors/index.ts';
import type { Registry } from '../../../registry/registry.ts';
import type { GenericStore } from '../../../registry/generic/store.ts';
import { logger } from '../../../util/log.ts';
import { reconcileBinding, reconcileRole, type Reconciled } from './compute.ts';
import { bootstrapPolicy } from './policy.ts';

const log = logger('rbac-bootstrap');
const group = 'rbac.authorization.k8s.io';
/** Re-reads after losing a race before giving up on one object (upstream retries conflicts 5 times). */
const maxAttempts = 5;

export type Outcome = 'created' | 'updated' | 'recreated' | 'unchanged' | 'protected';

export interface ReconcileSummary {
  /** "<plural>/<namespace>/<name>" → what happened to it. */
  outcomes: Map<string, Outcome>;
  /** Number of objects written (created, updated or recreated). */
  writes: number;
}

const isCode = (err: unknown, ...codes: number[]) => apierrors.isStatusError(err) && codes.includes(err.code);

async function getOrUndefined(store: GenericStore, ns: string | undefined, name: string): Promise<KubeObject | undefined> {
  try {
    return await store.get(ns, name);
  } catch (err) {
    if (isCode(err, 404)) return undefined;
    throw err;
  }
}

/** Fresh metadata for a create: no identity, version or timestamps of an earlier object. */
function forCreate(obj: KubeObject): KubeObject {
  const { name, namespace, labels, annotations } = obj.metadata;
  return { ...obj, metadata: { name, ...(namespace ? { namespace } : {}), labels, annotations } };
}

async function reconcileOne(store: GenericStore, expected: KubeObject,
  compute: (existing: KubeObject, expected: KubeObject) => Reconciled): Promise<Outcome> {
  const ns = expected.metadata.namespace;
  const name = expected.metadata.name!;
  const id = `${store.entry.plural}.${group}/${name}${ns ? ` in ${ns}` : ''}`;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const existing = await getOrUndefined(store, ns, name);
    if (!existing) {
      try {
        await store.create(ns, forCreate(structuredClone(expected)));
        log.debug('created', { object: id });
        return 'created';
      } catch (err) {
        if (isCode(err, 409)) continue; // another apiserver created it first: reconcile against theirs
        throw err;
      }
    }
    const result = compute(existing, expected);
    if (result.operation === 'none') return 'unchanged';
    if (result.protected) {
      log.info('skipped reconcile-protected object with missing permissions', { object: id, missing: result.added });
      return 'protected';
    }
    try {
      if (result.operation === 'recreate') {
        await store.delete(ns, name, { preconditions: { uid: existing.metadata.uid } });
        await store.create(ns, forCreate(result.object));
        log.info('recreated with a new roleRef', { object: id });
        return 'recreated';
      }
      // Pinned to what was read: a concurrent writer makes this a 409 and the loop re-reads.
      await store.update(ns, name, (current) => {
        if (!current) throw apierrors.notFound(group, store.entry.plural, name);
        return result.object;
      });
      log.info('updated with additional permissions', { object: id, added: result.added });
      return 'updated';
    } catch (err) {
      if (isCode(err, 404, 409)) continue;
      throw err;
    }
  }
  throw new Error(`unable to reconcile ${id}: exceeded maximum attempts`);
}

/** Reconciles every default object; kube-system and kube-public must exist (bootstrapCluster). */
export async function reconcileBootstrapPolicy(registry: Registry): Promise<ReconcileSummary> {
  const policy = bootstrapPolicy();
  const kinds: Array<[string, KubeObject[], typeof reconcileRole]> = [
    ['clusterroles', policy.clusterRoles as unknown as KubeObject[], reconcileRole],
    ['clusterrolebindings', policy.clusterRoleBindings as unknown as KubeObject[], reconcileBinding],
    ['roles', policy.roles as unknown as KubeObject[], reconcileRole],
    ['rolebindings', policy.roleBindings as unknown as KubeObject[], reconcileBinding],
  ];
  const outcomes = new Map<string, Outcome>();
  const failures: string[] = [];
  // Kinds in upstream's order (roles before the bindings that name them); objects of a kind in parallel.
  for (const [plural, objects, compute] of kinds) {
    const store = registry.store({ group, plural });
    const results = await Promise.allSettled(objects.map((o) => reconcileOne(store, o, compute)));
    results.forEach((r, i) => {
      const { name, namespace } = objects[i]!.metadata;
      const key = `${plural}/${namespace ?? ''}/${name}`;
      if (r.status === 'fulfilled') outcomes.set(key, r.value);
      else failures.push(`unable to reconcile ${plural}.${group}/${name}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
    });
  }
  if (failures.length > 0) throw new Error(`unable to initialize RBAC bootstrap policy: ${failures.join('; ')}`);
  const writes = [...outcomes.values()].filter((o) => o === 'created' || o === 'updated' || o === 'recreated').length;
  log.info('bootstrap policy reconciled', { writes, objects: outcomes.size });
  return { outcomes, writes };
}
