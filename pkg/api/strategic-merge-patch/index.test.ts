import { describe, expect, it } from 'vitest';
import { strategicMergePatch, type PatchSchema } from './index.ts';

/** A tiny schema: spec.containers merge by name, containers[].ports by containerPort, finalizers a set. */
function schema(fields: Record<string, PatchSchema>, mergeKey?: string, strategies: string[] = []): PatchSchema {
  return { mergeKey, strategies, child: (n) => fields[n] };
}
const leaf = schema({});
const ports = schema({}, 'containerPort', ['merge']);
const containers = schema({ ports, image: leaf, name: leaf }, 'name', ['merge']);
const root = schema({
  spec: schema({ containers, volumes: schema({}, 'name', ['merge', 'retainKeys']), args: leaf }),
  metadata: schema({ finalizers: schema({}, undefined, ['merge']), labels: leaf }),
});

describe('strategicMergePatch', () => {
  const pod = {
    metadata: { labels: { a: '1', b: '2' }, finalizers: ['x'] },
    spec: { containers: [{ name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }] }, { name: 'side', image: 'busybox' }], args: ['a'] },
  };

  it('merges maps and deletes keys set to null', () => {
    const out = strategicMergePatch(pod, { metadata: { labels: { a: null, c: '3' } } }, root) as typeof pod;
    expect(out.metadata.labels).toEqual({ b: '2', c: '3' });
  });
  it('merges list items by merge key; new ones go before the live ones they are compared with (normalizeElementOrder)', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'web', image: 'nginx:2' }, { name: 'new', image: 'x' }] } }, root) as typeof pod;
    expect(out.spec.containers).toEqual([
      { name: 'web', image: 'nginx:2', ports: [{ containerPort: 80 }] },
      { name: 'new', image: 'x' },
      { name: 'side', image: 'busybox' },
    ]);
    // The ReplicaSet conformance row patches [test-rs] onto [httpd] and expects test-rs first.
    const single = { spec: { containers: [{ name: 'httpd', image: 'httpd' }] } };
    const patched = strategicMergePatch(single, { spec: { containers: [{ name: 'test-rs', image: 'agnhost' }] } }, root) as typeof pod;
    expect(patched.spec.containers.map((c) => c.name)).toEqual(['test-rs', 'httpd']);
  });
  it('deletes list items with $patch: delete', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'side', $patch: 'delete' }] } }, root) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['web']);
  });
  it('replaces lists without a merge strategy', () => {
    const out = strategicMergePatch(pod, { spec: { args: ['b'] } }, root) as typeof pod;
    expect(out.spec.args).toEqual(['b']);
  });
  it('treats merging primitive lists as sets and honours $deleteFromPrimitiveList', () => {
    const added = strategicMergePatch(pod, { metadata: { finalizers: ['y', 'x'] } }, root) as typeof pod;
    // The patch's items in the patch's order (upstream keeps patch order for what the patch names).
    expect(added.metadata.finalizers).toEqual(['y', 'x']);
    const removed = strategicMergePatch(added, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }, root) as typeof pod;
    expect(removed.metadata.finalizers).toEqual(['y']);
  });
  it('orders merged items with $setElementOrder', () => {
    const out = strategicMergePatch(pod, { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }] } }, root) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['side', 'web']);
  });
  it('replaces a map with $patch: replace', () => {
    const out = strategicMergePatch(pod, { metadata: { labels: { $patch: 'replace', z: '9' } } }, root) as typeof pod;
    expect(out.metadata.labels).toEqual({ z: '9' });
  });
  it('rejects list items without the merge key', () => {
    expect(() => strategicMergePatch(pod, { spec: { containers: [{ image: 'x' }] } }, root)).toThrow(/does not contain declared merge key: name/);
  });
});
