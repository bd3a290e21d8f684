import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Attributes } from '../authorization/types.ts';
import type { UserInfo } from '../user.ts';
import { nodeAuthorizer, type AttributesWithFieldSelector } from './authorizer.ts';
import { NodeGraph } from './graph.ts';
import { nodeIdentity } from './identity.ts';

const n1: UserInfo = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const graph = new NodeGraph();
graph.addPod({
  metadata: { name: 'p', namespace: 'ns' },
  spec: { nodeName: 'n1', serviceAccountName: 'sa', containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'mine' } }] }] },
} as Pod);
graph.addPod({ metadata: { name: 'q', namespace: 'ns' }, spec: { nodeName: 'n2', containers: [], volumes: [{ name: 'v', secret: { secretName: 'theirs' } }] } } as Pod);
const authz = nodeAuthorizer({ graph, ready: Promise.resolve() });

function req(verb: string, resource: string, o: Partial<AttributesWithFieldSelector> = {}): AttributesWithFieldSelector {
  return {
    user: n1, verb, isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', resource, subresource: '',
    namespace: 'ns', name: '', ...o,
  };
}
const decide = async (a: Attributes) => authz.authorize(a);

describe('nodeIdentity', () => {
  it('needs the prefix and the group', () => {
    expect(nodeIdentity(n1)).toBe('n1');
    expect(nodeIdentity({ username: 'system:node:n1', groups: [] })).toBeUndefined();
    expect(nodeIdentity({ username: 'n1', groups: ['system:nodes'] })).toBeUndefined();
    expect(nodeIdentity({ username: 'system:node:', groups: ['system:nodes'] })).toBe('');
  });
});

describe('Node authorizer', () => {
  it('has no opinion on users that are not nodes', async () => {
    expect(await decide(req('get', 'secrets', { name: 'mine', user: { username: 'alice', groups: ['system:nodes'] } })))
      .toEqual({ decision: 'NoOpinion', reason: '' });
    expect(await decide(req('get', 'secrets', { name: 'mine', user: { username: 'system:node:', groups: ['system:nodes'] } })))
      .toEqual({ decision: 'NoOpinion', reason: 'unknown node for user "system:node:"' });
  });

  it('lets a node read secrets only of pods bound to it', async () => {
    expect((await decide(req('get', 'secrets', { name: 'mine' }))).decision).toBe('Allow');
    expect((await decide(req('watch', 'secrets', { name: 'mine' }))).decision).toBe('Allow');
    expect(await decide(req('get', 'secrets', { name: 'theirs' })))
      .toEqual({ decision: 'NoOpinion', reason: "no relationship found between node 'n1' and this object" });
    expect((await decide(req('list', 'secrets'))).reason).toBe('No Object name found');
    expect((await decide(req('update', 'secrets', { name: 'mine' }))).reason).toBe('can only read resources of this type');
    expect((await decide(req('get', 'secrets', { name: 'mine', namespace: '' }))).reason).toBe('can only read namespaced object of this type');
    expect((await decide(req('get', 'configmaps', { name: 'mine' }))).reason).toBe("no relationship found between node 'n1' and this object");
  });

  it('lets a node create tokens only for service accounts its pods use', async () => {
    expect((await decide(req('create', 'serviceaccounts', { name: 'sa', subresource: 'token' }))).decision).toBe('Allow');
    expect((await decide(req('create', 'serviceaccounts', { name: 'default', subresource: 'token' }))).reason)
      .toBe("no relationship found between node 'n1' and this object");
    expect((await decide(req('get', 'serviceaccounts', { name: 'sa' }))).reason).toBe('can only create tokens for individual service accounts');
    expect((await decide(req('create', 'serviceaccounts', { name: 'sa' }))).reason).toBe('can only create token subresource of serviceaccount');
  });

  it('reads only its own Node, writes any (NodeRestriction narrows)', async () => {
    expect((await decide(req('get', 'nodes', { namespace: '', name: 'n1' }))).decision).toBe('Allow');
    expect((await decide(req('get', 'nodes', { namespace: '', name: 'n2' }))).reason).toBe("node 'n1' cannot read 'n2', only its own Node object");
    expect((await decide(req('list', 'nodes', { namespace: '' }))).reason).toBe("node 'n1' cannot read all nodes, only its own Node object");
    expect((await decide(req('patch', 'nodes', { namespace: '', name: 'n2' }))).decision).toBe('Allow');
    expect((await decide(req('patch', 'nodes', { namespace: '', name: 'n2', subresource: 'status' }))).decision).toBe('Allow');
    expect(await decide(req('delete', 'nodes', { namespace: '', name: 'n1' }))).toEqual({ decision: 'NoOpinion', reason: '' });
  });

  it('lists pods only with its spec.nodeName selector; gets only its pods', async () => {
    expect((await decide(req('list', 'pods', { namespace: '', fieldSelector: [{ field: 'spec.nodeName', op: '=', value: 'n1' }] }))).decision).toBe('Allow');
    expect((await decide(req('watch', 'pods', { namespace: '', fieldSelector: [{ field: 'spec.nodeName', op: '=', value: 'n2' }] }))).reason)
      .toBe('can only list/watch pods with spec.nodeName field selector');
    expect((await decide(req('get', 'pods', { name: 'p' }))).decision).toBe('Allow');
    expect((await decide(req('get', 'pods', { name: 'q' }))).reason).toBe("no relationship found between node 'n1' and this object");
    expect((await decide(req('create', 'pods'))).decision).toBe('Allow');
    expect((await decide(req('update', 'pods', { name: 'p', subresource: 'status' }))).decision).toBe('Allow');
    expect((await decide(req('create', 'pods', { name: 'p', subresource: 'eviction' }))).decision).toBe('Allow');
    expect((await decide(req('update', 'pods', { name: 'p' }))).decision).toBe('NoOpinion');
  });

  it('leases: own name in kube-node-lease only', async () => {
    const lease = (verb: string, namespace: string, name: string) => req(verb, 'leases', { apiGroup: 'coordination.k8s.io', namespace, name });
    expect((await decide(lease('update', 'kube-node-lease', 'n1'))).decision).toBe('Allow');
    expect((await decide(lease('create', 'kube-node-lease', ''))).decision).toBe('Allow');
    expect((await decide(lease('update', 'kube-node-lease', 'n2'))).reason).toBe('can only access node lease with the same name as the requesting node');
    expect((await decide(lease('get', 'default', 'n1'))).reason).toBe('can only access leases in the "kube-node-lease" system namespace');
    expect((await decide(lease('list', 'kube-node-lease', ''))).reason).toBe('can only get, create, update, patch, or delete a node lease');
  });

  it('falls back to the static system:node rules', async () => {
    expect((await decide(req('create', 'events'))).decision).toBe('Allow');
    expect((await decide(req('get', 'services', { name: 'kubernetes' }))).decision).toBe('Allow');
    expect((await decide(req('create', 'certificatesigningrequests', { apiGroup: 'certificates.k8s.io', namespace: '' }))).decision).toBe('Allow');
    expect(await decide(req('delete', 'services', { name: 'kubernetes' }))).toEqual({ decision: 'NoOpinion', reason: '' });
  });

  it('cannot enumerate a node\'s rules', async () => {
    expect(await authz.rulesFor!(n1, 'ns')).toMatchObject({ incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' });
    expect(await authz.rulesFor!({ username: 'alice', groups: [] }, 'ns')).toMatchObject({ incomplete: false, evaluationError: '' });
  });
});
