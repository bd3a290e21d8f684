/**
 * RBAC authorization and escalation prevention over a real etcd: a server with
 * --authorization-mode=RBAC and a test-only authenticator that takes the user from request
 * headers (no header: an admin in system:masters). Users get no system:authenticated group, so the
 * bootstrap policy grants them nothing and each test sees only the rules it creates.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticator } from '../../pkg/auth/authentication/index.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createNamespace } from './support/fixtures.ts';

const g = 'rbac.authorization.k8s.io';
const rbac = `/apis/${g}/v1`;
const ns = 'rbac-it';

/** X-Test-User / X-Test-Groups (comma-separated) name the user; without them, the admin. */
const headerAuthenticator: Authenticator = (req: IncomingMessage) => {
  const name = req.headers['x-test-user'];
  if (typeof name !== 'string') return { username: 'admin', groups: ['system:masters', 'system:authenticated'] };
  const groups = req.headers['x-test-groups'];
  return { username: name, groups: typeof groups === 'string' && groups ? groups.split(',') : [] };
};

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ authorizationModes: ['RBAC'], authenticators: [headerAuthenticator] });
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

type Body = Record<string, unknown>;

/** Creates as admin and waits until the RBAC caches have the object (authorization reads them). */
async function admin(path: string, body: Body): Promise<Body> {
  const res = await server.request.post(path).send(body);
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  const plural = path.split('/').pop()!;
  const group = path.startsWith('/api/') ? '' : path.split('/')[2]!;
  await server.registry.store({ group, plural }).cache.waitFor(Number(res.body.metadata.resourceVersion), 5000);
  return res.body as Body;
}

const role = (name: string, rules: Body[]) => ({ apiVersion: `${g}/v1`, kind: 'Role', metadata: { name }, rules });
const clusterRole = (name: string, rules: Body[]) => ({ apiVersion: `${g}/v1`, kind: 'ClusterRole', metadata: { name }, rules });
const user = (name: string) => ({ kind: 'User', apiGroup: g, name });
const roleBinding = (name: string, kind: 'Role' | 'ClusterRole', roleName: string, subjects: Body[]) =>
  ({ apiVersion: `${g}/v1`, kind: 'RoleBinding', metadata: { name }, roleRef: { apiGroup: g, kind, name: roleName }, subjects });
