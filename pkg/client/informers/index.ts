/**
 * The shared informer layer (client-go tools/cache + informers): one list+watch per resource per
 * process, an indexed read-only cache, listers, and ordered event handlers. Public surface of
 * pkg/client/informers.
 */
export { newSharedInformerFactory, resourceKey } from './factory.ts';
export { resourceRefs } from './resource-refs.ts';
export type { InformerForOptions, SharedInformerFactory, SharedInformerFactoryOptions } from './factory.ts';
export { SharedIndexInformer } from './shared-informer.ts';
export type { SharedInformerOptions } from './shared-informer.ts';
export { Indexer, metaNamespaceIndexFunc, namespaceIndex } from './indexer.ts';
export type { IndexFunc, Indexers, ReplaceResult } from './indexer.ts';
export { newLister } from './lister.ts';
export type { Lister } from './lister.ts';
export { metaNamespaceKey, splitMetaNamespaceKey } from './keys.ts';
export { Reflector } from './reflector.ts';
export type { ReflectorClock, ReflectorOptions, ReflectorStore } from './reflector.ts';
export { isExpiredError } from './lister-watcher.ts';
export type { ListerWatcher, ListOptions, ListPage, WatchEvent, WatchOptions } from './lister-watcher.ts';
export { collectionPath, httpListerWatcher } from './http-lister-watcher.ts';
export { HttpTransport } from './http-transport.ts';
export { Backoff, sleep } from './backoff.ts';
export type { BackoffOptions } from './backoff.ts';
export { buildUserAgent, withUserAgent } from './user-agent.ts';
export { DeletedFinalStateUnknown, finalStateOf } from './types.ts';
export type {
  InformerObject, InformerObjectMeta, ResourceEventHandler, ResourceEventHandlerRegistration, ResourceRef,
} from './types.ts';
