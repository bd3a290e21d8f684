/**
 * The Node authorizer and NodeRestriction over a real etcd: a server with
 * --authorization-mode=Node,RBAC, the bootstrap policy, and a test-only authenticator that takes
 * the user from request headers (no header: an admin in system:masters). Node n1 may read what
 * pods bound to it use and write its own objects only; every refusal is the exact 403 and leaves
 * etcd as it was.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticator } from '../../pkg/auth/authentication/index.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createNamespace } from './support/fixtures.ts';

const ns = 'node-authz-it';
type Body = Record<string, unknown>;
interface Created { metadata: { uid: string; resourceVersion: string } }

const headerAuthenticator: Authenticator = (req: IncomingMessage) => {
  const name = req.headers['x-test-user'];
  if (typeof name !== 'string') return { username: 'admin', groups: ['system:masters', 'system:authenticated'] };
  const groups = req.headers['x-test-groups'];
  return { username: name, groups: typeof groups === 'string' && groups ? groups.split(',') : [] };
};
const asNode = (name: string) => ({ 'X-Test-User': `system:node:${name}`, 'X-Test-Groups': 'system:nodes,system:authenticated' });
const n1 = asNode('n1');

let server: TestServer;
const uids: Record<string, string> = {};

/** Creates as admin and waits until the watch caches (the graph's source) have it. */
async function admin(path: string, body: Body): Promise<Created> {
  const res = await server.request.post(path).send(body);
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  const plural = path.split('/').pop()!;
  await server.registry.store({ group: path.startsWith('/api/') ? '' : path.split('/')[2]!, plural })
    .cache.waitFor(Number(res.body.metadata.resourceVersion), 5000);
  return res.body as Created;
}

const pod = (name: string, nodeName: string, secret: string, serviceAccountName = 'shared') => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { nodeName, serviceAccountName, containers: [{ name: 'c', image: 'nginx', envFrom: [{ secretRef: { name: secret } }] }] },
});
const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { k: 'dg==' } });

/** The object's revision in etcd itself, to prove a refused write changed nothing. */
const etcdKey = (plural: string, namespace: string | undefined, name: string, group = '') => server.registry.store({ group, plural }).key(namespace, name);
const revision = async (plural: string, namespace: string | undefined, name: string) => (await server.etcd.get(etcdKey(plural, namespace, name)))?.modRevision;

function expectForbidden(res: { status: number; body: unknown }, message: string): void {
  expect(res.status).toBe(403);
  expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message });
}

beforeAll(async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  server = await startTestServer({
    authorizationModes: ['Node', 'RBAC'], bootstrapPolicy: true, authenticators: [headerAuthenticator],
    tokenAuth: { serviceAccounts: { issuers: ['https://kubernetes.default.svc.cluster.local'], publicKeys: [publicKey], signingKey: privateKey } },
  });
  await createNamespace(server, ns);
  for (const n of ['n1', 'n2']) uids[n] = (await admin('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } })).metadata.uid;
  await admin(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'shared' } });
  for (const s of ['mine', 'theirs', 'unused']) await admin(`/api/v1/namespaces/${ns}/secrets`, secret(s));
  for (const [name, node, s] of [['p1', 'n1', 'mine'], ['p2', 'n2', 'theirs']] as const) {
    uids[name] = (await admin(`/api/v1/namespaces/${ns}/pods`, pod(name, node, s))).metadata.uid;
  }
}, 60_000);
afterAll(async () => { await server?.close(); });

