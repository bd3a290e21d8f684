import { describe, expect, it } from 'vitest';
import type { Attributes } from '../authorization/types.ts';
import { nonResourceURLMatches, resourceMatches, ruleAllows } from './rules.ts';

const user = { username: 'alice', groups: ['dev'] };
function res(verb: string, resource: string, opts: Partial<Attributes> = {}): Attributes {
  return { user, verb, isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', resource, subresource: '', namespace: 'ns', name: '', ...opts };
}
const path = (verb: string, p: string): Attributes => ({ ...res(verb, ''), isResourceRequest: false, path: p });

describe('ruleAllows', () => {
  it('matches verbs, groups and resources, with * wildcards', () => {
    const rule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] };
    expect(ruleAllows(res('get', 'pods'), rule)).toBe(true);
    expect(ruleAllows(res('delete', 'pods'), rule)).toBe(false);
    expect(ruleAllows(res('get', 'pods', { apiGroup: 'apps' }), rule)).toBe(false);
    expect(ruleAllows(res('get', 'services'), rule)).toBe(false);
    expect(ruleAllows(res('delete', 'deployments', { apiGroup: 'apps' }), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(true);
  });

  it('needs the subresource named, or */subresource', () => {
    const pods = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    expect(ruleAllows(res('get', 'pods', { subresource: 'log' }), pods)).toBe(false);
    expect(ruleAllows(res('get', 'pods', { subresource: 'log' }), { ...pods, resources: ['pods/log'] })).toBe(true);
    expect(ruleAllows(res('get', 'deployments', { subresource: 'scale' }), { ...pods, resources: ['*/scale'] })).toBe(true);
    expect(ruleAllows(res('get', 'deployments', { subresource: 'status' }), { ...pods, resources: ['*/scale'] })).toBe(false);
    expect(ruleAllows(res('get', 'deployments'), { ...pods, resources: ['*/scale'] })).toBe(false);
  });

  it('"pods/*" is no wildcard upstream: it matches only a subresource literally named *', () => {
    expect(resourceMatches({ verbs: ['get'], resources: ['pods/*'] }, 'pods/log', 'log')).toBe(false);
    expect(resourceMatches({ verbs: ['get'], resources: ['pods/*'] }, 'pods/*', '*')).toBe(true);
  });

  it('restricts to resourceNames when given', () => {
    const rule = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] };
    expect(ruleAllows(res('get', 'configmaps', { name: 'a' }), rule)).toBe(true);
    expect(ruleAllows(res('get', 'configmaps', { name: 'b' }), rule)).toBe(false);
    expect(ruleAllows(res('list', 'configmaps'), { ...rule, verbs: ['list'] })).toBe(false);
  });

  it('matches non-resource URLs exactly, by trailing-* prefix, or *', () => {
    expect(ruleAllows(path('get', '/healthz'), { verbs: ['get'], nonResourceURLs: ['/healthz'] })).toBe(true);
    expect(ruleAllows(path('post', '/healthz'), { verbs: ['get'], nonResourceURLs: ['/healthz'] })).toBe(false);
    expect(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }, '/healthz/etcd')).toBe(true);
    expect(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }, '/healthz')).toBe(false);
    expect(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs: ['/api*'] }, '/apis/apps')).toBe(true);
    expect(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs: ['*'] }, '/anything')).toBe(true);
    // A resource rule never allows a non-resource request.
    expect(ruleAllows(path('get', '/api'), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(false);
  });
});
