import { describe, expect, it } from 'vitest';
import { attributesOf, type RequestInfoLike } from './attributes.ts';

const user = { username: 'system:node:n1', groups: ['system:nodes'] };
const info = (over: Partial<RequestInfoLike>): RequestInfoLike => ({
  isResourceRequest: true, path: '/api/v1/pods', verb: 'list', apiGroup: '', apiVersion: 'v1',
  namespace: '', resource: 'pods', subresource: '', name: '', ...over,
});
const q = (s: string) => new URLSearchParams(s);

describe('attributesOf', () => {
  it('carries a list\'s field selector requirements', () => {
    const a = attributesOf(user, info({}), 'GET', q('fieldSelector=spec.nodeName%3Dn1'));
    expect(a.fieldSelector).toEqual([{ field: 'spec.nodeName', op: '=', value: 'n1' }]);
    expect(a.name).toBe('');
  });

  it('authorizes a list or watch pinned by metadata.name as that name, not a deletecollection', () => {
    expect(attributesOf(user, info({ verb: 'watch', resource: 'secrets', namespace: 'a' }), 'GET', q('fieldSelector=metadata.name%3Ds1')).name).toBe('s1');
    expect(attributesOf(user, info({ verb: 'list' }), 'GET', q('fieldSelector=metadata.name!%3Ds1')).name).toBe('');
    expect(attributesOf(user, info({ verb: 'list' }), 'GET', q('fieldSelector=metadata.name%3D..')).name).toBe('');
    expect(attributesOf(user, info({ verb: 'deletecollection' }), 'DELETE', q('fieldSelector=metadata.name%3Ds1')).name).toBe('');
  });

  it('leaves out a selector that does not parse, and any on other verbs', () => {
    expect(attributesOf(user, info({}), 'GET', q('fieldSelector=nonsense')).fieldSelector).toBeUndefined();
    expect(attributesOf(user, info({ verb: 'get', name: 'p' }), 'GET', q('fieldSelector=a%3Db')).fieldSelector).toBeUndefined();
  });

  it('authorizes a non-resource request by its lower-cased method and path', () => {
    expect(attributesOf(user, info({ isResourceRequest: false, path: '/healthz' }), 'HEAD')).toMatchObject({ verb: 'head', path: '/healthz', isResourceRequest: false });
  });
});
