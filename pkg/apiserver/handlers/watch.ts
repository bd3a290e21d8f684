/**
 * Streams watch events from the resource's watch cache: one JSON object per line, each event's
 * JSON made once and shared by every plain-JSON watcher. Ends on timeout or client close.
 */
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import { eventJson, TooOldResourceVersionError, type CacheEvent } from '../../storage/cacher/index.ts';
import { buildFilter, watchOptionsOf } from '../list-options.ts';
import { negotiate, type MediaChoice } from '../negotiation.ts';
import { supportsAs, toTable } from '../table.ts';
import type { RequestScope } from '../scope.ts';

/** A watcher this far behind on writes is cut off rather than buffering without bound. */
const maxBufferedBytes = 64 * 1024 * 1024;


export async function handleWatch(scope: RequestScope): Promise<void> {
  // Watch streams are always JSON lines here; clients that accept protobuf also accept JSON.
  const choice: MediaChoice = { ...negotiate(scope.req.headers.accept, supportsAs), encoding: 'json' };
  const filter = buildFilter(scope, scope.info.name ? `metadata.name=${scope.info.name}` : undefined) ?? (() => true);
  const ns = scope.entry.namespaced ? scope.info.namespace : '';
  const matches = (o: KubeObject | undefined) => !!o && (!ns || o.metadata.namespace === ns) && filter(o);
  const opts = watchOptionsOf(scope);
  const rvParam = opts.resourceVersion;
  const fromRevision = rvParam === '' || rvParam === '0' ? undefined : Number(rvParam);
  const bookmarks = opts.allowWatchBookmarks;
  const sendInitialEvents = opts.sendInitialEvents;
  // Zero or absent: the server's own randomised timeout (get.go ListResource).
  const timeoutSeconds = opts.timeoutSeconds || 1800 + Math.floor(Math.random() * 1800);
  await scope.store.cache.start();

  const res = scope.res;
  let firstTable = true;
  let lastRevision = 0;
  let closed = false;
  const write = (type: string, obj: KubeObject, shared?: CacheEvent) => {
    if (closed) return;
    let objectJson: string;
    if (choice.as === 'Table' && type !== 'BOOKMARK') {
      objectJson = JSON.stringify(toTable(scope, [obj], { resourceVersion: obj.metadata.resourceVersion }, choice, firstTable));
      firstTable = false;
    } else {
      objectJson = shared ? eventJson(shared) : JSON.stringify(obj);
    }
    res.write(`{"type":"${type}","object":${objectJson}}\n`);
    lastRevision = Math.max(lastRevision, Number(obj.metadata.resourceVersion ?? 0));
    if (res.writableLength > maxBufferedBytes) finish();
  };

  res.status(200);
  // JSON watch streams are plain application/json, whatever the transformation (handlers/watch.go).
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.flushHeaders();

  let cancel = () => {};
  const timers: NodeJS.Timeout[] = [];
  function finish(): void {
    if (closed) return;
    closed = true;
    cancel();
    for (const t of timers) clearTimeout(t);
    res.end();
  }
  scope.req.on('close', finish);
  res.on('close', finish);

  const deliver = (e: CacheEvent) => {
    const now = matches(e.object);
    const before = e.type === 'MODIFIED' ? matches(e.prevObject) : now;
    if (e.type === 'MODIFIED' && now && !before) write('ADDED', e.object);
    else if (e.type === 'MODIFIED' && !now && before) {
      const prev = { ...e.prevObject!, metadata: { ...e.prevObject!.metadata, resourceVersion: e.object.metadata.resourceVersion } };
      write('DELETED', prev);
    } else if (now) write(e.type, e.object, e);
  };
  try {
    const reg = scope.store.cache.watch(fromRevision, {
      deliver,
      fail: (err) => {
        const status = apierrors.isStatusError(err) ? err : apierrors.resourceExpired(err instanceof Error ? err.message : String(err));
        write('ERROR', status.toStatus() as unknown as KubeObject);
        finish();
      },
    });
    cancel = reg.cancel;
    lastRevision = Math.max(fromRevision ?? 0, reg.revision);
    for (const obj of reg.initial) if (matches(obj)) write('ADDED', obj);
    if (sendInitialEvents && bookmarks && fromRevision === undefined) {
      write('BOOKMARK', bookmarkObject(scope, String(reg.revision), true));
    }
  } catch (err) {
    if (err instanceof TooOldResourceVersionError) {
      write('ERROR', apierrors.resourceExpired(err.message).toStatus() as unknown as KubeObject);
      finish();
      return;
    }
    finish();
    throw err;
  }
  timers.push(setTimeout(finish, timeoutSeconds * 1000));
  if (bookmarks) {
    const tick = () => {
      write('BOOKMARK', bookmarkObject(scope, String(Math.max(lastRevision, scope.store.cache.revision))));
      timers.push(setTimeout(tick, scope.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, scope.bookmarkIntervalMs));
  }
}

function bookmarkObject(scope: RequestScope, rv: string, initialEnd = false): KubeObject {
  const e = scope.entry;
  const metadata: KubeObject['metadata'] = { resourceVersion: rv };
  if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind: e.kind, apiVersion: e.group ? `${e.group}/${e.version}` : e.version, metadata };
}
