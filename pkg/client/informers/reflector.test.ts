import { describe, expect, it } from 'vitest';
import { ApiError } from '../rest-client.ts';
import type { WatchEvent } from './lister-watcher.ts';
import { Reflector, type ReflectorStore } from './reflector.ts';
import { FakeWatch, ScriptedListerWatcher, silentLogger, type ListStep, type WatchStep } from './testing/fake-lister-watcher.ts';

interface Obj { metadata: { name: string; resourceVersion: string } }

const obj = (name: string, rv: string): Obj => ({ metadata: { name, resourceVersion: rv } });
const ev = (type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', name: string, rv: string): WatchEvent<Obj> => ({ type, object: obj(name, rv) });
const gone = (): WatchEvent<Obj> => ({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' } });

/** A store that records the calls it gets, e.g. "replace a,b @7" or "add c@8". */
function recordingStore(): ReflectorStore<Obj> & { ops: string[] } {
  const ops: string[] = [];
  const one = (op: string) => (o: Obj) => { ops.push(`${op} ${o.metadata.name}@${o.metadata.resourceVersion}`); };
  return {
    ops,
    add: one('add'), update: one('update'), delete: one('delete'),
    replace: (objs, rv) => { ops.push(`replace ${objs.map((o) => o.metadata.name).join(',')} @${rv}`); },
  };
}

/** Runs a reflector over a script until the script is used up; returns what it did. */
async function runScript(lists: ListStep<Obj>[], watches: WatchStep<Obj>[], pageSize?: number) {
  const ctrl = new AbortController();
  const lw = new ScriptedListerWatcher(lists, watches, () => ctrl.abort());
  const store = recordingStore();
  const sleeps: number[] = [];
  let now = 0;
  const clock = { now: () => now, sleep: async (ms: number) => { sleeps.push(ms); now += ms; } };
  const reflector = new Reflector(lw, store, { name: 'test', pageSize, clock, random: () => 0, logger: silentLogger });
  await reflector.run(ctrl.signal);
  return { lw, ops: store.ops, sleeps, lastRV: reflector.lastResourceVersion };
}

const page = (rv: string, names: string[], cont?: string) => ({ items: names.map((n) => obj(n, rv)), resourceVersion: rv, continue: cont });

describe('Reflector', () => {
  it('lists page by page, replaces the store once, then watches from the list resourceVersion with bookmarks', async () => {
    const { lw, ops } = await runScript([page('10', ['a', 'b'], 'tok1'), page('10', ['c'], 'tok2'), page('10', ['d'])], [], 2);
    expect(lw.listCalls).toEqual([
      { resourceVersion: '0', limit: 2 },
      { limit: 2, continue: 'tok1' },
      { limit: 2, continue: 'tok2' },
    ]);
    expect(ops).toEqual(['replace a,b,c,d @10']);
    expect(lw.watchCalls).toHaveLength(1);
    expect(lw.watchCalls[0]).toMatchObject({ resourceVersion: '10', allowWatchBookmarks: true });
    expect(lw.watchCalls[0]!.timeoutSeconds).toBeGreaterThanOrEqual(300);
  });

  it('applies events in order and resumes a closed watch from the last event or bookmark, without relisting', async () => {
    const { lw, ops, sleeps, lastRV } = await runScript([page('10', ['a'])], [
      [ev('ADDED', 'b', '11'), ev('MODIFIED', 'a', '12'), ev('DELETED', 'b', '13')],
      [ev('BOOKMARK', '', '20')],
    ]);
    expect(ops).toEqual(['replace a @10', 'add b@11', 'update a@12', 'delete b@13']);
    expect(lw.watchCalls.map((w) => w.resourceVersion)).toEqual(['10', '13', '20']);
    expect(lw.listCalls).toHaveLength(1);
    expect(sleeps).toEqual([]); // healthy watches that end are resumed at once
    expect(lastRV).toBe('20');
  });

  it('resumes after a broken connection from the last resourceVersion, after a back-off', async () => {
    const broken = new FakeWatch<Obj>().push(ev('ADDED', 'b', '11')).fail(new Error('socket hang up'));
    const { lw, ops, sleeps } = await runScript([page('10', ['a'])], [broken, new Error('ECONNREFUSED'), [ev('ADDED', 'c', '12')]]);
    expect(lw.listCalls).toHaveLength(1);
    expect(lw.watchCalls.map((w) => w.resourceVersion)).toEqual(['10', '11', '11', '12']);
    expect(ops).toEqual(['replace a @10', 'add b@11', 'add c@12']);
    expect(sleeps).toEqual([800, 1600]);
  });

  it.each([
    ['an ERROR event carrying a 410 Status', [gone()] as WatchStep<Obj>],
    ['an HTTP 410 answer to the watch', new ApiError(410, { reason: 'Gone', message: 'too old resource version' }) as WatchStep<Obj>],
  ])('relists with a consistent read and replaces the store after %s', async (_name, expired) => {
    const { lw, ops } = await runScript([page('10', ['a', 'b']), page('30', ['a', 'c'])], [[ev('ADDED', 'x', '11')], expired]);
    expect(lw.listCalls.map((l) => l.resourceVersion)).toEqual(['0', '']);
    expect(ops).toEqual(['replace a,b @10', 'add x@11', 'replace a,c @30']);
    expect(lw.watchCalls.map((w) => w.resourceVersion)).toEqual(['10', '11', '30']);
  });

  it('relists after an ERROR event that is not expiry, from the last resourceVersion', async () => {
    const internal: WatchEvent<Obj> = { type: 'ERROR', object: { code: 500, reason: 'InternalError', message: 'boom' } };
    const { lw } = await runScript([page('10', ['a']), page('12', ['a'])], [[ev('ADDED', 'b', '11'), internal]]);
    expect(lw.listCalls.map((l) => l.resourceVersion)).toEqual(['0', '11']);
  });

  it('reads the whole list at once when a continue token expires mid-list', async () => {
    const { lw, ops } = await runScript([page('10', ['a'], 'tok'), new ApiError(410, { reason: 'Expired' }), page('15', ['a', 'b', 'c'])], [], 1);
    expect(lw.listCalls).toEqual([{ resourceVersion: '0', limit: 1 }, { limit: 1, continue: 'tok' }, { resourceVersion: '0' }]);
    expect(ops).toEqual(['replace a,b,c @15']);
  });

  it('backs off exponentially while lists fail, and never spins on empty watches', async () => {
    const fail = new ApiError(500, { message: 'etcd unavailable' });
    const { lw, sleeps, ops } = await runScript([fail, fail, fail, page('10', ['a'])], [[], [], [ev('ADDED', 'b', '11')]]);
    expect(lw.listCalls).toHaveLength(4);
    // Three failed lists, then two watches that ended at once with nothing: five waits, growing.
    expect(sleeps).toEqual([800, 1600, 3200, 800, 1600]);
    expect(ops).toEqual(['replace a @10', 'add b@11']);
  });

  it('returns when the signal aborts during a watch', async () => {
    const ctrl = new AbortController();
    const lw = new ScriptedListerWatcher<Obj>([page('1', [])], [new FakeWatch<Obj>()]);
    const running = new Reflector(lw, recordingStore(), { name: 'test', logger: silentLogger }).run(ctrl.signal);
    await new Promise((r) => setImmediate(r));
    ctrl.abort();
    await expect(running).resolves.toBeUndefined();
    expect(lw.watchCalls).toHaveLength(1);
  });
});
