/**
 * Keeps a store in step with one resource on the apiserver, after client-go
 * tools/cache/reflector.go (ListAndWatch, watchHandler, relistResourceVersion) and
 * tools/pager/pager.go: LIST in pages, replace the store, then WATCH from the list's
 * resourceVersion with bookmarks. A watch that ends or breaks is resumed from the last
 * resourceVersion seen (events and bookmarks advance it); "expired" (410 Gone, as an HTTP answer
 * or an ERROR event) and any other HTTP error relist and replace the store. Every failure, and
 * every watch that ends at once without an event, waits a jittered exponential back-off first,
 * so a broken server is never hammered. Stops when the signal aborts.
 */
import { logger, type Logger } from '../../util/log.ts';
import { ApiError } from '../rest-client.ts';
import { Backoff, sleep, type BackoffOptions } from './backoff.ts';
import { isExpiredError, watchEventError, type ListerWatcher, type WatchEvent } from './lister-watcher.ts';
import type { InformerObject } from './types.ts';

/** Where a reflector writes (client-go cache.Store, the calls a reflector makes). */
export interface ReflectorStore<T> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  /** The complete contents as of `resourceVersion`, after a list. */
  replace(objs: T[], resourceVersion: string): void;
}

/** Time as the reflector sees it; tests pass one that does not wait. */
export interface ReflectorClock {
  now(): number;
  /** Resolves after ms, or at once when the signal aborts; never rejects. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface ReflectorOptions {
  /** For logs, e.g. "configmaps". */
  name: string;
  /** Objects per list page (client-go's pager default, 500). */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Watches ask the server to end after this to twice this (client-go minWatchTimeout, 5 min). */
  minWatchTimeoutSeconds?: number;
  clock?: ReflectorClock;
  random?: () => number;
  logger?: Logger;
}

/** A watch shorter than this that delivered nothing counts as failed (client-go's "very short watch"). */
const minHealthyWatchMs = 1000;

const realClock: ReflectorClock = { now: () => Date.now(), sleep };

interface CycleOutcome {
  /** The next cycle must list first. */
  relist: boolean;
  /** Something was received: the back-off starts over. */
  progressed: boolean;
  /** Wait a back-off before the next cycle. */
  wait: boolean;
}

export class Reflector<T extends InformerObject> {
  private lastSyncResourceVersion = '';
  /** Set after "expired": the next list reads the latest state instead of a version. */
  private lastSyncResourceVersionUnavailable = false;
  private readonly backoff: Backoff;
  private readonly clock: ReflectorClock;
  private readonly log: Logger;

  constructor(
    private readonly lw: ListerWatcher<T>,
    private readonly store: ReflectorStore<T>,
    private readonly options: ReflectorOptions,
  ) {
    this.backoff = new Backoff(options.backoff, options.random);
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? logger('informers');
  }

  /** The resourceVersion of the last list, event or bookmark applied; '' before the first list. */
  get lastResourceVersion(): string {
    return this.lastSyncResourceVersion;
  }

  /** Lists and watches until `signal` aborts; never rejects (failures are logged and retried). */
  async run(signal: AbortSignal): Promise<void> {
    let relist = true;
    while (!signal.aborted) {
      const outcome = await this.cycle(relist, signal);
      relist = outcome.relist;
      if (outcome.progressed) this.backoff.reset();
      if (outcome.wait && !signal.aborted) await this.clock.sleep(this.backoff.next(), signal);
    }
  }

  /** One list (when needed) and one watch session. */
  private async cycle(needList: boolean, signal: AbortSignal): Promise<CycleOutcome> {
    let listed = !needList;
    const session = { events: 0, started: this.clock.now() };
    try {
      if (needList) {
        await this.listAndReplace(signal);
        listed = true;
        session.started = this.clock.now();
      }
      await this.watch(signal, session);
      const healthy = session.events > 0 || this.clock.now() - session.started >= minHealthyWatchMs;
      if (!healthy && !signal.aborted) this.log.warn('very short watch', { resource: this.options.name });
      return { relist: false, progressed: needList || session.events > 0, wait: !healthy };
    } catch (err) {
      if (signal.aborted) return { relist: false, progressed: false, wait: false };
      if (isExpiredError(err)) this.lastSyncResourceVersionUnavailable = true;
      // HTTP errors (410 among them) relist, as client-go does after a watch error; a broken
      // connection resumes the watch from the last resourceVersion.
      const relist = !listed || err instanceof ApiError;
      this.log.warn(listed ? 'watch failed' : 'list failed', {
        resource: this.options.name, error: String(err), resourceVersion: this.lastSyncResourceVersion, relist,
      });
      return { relist, progressed: session.events > 0, wait: true };
    }
  }

  /** client-go relistResourceVersion: "0" (any cached state) first, "" after expiry, else the last one seen. */
  private relistResourceVersion(): string {
    if (this.lastSyncResourceVersionUnavailable) return '';
    return this.lastSyncResourceVersion === '' ? '0' : this.lastSyncResourceVersion;
  }

  private async listAndReplace(signal: AbortSignal): Promise<void> {
    const resourceVersion = this.relistResourceVersion();
    const limit = this.options.pageSize ?? 500;
    let page = await this.lw.list({ resourceVersion, limit }, signal);
    let items = page.items.slice();
    while (page.continue) {
      try {
        page = await this.lw.list({ limit, continue: page.continue }, signal);
      } catch (err) {
        if (!isExpiredError(err)) throw err;
        // pager.go: the continue token expired mid-list; read everything in one request instead.
        page = await this.lw.list({ resourceVersion }, signal);
        items = [];
      }
      // A loop, not push(...page.items): spreading 100,000 arguments overflows the stack.
      for (const item of page.items) items.push(item);
    }
    this.store.replace(items, page.resourceVersion);
    this.lastSyncResourceVersion = page.resourceVersion;
    this.lastSyncResourceVersionUnavailable = false;
  }

  private async watch(signal: AbortSignal, session: { events: number }): Promise<void> {
    const base = this.options.minWatchTimeoutSeconds ?? 300;
    const random = this.options.random ?? Math.random;
    const events = await this.lw.watch({
      resourceVersion: this.lastSyncResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: Math.floor(base * (1 + random())),
    }, signal);
    for await (const event of events) {
      if (signal.aborted) return;
      this.apply(event);
      session.events++;
    }
  }

  /** Applies one event to the store, then advances the resourceVersion (watchHandler). */
  private apply(event: WatchEvent<T>): void {
    switch (event.type) {
      case 'ERROR': throw watchEventError(event.object);
      case 'ADDED': this.store.add(event.object); break;
      case 'MODIFIED': this.store.update(event.object); break;
      case 'DELETED': this.store.delete(event.object); break;
      case 'BOOKMARK': break;
      default: throw new Error(`unexpected watch event type ${(event as { type: string }).type}`);
    }
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.lastSyncResourceVersion = rv;
  }
}
