/**
 * The ListerWatcher of one resource over HTTP (client-go tools/cache/listwatch.go
 * NewListWatchFromClient): `GET <collection>?limit&continue&resourceVersion` for pages, and
 * `GET <collection>?watch=true&resourceVersion&allowWatchBookmarks&timeoutSeconds` read as one
 * JSON event per line.
 */
import type http from 'node:http';
import { resourcePath } from '../discovery.ts';
import type { HttpTransport } from './http-transport.ts';
import type { ListerWatcher, ListOptions, WatchEvent, WatchOptions } from './lister-watcher.ts';
import type { ResourceRef } from './types.ts';

interface ListBody<T> {
  items?: T[] | null;
  metadata?: { resourceVersion?: string; continue?: string };
}

/** A silent watch connection is given up this long after the server should have ended it. */
const watchIdleGraceMs = 30_000;

/** The collection path of a resource, across all namespaces. */
export function collectionPath(ref: ResourceRef): string {
  return resourcePath({ groupVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version, name: ref.resource });
}

export function httpListerWatcher<T>(transport: HttpTransport, ref: ResourceRef): ListerWatcher<T> {
  const path = collectionPath(ref);
  return {
    async list(options: ListOptions, signal: AbortSignal) {
      const body = await transport.getJson<ListBody<T>>(`${path}?${listQuery(options)}`, signal);
      return {
        items: body.items ?? [],
        resourceVersion: body.metadata?.resourceVersion ?? '',
        continue: body.metadata?.continue || undefined,
      };
    },
    async watch(options: WatchOptions, signal: AbortSignal) {
      const query = new URLSearchParams({
        watch: 'true',
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: String(options.allowWatchBookmarks),
        timeoutSeconds: String(options.timeoutSeconds),
      });
      const res = await transport.stream(`${path}?${query}`, signal, options.timeoutSeconds * 1000 + watchIdleGraceMs);
      return watchEvents<T>(res);
    },
  };
}

function listQuery(options: ListOptions): URLSearchParams {
  const query = new URLSearchParams();
  if (options.limit) query.set('limit', String(options.limit));
  // The apiserver refuses a resourceVersion next to a continue token; '' means "latest" and is not sent.
  if (options.continue) query.set('continue', options.continue);
  else if (options.resourceVersion) query.set('resourceVersion', options.resourceVersion);
  return query;
}

/** Parses the stream one JSON event per line; throws when the connection breaks. */
async function* watchEvents<T>(res: http.IncomingMessage): AsyncGenerator<WatchEvent<T>> {
  res.setEncoding('utf8');
  let buffer = '';
  for await (const chunk of res) {
    buffer += chunk as string;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() !== '') yield JSON.parse(line) as WatchEvent<T>;
    }
  }
  if (buffer.trim() !== '') yield JSON.parse(buffer) as WatchEvent<T>;
}
