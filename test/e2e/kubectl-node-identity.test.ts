/**
 * A node's identity with real kubectl: a client certificate CN=system:node:<name>, O=system:nodes
 * from the cluster CA (what a kubelet holds), against a cluster run as kubeadm runs it
 * (--authorization-mode=Node,RBAC, NodeRestriction on). The node registers and reads its own
 * Node, reads only the secrets of pods bound to it, and may not touch another node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { userTarget } from '../helpers/client-cert.ts';
import { Kubectl, kubectlBinaries, type KubectlTarget } from '../helpers/kubectl.ts';

const ns = 'node-identity-e2e';
const nodeName = 'kubelet-1';
const user = `system:node:${nodeName}`;

let cluster: TestCluster;
let nodeTarget: KubectlTarget;

const json = (o: unknown) => ({ input: JSON.stringify(o) });

beforeAll(async () => {
  // The controller-manager creates the namespace's `default` ServiceAccount that pods run as.
  cluster = await startTestCluster({ name: 'e2e-node-identity', components: ['kube-controller-manager'] });
  nodeTarget = await userTarget(cluster, user, ['system:nodes']);
  const admin = new Kubectl(cluster, kubectlBinaries()[0]!);
  await admin.ok(['create', 'namespace', ns]);
  await admin.ok(['create', 'secret', 'generic', 'mine', '-n', ns, '--from-literal=k=v']);
  await admin.ok(['create', 'secret', 'generic', 'unrelated', '-n', ns, '--from-literal=k=v']);
  await admin.ok(['create', '-f', '-'], json({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'other-node' } }));
  // A pod bound to the node (as the scheduler would bind it) that uses the secret `mine`.
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: ns },
    spec: { nodeName, containers: [{ name: 'c', image: 'nginx', envFrom: [{ secretRef: { name: 'mine' } }] }] },
  };
  for (let i = 0; ; i++) {
    const res = await admin.run(['create', '-f', '-'], json(pod));
    if (res.code === 0) break;
    // Until the controller-manager has made the `default` ServiceAccount.
    if (i > 50 || !res.stderr.includes('serviceaccount')) throw new Error(res.stderr);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe.each(kubectlBinaries())('$label', (binary) => {
  let node: Kubectl;

  beforeAll(() => {
    node = new Kubectl(nodeTarget, binary);
  });

  it('the node registers its own Node and reads it', async () => {
    const create = await node.run(['create', '-f', '-'], json({
      apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName } },
    }));
    // The first binary creates it; the next finds it there.
    expect([`node/${nodeName} created`, '']).toContain(create.stdout.trim());
    if (create.code !== 0) expect(create.stderr.trim()).toBe(`Error from server (AlreadyExists): error when creating "STDIN": nodes "${nodeName}" already exists`);
    expect((await node.ok(['get', 'node', nodeName, '-o', 'name'])).trim()).toBe(`node/${nodeName}`);
    const table = await node.ok(['get', 'node', nodeName]);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
  });

  it('kubectl get nodes: a node may read only its own Node (v1.32, AuthorizeNodeWithSelectors)', async () => {
    const err = await node.fails(['get', 'nodes']);
    expect(err.trim()).toBe(`Error from server (Forbidden): nodes is forbidden: User "${user}" cannot list resource "nodes" in API group "" at the cluster scope: node '${nodeName}' cannot read all nodes, only its own Node object`);
  });

  it('reads the secret a pod bound to it uses, and no other', async () => {
    expect(await node.ok(['get', 'secret', 'mine', '-n', ns, '-o', 'jsonpath={.data.k}'])).toBe('dg==');
    const err = await node.fails(['get', 'secret', 'unrelated', '-n', ns]);
    expect(err.trim()).toBe(`Error from server (Forbidden): secrets "unrelated" is forbidden: User "${user}" cannot get resource "secrets" in API group "" in the namespace "${ns}": no relationship found between node '${nodeName}' and this object`);
  });

  it('may not patch or replace another node', async () => {
    // kubectl patch reads the object first, and a node may read only its own Node.
    const patched = await node.fails(['patch', 'node', 'other-node', '-p', '{"metadata":{"labels":{"stolen":"yes"}}}']);
    expect(patched.trim()).toBe(`Error from server (Forbidden): nodes "other-node" is forbidden: User "${user}" cannot get resource "nodes" in API group "" at the cluster scope: node '${nodeName}' cannot read 'other-node', only its own Node object`);
    // A write that reaches admission (update is authorized for nodes) is refused by NodeRestriction.
    const replaced = await node.fails(['replace', '-f', '-'], json({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'other-node', labels: { stolen: 'yes' } } }));
    expect(replaced.trim()).toBe(`Error from server (Forbidden): error when replacing "STDIN": nodes "other-node" is forbidden: node "${nodeName}" is not allowed to modify node "other-node"`);
    const admin = new Kubectl(cluster, binary);
    expect(await admin.ok(['get', 'node', 'other-node', '-o', 'jsonpath={.metadata.labels}'])).toBe('');
  });

  it('may not give itself a taint-free pass: its own taints are not its to change', async () => {
    const err = await node.fails(['taint', 'node', nodeName, 'dedicated=x:NoSchedule']);
    expect(err.trim()).toBe(`Error from server (Forbidden): nodes "${nodeName}" is forbidden: node "${nodeName}" is not allowed to modify taints`);
  });
});
