/**
 * Per-resource watch cache: current objects plus a bounded window of recent events, fed by one
 * etcd watch and fanned out to every watcher. Mirrors the ideas of
 * k8s.io/apiserver/pkg/storage/cacher/watch_cache.go: events are applied one at a time in revision
 * order, and a watch from a revision older than the window is "too old" (410 Expired).
 */
import type { KubeObject } from '../../api/index.ts';
import { decodeObject, type EtcdStore, type RawWatchEvent } from '../etcd/index.ts';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: CacheEventType;
  key: string;
  /** The object after the event; for DELETED the last state, with the deletion revision. */
  object: KubeObject;
  /** State before the event (MODIFIED/DELETED), used for selector transitions. */
  prevObject?: KubeObject;
  revision: number;
  /** JSON of `object`, made once on first use and shared by every watcher. */
  json?: string;
  /**
   * The stored bytes of `object` while nobody has decoded it yet (puts only): a watcher that cares
   * about few objects can look at them before paying for the decode.
   */
  readonly rawValue?: Buffer;
}

/**
 * One object as etcd holds it, decoded on first use and then kept: objects nobody reads (no
 * watcher, no cached list or lookup of that kind) are never parsed, which spares every write of
 * such a kind a JSON.parse of its own value; memory holds the compact bytes meanwhile.
 */
class StoredObject {
  private value: Buffer | undefined;
  private decoded: KubeObject | undefined;

  constructor(value: Buffer, readonly revision: number) {
    this.value = value;
  }

  /** The stored bytes, until the object has been decoded. */
  get rawValue(): Buffer | undefined {
    return this.value;
  }

  get object(): KubeObject {
    if (this.decoded === undefined) {
      this.decoded = decodeObject(this.value!, this.revision);
      this.value = undefined;
    }
    return this.decoded;
  }
}

/** A put (ADDED or MODIFIED) whose objects are decoded when a watcher first looks. */
class PutEvent implements CacheEvent {
  json?: string;

  constructor(
    readonly type: CacheEventType,
    readonly key: string,
    private readonly stored: StoredObject,
    private readonly prev: StoredObject | undefined,
    readonly revision: number,
  ) {}

  get rawValue(): Buffer | undefined {
    return this.stored.rawValue;
  }

  get object(): KubeObject {
    return this.stored.object;
  }

  get prevObject(): KubeObject | undefined {
    return this.prev?.object;
  }
}

export function eventJson(e: CacheEvent): string {
  e.json ??= JSON.stringify(e.object);
  return e.json;
}

export interface CacheWatcher {
  /** Called for each event with revision > the watcher's start revision, in order. */
  deliver(event: CacheEvent): void;
  /** Called when the cache itself fails (etcd compaction of the watch, …); the watcher must end. */
  fail(err: unknown): void;
}

export class TooOldResourceVersionError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface WatchCacheOptions {
  /** Key prefix of this resource, e.g. "/pods/". */
  prefix: string;
  /** How many recent events to keep for watch resumption. */
  capacity?: number;
}

export class WatchCache {
  private readonly store: EtcdStore;
  readonly prefix: string;
  private readonly capacity: number;
  /** Current objects by key, each carrying its resourceVersion once decoded. */
  private readonly objects = new Map<string, StoredObject>();
  /**
   * The same objects by namespace (the key's first segment after the prefix) for namespaced
   * resources: admission looks up a namespace's LimitRanges or ResourceQuotas on every write, and
   * must not walk every namespace's to do it (upstream: the informer's namespace index).
   */
  private readonly byNamespace = new Map<string, Map<string, StoredObject>>();
  /** Ring buffer of the most recent events, oldest first. */
  private readonly events: CacheEvent[] = [];
  /** Every event with revision > windowStart is in `events`: resuming from windowStart or later is possible. */
  private windowStart = 0;
  /** Revision of the last event applied (or of the initial list). */
  revision = 0;
  private readonly watchers = new Set<CacheWatcher>();
  private stopWatch?: () => Promise<void>;
  private readyPromise?: Promise<void>;
  private waiters: { rev: number; resolve: () => void }[] = [];
  /** Pending re-list after the etcd watch failed. */
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(store: EtcdStore, opts: WatchCacheOptions) {
    this.store = store;
    this.prefix = opts.prefix;
    this.capacity = opts.capacity ?? 2000;
  }

  /** Lists from etcd and starts the watch; idempotent. */
  start(): Promise<void> {
    this.readyPromise ??= this.init();
    return this.readyPromise;
  }