describe('Node authorizer', () => {
  it('a node reads a secret used by a pod bound to it', async () => {
    const res = await server.request.get(`/api/v1/namespaces/${ns}/secrets/mine`).set(n1);
    expect(res.status).toBe(200);
    expect(res.body.metadata.name).toBe('mine');
  });

  it('a node may not read a secret of another node\'s pod, or one no pod uses', async () => {
    for (const s of ['theirs', 'unused']) {
      expectForbidden(await server.request.get(`/api/v1/namespaces/${ns}/secrets/${s}`).set(n1),
        `secrets "${s}" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "${ns}": no relationship found between node 'n1' and this object`);
    }
  });

  it('a node may not list secrets or nodes', async () => {
    expectForbidden(await server.request.get(`/api/v1/namespaces/${ns}/secrets`).set(n1),
      `secrets is forbidden: User "system:node:n1" cannot list resource "secrets" in API group "" in the namespace "${ns}": No Object name found`);
    expectForbidden(await server.request.get('/api/v1/nodes').set(n1),
      'nodes is forbidden: User "system:node:n1" cannot list resource "nodes" in API group "" at the cluster scope: node \'n1\' cannot read all nodes, only its own Node object');
    expectForbidden(await server.request.get('/api/v1/nodes/n2').set(n1),
      'nodes "n2" is forbidden: User "system:node:n1" cannot get resource "nodes" in API group "" at the cluster scope: node \'n1\' cannot read \'n2\', only its own Node object');
    expect((await server.request.get('/api/v1/nodes/n1').set(n1)).status).toBe(200);
  });

  it('a node lists pods only with its spec.nodeName selector', async () => {
    expectForbidden(await server.request.get('/api/v1/pods').set(n1),
      'pods is forbidden: User "system:node:n1" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector');
    expect((await server.request.get(`/api/v1/namespaces/${ns}/pods/p1`).set(n1)).status).toBe(200);
    expectForbidden(await server.request.get(`/api/v1/namespaces/${ns}/pods/p2`).set(n1),
      `pods "p2" is forbidden: User "system:node:n1" cannot get resource "pods" in API group "" in the namespace "${ns}": no relationship found between node 'n1' and this object`);
    const own = await server.request.get('/api/v1/pods?fieldSelector=spec.nodeName%3Dn1').set(n1);
    expect(own.status).toBe(200);
    expect(own.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toContain('p1');
    expectForbidden(await server.request.get('/api/v1/pods?fieldSelector=spec.nodeName%3Dn2').set(n1),
      'pods is forbidden: User "system:node:n1" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector');
  });

  it('a pod bound after it was created (pods/binding) gives its node access to what it uses', async () => {
    await admin(`/api/v1/namespaces/${ns}/secrets`, secret('late'));
    await admin(`/api/v1/namespaces/${ns}/pods`, pod('late-pod', '', 'late'));
    expect((await server.request.get(`/api/v1/namespaces/${ns}/secrets/late`).set(asNode('n2'))).status).toBe(403);
    const bound = await server.request.post(`/api/v1/namespaces/${ns}/pods/late-pod/binding`)
      .send({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'late-pod' }, target: { kind: 'Node', name: 'n2' } });
    expect(bound.status).toBe(201);
    const stored = await server.request.get(`/api/v1/namespaces/${ns}/pods/late-pod`);
    await server.registry.store({ group: '', plural: 'pods' }).cache.waitFor(Number(stored.body.metadata.resourceVersion), 5000);
    expect((await server.request.get(`/api/v1/namespaces/${ns}/secrets/late`).set(asNode('n2'))).status).toBe(200);
  });

  it('the graph follows pod deletion', async () => {
    const s = 'gone-with-pod';
    await admin(`/api/v1/namespaces/${ns}/secrets`, secret(s));
    await admin(`/api/v1/namespaces/${ns}/pods`, pod('short', 'n1', s));
    expect((await server.request.get(`/api/v1/namespaces/${ns}/secrets/${s}`).set(n1)).status).toBe(200);
    const del = await server.request.delete(`/api/v1/namespaces/${ns}/pods/short`).send({ gracePeriodSeconds: 0 });
    expect(del.status).toBe(200);
    // The graph learns of the deletion from the pods watch cache, a moment later.
    const read = () => server.request.get(`/api/v1/namespaces/${ns}/secrets/${s}`).set(n1);
    for (let i = 0; i < 50 && (await read()).status === 200; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await read()).status).toBe(403);
  });
});

