/**
 * One informer per resource per process, after client-go informers/factory.go
 * (sharedInformerFactory: InformerFor, Start, WaitForCacheSync, Shutdown): every controller that
 * asks for a resource gets the same informer, so the process lists and watches it once.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../api/index.ts';
import { logger, type Logger } from '../../util/log.ts';
import { httpListerWatcher } from './http-lister-watcher.ts';
import { HttpTransport } from './http-transport.ts';
import type { Indexers } from './indexer.ts';
import type { ListerWatcher } from './lister-watcher.ts';
import type { ReflectorOptions } from './reflector.ts';
import { SharedIndexInformer } from './shared-informer.ts';
import type { InformerObject, ResourceRef } from './types.ts';

export interface SharedInformerFactoryOptions {
  /** User-Agent of every list and watch request (see buildUserAgent). */
  userAgent: string;
  /** Paging, back-off, watch timeout and clock of every reflector. */
  reflector?: Omit<ReflectorOptions, 'name' | 'logger'>;
  logger?: Logger;
  /**
   * Builds the list and watch calls of a resource from the default HTTP ones; tests wrap them
   * to count or cut requests. Default: the HTTP ones as they are.
   */
  listerWatcherFor?: (ref: ResourceRef, http: ListerWatcher<InformerObject>) => ListerWatcher<InformerObject>;
}

export interface InformerForOptions<T> {
  /** Indices this caller needs; merged into the shared informer (a name taken by another function throws). */
  indexers?: Indexers<T>;
}

export interface SharedInformerFactory {
  /**
   * The informer of a resource, created on first request. The type parameter only describes the
   * objects; callers asking for the same resource share one informer and one cache.
   */
  informerFor<T extends InformerObject = KubeObject>(ref: ResourceRef, options?: InformerForOptions<T>): SharedIndexInformer<T>;
  /** Starts every informer not started yet; they stop when `signal` aborts. Call again after adding informers. */
  start(signal: AbortSignal): void;
  /** Resolves true once every started informer has synced, false when `signal` aborts first. */
  waitForCacheSync(signal: AbortSignal): Promise<boolean>;
  /** Resolves once every started informer has stopped (after the start signal aborted). */
  shutdown(): Promise<void>;
}

export function resourceKey(ref: ResourceRef): string {
  return `${ref.group}/${ref.version}/${ref.resource}`;
}

export function newSharedInformerFactory(kubeConfig: KubeConfig, options: SharedInformerFactoryOptions): SharedInformerFactory {
  const transport = new HttpTransport(kubeConfig, { userAgent: options.userAgent });
  const log = options.logger ?? logger('informers');
  const informers = new Map<string, SharedIndexInformer<InformerObject>>();
  const started = new Map<string, Promise<void>>();

  return {
    informerFor<T extends InformerObject>(ref: ResourceRef, opts: InformerForOptions<T> = {}): SharedIndexInformer<T> {
      const key = resourceKey(ref);
      let informer = informers.get(key) as SharedIndexInformer<T> | undefined;
      if (!informer) {
        const http = httpListerWatcher<InformerObject>(transport, ref);
        const lw = (options.listerWatcherFor?.(ref, http) ?? http) as ListerWatcher<T>;
        informer = new SharedIndexInformer<T>(lw, { name: ref.resource, reflector: options.reflector, logger: log });
        informers.set(key, informer as unknown as SharedIndexInformer<InformerObject>);
      }
      if (opts.indexers) informer.addIndexers(opts.indexers);
      return informer;
    },
    start(signal) {
      for (const [key, informer] of informers) {
        if (!started.has(key)) started.set(key, informer.run(signal));
      }
    },
    async waitForCacheSync(signal) {
      const keys = [...started.keys()];
      const synced = await Promise.all(keys.map((k) => informers.get(k)!.whenSynced(signal)));
      return synced.every(Boolean);
    },
    async shutdown() {
      await Promise.all(started.values());
    },
  };
}