  private async init(): Promise<void> {
    const { items, revision } = await this.store.listAll(this.prefix);
    this.objects.clear();
    this.byNamespace.clear();
    this.events.length = 0;
    for (const item of items) this.put(item.key, new StoredObject(item.value, item.modRevision));
    this.revision = revision;
    this.windowStart = revision;
    this.stopWatch = await this.store.watch(this.prefix, revision + 1, (evs) => this.apply(evs), (err) => this.failAll(err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.stopWatch?.();
    this.watchers.clear();
  }

  private apply(raw: RawWatchEvent[]): void {
    for (const r of raw) {
      if (r.modRevision <= this.revision) continue;
      const prev = this.objects.get(r.key);
      let event: CacheEvent;
      if (r.type === 'put') {
        const stored = new StoredObject(r.value, r.modRevision);
        this.put(r.key, stored);
        event = new PutEvent(prev ? 'MODIFIED' : 'ADDED', r.key, stored, prev, r.modRevision);
      } else {
        if (!prev) { this.revision = r.modRevision; continue; }
        this.remove(r.key);
        const last = prev.object;
        const object = { ...last, metadata: { ...last.metadata, resourceVersion: String(r.modRevision) } };
        event = { type: 'DELETED', key: r.key, object, prevObject: last, revision: r.modRevision };
      }
      this.revision = r.modRevision;
      this.events.push(event);
      if (this.events.length > this.capacity) this.windowStart = this.events.shift()!.revision;
      for (const w of this.watchers) w.deliver(event);
    }
    this.wakeWaiters();
  }

  /** The namespace segment of a key ("/pods/ns/name" → "ns"); '' for a cluster-scoped key. */
  private namespaceOf(key: string): string {
    const rest = key.slice(this.prefix.length);
    const slash = rest.indexOf('/');
    return slash < 0 ? '' : rest.slice(0, slash);
  }

  private put(key: string, stored: StoredObject): void {
    this.objects.set(key, stored);
    const ns = this.namespaceOf(key);
    let inNs = this.byNamespace.get(ns);
    if (!inNs) this.byNamespace.set(ns, inNs = new Map());
    inNs.set(key, stored);
  }

  private remove(key: string): void {
    this.objects.delete(key);
    const ns = this.namespaceOf(key);
    const inNs = this.byNamespace.get(ns);
    if (!inNs) return;
    inNs.delete(key);
    if (inNs.size === 0) this.byNamespace.delete(ns);
  }

  private failAll(err: unknown): void {
    for (const w of [...this.watchers]) w.fail(err);
    this.watchers.clear();
    // Start over from a fresh list, as the real cacher does when its etcd watch breaks; clients
    // whose watch just ended re-list or resume and get 410 if their version is now too old.
    const stopWatch = this.stopWatch;
    this.stopWatch = undefined;
    void stopWatch?.().catch(() => {});
    this.readyPromise = undefined;
    const restart = () => {
      if (this.stopped) return;
      this.start().catch(() => { this.readyPromise = undefined; this.restartTimer = setTimeout(restart, 1000); });
    };
    this.restartTimer = setTimeout(restart, 1000);
  }

  private wakeWaiters(): void {
    const ready = this.waiters.filter((w) => w.rev <= this.revision);
    this.waiters = this.waiters.filter((w) => w.rev > this.revision);
    for (const w of ready) w.resolve();
  }

  /** Resolves once the cache has applied events up to `rev`, or after `timeoutMs` (false). */
  waitFor(rev: number, timeoutMs: number): Promise<boolean> {
    if (rev <= this.revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { resolve(false); }, timeoutMs);
      this.waiters.push({ rev, resolve: () => { clearTimeout(timer); resolve(true); } });
    });
  }

  /** Snapshot of the current objects (shared references: callers must copy before mutating). */
  snapshot(): { items: KubeObject[]; revision: number } {
    return { items: Array.from(this.objects.values(), (o) => o.object), revision: this.revision };
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key)?.object;
  }

  /** The current objects in one namespace (shared references: copy before mutating). */
  inNamespace(namespace: string): KubeObject[] {
    const inNs = this.byNamespace.get(namespace);
    return inNs ? Array.from(inNs.values(), (o) => o.object) : [];
  }

  get size(): number {
    return this.objects.size;
  }

  /**
   * Registers a watcher. With `fromRevision` undefined the caller receives the current objects as
   * `initial` and every later event; otherwise the buffered events after `fromRevision` are
   * delivered first. Throws TooOldResourceVersionError when the window no longer reaches back.
   */
  watch(fromRevision: number | undefined, watcher: CacheWatcher): { initial: KubeObject[]; revision: number; cancel: () => void } {
    let initial: KubeObject[] = [];
    const start = fromRevision ?? this.revision;
    if (fromRevision === undefined) {
      initial = Array.from(this.objects.values(), (o) => o.object);
    } else if (fromRevision < this.windowStart) {
      // watch_cache.go reports "(oldest-1)", oldest being the first buffered event's revision.
      throw new TooOldResourceVersionError(fromRevision, (this.events[0]?.revision ?? this.revision + 1) - 1);
    }
    const filtered: CacheWatcher = {
      deliver: (e) => { if (e.revision > start) watcher.deliver(e); },
      fail: (err) => watcher.fail(err),
    };
    const backlog = fromRevision === undefined ? [] : this.events.filter((e) => e.revision > start);
    this.watchers.add(filtered);
    queueMicrotask(() => { for (const e of backlog) filtered.deliver(e); });
    return { initial, revision: this.revision, cancel: () => { this.watchers.delete(filtered); } };
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}
