/**
 * Shapes shared by the informer layer: which resource an informer serves, the object shape it
 * needs, and the handler contract (client-go tools/cache/controller.go ResourceEventHandler and
 * tools/cache/delta_fifo.go DeletedFinalStateUnknown).
 */

/** The metadata fields informers read; objects may carry more. */
export interface InformerObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  uid?: string;
  labels?: Record<string, string>;
}

/** Any Kubernetes object as it comes off the wire (parsed JSON, no class instances). */
export interface InformerObject {
  metadata?: InformerObjectMeta;
}

/** The resource an informer lists and watches, e.g. `{ group: '', version: 'v1', resource: 'pods', namespaced: true }`. */
export interface ResourceRef {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name as in the URL. */
  resource: string;
  namespaced: boolean;
}

/**
 * What a delete handler receives when the informer missed the DELETED event (the watch was
 * broken and a relist no longer had the object): the object as it was last known, and its key.
 */
export class DeletedFinalStateUnknown<T> {
  constructor(readonly key: string, readonly obj: T) {}
}

/** The object of a delete notification, tombstone or not. */
export function finalStateOf<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

/**
 * Notifications for one informer. They are called after the informer's store has been updated,
 * in order per object, synchronously on the informer's event path: return quickly (enqueue a
 * key, never wait on I/O). Objects passed in are the cached ones and are frozen: copy before
 * changing them (structuredClone). A handler that throws is logged; the others still run.
 */
export interface ResourceEventHandler<T> {
  /** A new object; `isInInitialList` is true for objects from a (re)list or a late registration. */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** An object changed (or was re-delivered by a relist with a different resourceVersion). */
  onUpdate?(oldObj: T, newObj: T): void;
  /** An object went away; a tombstone when the final state was not observed. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/** Returned by addEventHandler. */
export interface ResourceEventHandlerRegistration {
  /** True once this handler has been given every object of the informer's initial list. */
  hasSynced(): boolean;
}
