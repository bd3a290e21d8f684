/**
 * The two calls a reflector makes, after client-go tools/cache/listwatch.go (ListerWatcher):
 * one page of a list, and a watch stream. The HTTP implementation is http-lister-watcher.ts;
 * tests substitute or wrap it.
 */
import type { StatusObject } from '../../api/index.ts';
import { ApiError } from '../rest-client.ts';

export interface ListOptions {
  /** '' (a consistent read), '0' (any cached state) or a version; not sent with `continue`. */
  resourceVersion?: string;
  limit?: number;
  continue?: string;
}

export interface ListPage<T> {
  items: T[];
  /** The list's resourceVersion (metadata.resourceVersion). */
  resourceVersion: string;
  /** The token for the next page, when there is one. */
  continue?: string;
}

export interface WatchOptions {
  resourceVersion: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds: number;
}

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Partial<StatusObject> };

export interface ListerWatcher<T> {
  /** One page. Rejects with ApiError for an HTTP error status, or with the transport's error. */
  list(options: ListOptions, signal: AbortSignal): Promise<ListPage<T>>;
  /**
   * Opens a watch: resolves once the server accepted it (ApiError for an HTTP error status) with
   * the events in order; the iteration ends when the server closes the stream and throws when
   * the connection breaks. Aborting `signal` closes it.
   */
  watch(options: WatchOptions, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<T>>>;
}

/**
 * client-go reflector.go isExpiredError: 410 Gone, or reason Expired, either as an HTTP
 * answer or as a watch ERROR event's Status ("too old resource version").
 */
export function isExpiredError(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 410 || err.status.reason === 'Expired' || err.status.reason === 'Gone');
}

/** The error a watch ERROR event stands for. */
export function watchEventError(status: Partial<StatusObject>): ApiError {
  return new ApiError(status.code ?? 500, status);
}
