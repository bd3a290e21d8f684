/**
 * RBAC with real kubectl: the admin (system:masters) creates a Role and a RoleBinding with
 * `kubectl create role|rolebinding`, `kubectl get` prints their columns, and a non-admin user with
 * a client certificate from the cluster CA may then read ConfigMaps but not create or delete them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { userTarget } from '../helpers/client-cert.ts';
import { Kubectl, kubectlBinaries, splitTables, tableHeader, tableRecords, type KubectlTarget } from '../helpers/kubectl.ts';

const ns = 'rbac-e2e';
const userName = 'rbac-user';

let cluster: TestCluster;
let userKubeconfig: KubectlTarget;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-kubectl-rbac' });
  userKubeconfig = await userTarget(cluster, userName, ['rbac-testers']);
  const admin = new Kubectl(cluster, kubectlBinaries()[0]!);
  await admin.ok(['create', 'namespace', ns]);
  await admin.ok(['create', 'configmap', 'settings', '-n', ns, '--from-literal=a=b']);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe.each(kubectlBinaries())('$label', (binary) => {
  let admin: Kubectl;
  let user: Kubectl;
  const suffix = binary.label.replace(/[^a-z0-9]/g, '-');
  const roleName = `cm-reader-${suffix}`;

  beforeAll(() => {
    admin = new Kubectl(cluster, binary);
    user = new Kubectl(userKubeconfig, binary);
  });

  it('the user is forbidden what no binding grants, with the exact message', async () => {
    const err = await user.fails(['get', 'secret', 'token', '-n', ns]);
    expect(err.trim()).toBe(`Error from server (Forbidden): secrets "token" is forbidden: User "${userName}" cannot get resource "secrets" in API group "" in the namespace "${ns}"`);
  });

  it('kubectl create role and rolebinding', async () => {
    expect((await admin.ok(['create', 'role', roleName, '--verb=get,list', '--resource=configmaps', '-n', ns])).trim())
      .toBe(`role.rbac.authorization.k8s.io/${roleName} created`);
    expect((await admin.ok(['create', 'rolebinding', roleName, `--role=${roleName}`, `--user=${userName}`, '-n', ns])).trim())
      .toBe(`rolebinding.rbac.authorization.k8s.io/${roleName} created`);
    const role = JSON.parse(await admin.ok(['get', 'role', roleName, '-n', ns, '-o', 'json']));
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]);
  });

  it('kubectl get roles,rolebindings prints the server columns', async () => {
    const out = await admin.ok(['get', 'roles,rolebindings', '-n', ns, '-o', 'wide']);
    const [roles, bindings] = splitTables(out);
    expect(tableHeader(roles!)).toEqual(['NAME', 'CREATED AT']);
    const roleRow = tableRecords(roles!).find((r) => r.NAME === `role.rbac.authorization.k8s.io/${roleName}`);
    expect(roleRow?.['CREATED AT']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(tableHeader(bindings!)).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    expect(tableRecords(bindings!).find((r) => r.NAME === `rolebinding.rbac.authorization.k8s.io/${roleName}`))
      .toMatchObject({ ROLE: `Role/${roleName}`, USERS: userName, GROUPS: '', SERVICEACCOUNTS: '' });
  });

  it('the bound user may get but not create or delete', async () => {
    expect(await user.ok(['get', 'configmap', 'settings', '-n', ns, '-o', 'jsonpath={.data.a}'])).toBe('b');
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `new-${suffix}`, namespace: ns } });
    const created = await user.fails(['create', '-f', '-'], { input: manifest });
    expect(created.trim()).toBe(`Error from server (Forbidden): error when creating "STDIN": configmaps is forbidden: User "${userName}" cannot create resource "configmaps" in API group "" in the namespace "${ns}"`);
    const deleted = await user.fails(['delete', 'configmap', 'settings', '-n', ns]);
    expect(deleted.trim()).toBe(`Error from server (Forbidden): configmaps "settings" is forbidden: User "${userName}" cannot delete resource "configmaps" in API group "" in the namespace "${ns}"`);
    expect((await admin.ok(['get', 'configmap', 'settings', '-n', ns, '-o', 'name'])).trim()).toBe('configmap/settings');
  });

  it('kubectl auth can-i answers from RBAC', async () => {
    expect((await user.ok(['auth', 'can-i', 'list', 'configmaps', '-n', ns])).trim()).toBe('yes');
    const no = await user.run(['auth', 'can-i', 'create', 'configmaps', '-n', ns]);
    expect(no.stdout.trim()).toBe('no');
  });

  it('the user cannot grant itself more: creating roles is refused, then escalation is', async () => {
    const grab = `grab-${suffix}`;
    // Where no binding lets it create roles (the namespace "default"), authorization refuses first.
    const refused = await user.fails(['create', 'role', grab, '--verb=get', '--resource=secrets', '-n', 'default']);
    expect(refused.trim()).toBe(`Error from server (Forbidden): roles.rbac.authorization.k8s.io is forbidden: User "${userName}" cannot create resource "roles" in API group "rbac.authorization.k8s.io" in the namespace "default"`);
    await admin.ok(['create', 'role', `role-creator-${suffix}`, '--verb=create', '--resource=roles.rbac.authorization.k8s.io', '-n', ns]);
    await admin.ok(['create', 'rolebinding', `role-creator-${suffix}`, `--role=role-creator-${suffix}`, `--user=${userName}`, '-n', ns]);
    const escalation = await user.fails(['create', 'role', grab, '--verb=get', '--resource=secrets', '-n', ns]);
    expect(escalation.trim()).toBe(`Error from server (Forbidden): roles.rbac.authorization.k8s.io "${grab}" is forbidden: user "${userName}" (groups=["rbac-testers" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`);
    // What the user holds it may grant.
    expect((await user.ok(['create', 'role', grab, '--verb=get', '--resource=configmaps', '-n', ns])).trim()).toBe(`role.rbac.authorization.k8s.io/${grab} created`);
  });
});
