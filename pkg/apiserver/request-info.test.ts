import { describe, expect, it } from 'vitest';
import { parseRequestInfo, unescapeSegment } from './request-info.ts';
import { goQuote } from '../apierrors/index.ts';

describe('parseRequestInfo', () => {
  it.each([
    ['GET', '/api/v1/namespaces/ns/pods', '', { verb: 'list', resource: 'pods', namespace: 'ns', name: '' }],
    ['GET', '/api/v1/namespaces/ns/pods', 'watch=true', { verb: 'watch', resource: 'pods', namespace: 'ns' }],
    ['GET', '/api/v1/watch/namespaces/ns/pods/p1', '', { verb: 'watch', resource: 'pods', name: 'p1' }],
    ['GET', '/api/v1/namespaces/ns/pods/p1/status', '', { verb: 'get', resource: 'pods', name: 'p1', subresource: 'status' }],
    ['GET', '/api/v1/namespaces/foo', '', { verb: 'get', resource: 'namespaces', name: 'foo', namespace: 'foo' }],
    ['PUT', '/api/v1/namespaces/foo/finalize', '', { verb: 'update', resource: 'namespaces', name: 'foo', subresource: 'finalize' }],
    ['GET', '/api/v1/namespaces', '', { verb: 'list', resource: 'namespaces', namespace: '' }],
    ['DELETE', '/apis/apps/v1/namespaces/ns/deployments', '', { verb: 'deletecollection', apiGroup: 'apps', resource: 'deployments' }],
    ['DELETE', '/apis/apps/v1/namespaces/ns/deployments/d', '', { verb: 'delete', name: 'd' }],
    ['PATCH', '/apis/apps/v1/namespaces/ns/deployments/d/scale', '', { verb: 'patch', subresource: 'scale' }],
    ['POST', '/api/v1/nodes', '', { verb: 'create', resource: 'nodes', namespace: '' }],
    ['GET', '/api/v1/pods', 'watch=0', { verb: 'list', resource: 'pods' }],
  ])('%s %s?%s', (method, path, query, want) => {
    const info = parseRequestInfo(method, path, new URLSearchParams(query));
    expect(info.isResourceRequest).toBe(true);
    expect(info).toMatchObject(want);
  });

  it.each(['/api', '/api/v1', '/apis/apps', '/apis/apps/v1', '/version', '/healthz'])('%s is not a resource request', (path) => {
    expect(parseRequestInfo('GET', path, new URLSearchParams()).isResourceRequest).toBe(false);
  });
});

describe('unescapeSegment', () => {
  it.each([
    ['plain', 'plain', '"plain"'],
    ['a%20b', 'a b', '"a b"'],
    ['caf%C3%A9', 'café', '"café"'],
    ['%ff%fe', '\udcff\udcfe', '"\\xff\\xfe"'],
    ['a%e2%82', 'a\udce2\udc82', '"a\\xe2\\x82"'],
    ['%c3%A9%ff', 'é\udcff', '"é\\xff"'],
  ])('%s', (segment, decoded, quoted) => {
    expect(unescapeSegment(segment)).toBe(decoded);
    expect(goQuote(unescapeSegment(segment))).toBe(quoted);
  });

  it('a malformed escape still throws', () => {
    expect(() => unescapeSegment('%zz')).toThrow(URIError);
  });
});
