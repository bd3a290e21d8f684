/**
 * The default RBAC policy as kubectl sees it on a started cluster: the apiserver reconciles it
 * at start (post-start hook rbac/bootstrap-roles) before /readyz passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { Kubectl, kubectlBinaries, tableHeader, tableRecords } from '../helpers/kubectl.ts';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-bootstrap-policy' });
});

afterAll(async () => {
  await cluster?.stop();
});

describe.each(kubectlBinaries())('$label', (binary) => {
  let k: Kubectl;

  beforeAll(() => {
    k = new Kubectl(cluster, binary);
  });

  it('kubectl get clusterroles lists the defaults', async () => {
    const rows = tableRecords(await k.ok(['get', 'clusterroles']));
    const names = rows.map((r) => r.NAME);
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect(names.length).toBeLessThanOrEqual(68);
    expect(names).toEqual(expect.arrayContaining([
      'admin', 'cluster-admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer',
      'system:kube-scheduler', 'system:kube-controller-manager', 'system:node', 'system:node-proxier',
      'system:controller:deployment-controller', 'system:controller:namespace-controller',
    ]));
  });

  it('kubectl get clusterrolebinding cluster-admin -o wide shows system:masters', async () => {
    const out = await k.ok(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']);
    expect(tableHeader(out)).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    const [row] = tableRecords(out);
    expect(row).toMatchObject({ NAME: 'cluster-admin', ROLE: 'ClusterRole/cluster-admin', USERS: '', GROUPS: 'system:masters', SERVICEACCOUNTS: '' });
  });

  it('kubectl get clusterrolebindings counts the defaults; a controller binding names its service account', async () => {
    const rows = tableRecords(await k.ok(['get', 'clusterrolebindings', '-o', 'wide']));
    expect(rows.length).toBeGreaterThanOrEqual(42);
    expect(rows.length).toBeLessThanOrEqual(48);
    expect(rows.find((r) => r.NAME === 'system:controller:job-controller')).toMatchObject({
      ROLE: 'ClusterRole/system:controller:job-controller', SERVICEACCOUNTS: 'kube-system/job-controller',
    });
  });

  it('kubectl get rolebindings -n kube-system shows the leader-locking bindings', async () => {
    const rows = tableRecords(await k.ok(['get', 'rolebindings', '-n', 'kube-system']));
    expect(rows.map((r) => r.NAME)).toEqual(expect.arrayContaining([
      'system::extension-apiserver-authentication-reader', 'system::leader-locking-kube-controller-manager',
      'system::leader-locking-kube-scheduler', 'system:controller:bootstrap-signer', 'system:controller:token-cleaner',
    ]));
  });

  it('the rbac/bootstrap-roles post-start hook reports ok in /readyz', async () => {
    const out = await k.ok(['get', '--raw', '/readyz?verbose']);
    expect(out).toContain('[+]poststarthook/rbac/bootstrap-roles ok');
    expect(await k.ok(['get', '--raw', '/readyz/poststarthook/rbac/bootstrap-roles'])).toBe('ok');
  });
});