describe('NodeRestriction', () => {
  it('a node may not patch another node, and nothing changes', async () => {
    const before = await revision('nodes', undefined, 'n2');
    expect(before).toBeGreaterThan(0);
    const res = await server.request.patch('/api/v1/nodes/n2').set(n1).set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { labels: { stolen: 'yes' } } });
    expectForbidden(res, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    expect(await revision('nodes', undefined, 'n2')).toBe(before);
  });

  it('a node updates its own status, but not its taints or restricted labels', async () => {
    const ok = await server.request.patch('/api/v1/nodes/n1/status').set(n1).set('Content-Type', 'application/merge-patch+json')
      .send({ status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }] } });
    expect(ok.status).toBe(200);
    const before = await revision('nodes', undefined, 'n1');
    expect(before).toBeGreaterThan(0);
    const taint = await server.request.patch('/api/v1/nodes/n1').set(n1).set('Content-Type', 'application/merge-patch+json')
      .send({ spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } });
    expectForbidden(taint, 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints');
    const label = await server.request.patch('/api/v1/nodes/n1').set(n1).set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } } });
    expectForbidden(label, 'nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/control-plane');
    expect(await revision('nodes', undefined, 'n1')).toBe(before);
    const allowed = await server.request.patch('/api/v1/nodes/n1').set(n1).set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { labels: { 'node.kubernetes.io/instance-type': 'fake' } } });
    expect(allowed.status).toBe(200);
  });

  it('a node may not update the status of, or delete, another node\'s pod', async () => {
    const before = await revision('pods', ns, 'p2');
    expect(before).toBeGreaterThan(0);
    const status = await server.request.patch(`/api/v1/namespaces/${ns}/pods/p2/status`).set(n1).set('Content-Type', 'application/merge-patch+json')
      .send({ status: { phase: 'Failed' } });
    expectForbidden(status, 'pods "p2" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
    const del = await server.request.delete(`/api/v1/namespaces/${ns}/pods/p2`).set(n1);
    expectForbidden(del, 'pods "p2" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
    expect(await revision('pods', ns, 'p2')).toBe(before);
    const own = await server.request.patch(`/api/v1/namespaces/${ns}/pods/p1/status`).set(n1).set('Content-Type', 'application/merge-patch+json')
      .send({ status: { phase: 'Running' } });
    expect(own.status).toBe(200);
  });

  it('a node creates only mirror pods bound to and owned by itself, naming nothing', async () => {
    const owner = (uid: string) => [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid, controller: true }];
    const mirror = (name: string, metadata: Body, spec: Body = {}) => ({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, annotations: { 'kubernetes.io/config.mirror': 'hash' }, ...metadata },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }], ...spec },
    });
    const create = (body: Body) => server.request.post(`/api/v1/namespaces/${ns}/pods`).set(n1).send(body);
    expectForbidden(await create({ ...pod('plain', 'n1', 'mine'), spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } }),
      'pods "plain" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods');
    expectForbidden(await create(mirror('elsewhere', { ownerReferences: owner(uids.n1!) }, { nodeName: 'n2' })),
      'pods "elsewhere" is forbidden: node "n1" can only create pods with spec.nodeName set to itself');
    expectForbidden(await create(mirror('wrong-uid', { ownerReferences: owner('0000') })),
      `pods "wrong-uid" is forbidden: node n1 UID mismatch: expected 0000 got ${uids.n1}`);
    expectForbidden(await create(mirror('with-secret', { ownerReferences: owner(uids.n1!) }, { volumes: [{ name: 's', secret: { secretName: 'theirs' } }] })),
      'pods "with-secret" is forbidden: node "n1" can not create pods that reference secrets');
    expect((await server.request.get(`/api/v1/namespaces/${ns}/pods?fieldSelector=spec.nodeName=n1`)).body.items.map((p: Created & { metadata: { name: string } }) => p.metadata.name)).toEqual(['p1']);
    const ok = await create(mirror('static-web', { ownerReferences: owner(uids.n1!) }));
    expect(ok.status).toBe(201);
    // A mirror pod grants its node nothing, even naming what the node could not read.
    const del = await server.request.delete(`/api/v1/namespaces/${ns}/pods/static-web`).set(n1).send({ gracePeriodSeconds: 0 });
    expect(del.status).toBe(200);
  });

  it('a node writes only its own Lease in kube-node-lease', async () => {
    const lease = (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name } });
    const path = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
    expectForbidden(await server.request.post(path).set(n1).send(lease('n2')),
      'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node');
    expect(await server.etcd.get(etcdKey('leases', 'kube-node-lease', 'n2', 'coordination.k8s.io'))).toBeNull();
    expect((await server.request.post(path).set(n1).send(lease('n1'))).status).toBe(201);
    expectForbidden(await server.request.post(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`).set(n1).send(lease('n1')),
      `leases.coordination.k8s.io is forbidden: User "system:node:n1" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "${ns}": can only access leases in the "kube-node-lease" system namespace`);
  });

  it('a node gets tokens only for its pods\' service accounts, bound to its own pods', async () => {
    const token = (sa: string, ref: Body | undefined) => server.request.post(`/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`).set(n1)
      .send({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], boundObjectRef: ref } });
    const ok = await token('shared', { apiVersion: 'v1', kind: 'Pod', name: 'p1', uid: uids.p1 });
    expect(ok.status).toBe(201);
    expect(ok.body.status.token).toMatch(/^ey/);
    expectForbidden(await token('default', { apiVersion: 'v1', kind: 'Pod', name: 'p1', uid: uids.p1 }),
      `serviceaccounts "default" is forbidden: User "system:node:n1" cannot create resource "serviceaccounts/token" in API group "" in the namespace "${ns}": no relationship found between node 'n1' and this object`);
    expectForbidden(await token('shared', undefined), 'serviceaccounts "shared" is forbidden: node requested token not bound to a pod');
    expectForbidden(await token('shared', { apiVersion: 'v1', kind: 'Pod', name: 'p2', uid: uids.p2 }),
      'serviceaccounts "shared" is forbidden: node requested token bound to a pod scheduled on a different node');
  });
});
