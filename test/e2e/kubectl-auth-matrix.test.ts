/**
 * Everyday access control with real kubectl 1.27, 1.32 (the dispatcher) and 1.33, on a cluster with
 * the controller-manager (which aggregates the default `view` role): a user bound to `view` in one
 * namespace reads but does not write there, `auth can-i` answers yes and no, and `auth can-i --list`
 * lists what the user may do, from SelfSubjectRulesReview.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { userTarget } from '../helpers/client-cert.ts';
import { eventually } from '../helpers/eventually.ts';
import { Kubectl, kubectlBinaries, type KubectlTarget } from '../helpers/kubectl.ts';

const ns = 'viewing';
const userName = 'vera';
let cluster: TestCluster;
let vera: KubectlTarget;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-auth-matrix', components: ['kube-controller-manager'] });
  vera = await userTarget(cluster, userName, ['auditors']);
  const admin = new Kubectl(cluster, kubectlBinaries([])[0]!);
  await admin.ok(['create', 'namespace', ns]);
  await admin.ok(['create', 'configmap', 'settings', '-n', ns, '--from-literal=mode=blue']);
  await admin.ok(['create', 'rolebinding', 'vera-view', '--clusterrole=view', `--user=${userName}`, '-n', ns]);
  // view is an aggregated role: its rules arrive once the controller-manager has aggregated them.
  await eventually(async () => {
    expect(await admin.ok(['get', 'clusterrole', 'view', '-o', 'jsonpath={.rules[*].resources}'])).toContain('configmaps');
  });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe.each(kubectlBinaries(['1.27', '1.33']))('$label', (binary) => {
  let user: Kubectl;
  let admin: Kubectl;
  beforeAll(() => {
    user = new Kubectl(vera, binary);
    admin = new Kubectl(cluster, binary);
  });

  it('a RoleBinding to view lets the user read, not write, in that namespace only', async () => {
    expect(await user.ok(['get', 'configmap', 'settings', '-n', ns, '-o', 'jsonpath={.data.mode}'])).toBe('blue');
    expect((await user.fails(['create', 'configmap', 'mine', '-n', ns])).trim()).toBe(
      `error: failed to create configmap: configmaps is forbidden: User "${userName}" cannot create resource "configmaps" in API group "" in the namespace "${ns}"`);
    expect((await user.fails(['get', 'secrets', '-n', ns])).trim()).toBe(
      `Error from server (Forbidden): secrets is forbidden: User "${userName}" cannot list resource "secrets" in API group "" in the namespace "${ns}"`);
    expect((await user.fails(['get', 'configmaps', '-n', 'default'])).trim()).toBe(
      `Error from server (Forbidden): configmaps is forbidden: User "${userName}" cannot list resource "configmaps" in API group "" in the namespace "default"`);
  });

  it('auth can-i answers yes and no, for the user and for the admin asking --as', async () => {
    expect((await user.ok(['auth', 'can-i', 'list', 'pods', '-n', ns])).trim()).toBe('yes');
    const no = await user.run(['auth', 'can-i', 'delete', 'pods', '-n', ns]);
    expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
    const asVera = await admin.run(['auth', 'can-i', 'get', 'secrets', '-n', ns, `--as=${userName}`]);
    expect([asVera.code, asVera.stdout.trim()]).toEqual([1, 'no']);
    expect((await admin.ok(['auth', 'can-i', '*', '*'])).trim()).toBe('yes');
  });

  it('auth can-i --list shows the rules of view and of the defaults every user has', async () => {
    const out = await user.ok(['auth', 'can-i', '--list', '-n', ns]);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    const row = (resource: string) => lines.find((l) => l.startsWith(`${resource} `));
    expect(row('configmaps')).toMatch(/\[\]\s+\[\]\s+\[get list watch\]$/);
    expect(row('selfsubjectaccessreviews.authorization.k8s.io')).toMatch(/\[create\]$/);
    expect(lines.some((l) => /^\s+\[\/version\]\s+\[\]\s+\[get\]$/.test(l))).toBe(true);
    expect(row('secrets')).toBeUndefined();
  });

  it('auth whoami names the certificate\'s user and groups', async () => {
    const out = await user.ok(['auth', 'whoami']);
    expect(out).toMatch(new RegExp(`Username\\s+${userName}`));
    expect(out).toMatch(/Groups\s+\[auditors system:authenticated\]/);
  });
});
