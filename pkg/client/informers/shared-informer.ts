/**
 * One cache of one resource shared by every controller of the process, after client-go
 * tools/cache/shared_informer.go (sharedIndexInformer, HandleDeltas, processorListener).
 *
 * Guarantees, as upstream states them: the cache is eventually consistent with the apiserver;
 * handlers are called after the cache has been updated, in order per object; a handler added
 * after the informer synced first receives an add for every cached object; hasSynced() turns true
 * once the first full list has been stored and delivered. Unlike upstream there is no per-handler
 * goroutine: handlers run synchronously on the event path (single-threaded JavaScript keeps the
 * order), so they must return quickly and pass work to a queue.
 *
 * Cached objects are deep-frozen and shared: handlers and listers return the cached instances,
 * which callers must copy (structuredClone) before changing.
 */
import { logger, type Logger } from '../../util/log.ts';
import { deepFreeze } from './freeze.ts';
import { Indexer, metaNamespaceIndexFunc, namespaceIndex, type Indexers } from './indexer.ts';
import { metaNamespaceKey } from './keys.ts';
import { newLister, type Lister } from './lister.ts';
import type { ListerWatcher } from './lister-watcher.ts';
import { Reflector, type ReflectorOptions, type ReflectorStore } from './reflector.ts';
import {
  DeletedFinalStateUnknown, type InformerObject, type ResourceEventHandler, type ResourceEventHandlerRegistration,
} from './types.ts';

export interface SharedInformerOptions<T> {
  /** For logs, e.g. "configmaps". */
  name: string;
  /** Extra indices; the namespace index is always there. */
  indexers?: Indexers<T>;
  /** Paging, back-off and clock of the reflector. */
  reflector?: Omit<ReflectorOptions, 'name' | 'logger'>;
  logger?: Logger;
}

export class SharedIndexInformer<T extends InformerObject> {
  /** Read access to the cache (frozen objects). */
  readonly lister: Lister<T>;
  private readonly indexer: Indexer<T>;
  private readonly handlers: ResourceEventHandler<T>[] = [];
  private readonly reflector: Reflector<T>;
  private readonly log: Logger;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;

  constructor(lw: ListerWatcher<T>, private readonly options: SharedInformerOptions<T>) {
    this.log = options.logger ?? logger('informers');
    this.indexer = new Indexer<T>({ [namespaceIndex]: metaNamespaceIndexFunc, ...options.indexers });
    this.lister = newLister(this.indexer);
    this.reflector = new Reflector(lw, this.storeSink(), { ...options.reflector, name: options.name, logger: this.log });
  }

  /**
   * Registers handlers. When the informer has already synced, `onAdd(obj, true)` is called for
   * every cached object before this returns. Handlers stay registered for the informer's life.
   */
  addEventHandler(handler: ResourceEventHandler<T>): ResourceEventHandlerRegistration {
    this.handlers.push(handler);
    if (this.synced) {
      for (const obj of this.indexer.list()) this.call(handler, (h) => h.onAdd?.(obj, true));
    }
    return { hasSynced: () => this.synced };
  }

  /** Adds indices (also after start: current objects are indexed at once). Throws on a name taken by another function. */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if `signal` aborts first. */
  whenSynced(signal: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** The resourceVersion the cache reflects ('' before the first list). */
  lastSyncResourceVersion(): string {
    return this.reflector.lastResourceVersion;
  }

  /** Lists and watches until `signal` aborts. Calling it again returns the first run. */
  run(signal: AbortSignal): Promise<void> {
    this.running ??= this.reflector.run(signal);
    return this.running;
  }

  /** The calls the reflector makes: update the cache first, then tell the handlers. */
  private storeSink(): ReflectorStore<T> {
    const upsert = (obj: T): void => {
      const old = this.indexer.upsert(deepFreeze(obj));
      if (old === undefined) this.dispatch((h) => h.onAdd?.(obj, false));
      else this.dispatch((h) => h.onUpdate?.(old, obj));
    };
    return {
      add: upsert,
      update: upsert,
      delete: (obj) => {
        this.indexer.deleteKey(metaNamespaceKey(obj));
        deepFreeze(obj);
        this.dispatch((h) => h.onDelete?.(obj));
      },
      replace: (objs) => this.replaced(objs),
    };
  }

  private replaced(objs: T[]): void {
    for (const obj of objs) deepFreeze(obj);
    const initial = !this.synced;
    const { added, updated, deleted } = this.indexer.replace(objs);
    for (const obj of added) this.dispatch((h) => h.onAdd?.(obj, initial));
    for (const { oldObj, newObj } of updated) this.dispatch((h) => h.onUpdate?.(oldObj, newObj));
    for (const { key, obj } of deleted) {
      const tombstone = new DeletedFinalStateUnknown(key, obj);
      this.dispatch((h) => h.onDelete?.(tombstone));
    }
    if (initial) this.markSynced();
  }

  private markSynced(): void {
    this.synced = true;
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiters) w();
  }

  private dispatch(fn: (h: ResourceEventHandler<T>) => void): void {
    // Only the handlers registered before this event: one added by a handler meanwhile already
    // got the current cache contents as synthetic adds.
    const count = this.handlers.length;
    for (let i = 0; i < count; i++) this.call(this.handlers[i]!, fn);
  }

  private call(handler: ResourceEventHandler<T>, fn: (h: ResourceEventHandler<T>) => void): void {
    try {
      fn(handler);
    } catch (err) {
      this.log.error('event handler failed', { resource: this.options.name, error: err instanceof Error ? err.stack : String(err) });
    }
  }
}
