import { describe, expect, it } from 'vitest';
import type { WatchEvent } from './lister-watcher.ts';
import { SharedIndexInformer } from './shared-informer.ts';
import { FakeWatch, ScriptedListerWatcher, settle, silentLogger, type ListStep, type WatchStep } from './testing/fake-lister-watcher.ts';
import { DeletedFinalStateUnknown, type ResourceEventHandler } from './types.ts';

interface Obj { metadata: { name: string; resourceVersion: string; labels?: Record<string, string> } }

const obj = (name: string, rv: string): Obj => ({ metadata: { name, resourceVersion: rv, labels: { app: name } } });
const ev = (type: 'ADDED' | 'MODIFIED' | 'DELETED', name: string, rv: string): WatchEvent<Obj> => ({ type, object: obj(name, rv) });
const page = (rv: string, ...objs: Obj[]) => ({ items: objs, resourceVersion: rv });
const noWait = { now: () => 0, sleep: async () => {} };
const id = (o: Obj) => `${o.metadata.name}@${o.metadata.resourceVersion}`;

function start(lists: ListStep<Obj>[], watches: WatchStep<Obj>[]) {
  const ctrl = new AbortController();
  const lw = new ScriptedListerWatcher<Obj>(lists, watches);
  const informer = new SharedIndexInformer<Obj>(lw, { name: 'objs', logger: silentLogger, reflector: { clock: noWait, random: () => 0 } });
  return { ctrl, lw, informer };
}

/** A handler that writes down each call, with what the cache held for that object at the time. */
function recorder(informer: SharedIndexInformer<Obj>, log: string[], tag = ''): ResourceEventHandler<Obj> {
  const cached = (name: string) => informer.lister.get('', name)?.metadata.resourceVersion ?? 'none';
  return {
    onAdd: (o, initial) => log.push(`${tag}add ${id(o)}${initial ? ' initial' : ''} cached=${cached(o.metadata.name)}`),
    onUpdate: (o, n) => log.push(`${tag}update ${id(o)} -> ${id(n)} cached=${cached(n.metadata.name)}`),
    onDelete: (o) => log.push(o instanceof DeletedFinalStateUnknown
      ? `${tag}delete tombstone ${o.key} ${id(o.obj)} cached=${cached(o.obj.metadata.name)}`
      : `${tag}delete ${id(o)} cached=${cached(o.metadata.name)}`),
  };
}

