import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/index.ts';
import { clusterRoleBindingPrinter, roleBindingPrinter, rolePrinter } from './rbac.ts';

const now = new Date('2024-01-01T01:00:00Z');

describe('rbac printers', () => {
  it('prints roles with their creation time', () => {
    expect(rolePrinter.columns.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Created At', 'date']]);
    const role: KubeObject = { metadata: { name: 'r', creationTimestamp: '2024-01-01T00:00:00Z' } };
    expect(rolePrinter.cells(role, now)).toEqual(['r', '2024-01-01T00:00:00Z']);
  });

  it('prints bindings as Kind/name with wide subjects', () => {
    expect(roleBindingPrinter.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1],
    ]);
    expect(clusterRoleBindingPrinter.columns[3]!.description).toBe('Users in the clusterRoleBinding');
    const b = {
      metadata: { name: 'b', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'dev' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
      ],
    } as unknown as KubeObject;
    expect(roleBindingPrinter.cells(b, now)).toEqual(['b', 'ClusterRole/view', '60m', 'alice, bob', 'dev', 'ns/sa']);
  });
});