const clusterRoleBinding = (name: string, roleName: string, subjects: Body[]) =>
  ({ apiVersion: `${g}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: roleName }, subjects });

const as = (name: string, groups: string[] = []) => ({ 'X-Test-User': name, 'X-Test-Groups': groups.join(',') });

describe('RBAC authorizer', () => {
  beforeAll(async () => {
    await admin(`${rbac}/namespaces/${ns}/roles`, role('pod-reader', [{ apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list'] }]));
    await admin(`${rbac}/namespaces/${ns}/rolebindings`, roleBinding('alice-reads-pods', 'Role', 'pod-reader', [user('alice')]));
    await admin(`/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  });

  it('allows what a bound Role grants', async () => {
    const res = await server.request.get(`/api/v1/namespaces/${ns}/pods`).set(as('alice'));
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: Body & { metadata: Body }) => p.metadata.name)).toEqual(['p']);
  });

  it('refuses other verbs with the exact Forbidden Status', async () => {
    const res = await server.request.delete(`/api/v1/namespaces/${ns}/pods/p`).set(as('alice'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403,
      message: `pods "p" is forbidden: User "alice" cannot delete resource "pods" in API group "" in the namespace "${ns}"`,
      details: { name: 'p', kind: 'pods' },
    });
    // The pod is still there.
    expect((await server.request.get(`/api/v1/namespaces/${ns}/pods/p`)).status).toBe(200);
  });

  it('does not carry a namespace\'s Role into another namespace', async () => {
    const res = await server.request.get('/api/v1/namespaces/default/pods').set(as('alice'));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('refuses cluster-scoped requests at the cluster scope', async () => {
    const res = await server.request.get('/api/v1/nodes').set(as('alice'));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope');
  });

  it('authorizes subresources by their own name', async () => {
    expect((await server.request.get(`/api/v1/namespaces/${ns}/pods/p/status`).set(as('alice'))).status).toBe(200);
    const res = await server.request.put(`/api/v1/namespaces/${ns}/pods/p/status`).set(as('alice')).send({});
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(`pods "p" is forbidden: User "alice" cannot update resource "pods/status" in API group "" in the namespace "${ns}"`);
  });

  it('restricts a rule to its resourceNames', async () => {
    await admin(`${rbac}/namespaces/${ns}/roles`, role('one-cm', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['allowed'], verbs: ['get'] }]));
    await admin(`${rbac}/namespaces/${ns}/rolebindings`, roleBinding('bob-one-cm', 'Role', 'one-cm', [user('bob')]));
    await admin(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'allowed' } });
    expect((await server.request.get(`/api/v1/namespaces/${ns}/configmaps/allowed`).set(as('bob'))).status).toBe(200);
    const other = await server.request.get(`/api/v1/namespaces/${ns}/configmaps/other`).set(as('bob'));
    expect(other.status).toBe(403);
    expect(other.body.message).toBe(`configmaps "other" is forbidden: User "bob" cannot get resource "configmaps" in API group "" in the namespace "${ns}"`);
    // A list names no object, so a resourceNames rule does not allow it.
    expect((await server.request.get(`/api/v1/namespaces/${ns}/configmaps`).set(as('bob'))).status).toBe(403);
  });

  it('binds groups and service accounts through ClusterRoleBindings', async () => {
    await admin(`${rbac}/clusterroles`, clusterRole('node-viewer', [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]));
    await admin(`${rbac}/clusterrolebindings`, clusterRoleBinding('node-viewers', 'node-viewer', [
      { kind: 'Group', apiGroup: g, name: 'ops' }, { kind: 'ServiceAccount', name: 'robot', namespace: ns },
    ]));
    expect((await server.request.get('/api/v1/nodes').set(as('carol', ['ops']))).status).toBe(200);
    expect((await server.request.get('/api/v1/nodes').set(as(`system:serviceaccount:${ns}:robot`))).status).toBe(200);
    expect((await server.request.get('/api/v1/nodes').set(as('system:serviceaccount:default:robot'))).status).toBe(403);
  });

  it('authorizes non-resource URLs from ClusterRoles, trailing * as a prefix', async () => {
    const denied = await server.request.get('/metrics').set(as('dave'));
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ reason: 'Forbidden', code: 403, message: 'forbidden: User "dave" cannot get path "/metrics"' });
    await admin(`${rbac}/clusterroles`, clusterRole('metrics-reader', [{ nonResourceURLs: ['/metrics', '/version*'], verbs: ['get'] }]));
    await admin(`${rbac}/clusterrolebindings`, clusterRoleBinding('dave-metrics', 'metrics-reader', [user('dave')]));
    expect((await server.request.get('/version').set(as('dave'))).status).toBe(200);
    expect((await server.request.get('/metrics').set(as('dave'))).status).not.toBe(403);
  });

  it('says which referenced role is missing', async () => {
    await admin(`${rbac}/namespaces/${ns}/rolebindings`, roleBinding('erin-ghost', 'ClusterRole', 'ghost', [user('erin')]));
    const res = await server.request.get(`/api/v1/namespaces/${ns}/secrets`).set(as('erin'));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(`secrets is forbidden: User "erin" cannot list resource "secrets" in API group "" in the namespace "${ns}": RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found`);
  });

  it('follows deletions of bindings', async () => {
    await admin(`${rbac}/namespaces/${ns}/roles`, role('svc-reader', [{ apiGroups: [''], resources: ['services'], verbs: ['list'] }]));
    await admin(`${rbac}/namespaces/${ns}/rolebindings`, roleBinding('frank-svc', 'Role', 'svc-reader', [user('frank')]));
    expect((await server.request.get(`/api/v1/namespaces/${ns}/services`).set(as('frank'))).status).toBe(200);
    const del = await server.request.delete(`${rbac}/namespaces/${ns}/rolebindings/frank-svc`);
    expect(del.status).toBe(200);
    const store = server.registry.store({ group: g, plural: 'rolebindings' });
    await store.cache.waitFor(await server.etcd.currentRevision(), 5000);
    expect((await server.request.get(`/api/v1/namespaces/${ns}/services`).set(as('frank'))).status).toBe(403);
  });
});

