/**
 * kube-controller-manager as a user meets it: every namespace gets a "default" ServiceAccount and
 * the kube-root-ca.crt ConfigMap, deleting a namespace removes what it holds, and the system
 * namespaces cannot be deleted.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { eventually } from '../helpers/eventually.ts';
import { Kubectl, kubectlBinaries } from '../helpers/kubectl.ts';

let cluster: TestCluster;
let k: Kubectl;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-kcm', components: ['kube-controller-manager'] });
  k = new Kubectl(cluster, kubectlBinaries([])[0]!);
});

afterAll(async () => {
  await cluster?.stop();
});

describe('kube-controller-manager', () => {
  it('gives a new namespace its default ServiceAccount and the cluster CA bundle', async () => {
    await k.ok(['create', 'namespace', 'team-a']);
    await eventually(async () => {
      expect((await k.ok(['get', 'sa', '-n', 'team-a', '-o', 'name'])).trim()).toBe('serviceaccount/default');
    });
    await eventually(async () => {
      const ca = await k.ok(['get', 'cm', 'kube-root-ca.crt', '-n', 'team-a', '-o', 'jsonpath={.data.ca\\.crt}']);
      expect(ca).toBe(cluster.tls.ca);
    });
  });

  it('re-creates the default ServiceAccount when it is deleted', async () => {
    await k.ok(['delete', 'sa', 'default', '-n', 'team-a']);
    await eventually(async () => {
      expect((await k.ok(['get', 'sa', '-n', 'team-a', '-o', 'name'])).trim()).toBe('serviceaccount/default');
    });
  });

  it('deletes what a namespace holds before the namespace goes', async () => {
    await k.ok(['create', 'namespace', 'doomed']);
    await k.ok(['create', 'configmap', 'data', '-n', 'doomed', '--from-literal=a=b']);
    await k.ok(['create', 'deployment', 'web', '-n', 'doomed', '--image=nginx']);
    const out = await k.ok(['delete', 'namespace', 'doomed', '--timeout=30s']);
    expect(out.trim()).toBe('namespace "doomed" deleted');
    expect(await k.fails(['get', 'namespace', 'doomed'])).toContain('Error from server (NotFound): namespaces "doomed" not found');
    const left = await k.ok(['get', 'configmaps,deployments', '-n', 'doomed', '-o', 'name']);
    expect(left.trim()).toBe('');
  });

  it('refuses to delete the system namespaces', async () => {
    const err = await k.fails(['delete', 'namespace', 'default']);
    expect(err).toContain('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
    expect(await k.ok(['get', 'ns', 'default', '-o', 'jsonpath={.status.phase}'])).toBe('Active');
  });
});

describe('kube-controller-manager credentials (least privilege)', () => {
  it('authenticates as system:kube-controller-manager, which is not an administrator', async () => {
    const own = new Kubectl({ ...cluster, kubeconfig: join(cluster.dir, 'kube-controller-manager.kubeconfig') }, kubectlBinaries([])[0]!);
    const whoami = await own.ok(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}']);
    expect(whoami).toBe('system:kube-controller-manager ["system:authenticated"]');
    expect((await own.fails(['create', 'namespace', 'not-allowed'])).trim()).toBe(
      'Error from server (Forbidden): namespaces is forbidden: User "system:kube-controller-manager" cannot create resource "namespaces" in API group "" at the cluster scope');
  });

  it('runs each controller as its own service account in kube-system', async () => {
    await eventually(async () => {
      const names = (await k.ok(['get', 'serviceaccounts', '-n', 'kube-system', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
      for (const sa of ['namespace-controller', 'service-account-controller', 'root-ca-cert-publisher']) expect(names).toContain(sa);
    });
    // Each account holds only its controller's role.
    const can = await k.ok(['auth', 'can-i', 'create', 'serviceaccounts', '-n', 'default',
      '--as=system:serviceaccount:kube-system:service-account-controller']);
    expect(can.trim()).toBe('yes');
    const cannot = await k.run(['auth', 'can-i', 'delete', 'namespaces', '--as=system:serviceaccount:kube-system:service-account-controller']);
    expect(cannot.stdout.trim()).toBe('no');
  });
});
