/**
 * NodeRestriction's checks that need no other object. Those that read pods or nodes (deleting or
 * evicting another node's pod, mirror pod owner UIDs, token bindings) are covered over a real
 * etcd in test/integration/node-authorization.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/index.ts';
import { isStatusError } from '../../apierrors/index.ts';
import type { Registry } from '../../registry/registry.ts';
import type { AuthorizerChain } from '../../auth/authorization/index.ts';
import { findResource } from '../../resources/index.ts';
import type { UserInfo } from '../../auth/user.ts';
import type { AdmissionAttributes, Operation } from '../types.ts';
import { nodeRestriction } from './node-restriction.ts';

const untouchable = new Proxy({}, { get: () => { throw new Error('no lookups expected'); } });
const plugin = nodeRestriction({ registry: untouchable as Registry, now: () => new Date(), authorizer: untouchable as AuthorizerChain });
const n1: UserInfo = { username: 'system:node:n1', groups: ['system:nodes'] };

function attrs(operation: Operation, plural: string, o: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  const group = plural === 'leases' ? 'coordination.k8s.io' : '';
  return { operation, entry: findResource(group, 'v1', plural)!, subresource: '', namespace: '', name: '', user: n1, dryRun: false, ...o };
}

async function message(a: AdmissionAttributes): Promise<string | undefined> {
  try {
    await plugin.admit!(a);
    return undefined;
  } catch (err) {
    if (!isStatusError(err)) throw err;
    expect(err.code).toBe(403);
    return err.message;
  }
}

const obj = (o: Record<string, unknown>) => ({ apiVersion: 'v1', ...o }) as unknown as KubeObject;
const node = (labels: Record<string, string> = {}, taints: unknown[] = []) =>
  obj({ kind: 'Node', metadata: { name: 'n1', labels }, spec: { taints } });

describe('NodeRestriction', () => {
  it('passes users that are not nodes; refuses a node identity without a name', async () => {
    expect(await message(attrs('DELETE', 'nodes', { name: 'n2', user: { username: 'alice', groups: ['system:nodes'] } }))).toBeUndefined();
    expect(await message(attrs('DELETE', 'nodes', { name: 'n2', user: { username: 'system:node:', groups: ['system:nodes'] } })))
      .toBe('nodes "n2" is forbidden: could not determine node from user "system:node:"');
  });

  it('a node writes only its own Node', async () => {
    expect(await message(attrs('UPDATE', 'nodes', { name: 'n2', object: node(), oldObject: node() })))
      .toBe('nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    expect(await message(attrs('UPDATE', 'nodes', { name: 'n1', object: node({ 'kubernetes.io/hostname': 'h' }), oldObject: node() }))).toBeUndefined();
  });

  it('a node may not change its taints or restricted labels', async () => {
    expect(await message(attrs('UPDATE', 'nodes', { name: 'n1', object: node({}, [{ key: 'k', effect: 'NoSchedule' }]), oldObject: node() })))
      .toBe('nodes "n1" is forbidden: node "n1" is not allowed to modify taints');
    expect(await message(attrs('UPDATE', 'nodes', { name: 'n1', object: node({}, []), oldObject: obj({ kind: 'Node', metadata: { name: 'n1' }, spec: {} }) })))
      .toBeUndefined();
    const labels = { 'node-restriction.kubernetes.io/pool': 'a', 'foo.k8s.io/x': '1', 'node.kubernetes.io/ok': '1', 'example.com/free': '1' };
    expect(await message(attrs('UPDATE', 'nodes', { name: 'n1', object: node(labels), oldObject: node() })))
      .toBe('nodes "n1" is forbidden: is not allowed to modify labels: foo.k8s.io/x, node-restriction.kubernetes.io/pool');
    expect(await message(attrs('CREATE', 'nodes', { name: 'n1', object: node({ 'node-role.kubernetes.io/control-plane': '' }) })))
      .toBe('nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-role.kubernetes.io/control-plane');
  });

  it('pod status only for pods bound to the node, and not their labels', async () => {
    const pod = (nodeName: string, labels?: Record<string, string>) => obj({ kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels }, spec: { nodeName, containers: [] } });
    const status = (o: KubeObject, old: KubeObject) => attrs('UPDATE', 'pods', { subresource: 'status', namespace: 'ns', name: 'p', object: o, oldObject: old });
    expect(await message(status(pod('n2'), pod('n2'))))
      .toBe('pods "p" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
    expect(await message(status(pod('n1', { a: 'b' }), pod('n1')))).toBe('pods "p" is forbidden: node "n1" cannot update labels through pod status');
    expect(await message(status(pod('n1'), pod('n1')))).toBeUndefined();
    expect(await message(attrs('UPDATE', 'pods', { namespace: 'ns', name: 'p', object: pod('n1'), oldObject: pod('n1') })))
      .toBe('pods "p" is forbidden: unexpected operation "UPDATE", node "n1" can only create and delete mirror pods');
    expect(await message(attrs('CREATE', 'pods', { subresource: 'binding', namespace: 'ns', name: 'p' })))
      .toBe('pods "p" is forbidden: unexpected pod subresource "binding", only \'status\' and \'eviction\' are allowed');
  });

  it('only mirror pods, bound to the node and owned by it', async () => {
    const mirror = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => obj({
      kind: 'Pod', metadata: { name: 'm', namespace: 'ns', annotations: { 'kubernetes.io/config.mirror': 'h' }, ...metadata }, spec: { containers: [], ...spec },
    });
    const create = (o: KubeObject) => attrs('CREATE', 'pods', { namespace: 'ns', name: 'm', object: o });
    expect(await message(create(obj({ kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [] } }))))
      .toBe('pods "m" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods');
    expect(await message(create(mirror({ nodeName: 'n2' })))).toBe('pods "m" is forbidden: node "n1" can only create pods with spec.nodeName set to itself');
    expect(await message(create(mirror({ nodeName: 'n1' })))).toBe('pods "m" is forbidden: node "n1" can only create pods with an owner reference set to itself');
    const owner = { apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'u' };
    expect(await message(create(mirror({ nodeName: 'n1' }, { ownerReferences: [owner] }))))
      .toBe('pods "m" is forbidden: node "n1" can only create pods with a controller owner reference set to itself');
    expect(await message(create(mirror({ nodeName: 'n1' }, { ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }] }))))
      .toBe('pods "m" is forbidden: node "n1" must not set blockOwnerDeletion on an owner reference');
  });

  it('only its own Lease in kube-node-lease', async () => {
    const lease = (name: string) => obj({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name } });
    expect(await message(attrs('CREATE', 'leases', { namespace: 'kube-node-lease', object: lease('n2') })))
      .toBe('leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node');
    expect(await message(attrs('CREATE', 'leases', { namespace: 'kube-node-lease', object: lease('n1') }))).toBeUndefined();
    expect(await message(attrs('UPDATE', 'leases', { namespace: 'default', name: 'n1', object: lease('n1') })))
      .toBe('leases.coordination.k8s.io "n1" is forbidden: can only access leases in the "kube-node-lease" system namespace');
  });

  it('tokens only bound to a pod, with its uid', async () => {
    const tr = (boundObjectRef: unknown) => obj({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { boundObjectRef } });
    const token = (o: KubeObject) => attrs('CREATE', 'serviceaccounts', { subresource: 'token', namespace: 'ns', name: 'sa', object: o });
    expect(await message(token(tr(null)))).toBe('serviceaccounts "sa" is forbidden: node requested token not bound to a pod');
    expect(await message(token(tr({ apiVersion: 'v1', kind: 'Secret', name: 's' })))).toBe('serviceaccounts "sa" is forbidden: node requested token not bound to a pod');
    expect(await message(token(tr({ apiVersion: 'v1', kind: 'Pod', name: 'p' }))))
      .toBe('serviceaccounts "sa" is forbidden: node requested token with a pod binding without a uid');
  });
});