describe('RBAC escalation prevention', () => {
  const rolesPath = `${rbac}/namespaces/${ns}/roles`;
  const bindingsPath = `${rbac}/namespaces/${ns}/rolebindings`;

  beforeAll(async () => {
    // grace may manage roles and bindings in the namespace and read pods, nothing more.
    await admin(rolesPath, role('rbac-manager', [
      { apiGroups: [g], resources: ['roles', 'rolebindings'], verbs: ['create', 'update', 'get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    ]));
    await admin(bindingsPath, roleBinding('grace-manager', 'Role', 'rbac-manager', [user('grace')]));
    await admin(`${rbac}/clusterroles`, clusterRole('secret-admin', [{ apiGroups: [''], resources: ['secrets'], verbs: ['*'] }]));
  });

  it('lets a user create a Role with rules it holds', async () => {
    const res = await server.request.post(rolesPath).set(as('grace', ['team'])).send(role('pod-getter', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]));
    expect(res.status).toBe(201);
  });

  it('refuses a Role with rules the user does not hold, and writes nothing', async () => {
    const res = await server.request.post(rolesPath).set(as('grace', ['team', 'devs'])).send(role('too-much', [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
    ]));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      kind: 'Status', reason: 'Forbidden', code: 403, details: { name: 'too-much', group: g, kind: 'roles' },
      message: 'roles.rbac.authorization.k8s.io "too-much" is forbidden: user "grace" (groups=["team" "devs"]) is attempting to grant RBAC permissions not currently held:\n'
        + '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["list"]}',
    });
    expect((await server.request.get(`${rolesPath}/too-much`)).status).toBe(404);
  });

  it('refuses widening a Role by update', async () => {
    const current = await server.request.get(`${rolesPath}/pod-getter`);
    const res = await server.request.put(`${rolesPath}/pod-getter`).set(as('grace')).send({
      ...current.body, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('roles.rbac.authorization.k8s.io "pod-getter" is forbidden: user "grace" (groups=[]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}');
    const after = await server.request.get(`${rolesPath}/pod-getter`);
    expect(after.body.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
  });

  it('refuses binding a role whose rules the user lacks, without the bind verb', async () => {
    const res = await server.request.post(bindingsPath).set(as('grace')).send(roleBinding('grace-secrets', 'ClusterRole', 'secret-admin', [user('grace')]));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('rolebindings.rbac.authorization.k8s.io "grace-secrets" is forbidden: user "grace" (groups=[]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["*"]}');
    expect((await server.request.get(`${bindingsPath}/grace-secrets`)).status).toBe(404);
  });

  it('refuses binding a missing role', async () => {
    const res = await server.request.post(bindingsPath).set(as('grace')).send(roleBinding('grace-ghost', 'Role', 'ghost', [user('grace')]));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('rolebindings.rbac.authorization.k8s.io "grace-ghost" is forbidden: role.rbac.authorization.k8s.io "ghost" not found');
  });

  it('lets a user bind a role it holds', async () => {
    const res = await server.request.post(bindingsPath).set(as('grace')).send(roleBinding('henry-pods', 'Role', 'pod-getter', [user('henry')]));
    expect(res.status).toBe(201);
  });

  it('allows with the bind and escalate verbs', async () => {
    await admin(`${rbac}/clusterroles`, clusterRole('delegator', [
      { apiGroups: [g], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['secret-admin'] },
      { apiGroups: [g], resources: ['roles'], verbs: ['escalate'] },
    ]));
    await admin(bindingsPath, roleBinding('grace-delegator', 'ClusterRole', 'delegator', [user('grace')]));
    const bind = await server.request.post(bindingsPath).set(as('grace')).send(roleBinding('ivan-secrets', 'ClusterRole', 'secret-admin', [user('ivan')]));
    expect(bind.status).toBe(201);
    const escalate = await server.request.post(rolesPath).set(as('grace')).send(role('everything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]));
    expect(escalate.status).toBe(201);
  });

  it('lets system:masters grant anything', async () => {
    const res = await server.request.post(`${rbac}/clusterroles`).send(clusterRole('anything', [{ nonResourceURLs: ['*'], verbs: ['*'] }]));
    expect(res.status).toBe(201);
  });
});

describe('RBAC object validation', () => {
  it('refuses non-resource URLs in a Role', async () => {
    const res = await server.request.post(`${rbac}/namespaces/${ns}/roles`).send(role('bad', [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Role.rbac.authorization.k8s.io "bad" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: namespaced rules cannot apply to non-resource URLs');
  });

  it('requires verbs, apiGroups and resources', async () => {
    const res = await server.request.post(`${rbac}/clusterroles`).send(clusterRole('bad', [{ verbs: [] }]));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('ClusterRole.rbac.authorization.k8s.io "bad" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[0].resources: Required value: resource rules must supply at least one resource]');
  });

  it('allows only ClusterRoles in a ClusterRoleBinding, and needs SA namespaces there', async () => {
    const body = { ...clusterRoleBinding('bad', 'x', [{ kind: 'ServiceAccount', name: 'sa' }]), roleRef: { apiGroup: g, kind: 'Role', name: 'x' } };
    const res = await server.request.post(`${rbac}/clusterrolebindings`).send(body);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('ClusterRoleBinding.rbac.authorization.k8s.io "bad" is invalid: [roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", subjects[0].namespace: Required value]');
  });

  it('defaults apiGroups of roleRef and User subjects, and keeps roleRef immutable', async () => {
    const created = await server.request.post(`${rbac}/namespaces/${ns}/rolebindings`).send({
      apiVersion: `${g}/v1`, kind: 'RoleBinding', metadata: { name: 'defaults' },
      roleRef: { kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'u' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.roleRef).toEqual({ apiGroup: g, kind: 'Role', name: 'pod-reader' });
    expect(created.body.subjects).toEqual([{ kind: 'User', apiGroup: g, name: 'u' }]);
    const res = await server.request.put(`${rbac}/namespaces/${ns}/rolebindings/defaults`).send({ ...created.body, roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'view' } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('RoleBinding.rbac.authorization.k8s.io "defaults" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef');
  });
});
