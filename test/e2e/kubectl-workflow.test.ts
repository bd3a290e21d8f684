/**
 * Everyday kubectl flows against the whole local cluster, once per kubectl binary: the
 * dispatcher on PATH (picks 1.32 from /version) and the oldest and newest versioned clients.
 * 1.32 and 1.33 send protobuf bodies for `create <kind>`, `run` and `expose`; 1.27 sends JSON.
 * Each binary works in its own namespace, so the three flows never see each other's objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump, load } from 'js-yaml';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { Kubectl, kubectlBinaries, splitTables, tableHeader, tableRecords } from '../helpers/kubectl.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed kubectl output

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-workflow', components: ['kube-controller-manager'] });
});

afterAll(async () => {
  await cluster?.stop();
});

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

describe.each(kubectlBinaries())('$label', (binary) => {
  const ns = `e2e-${binary.label.replace(/\./g, '-')}`;
  let k: Kubectl;
  /** Runs in the binary's namespace. */
  const inNs = (...args: string[]): string[] => [...args, '-n', ns];

  beforeAll(() => {
    k = new Kubectl(cluster, binary);
  });

  it('creates a namespace and lists it with the system namespaces', async () => {
    expect((await k.ok(['create', 'namespace', ns])).trim()).toBe(`namespace/${ns} created`);
    const out = await k.ok(['get', 'ns']);
    expect(tableHeader(out)).toEqual(['NAME', 'STATUS', 'AGE']);
    const rows = tableRecords(out);
    for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system', ns]) {
      const row = rows.find((r) => r.NAME === name);
      expect(row, `${name} in\n${out}`).toBeDefined();
      expect(row!.STATUS).toBe('Active');
      expect(row!.AGE).toMatch(/^\d+[smhd]/);
    }
  });

  it('creates objects with the imperative commands', async () => {
    const [cm, secret, deploy, svc, sa, pod] = await Promise.all([
      k.ok(inNs('create', 'configmap', 'cm1', '--from-literal=a=1', '--from-literal=b=2')),
      k.ok(inNs('create', 'secret', 'generic', 's1', '--from-literal=user=admin')),
      k.ok(inNs('create', 'deployment', 'web', '--image=nginx')),
      k.ok(inNs('create', 'service', 'clusterip', 'svc1', '--tcp=80:8080')),
      k.ok(inNs('create', 'serviceaccount', 'sa1')),
      k.ok(inNs('run', 'pod1', '--image=nginx')),
    ]);
    expect(cm.trim()).toBe('configmap/cm1 created');
    expect(secret.trim()).toBe('secret/s1 created');
    expect(deploy.trim()).toBe('deployment.apps/web created');
    expect(svc.trim()).toBe('service/svc1 created');
    expect(sa.trim()).toBe('serviceaccount/sa1 created');
    expect(pod.trim()).toBe('pod/pod1 created');
    expect((await k.ok(inNs('expose', 'deployment', 'web', '--port=80', '--target-port=8080'))).trim()).toBe(
      'service/web exposed',
    );
  });

  it('stores what the commands sent, with the server defaults', async () => {
    const getJson = async (kind: string, name: string): Promise<Json> =>
      JSON.parse(await k.ok(inNs('get', kind, name, '-o', 'json'))) as Json;
    const [deploy, secret, svc, pod] = await Promise.all([
      getJson('deployment', 'web'),
      getJson('secret', 's1'),
      getJson('service', 'web'),
      getJson('pod', 'pod1'),
    ]);
    expect(deploy.kind).toBe('Deployment');
    expect(deploy.apiVersion).toBe('apps/v1');
    expect(deploy.metadata.labels).toEqual({ app: 'web' });
    expect(deploy.metadata.generation).toBe(1);
    expect(deploy.spec.replicas).toBe(1);
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(deploy.spec.revisionHistoryLimit).toBe(10);
    expect(deploy.spec.progressDeadlineSeconds).toBe(600);
    expect(deploy.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const container = deploy.spec.template.spec.containers[0];
    expect(container).toMatchObject({ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always' });
    expect(container.terminationMessagePath).toBe('/dev/termination-log');
    expect(deploy.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });

    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data.user, 'base64').toString()).toBe('admin');

    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(svc.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 8080 }]);

    expect(pod.metadata.labels).toEqual({ run: 'pod1' });
    expect(pod.status.phase).toBe('Pending');
    expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(pod.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(pod.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('gets several kinds across all namespaces with the real columns', async () => {
    const out = await k.ok(['get', 'deploy,cm,svc,sa', '-A']);
    const tables = splitTables(out);
    const byHeader = (first: string): Record<string, string>[] => {
      const t = tables.find((table) => tableHeader(table).join(' ').startsWith(first));
      expect(t, `table "${first}" in\n${out}`).toBeDefined();
      return tableRecords(t!).filter((r) => r.NAMESPACE === ns || r.NAME === 'service/kubernetes');
    };
    const deploys = byHeader('NAMESPACE NAME READY UP-TO-DATE AVAILABLE AGE');
    expect(deploys).toHaveLength(1);
    expect(deploys[0]).toMatchObject({ NAME: 'deployment.apps/web', 'UP-TO-DATE': expect.stringMatching(/^\d+$/) });
    expect(deploys[0]!.READY).toMatch(/^\d+\/1$/);

    const cms = byHeader('NAMESPACE NAME DATA AGE').filter((r) => r.NAME === 'configmap/cm1');
    expect(cms).toEqual([expect.objectContaining({ NAMESPACE: ns, DATA: '2' })]);

    const svcs = byHeader('NAMESPACE NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE');
    const svc = (name: string): Record<string, string> | undefined => svcs.find((r) => r.NAME === `service/${name}`);
    expect(svc('kubernetes')).toMatchObject({ NAMESPACE: 'default', TYPE: 'ClusterIP', 'CLUSTER-IP': '10.96.0.1', 'EXTERNAL-IP': '<none>', 'PORT(S)': '443/TCP' });
    expect(svc('svc1')).toMatchObject({ TYPE: 'ClusterIP', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80/TCP' });
    expect(svc('web')).toMatchObject({ TYPE: 'ClusterIP', 'PORT(S)': '80/TCP' });

    const sas = byHeader('NAMESPACE NAME SECRETS AGE').filter((r) => r.NAME === 'serviceaccount/sa1');
    expect(sas).toEqual([expect.objectContaining({ SECRETS: '0' })]);
  });

  it('prints -o wide, -o name and --show-labels like kubectl', async () => {
    const [deployWide, svcWide, podWide, names, labels, secrets] = await Promise.all([
      k.ok(inNs('get', 'deploy', '-o', 'wide')),
      k.ok(inNs('get', 'svc', '-o', 'wide')),
      k.ok(inNs('get', 'pods', '-o', 'wide')),
      k.ok(inNs('get', 'deploy,svc,cm', '-o', 'name')),
      k.ok(inNs('get', 'pods', '--show-labels')),
      k.ok(inNs('get', 'secrets')),
    ]);
    expect(tableHeader(deployWide)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(tableRecords(deployWide)[0]).toMatchObject({ NAME: 'web', CONTAINERS: 'nginx', IMAGES: 'nginx', SELECTOR: 'app=web' });

    expect(tableHeader(svcWide)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(tableRecords(svcWide).map((r) => [r.NAME, r.SELECTOR])).toEqual([
      ['svc1', 'app=svc1'],
      ['web', 'app=web'],
    ]);

    expect(tableHeader(podWide)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(tableRecords(podWide).find((r) => r.NAME === 'pod1')).toMatchObject({
      READY: expect.stringMatching(/^[01]\/1$/),
      RESTARTS: '0',
      'NOMINATED NODE': '<none>',
      'READINESS GATES': '<none>',
    });

    // kube-root-ca.crt appears once a controller-manager publishes it.
    expect(lines(names).filter((l) => l !== 'configmap/kube-root-ca.crt')).toEqual([
      'deployment.apps/web',
      'service/svc1',
      'service/web',
      'configmap/cm1',
    ]);

    expect(tableHeader(labels)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
    expect(tableRecords(labels).find((r) => r.NAME === 'pod1')?.LABELS).toBe('run=pod1');

    expect(tableHeader(secrets)).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(tableRecords(secrets).find((r) => r.NAME === 's1')).toMatchObject({ TYPE: 'Opaque', DATA: '1' });
  });

  it('filters with label and field selectors', async () => {
    await k.ok(inNs('run', 'pod2', '--image=nginx', '--labels=tier=backend,app=api'));
    // Only our two pods: a deployment controller may add web-* pods to the namespace.
    const ours = new Set(['pod/pod1', 'pod/pod2']);
    const get = async (...sel: string[]): Promise<string[]> =>
      lines(await k.ok(inNs('get', 'pods', '-o', 'name', ...sel))).filter((l) => ours.has(l));
    const results = await Promise.all([
      get('-l', 'tier=backend'),
      get('-l', 'tier in (backend,frontend)'),
      get('-l', '!tier'),
      get('-l', 'tier!=backend'),
      get('-l', 'app=api,tier'),
      get('--field-selector', 'metadata.name=pod1'),
      get('--field-selector', 'spec.schedulerName=default-scheduler'),
      get('--field-selector', 'metadata.name!=pod1'),
    ]);
    expect(results).toEqual([
      ['pod/pod2'],
      ['pod/pod2'],
      ['pod/pod1'],
      ['pod/pod1'],
      ['pod/pod2'],
      ['pod/pod1'],
      ['pod/pod1', 'pod/pod2'],
      ['pod/pod2'],
    ]);
    const none = await k.run(inNs('get', 'pods', '--field-selector', 'status.phase=Failed'));
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr.trim()).toBe(`No resources found in ${ns} namespace.`);
  });

  it('round-trips -o yaml through replace and reports a stale write as Conflict', async () => {
    const yaml = await k.ok(inNs('get', 'configmap', 'cm1', '-o', 'yaml'));
    const obj = load(yaml) as Json;
    expect(obj).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1', b: '2' } });
    obj.data.c = '3';
    expect((await k.ok(['replace', '-f', '-'], { input: dump(obj) })).trim()).toBe('configmap/cm1 replaced');
    const after = JSON.parse(await k.ok(inNs('get', 'configmap', 'cm1', '-o', 'json'))) as Json;
    expect(after.data).toEqual({ a: '1', b: '2', c: '3' });
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(obj.metadata.resourceVersion));
    // The same YAML again carries the old resourceVersion.
    const stale = await k.fails(['replace', '-f', '-'], { input: dump(obj) });
    expect(stale.trim()).toBe(
      `Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "cm1": ` +
        'the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('labels, annotates, patches and scales', async () => {
    expect((await k.ok(inNs('label', 'pod', 'pod1', 'env=prod'))).trim()).toBe('pod/pod1 labeled');
    // kubectl 1.27 itself prints "annotate" (its own message, fixed in 1.28).
    expect((await k.ok(inNs('annotate', 'deployment', 'web', 'note=hello'))).trim()).toMatch(/^deployment\.apps\/web annotated?$/);
    expect((await k.ok(inNs('patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"minReadySeconds":5}}'))).trim()).toBe(
      'deployment.apps/web patched',
    );
    expect(
      (await k.ok(inNs('patch', 'deployment', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]'))).trim(),
    ).toBe('deployment.apps/web patched');
    expect((await k.ok(inNs('patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"minReadySeconds":5}}'))).trim()).toBe(
      'deployment.apps/web patched (no change)',
    );
    expect((await k.ok(inNs('scale', 'deployment', 'web', '--replicas=3'))).trim()).toBe('deployment.apps/web scaled');

    const pod = JSON.parse(await k.ok(inNs('get', 'pod', 'pod1', '-o', 'json'))) as Json;
    expect(pod.metadata.labels).toEqual({ run: 'pod1', env: 'prod' });
    const deploy = JSON.parse(await k.ok(inNs('get', 'deployment', 'web', '-o', 'json'))) as Json;
    expect(deploy.metadata.annotations).toMatchObject({ note: 'hello' });
    expect(deploy.spec.minReadySeconds).toBe(5);
    expect(deploy.spec.replicas).toBe(3);
    // Deployments bump generation on spec *and* annotation changes (pkg/registry/apps/deployment/strategy.go):
    // annotate, merge patch, json patch, scale; the no-op patch does not.
    expect(deploy.metadata.generation).toBe(5);

    const overwrite = await k.fails(inNs('label', 'pod', 'pod1', 'env=dev'));
    expect(overwrite.trim()).toBe("error: 'env' already has a value (prod), and --overwrite is false");
    await k.ok(inNs('label', 'pod', 'pod1', 'env-'));
    const unlabeled = JSON.parse(await k.ok(inNs('get', 'pod', 'pod1', '-o', 'json'))) as Json;
    expect(unlabeled.metadata.labels).toEqual({ run: 'pod1' });
  });

  it('replaces a deployment from a file and applies a new object', async () => {
    const deploy = JSON.parse(await k.ok(inNs('get', 'deployment', 'web', '-o', 'json'))) as Json;
    deploy.spec.template.spec.containers[0].image = 'nginx:1.27';
    expect((await k.ok(['replace', '-f', '-'], { input: JSON.stringify(deploy) })).trim()).toBe('deployment.apps/web replaced');
    const wide = tableRecords(await k.ok(inNs('get', 'deploy', 'web', '-o', 'wide')));
    expect(wide[0]?.IMAGES).toBe('nginx:1.27');

    const manifest = dump({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', namespace: ns, labels: { via: 'apply' } },
      data: { key: 'value' },
    });
    // Default --validate=strict: kubectl checks OpenAPI for server-side field validation first.
    expect((await k.ok(['apply', '-f', '-'], { input: manifest })).trim()).toBe('configmap/applied created');
    expect((await k.ok(['apply', '-f', '-'], { input: manifest })).trim()).toBe('configmap/applied unchanged');
    // A changed manifest is sent as a strategic merge patch computed from last-applied.
    const changed = dump({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', namespace: ns },
      data: { key: 'new', other: 'x' },
    });
    expect((await k.ok(['apply', '-f', '-'], { input: changed })).trim()).toBe('configmap/applied configured');
    const applied = JSON.parse(await k.ok(inNs('get', 'cm', 'applied', '-o', 'json'))) as Json;
    expect(applied.data).toEqual({ key: 'new', other: 'x' });
    // Labels dropped from the manifest are removed, as last-applied says they were ours.
    expect(applied.metadata.labels ?? {}).toEqual({});
    expect(applied.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"other"');
  });

  it('streams pod events with get -w', async () => {
    const watch = k.spawn(inNs('get', 'pods', '-w'));
    try {
      await watch.waitFor((out) => /^pod2\s/m.test(out), 'the initial list');
      expect(tableHeader(watch.stdout)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      await k.ok(inNs('run', 'watched', '--image=nginx'));
      await watch.waitFor((out) => /^watched\s+[01]\/1\s+\S+\s+0\s+\S+$/m.test(out), 'the ADDED row');
      await k.ok(inNs('delete', 'pod', 'watched', '--wait=false'));
      // The deletion (a MODIFIED with deletionTimestamp and/or the DELETED event) prints the row again.
      await watch.waitFor((out) => (out.match(/^watched\s/gm) ?? []).length >= 2, 'a second row after delete');
    } finally {
      await watch.stop();
    }
  });

  it('prints the real error messages for bad input', async () => {
    const deployment = (name: string, replicas: number, namespace = ns): string =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
      });
    const [missingPod, missingDeploy, existingNs, existingCm, invalid, unknownType, missingNsCreate, missingNsFile] =
      await Promise.all([
        k.fails(inNs('get', 'pod', 'nope')),
        k.fails(inNs('get', 'deployment', 'nope')),
        k.fails(['create', 'namespace', ns]),
        k.fails(inNs('create', 'configmap', 'cm1', '--from-literal=a=1')),
        k.fails(['create', '-f', '-'], { input: deployment('bad', -1) }),
        k.fails(['get', 'foos']),
        k.fails(['create', 'configmap', 'c', '--from-literal=a=1', '-n', 'no-such-ns']),
        k.fails(['create', '-f', '-'], { input: deployment('x', 1, 'no-such-ns') }),
      ]);
    expect(missingPod.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    expect(missingDeploy.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    expect(existingNs.trim()).toBe(`Error from server (AlreadyExists): namespaces "${ns}" already exists`);
    expect(existingCm.trim()).toBe('error: failed to create configmap: configmaps "cm1" already exists');
    expect(invalid.trim()).toBe(
      'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    expect(unknownType.trim()).toBe('error: the server doesn\'t have a resource type "foos"');
    expect(missingNsCreate.trim()).toBe('error: failed to create configmap: namespaces "no-such-ns" not found');
    expect(missingNsFile.trim()).toBe('Error from server (NotFound): error when creating "STDIN": namespaces "no-such-ns" not found');

    const emptyNs = await k.run(['get', 'pods', '-n', 'no-such-ns']);
    expect(emptyNs).toMatchObject({ code: 0, stdout: '' });
    expect(emptyNs.stderr.trim()).toBe('No resources found in no-such-ns namespace.');
    // Nothing was written by the failed commands.
    expect(lines(await k.ok(inNs('get', 'deploy', '-o', 'name')))).toEqual(['deployment.apps/web']);
  });

  it('deletes by name, by label and with --all', async () => {
    expect((await k.ok(inNs('delete', 'pod', 'pod1'))).trim()).toBe('pod "pod1" deleted');
    expect((await k.fails(inNs('get', 'pod', 'pod1'))).trim()).toBe('Error from server (NotFound): pods "pod1" not found');
    expect((await k.ok(inNs('delete', 'pods', '-l', 'tier=backend'))).trim()).toBe('pod "pod2" deleted');
    expect((await k.ok(inNs('delete', 'deployment', 'web'))).trim()).toBe('deployment.apps "web" deleted');
    const all = lines(await k.ok(inNs('delete', 'configmaps', '--all')));
    expect(all).toEqual(expect.arrayContaining(['configmap "cm1" deleted', 'configmap "applied" deleted']));
    const left = await k.run(inNs('get', 'pods,deploy,cm', '-o', 'name'));
    expect(lines(left.stdout).filter((l) => /^(pod\/pod[12]|deployment\.apps\/web|configmap\/(cm1|applied))$/.test(l))).toEqual([]);
  });
});