describe('SharedIndexInformer', () => {
  it('delivers the initial list, then watch events, each after the cache has it, in order', async () => {
    const watch = new FakeWatch<Obj>();
    const { ctrl, informer } = start([page('1', obj('a', '1'), obj('b', '1'))], [watch]);
    const log: string[] = [];
    const reg = informer.addEventHandler(recorder(informer, log));
    const running = informer.run(ctrl.signal);
    expect(await informer.whenSynced(ctrl.signal)).toBe(true);
    expect(reg.hasSynced()).toBe(true);
    watch.push(ev('ADDED', 'c', '2'), ev('MODIFIED', 'a', '3'), ev('DELETED', 'b', '4'), ev('MODIFIED', 'c', '5'));
    await settle();
    expect(log).toEqual([
      'add a@1 initial cached=1',
      'add b@1 initial cached=1',
      'add c@2 cached=2',
      'update a@1 -> a@3 cached=3',
      'delete b@4 cached=none',
      'update c@2 -> c@5 cached=5',
    ]);
    expect(informer.lastSyncResourceVersion()).toBe('5');
    ctrl.abort();
    await running;
  });

  it('turns a relist into adds, updates and tombstoned deletes for what changed only', async () => {
    const expired: WatchEvent<Obj> = { type: 'ERROR', object: { code: 410, reason: 'Expired', message: 'too old resource version' } };
    const { ctrl, lw, informer } = start(
      [page('1', obj('a', '1'), obj('b', '1'), obj('c', '1')), page('9', obj('a', '1'), obj('b', '5'), obj('d', '6'))],
      [[expired], new FakeWatch<Obj>()],
    );
    const log: string[] = [];
    informer.addEventHandler(recorder(informer, log));
    const running = informer.run(ctrl.signal);
    await settle();
    expect(lw.listCalls).toHaveLength(2);
    expect(log.slice(3)).toEqual([
      'add d@6 cached=6',
      'update b@1 -> b@5 cached=5',
      'delete tombstone c c@1 cached=none',
    ]);
    expect(informer.lister.list().map(id).sort()).toEqual(['a@1', 'b@5', 'd@6']);
    ctrl.abort();
    await running;
  });

  it('gives a handler added after sync an add for every cached object, then the live events', async () => {
    const watch = new FakeWatch<Obj>();
    const { ctrl, informer } = start([page('1', obj('a', '1'), obj('b', '2'))], [watch]);
    const early: string[] = [];
    informer.addEventHandler(recorder(informer, early));
    const running = informer.run(ctrl.signal);
    await informer.whenSynced(ctrl.signal);

    const late: string[] = [];
    const reg = informer.addEventHandler(recorder(informer, late));
    expect(reg.hasSynced()).toBe(true);
    expect(late.sort()).toEqual(['add a@1 initial cached=1', 'add b@2 initial cached=2']);
    watch.push(ev('MODIFIED', 'b', '3'));
    await settle();
    expect(late.at(-1)).toBe('update b@2 -> b@3 cached=3');
    expect(early.at(-1)).toBe('update b@2 -> b@3 cached=3');
    expect(early).toHaveLength(3);
    ctrl.abort();
    await running;
  });

  it('reports not synced until the first list is delivered', async () => {
    const { ctrl, informer } = start([new Error('connection refused'), page('1', obj('a', '1'))], [new FakeWatch<Obj>()]);
    const reg = informer.addEventHandler({});
    expect(informer.hasSynced()).toBe(false);
    const running = informer.run(ctrl.signal);
    expect(reg.hasSynced()).toBe(false);
    expect(await informer.whenSynced(ctrl.signal)).toBe(true);
    expect(reg.hasSynced()).toBe(true);
    ctrl.abort();
    await running;
    expect(await informer.whenSynced(new AbortController().signal)).toBe(true);
  });

  it('hands out frozen objects: writing to the cache throws', async () => {
    const { ctrl, informer } = start([page('1', obj('a', '1'))], [new FakeWatch<Obj>()]);
    const running = informer.run(ctrl.signal);
    await informer.whenSynced(ctrl.signal);
    const cached = informer.lister.get('', 'a')!;
    expect(() => { cached.metadata.resourceVersion = '99'; }).toThrow(TypeError);
    expect(() => { cached.metadata.labels!.app = 'changed'; }).toThrow(TypeError);
    const copy = structuredClone(cached);
    copy.metadata.labels!.app = 'changed';
    expect(informer.lister.list(undefined, 'app=a')).toHaveLength(1);
    ctrl.abort();
    await running;
  });

  it('keeps calling the other handlers when one throws', async () => {
    const { ctrl, informer } = start([page('1', obj('a', '1'), obj('b', '1'))], [new FakeWatch<Obj>()]);
    const seen: string[] = [];
    informer.addEventHandler({ onAdd: () => { throw new Error('handler bug'); } });
    informer.addEventHandler({ onAdd: (o) => seen.push(o.metadata.name) });
    const running = informer.run(ctrl.signal);
    await informer.whenSynced(ctrl.signal);
    expect(seen).toEqual(['a', 'b']);
    ctrl.abort();
    await running;
  });

  it('stops waiting for sync when the signal aborts', async () => {
    const { informer } = start([], []);
    const ctrl = new AbortController();
    const waiting = informer.whenSynced(ctrl.signal);
    ctrl.abort();
    expect(await waiting).toBe(false);
  });
});
