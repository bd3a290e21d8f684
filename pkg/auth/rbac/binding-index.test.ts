import { describe, expect, it } from 'vitest';
import type { RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { BindingIndex } from './binding-index.ts';
import { appliesToUser, describeSubject } from './subjects.ts';

const g = 'rbac.authorization.k8s.io';
function binding(name: string, namespace: string | undefined, subjects: RoleBinding['subjects']): RoleBinding {
  return { metadata: { name, namespace }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'view' }, subjects };
}

describe('BindingIndex', () => {
  it('finds bindings by user, group and service account, per namespace', () => {
    const idx = new BindingIndex();
    idx.put('/rb/ns1/a', binding('a', 'ns1', [{ kind: 'User', apiGroup: g, name: 'alice' }]));
    idx.put('/rb/ns1/b', binding('b', 'ns1', [{ kind: 'Group', apiGroup: g, name: 'dev' }]));
    idx.put('/rb/ns1/c', binding('c', 'ns1', [{ kind: 'ServiceAccount', name: 'robot' }]));
    idx.put('/rb/ns2/d', binding('d', 'ns2', [{ kind: 'User', apiGroup: g, name: 'alice' }]));
    const names = (u: { username: string; groups: string[] }, ns: string) => idx.lookup(u, ns).map((b) => b.metadata?.name);
    expect(names({ username: 'alice', groups: ['dev'] }, 'ns1')).toEqual(['a', 'b']);
    expect(names({ username: 'bob', groups: ['dev'] }, 'ns1')).toEqual(['b']);
    expect(names({ username: 'alice', groups: [] }, 'ns2')).toEqual(['d']);
    // An SA subject without namespace is the binding's namespace.
    expect(names({ username: 'system:serviceaccount:ns1:robot', groups: [] }, 'ns1')).toEqual(['c']);
    expect(names({ username: 'system:serviceaccount:ns2:robot', groups: [] }, 'ns1')).toEqual([]);
  });

  it('replaces a binding on update and forgets it on delete', () => {
    const idx = new BindingIndex();
    idx.put('/crb/x', binding('x', undefined, [{ kind: 'User', apiGroup: g, name: 'alice' }]));
    idx.put('/crb/x', binding('x', undefined, [{ kind: 'User', apiGroup: g, name: 'bob' }]));
    expect(idx.lookup({ username: 'alice', groups: [] }, '')).toEqual([]);
    expect(idx.lookup({ username: 'bob', groups: [] }, '')).toHaveLength(1);
    idx.delete('/crb/x');
    expect(idx.lookup({ username: 'bob', groups: [] }, '')).toEqual([]);
    expect(idx.size).toBe(0);
  });

  it('matches subjects and describes them as upstream', () => {
    const u = { username: 'system:serviceaccount:ns:sa', groups: ['system:serviceaccounts'] };
    expect(appliesToUser(u, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }, '')).toBe(true);
    expect(appliesToUser(u, { kind: 'ServiceAccount', name: 'sa' }, '')).toBe(false);
    expect(appliesToUser(u, { kind: 'Group', name: 'system:serviceaccounts' }, '')).toBe(true);
    expect(describeSubject({ kind: 'ServiceAccount', name: 'sa' }, 'ns')).toBe('ServiceAccount "sa/ns"');
    expect(describeSubject({ kind: 'User', name: 'alice' }, 'ns')).toBe('User "alice"');
  });
});
