/**
 * The default RBAC policy reconciled into a fresh server (kube-apiserver's rbac/bootstrap-roles
 * post-start hook): every default object is created once, a second run writes nothing, objects
 * marked autoupdate "false" are left alone, and deleted or trimmed defaults are restored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { reconcileBootstrapPolicy } from '../../pkg/auth/rbac/bootstrap-policy/index.ts';

let server: TestServer;
const rbac = '/apis/rbac.authorization.k8s.io/v1';
const defaults = { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } };

beforeAll(async () => { server = await startTestServer({ bootstrapPolicy: true }); });
afterAll(async () => { await server?.close(); });

const get = async (path: string) => {
  const res = await server.request.get(`${rbac}/${path}`);
  expect(res.status, `GET ${path}`).toBe(200);
  return res.body;
};
const versions = async (plural: string): Promise<Record<string, string>> => {
  const list = await get(plural);
  return Object.fromEntries(list.items.map((o: { metadata: { namespace?: string; name: string; resourceVersion: string } }) =>
    [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion]));
};

describe('a fresh server', () => {
  it('has the 64 default ClusterRoles and 45 ClusterRoleBindings, all labelled and auto-updated', async () => {
    const roles = await get('clusterroles');
    const bindings = await get('clusterrolebindings');
    expect(roles.items).toHaveLength(64);
    expect(bindings.items).toHaveLength(45);
    for (const o of [...roles.items, ...bindings.items]) {
      expect(o.metadata.labels, o.metadata.name).toMatchObject(defaults.labels);
      expect(o.metadata.annotations, o.metadata.name).toEqual(defaults.annotations);
    }
  });

  it('has the kube-system and kube-public Roles and RoleBindings', async () => {
    const names = (list: { items: Array<{ metadata: { namespace: string; name: string } }> }) =>
      list.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
    expect(names(await get('roles'))).toEqual([
      'kube-public/system:controller:bootstrap-signer',
      'kube-system/extension-apiserver-authentication-reader',
      'kube-system/system::leader-locking-kube-controller-manager',
      'kube-system/system::leader-locking-kube-scheduler',
      'kube-system/system:controller:bootstrap-signer',
      'kube-system/system:controller:cloud-provider',
      'kube-system/system:controller:token-cleaner',
    ]);
    expect(names(await get('rolebindings'))).toEqual([
      'kube-public/system:controller:bootstrap-signer',
      'kube-system/system::extension-apiserver-authentication-reader',
      'kube-system/system::leader-locking-kube-controller-manager',
      'kube-system/system::leader-locking-kube-scheduler',
      'kube-system/system:controller:bootstrap-signer',
      'kube-system/system:controller:cloud-provider',
      'kube-system/system:controller:token-cleaner',
    ]);
  });

  it('cluster-admin may do anything and is bound to system:masters', async () => {
    const role = await get('clusterroles/cluster-admin');
    expect(role).toMatchObject({ kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'cluster-admin', ...defaults } });
    expect(role.rules).toEqual([
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ]);
    expect(role.aggregationRule).toBeUndefined();
    const binding = await get('clusterrolebindings/cluster-admin');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    expect(binding.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]);
  });

  it('system:discovery lets authenticated users read the discovery and health URLs', async () => {
    expect((await get('clusterroles/system:discovery')).rules).toEqual([{
      verbs: ['get'],
      nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
    }]);
    expect((await get('clusterrolebindings/system:discovery')).subjects)
      .toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }]);
    expect((await get('clusterrolebindings/system:public-info-viewer')).subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:unauthenticated' },
    ]);
  });

  it('system:node-proxier has kube-proxy\'s rules and is bound to the system:kube-proxy user', async () => {
    expect((await get('clusterroles/system:node-proxier')).rules).toEqual([
      { verbs: ['list', 'watch'], apiGroups: [''], resources: ['endpoints', 'services'] },
      { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['nodes'] },
      { verbs: ['create', 'patch', 'update'], apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
      { verbs: ['list', 'watch'], apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
    ]);
    expect((await get('clusterrolebindings/system:node-proxier')).subjects)
      .toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:kube-proxy' }]);
  });

  it('binds each controller role to its service account in kube-system', async () => {
    const binding = await get('clusterrolebindings/system:controller:deployment-controller');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:controller:deployment-controller' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'deployment-controller', namespace: 'kube-system' }]);
    // system:node keeps its binding with no subjects since the Node authorizer took over.
    expect((await get('clusterrolebindings/system:node')).subjects).toBeUndefined();
  });

  it('creates admin/edit/view empty with their aggregation rules, chained by labels', async () => {
    const admin = await get('clusterroles/admin');
    expect(admin.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] });
    const edit = await get('clusterroles/edit');
    expect(edit.metadata.labels).toEqual({ ...defaults.labels, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
    expect(edit.aggregationRule.clusterRoleSelectors[0].matchLabels).toEqual({ 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' });
    const view = await get('clusterroles/system:aggregate-to-view');
    expect(view.metadata.labels).toEqual({ ...defaults.labels, 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
  });
});

describe('reconciling again', () => {
  it('writes nothing: every resourceVersion is unchanged', async () => {
    const before = await Promise.all(['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'].map(versions));
    const summary = await reconcileBootstrapPolicy(server.registry);
    expect(summary.writes).toBe(0);
    expect(summary.outcomes.size).toBe(64 + 45 + 7 + 7);
    const after = await Promise.all(['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'].map(versions));
    expect(after).toEqual(before);
  });

  it('leaves an object annotated autoupdate "false" alone, even with rules missing', async () => {
    const role = await get('clusterroles/system:heapster');
    role.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'] = 'false';
    role.rules = [role.rules[0]];
    const put = await server.request.put(`${rbac}/clusterroles/system:heapster`).send(role);
    expect(put.status).toBe(200);
    const summary = await reconcileBootstrapPolicy(server.registry);
    expect(summary.outcomes.get('clusterroles//system:heapster')).toBe('protected');
    const after = await get('clusterroles/system:heapster');
    expect(after.metadata.resourceVersion).toBe(put.body.metadata.resourceVersion);
    expect(after.rules).toHaveLength(1);
  });

  it('adds back missing rules and subjects (never removing any) and keeps user labels', async () => {
    const role = await get('clusterroles/system:kube-dns');
    const extra = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    role.rules = [extra];
    role.metadata.labels = { team: 'dns' };
    delete role.metadata.annotations;
    expect((await server.request.put(`${rbac}/clusterroles/system:kube-dns`).send(role)).status).toBe(200);
    const binding = await get('clusterrolebindings/system:kube-scheduler');
    const mine = { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'someone' };
    binding.subjects = [mine];
    expect((await server.request.put(`${rbac}/clusterrolebindings/system:kube-scheduler`).send(binding)).status).toBe(200);

    const summary = await reconcileBootstrapPolicy(server.registry);
    expect(summary.outcomes.get('clusterroles//system:kube-dns')).toBe('updated');
    expect(summary.outcomes.get('clusterrolebindings//system:kube-scheduler')).toBe('updated');
    expect(summary.writes).toBe(2);
    const dns = await get('clusterroles/system:kube-dns');
    // The missing rule comes back broken down into single verb/resource pieces, after the user's.
    expect(dns.rules).toEqual([
      extra,
      { verbs: ['list'], apiGroups: [''], resources: ['endpoints'] },
      { verbs: ['watch'], apiGroups: [''], resources: ['endpoints'] },
      { verbs: ['list'], apiGroups: [''], resources: ['services'] },
      { verbs: ['watch'], apiGroups: [''], resources: ['services'] },
    ]);
    expect(dns.metadata.labels).toEqual({ team: 'dns', ...defaults.labels });
    expect(dns.metadata.annotations).toEqual(defaults.annotations);
    expect((await get('clusterrolebindings/system:kube-scheduler')).subjects)
      .toEqual([mine, { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:kube-scheduler' }]);
  });

  it('recreates a deleted default', async () => {
    expect((await server.request.delete(`${rbac}/clusterroles/system:controller:job-controller`)).status).toBe(200);
    expect((await server.request.delete(`${rbac}/namespaces/kube-system/rolebindings/system:controller:token-cleaner`)).status).toBe(200);
    expect((await server.request.get(`${rbac}/clusterroles/system:controller:job-controller`)).status).toBe(404);
    const summary = await reconcileBootstrapPolicy(server.registry);
    expect(summary.outcomes.get('clusterroles//system:controller:job-controller')).toBe('created');
    expect(summary.outcomes.get('rolebindings/kube-system/system:controller:token-cleaner')).toBe('created');
    expect(summary.writes).toBe(2);
    const job = await get('clusterroles/system:controller:job-controller');
    expect(job.rules[0]).toEqual({ verbs: ['get', 'list', 'patch', 'update', 'watch'], apiGroups: ['batch'], resources: ['jobs'] });
    expect(job.metadata).toMatchObject(defaults);
  });

  it('puts a binding whose roleRef was changed back on its default role (delete and create)', async () => {
    // roleRef is immutable, so the binding is removed and made again pointing at another role.
    expect((await server.request.delete(`${rbac}/clusterrolebindings/system:monitoring`)).status).toBe(200);
    const wrong = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
      metadata: { name: 'system:monitoring', annotations: defaults.annotations },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:monitoring' }],
    };
    const created = await server.request.post(`${rbac}/clusterrolebindings`).send(wrong);
    expect(created.status).toBe(201);
    const summary = await reconcileBootstrapPolicy(server.registry);
    expect(summary.outcomes.get('clusterrolebindings//system:monitoring')).toBe('recreated');
    const fixed = await get('clusterrolebindings/system:monitoring');
    expect(fixed.roleRef.name).toBe('system:monitoring');
    expect(fixed.metadata.uid).not.toBe(created.body.metadata.uid);
  });

  it('two apiservers reconciling at once both succeed and create each object once', async () => {
    const other = await startTestServer();
    try {
      const [a, b] = await Promise.all([reconcileBootstrapPolicy(other.registry), reconcileBootstrapPolicy(other.registry)]);
      expect(a.writes + b.writes).toBe(64 + 45 + 7 + 7);
      expect((await other.request.get(`${rbac}/clusterroles`)).body.items).toHaveLength(64);
    } finally {
      await other.close();
    }
  });
});
