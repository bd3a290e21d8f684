import { describe, expect, it } from 'vitest';
import type { EtcdStore, RawWatchEvent } from '../etcd/index.ts';
import { eventJson, WatchCache, type CacheEvent } from './watch-cache.ts';

const value = (name: string, extra: Record<string, unknown> = {}): Buffer =>
  Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra }));

/** Just enough of EtcdStore for the cache: one initial list and a watch fed by the test. */
function fakeStore(initial: { key: string; value: Buffer; modRevision: number }[], revision: number) {
  let push: (events: RawWatchEvent[]) => void = () => {};
  const store = {
    listAll: async () => ({ items: initial, revision }),
    watch: async (_prefix: string, _from: number, onEvents: (events: RawWatchEvent[]) => void) => {
      push = onEvents;
      return async () => {};
    },
  } as unknown as EtcdStore;
  return { store, push: (events: RawWatchEvent[]) => push(events) };
}

describe('WatchCache', () => {
  it('lists one namespace\'s objects from its index, kept through puts and deletes', async () => {
    const { store, push } = fakeStore([
      { key: '/cm/a/x', value: value('x'), modRevision: 2 }, { key: '/cm/b/y', value: value('y'), modRevision: 3 },
    ], 3);
    const cache = new WatchCache(store, { prefix: '/cm/' });
    await cache.start();
    push([
      { type: 'put', key: '/cm/a/z', value: value('z'), modRevision: 4 },
      { type: 'put', key: '/cm/a/x', value: value('x', { data: { v: '2' } }), modRevision: 5 },
      { type: 'delete', key: '/cm/b/y', modRevision: 6 },
    ]);
    expect(cache.inNamespace('a').map((o) => [o.metadata.name, o.metadata.resourceVersion])).toEqual([['x', '5'], ['z', '4']]);
    expect(cache.inNamespace('b')).toEqual([]);
    expect(cache.inNamespace('none')).toEqual([]);
  });

  it('serves listed and watched objects with their resourceVersions, shared between events and reads', async () => {
    const { store, push } = fakeStore([{ key: '/cm/ns/a', value: value('a'), modRevision: 5 }], 7);
    const cache = new WatchCache(store, { prefix: '/cm/' });
    await cache.start();
    expect(cache.get('/cm/ns/a')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '5' } });

    const seen: CacheEvent[] = [];
    const reg = cache.watch(undefined, { deliver: (e) => seen.push(e), fail: () => {} });
    expect(reg.initial.map((o) => o.metadata.name)).toEqual(['a']);

    push([
      { type: 'put', key: '/cm/ns/b', value: value('b'), modRevision: 8 },
      { type: 'put', key: '/cm/ns/a', value: value('a', { data: { x: '1' } }), modRevision: 9 },
      { type: 'delete', key: '/cm/ns/b', modRevision: 10 },
      { type: 'delete', key: '/cm/ns/never', modRevision: 11 },
    ]);
    expect(cache.revision).toBe(11);
    expect(seen.map((e) => [e.type, e.key, e.revision, e.object.metadata.resourceVersion, e.prevObject?.metadata.resourceVersion])).toEqual([
      ['ADDED', '/cm/ns/b', 8, '8', undefined],
      ['MODIFIED', '/cm/ns/a', 9, '9', '5'],
      ['DELETED', '/cm/ns/b', 10, '10', '8'],
    ]);
    expect(seen[1]!.object).toBe(cache.get('/cm/ns/a'));
    expect(seen[1]!.object.data).toEqual({ x: '1' });
    expect(JSON.parse(eventJson(seen[0]!))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', resourceVersion: '8' } });
    expect(cache.snapshot().items.map((o) => o.metadata.resourceVersion)).toEqual(['9']);
    expect(cache.size).toBe(1);
  });

  it('replays buffered events to a watch from an older revision', async () => {
    const { store, push } = fakeStore([], 1);
    const cache = new WatchCache(store, { prefix: '/cm/' });
    await cache.start();
    push([{ type: 'put', key: '/cm/ns/c', value: value('c'), modRevision: 2 }, { type: 'put', key: '/cm/ns/c', value: value('c'), modRevision: 3 }]);
    const seen: string[] = [];
    cache.watch(2, { deliver: (e) => seen.push(`${e.type} ${e.object.metadata.resourceVersion}`), fail: () => {} });
    await Promise.resolve();
    expect(seen).toEqual(['MODIFIED 3']);
  });
});
