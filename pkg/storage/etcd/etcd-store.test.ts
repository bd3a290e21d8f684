import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/index.ts';
import { decodeObject, encodeObject, encodeObjectJson, withResourceVersion } from './etcd-store.ts';

/** What the store wrote before encodeObjectJson existed: the object without its resourceVersion. */
function reference(obj: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return JSON.stringify({ ...obj, metadata: meta });
}

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { 'a/b': 'c"d' } }, spec: { containers: [{ name: 'c' }] } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
  { metadata: { name: 'x', resourceVersion: '12' }, apiVersion: 'v1', kind: 'Secret', data: { k: 'dg==' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'u', annotations: { 'é': '\u2028\n' } }, spec: undefined, status: { phase: 'Pending' } },
  { kind: 'Thing', metadata: { name: 'n', generateName: undefined }, apiVersion: 'x/v1', 'odd"key': [1, null, { a: {} }] } as KubeObject,
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: {} } },
];

describe('encodeObjectJson', () => {
  it.each(objects.map((o) => [o.kind, o] as const))('stores what JSON.stringify gives without the resourceVersion (%s)', (_kind, obj) => {
    expect(encodeObjectJson(obj).json).toBe(reference(obj));
    expect(encodeObject(obj).toString('utf8')).toBe(reference(obj));
  });

  it.each(objects.map((o) => [o.kind, o] as const))('withResourceVersion is JSON.stringify with the version set last (%s)', (_kind, obj) => {
    const { resourceVersion: _rv, ...meta } = obj.metadata;
    const expected = JSON.stringify({ ...obj, metadata: { ...meta, resourceVersion: '42' } });
    expect(withResourceVersion(encodeObjectJson(obj), '42')).toBe(expected);
  });

  it('round-trips through decodeObject', () => {
    const obj = objects[0]!;
    expect(decodeObject(encodeObject(obj), 7)).toEqual({ ...obj, metadata: { ...obj.metadata, resourceVersion: '7' } });
  });
});
