/**
 * The garbage collector of kube-controller-manager (kubernetes pkg/controller/garbagecollector),
 * without upstream's separate dependency graph: the shared informers of a fixed list of kinds,
 * indexed by owner uid, are the graph. One queue of object keys; sync(key) decides for one object:
 * - it is being deleted with the `orphan` finalizer: detach every dependent, then drop the finalizer;
 * - it is being deleted with `foregroundDeletion`: have its dependents deleted, and drop the
 *   finalizer once no dependent blocks it (attemptToDeleteItem / processDeletingDependentsItem);
 * - it has owners: when none is live (every one absent, confirmed by a live GET, or waiting for its
 *   dependents) delete it with a uid precondition; when some are live, only detach the others.
 * Handlers only enqueue keys: an object that needs attention, the dependents of a deleted object,
 * and the owners of a dependent that went away or dropped a reference.
 */
import type { KubeObject } from '../../api/index.ts';
import {
  finalStateOf, resourceKey, splitMetaNamespaceKey, type SharedIndexInformer, type SharedInformerFactory,
} from '../../client/informers/index.ts';
import { isConflict, isNotFound, type RestClient } from '../../client/rest-client.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { logger } from '../../util/log.ts';
import { runWorkers } from '../controller.ts';
import { groupOf, monitoredKinds, objectPath, type MonitoredKind } from './monitored-kinds.ts';
import {
  byOwnerUID, deleteOptions, foregroundFinalizer, hasFinalizer, isBeingDeleted, isDeletingDependents, needsAttention, unblockOwnerRefsPatch,
  orphanFinalizer, ownerUIDIndex, referenceTo, removeOwnerRefsPatch, type DeletionPropagation, type OwnerState,
} from './owner-references.ts';

const log = logger('kube-controller-manager');
export const garbageCollectorControllerName = 'garbage-collector-controller';
/** --concurrent-gc-syncs default. */
export const defaultGCWorkers = 20;
/** Attempts at a read-modify-write of an owner's finalizers before the sync fails and is retried. */
const finalizerAttempts = 5;

export interface GarbageCollectorDeps {
  /** Acts as `generic-garbage-collector`: get, patch and delete on every kind. */
  client: RestClient;
  /** Informers of every monitored kind are taken from it at construction. */
  factory: SharedInformerFactory;
  workers?: number;
  /** Default: monitoredKinds. */
  kinds?: readonly MonitoredKind[];
}

interface Watched extends MonitoredKind {
  id: string;
  informer: SharedIndexInformer<KubeObject>;
}

