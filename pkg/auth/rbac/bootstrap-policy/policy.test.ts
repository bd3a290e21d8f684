import { describe, expect, it } from 'vitest';
import { bootstrapPolicy } from './policy.ts';
import { ruleCovers, uncoveredRules } from './covers.ts';
import { reconcileBinding, reconcileRole } from './compute.ts';
import type { KubeObject } from '../../../api/index.ts';

describe('bootstrap policy data', () => {
  const p = bootstrapPolicy();

  it('has the v1.32 counts and unique names', () => {
    expect(p.clusterRoles).toHaveLength(64);
    expect(p.clusterRoleBindings).toHaveLength(45);
    expect(new Set(p.clusterRoles.map((r) => r.metadata?.name)).size).toBe(64);
    expect(new Set(p.clusterRoleBindings.map((r) => r.metadata?.name)).size).toBe(45);
  });

  it('binds only roles it defines', () => {
    const roles = new Set(p.clusterRoles.map((r) => r.metadata?.name));
    for (const b of p.clusterRoleBindings) expect(roles.has(b.roleRef.name), b.metadata?.name).toBe(true);
    const nsRoles = new Set(p.roles.map((r) => `${r.metadata?.namespace}/${r.metadata?.name}`));
    for (const b of p.roleBindings) expect(nsRoles.has(`${b.metadata?.namespace}/${b.roleRef.name}`), b.metadata?.name).toBe(true);
  });

  it('returns fresh objects each call', () => {
    p.clusterRoles[0]!.rules!.push({ verbs: ['x'] });
    expect(bootstrapPolicy().clusterRoles[0]!.rules).toHaveLength(2);
  });
});

describe('covers', () => {
  it('honours wildcards, subresource wildcards, URL prefixes and resource names', () => {
    expect(ruleCovers({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] })).toBe(true);
    expect(ruleCovers({ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }, { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] })).toBe(true);
    expect(ruleCovers({ verbs: ['get'], nonResourceURLs: ['/apis/*'] }, { verbs: ['get'], nonResourceURLs: ['/apis/apps'] })).toBe(true);
    expect(ruleCovers({ verbs: ['get'], nonResourceURLs: ['/apis/*'] }, { verbs: ['get'], nonResourceURLs: ['/api'] })).toBe(false);
    expect(ruleCovers({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] })).toBe(false);
    expect(ruleCovers({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] })).toBe(true);
    expect(ruleCovers({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/x'] })).toBe(false);
  });

  it('lists uncovered pieces one verb/group/resource each', () => {
    expect(uncoveredRules([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }])).toEqual([{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]);
  });
});

describe('reconcile computations', () => {
  const role = (rules: unknown[], annotations?: Record<string, string>): KubeObject =>
    ({ metadata: { name: 'r', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: annotations ?? { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } }, rules });

  it('changes nothing when the existing role already covers the default', () => {
    const r = reconcileRole(role([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]));
    expect(r.operation).toBe('none');
  });

  it('keeps an existing annotation value over the default and marks it protected', () => {
    const r = reconcileRole(role([], { 'rbac.authorization.kubernetes.io/autoupdate': 'false' }), role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]));
    expect(r).toMatchObject({ operation: 'update', protected: true });
    expect(r.object.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'false' });
  });

  it('recreates a binding whose roleRef differs', () => {
    const b = (name: string): KubeObject => ({ metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name } });
    expect(reconcileBinding(b('x'), b('y')).operation).toBe('recreate');
  });
});
