import { describe, expect, it } from 'vitest';
import { evaluatePolicy, parsePolicy, type AuditRequestAttributes } from './policy.ts';

const attrs = (over: Partial<AuditRequestAttributes>): AuditRequestAttributes => ({
  username: 'alice', groups: ['system:authenticated'], verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/a/pods/p',
  apiGroup: '', resource: 'pods', subresource: '', namespace: 'a', name: 'p', ...over,
});

const policy = parsePolicy({
  apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'] },
    { level: 'None', userGroups: ['system:nodes'], resources: [{ group: '', resources: ['nodes/status'] }] },
    { level: 'Metadata', resources: [{ group: 'apps', resources: ['deployments/*'] }], omitStages: ['ResponseComplete'] },
    { level: 'None', resources: [{ group: '', resources: ['configmaps'], resourceNames: ['controller-leader'] }] },
    { level: 'None', nonResourceURLs: ['/healthz*', '/version'] },
    { level: 'Metadata', namespaces: ['kube-system'] },
    { level: 'None', resources: [{ group: '' }] },
    { level: 'Metadata' },
  ],
});

describe('audit policy', () => {
  it.each([
    ['a watch by kube-proxy', attrs({ username: 'system:kube-proxy', verb: 'watch' }), 'None'],
    ['a get by kube-proxy', attrs({ username: 'system:kube-proxy' }), 'None'],
    ['node status by a node', attrs({ groups: ['system:nodes'], resource: 'nodes', subresource: 'status', namespace: '' }), 'None'],
    ['a deployment subresource', attrs({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }), 'Metadata'],
    ['a deployment itself', attrs({ apiGroup: 'apps', resource: 'deployments' }), 'Metadata'],
    ['the leader configmap', attrs({ resource: 'configmaps', name: 'controller-leader' }), 'None'],
    ['/healthz/etcd', attrs({ isResourceRequest: false, path: '/healthz/etcd', resource: '', namespace: '' }), 'None'],
    ['/metrics', attrs({ isResourceRequest: false, path: '/metrics', resource: '', namespace: '' }), 'Metadata'],
    ['anything in kube-system', attrs({ namespace: 'kube-system', resource: 'secrets' }), 'Metadata'],
    ['core resources elsewhere', attrs({}), 'None'],
  ])('%s', (_what, a, level) => {
    expect(evaluatePolicy(policy, a).level).toBe(level);
  });

  it('merges the policy\'s and the rule\'s omitted stages', () => {
    expect(evaluatePolicy(policy, attrs({ apiGroup: 'apps', resource: 'deployments', subresource: 'status' })).omitStages)
      .toEqual(['RequestReceived', 'ResponseComplete']);
  });

  it.each([
    [{ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [] }, 'audit policy: no rules'],
    [{ apiVersion: 'audit.k8s.io/v1beta1', kind: 'Policy', rules: [{ level: 'None' }] }, 'audit policy: want kind Policy, apiVersion audit.k8s.io/v1, got Policy audit.k8s.io/v1beta1'],
    [{ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Loud' }] }, 'audit policy rules[0].level: unknown level "Loud"'],
    [{ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', omitStages: ['Later'] }] }, 'audit policy rules[0].omitStages: unknown stage "Later"'],
    [{ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Request' }] }, 'audit policy rules[0].level: Request is not supported by this apiserver (it records metadata only)'],
  ])('refuses %j', (doc, message) => {
    expect(() => parsePolicy(doc)).toThrow(message);
  });
});