export function newGarbageCollector(deps: GarbageCollectorDeps) {
  const { client } = deps;
  const queue = new WorkQueue(5, 1_000_000);
  const kinds: Watched[] = (deps.kinds ?? monitoredKinds).map((k) => ({
    ...k, id: resourceKey(k.ref), informer: deps.factory.informerFor<KubeObject>(k.ref, { indexers: { [ownerUIDIndex]: byOwnerUID } }),
  }));
  const byId = new Map(kinds.map((k) => [k.id, k]));
  const byGroupKind = new Map(kinds.map((k) => [`${k.ref.group}/${k.kind}`, k]));
  const kindOfRef = (apiVersion: string, kind: string) => byGroupKind.get(`${groupOf(apiVersion)}/${kind}`);

  const keyOf = (k: Watched, namespace: string, name: string) => `${k.id}|${namespace}/${name}`;
  const enqueue = (k: Watched, obj: KubeObject) => queue.add(keyOf(k, obj.metadata.namespace ?? '', obj.metadata.name ?? ''));
  /** Wakes the owners a dependent names (a foreground owner may be waiting for it). */
  const enqueueOwners = (obj: KubeObject, uids?: ReadonlySet<string>) => {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      if (uids && !uids.has(ref.uid)) continue;
      const k = kindOfRef(ref.apiVersion, ref.kind);
      if (k) queue.add(keyOf(k, obj.metadata.namespace ?? '', ref.name));
    }
  };

  /** Every cached object, of any monitored kind, that names `owner` as an owner. */
  const dependentsOf = (owner: KubeObject): { kind: Watched; obj: KubeObject }[] => {
    const uid = owner.metadata.uid ?? '';
    const namespace = owner.metadata.namespace ?? '';
    return kinds.flatMap((kind) => kind.informer.lister.byIndex(ownerUIDIndex, uid)
      // A namespaced owner only owns objects of its own namespace.
      .filter((obj) => !namespace || obj.metadata.namespace === namespace)
      .map((obj) => ({ kind, obj })));
  };

  for (const k of kinds) {
    k.informer.addEventHandler({
      onAdd: (obj) => { if (needsAttention(obj)) enqueue(k, obj); },
      onUpdate(oldObj, obj) {
        if (needsAttention(obj)) enqueue(k, obj);
        const now = new Set(obj.metadata.ownerReferences?.map((r) => r.uid) ?? []);
        const dropped = new Set(oldObj.metadata.ownerReferences?.map((r) => r.uid).filter((uid) => !now.has(uid)) ?? []);
        if (dropped.size > 0) enqueueOwners(oldObj, dropped);
      },
      onDelete(tombstone) {
        const obj = finalStateOf(tombstone);
        for (const d of dependentsOf(obj)) enqueue(d.kind, d.obj);
        enqueueOwners(obj);
      },
    });
  }

  /** The object as the apiserver has it now, or undefined when it is gone or was replaced by another of the same name. */
  async function liveObject(k: Watched, namespace: string, name: string, uid: string): Promise<KubeObject | undefined> {
    try {
      const live = await client.get<KubeObject>(objectPath(k.ref, namespace, name));
      return live.metadata.uid === uid ? live : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** isDangling + classifyReferences for one reference: the cache may vouch for an owner, only a live read for its absence. */
  async function ownerState(namespace: string, ref: { apiVersion: string; kind: string; name: string; uid: string }): Promise<OwnerState> {
    const k = kindOfRef(ref.apiVersion, ref.kind);
    // A kind we do not watch cannot be checked: never treat it as absent.
    if (!k) return 'solid';
    const ns = k.ref.namespaced ? namespace : '';
    const cached = k.informer.lister.get(ns, ref.name);
    const owner = cached?.metadata.uid === ref.uid ? cached : await liveObject(k, ns, ref.name, ref.uid);
    if (!owner) return 'dangling';
    return isDeletingDependents(owner) ? 'waiting' : 'solid';
  }

  /** Deletes one object, exactly that one; already gone or replaced is done. */
  async function deleteObject(k: Watched, obj: KubeObject, policy: DeletionPropagation): Promise<void> {
    const { namespace = '', name = '' } = obj.metadata;
    try {
      await client.delete(objectPath(k.ref, namespace, name), deleteOptions(obj, policy));
      log.info('deleted dependent', { controller: garbageCollectorControllerName, kind: k.kind, namespace, name, propagationPolicy: policy });
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /** Drops owner references from one dependent; gone or replaced is done. */
  async function detach(k: Watched, obj: KubeObject, ownerUIDs: readonly string[]): Promise<void> {
    const { namespace = '', name = '' } = obj.metadata;
    try {
      await client.strategicMergePatch(objectPath(k.ref, namespace, name), removeOwnerRefsPatch(obj, ownerUIDs));
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /** removeFinalizer: a read-modify-write guarded by resourceVersion, retried on conflicts. */
  async function removeFinalizer(k: Watched, owner: KubeObject, finalizer: string): Promise<void> {
    const { namespace = '', name = '', uid = '' } = owner.metadata;
    const path = objectPath(k.ref, namespace, name);
    for (let attempt = 1; ; attempt++) {
      const live = await liveObject(k, namespace, name, uid);
      if (!live || !hasFinalizer(live, finalizer)) return;
      const finalizers = (live.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      try {
        await client.mergePatch(path, { metadata: { finalizers, resourceVersion: live.metadata.resourceVersion } });
        log.info('removed finalizer', { controller: garbageCollectorControllerName, kind: k.kind, namespace, name, finalizer });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= finalizerAttempts) throw err;
      }
    }
  }

  /** orphanDependents + removeFinalizer(orphan). */
  async function orphan(k: Watched, owner: KubeObject): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    const results = await Promise.allSettled(dependentsOf(owner).map((d) => detach(d.kind, d.obj, [uid])));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await removeFinalizer(k, owner, orphanFinalizer);
  }

  /** processDeletingDependentsItem: the finalizer goes once no dependent blocks the owner; until then its dependents are collected. */
  async function deleteDependentsFirst(k: Watched, owner: KubeObject): Promise<void> {
    const uid = owner.metadata.uid ?? '';
    const dependents = dependentsOf(owner);
    const blocking = dependents.filter((d) => referenceTo(d.obj, uid)?.blockOwnerDeletion === true);
    if (blocking.length === 0) {
      await removeFinalizer(k, owner, foregroundFinalizer);
      return;
    }
    // Each dependent's own sync sees this owner waiting and deletes it; their deletions wake us again.
    for (const d of dependents) if (!isBeingDeleted(d.obj)) enqueue(d.kind, d.obj);
  }

  /** attemptToDeleteItem for an object with owners and no deletion of its own under way. */
  async function collectIfOrphaned(k: Watched, obj: KubeObject): Promise<void> {
    const refs = obj.metadata.ownerReferences ?? [];
    const namespace = obj.metadata.namespace ?? '';
    const states = await Promise.all(refs.map(async (ref) => ({ ref, state: await ownerState(namespace, ref) })));
    const solid = states.filter((s) => s.state === 'solid');
    const waiting = states.filter((s) => s.state === 'waiting');
    if (solid.length > 0) {
      // A live owner keeps it; references to absent or departing owners are only dropped.
      const stale = states.filter((s) => s.state !== 'solid').map((s) => s.ref.uid);
      if (stale.length > 0) await detach(k, obj, stale);
      return;
    }
    // No live owner: delete. An owner waiting on us waits for our own dependents too, when we have some.
    let policy: DeletionPropagation = 'Background';
    const dependents = dependentsOf(obj);
    if (waiting.length > 0 && dependents.length > 0) {
      policy = 'Foreground';
      // A dependent that is itself waiting for its dependents may be waiting for us: a cycle. As
      // upstream, stop blocking our owners first, then go in the foreground.
      if (dependents.some((d) => isDeletingDependents(d.obj))) {
        const { namespace: ns = '', name = '' } = obj.metadata;
        try {
          await client.strategicMergePatch(objectPath(k.ref, ns, name), unblockOwnerRefsPatch(obj));
        } catch (err) {
          if (!isNotFound(err)) throw err;
          return;
        }
      }
    } else if (hasFinalizer(obj, orphanFinalizer)) policy = 'Orphan';
    else if (hasFinalizer(obj, foregroundFinalizer)) policy = 'Foreground';
    await deleteObject(k, obj, policy);
  }

  async function sync(key: string): Promise<void> {
    const bar = key.indexOf('|');
    const k = byId.get(key.slice(0, bar));
    if (!k) return;
    const { namespace, name } = splitMetaNamespaceKey(key.slice(bar + 1));
    const obj = k.informer.lister.get(namespace, name);
    // Gone: its deletion already woke its dependents.
    if (!obj) return;
    if (isBeingDeleted(obj)) {
      if (hasFinalizer(obj, orphanFinalizer)) await orphan(k, obj);
      else if (hasFinalizer(obj, foregroundFinalizer)) await deleteDependentsFirst(k, obj);
      return;
    }
    if ((obj.metadata.ownerReferences?.length ?? 0) > 0) await collectIfOrphaned(k, obj);
  }

  return {
    /** Waits for every monitored cache (a cache miss must not look like an absent owner), then runs the workers. */
    async run(signal: AbortSignal): Promise<void> {
      const synced = await Promise.all(kinds.map((k) => k.informer.whenSynced(signal)));
      if (!synced.every(Boolean)) { queue.shutDown(); return; }
      log.info('garbage collector synced', { controller: garbageCollectorControllerName, kinds: kinds.map((k) => k.kind) });
      await runWorkers(garbageCollectorControllerName, queue, sync, log, deps.workers ?? defaultGCWorkers, signal);
    },
    /** For tests: the sync of one key, as a worker would run it. */
    sync,
  };
}
