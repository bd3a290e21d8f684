import { describe, expect, it } from 'vitest';
import { Indexer, metaNamespaceIndexFunc, namespaceIndex } from './indexer.ts';
import { newLister } from './lister.ts';

interface Pod {
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
}

const pod = (namespace: string, name: string, rv = '1', nodeName?: string, labels?: Record<string, string>): Pod =>
  ({ metadata: { name, namespace, resourceVersion: rv, labels }, spec: { nodeName } });
const byNode = (p: Pod): string[] => (p.spec?.nodeName ? [p.spec.nodeName] : []);
const names = (objs: Pod[]): string[] => objs.map((o) => o.metadata.name).sort();

function newIndexer(): Indexer<Pod> {
  return new Indexer<Pod>({ [namespaceIndex]: metaNamespaceIndexFunc, byNode });
}

describe('Indexer', () => {
  it('keys objects as namespace/name, and cluster-scoped ones by name', () => {
    const idx = new Indexer<Pod>();
    idx.upsert(pod('ns1', 'a'));
    idx.upsert({ metadata: { name: 'node-1' } });
    expect(idx.listKeys().sort()).toEqual(['node-1', 'ns1/a']);
    expect(idx.get('ns1/a')?.metadata.name).toBe('a');
  });

  it('keeps every index in step with add, update and delete', () => {
    const idx = newIndexer();
    expect(idx.upsert(pod('ns1', 'a', '1', 'n1'))).toBeUndefined();
    idx.upsert(pod('ns1', 'b', '1', 'n1'));
    idx.upsert(pod('ns2', 'c', '1', 'n2'));
    expect(names(idx.byIndex('byNode', 'n1'))).toEqual(['a', 'b']);
    expect(names(idx.byIndex(namespaceIndex, 'ns2'))).toEqual(['c']);

    const old = idx.upsert(pod('ns1', 'a', '2', 'n2'));
    expect(old?.metadata.resourceVersion).toBe('1');
    expect(names(idx.byIndex('byNode', 'n1'))).toEqual(['b']);
    expect(names(idx.byIndex('byNode', 'n2'))).toEqual(['a', 'c']);

    expect(idx.deleteKey('ns2/c')?.metadata.name).toBe('c');
    expect(idx.deleteKey('ns2/c')).toBeUndefined();
    expect(idx.byIndex(namespaceIndex, 'ns2')).toEqual([]);
    expect(idx.indexKeys('byNode', 'n2')).toEqual(['ns1/a']);
  });

  it('indexes existing objects under an index added later', () => {
    const idx = new Indexer<Pod>();
    idx.upsert(pod('ns1', 'a', '1', 'n1'));
    idx.addIndexers({ byNode });
    expect(idx.indexKeys('byNode', 'n1')).toEqual(['ns1/a']);
    idx.addIndexers({ byNode }); // same function again: no-op
    expect(() => idx.addIndexers({ byNode: () => [] })).toThrow('indexer conflict: byNode');
  });

  it('throws for an index that does not exist', () => {
    expect(() => new Indexer<Pod>().byIndex('nope', 'x')).toThrow('Index with name nope does not exist');
  });

  it('replace reports what was added, changed and removed, not what stayed the same', () => {
    const idx = newIndexer();
    idx.upsert(pod('ns', 'same', '1', 'n1'));
    idx.upsert(pod('ns', 'changed', '1', 'n1'));
    idx.upsert(pod('ns', 'gone', '1', 'n1'));
    const result = idx.replace([pod('ns', 'same', '1', 'n1'), pod('ns', 'changed', '5', 'n2'), pod('ns', 'new', '6')]);
    expect(result.added.map((o) => o.metadata.name)).toEqual(['new']);
    expect(result.updated.map((u) => [u.oldObj.metadata.resourceVersion, u.newObj.metadata.resourceVersion])).toEqual([['1', '5']]);
    expect(result.deleted.map((d) => [d.key, d.obj.metadata.name])).toEqual([['ns/gone', 'gone']]);
    expect(idx.listKeys().sort()).toEqual(['ns/changed', 'ns/new', 'ns/same']);
    expect(names(idx.byIndex('byNode', 'n1'))).toEqual(['same']);
    expect(names(idx.byIndex('byNode', 'n2'))).toEqual(['changed']);
  });
});

describe('newLister', () => {
  const idx = newIndexer();
  idx.upsert(pod('ns1', 'web-1', '1', 'n1', { app: 'web', tier: 'front' }));
  idx.upsert(pod('ns1', 'db-1', '1', 'n1', { app: 'db' }));
  idx.upsert(pod('ns2', 'web-2', '1', 'n2', { app: 'web' }));
  const lister = newLister(idx);

  it.each([
    [undefined, undefined, ['db-1', 'web-1', 'web-2']],
    ['ns1', undefined, ['db-1', 'web-1']],
    [undefined, 'app=web', ['web-1', 'web-2']],
    ['ns1', 'app in (web,db),tier!=front', ['db-1']],
    ['ns3', '', []],
  ])('list(%s, %s)', (namespace, selector, expected) => {
    expect(names(lister.list(namespace, selector))).toEqual(expected);
  });

  it('gets by namespace and name, and by index', () => {
    expect(lister.get('ns2', 'web-2')?.metadata.namespace).toBe('ns2');
    expect(lister.get('ns1', 'web-2')).toBeUndefined();
    expect(names(lister.byIndex('byNode', 'n1'))).toEqual(['db-1', 'web-1']);
  });

  it('rejects a bad selector with the apiserver message', () => {
    expect(() => lister.list(undefined, 'app=')).not.toThrow();
    expect(() => lister.list(undefined, '!')).toThrow(/unable to parse requirement/);
  });
});
