import { describe, expect, it } from 'vitest';
import { compactRules, compactString, covers } from './escalation.ts';

describe('covers', () => {
  it('reports the broken-down rules the owner lacks', () => {
    const owner = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }];
    expect(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]).covered).toBe(true);
    const r = covers(owner, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods', 'secrets'] }]);
    expect(r.covered).toBe(false);
    expect(compactRules(r.missing).map(compactString).sort()).toEqual([
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    ]);
  });

  it('understands *, */subresource, resourceNames and URL prefixes', () => {
    expect(covers([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }]).covered).toBe(true);
    expect(covers([{ verbs: ['get'], apiGroups: ['apps'], resources: ['*/scale'] }], [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }]).covered).toBe(true);
    expect(covers([{ verbs: ['get'], apiGroups: [''], resources: ['cm'], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['cm'] }]).covered).toBe(false);
    expect(covers([{ verbs: ['get'], apiGroups: [''], resources: ['cm'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['cm'], resourceNames: ['a'] }]).covered).toBe(true);
    expect(covers([{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/logs/x'] }]).covered).toBe(true);
    expect(compactString({ verbs: ['get'], nonResourceURLs: ['/x'] })).toBe('{NonResourceURLs:["/x"], Verbs:["get"]}');
  });
});
