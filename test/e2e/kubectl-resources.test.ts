/**
 * Every served resource through real kubectl (the dispatcher, so 1.32): create from a manifest,
 * `kubectl get` with the columns real Kubernetes prints, label, merge patch, select, delete.
 * The flows are independent, so they run concurrently (vitest's default limit of 5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { Kubectl, kubectlBinaries, tableHeader } from '../helpers/kubectl.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed kubectl output

const ns = 'e2e-resources';
let cluster: TestCluster;
let k: Kubectl;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-resources', components: ['kube-controller-manager'] });
  k = new Kubectl(cluster, kubectlBinaries([])[0]!);
  await k.ok(['create', 'namespace', ns]);
});

afterAll(async () => {
  await cluster?.stop();
});

interface Case {
  kind: string;
  apiVersion: string;
  namespaced: boolean;
  /** The header `kubectl get <resource>` prints against a v1.32 server. */
  header: string;
  /** A merge patch that changes something visible, with a check on the patched object. */
  patch: [object, (obj: Json) => unknown];
  body: Json;
}

const container = { name: 'c', image: 'nginx' };
const podTemplate = (labels: Record<string, string>, restartPolicy = 'Always'): Json => ({
  metadata: { labels },
  spec: { restartPolicy, containers: [container] },
});

const cases: Record<string, Case> = {
  nodes: {
    kind: 'Node', apiVersion: 'v1', namespaced: false,
    header: 'NAME STATUS ROLES AGE VERSION',
    patch: [{ spec: { unschedulable: true } }, (o) => o.spec.unschedulable],
    body: { metadata: { name: 'e2e-node-1' } },
  },
  events: {
    kind: 'Event', apiVersion: 'v1', namespaced: true,
    header: 'LAST SEEN TYPE REASON OBJECT MESSAGE',
    patch: [{ message: 'changed' }, (o) => o.message === 'changed'],
    body: {
      metadata: { name: 'ev1' },
      involvedObject: { kind: 'Pod', name: 'p1', namespace: ns, apiVersion: 'v1' },
      reason: 'Tested', message: 'hello', type: 'Normal', count: 1,
      firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:00:00Z',
      source: { component: 'e2e' },
    },
  },
  'events.events.k8s.io': {
    kind: 'Event', apiVersion: 'events.k8s.io/v1', namespaced: true,
    header: 'LAST SEEN TYPE REASON OBJECT MESSAGE',
    // note, reason, regarding… are immutable through events.k8s.io/v1 (ValidateEventUpdate).
    patch: [{ metadata: { annotations: { seen: 'twice' } } }, (o) => o.metadata.annotations.seen === 'twice'],
    body: {
      metadata: { name: 'ev2' },
      eventTime: '2025-01-01T00:00:00.000000Z', reportingController: 'e2e.example/ctl', reportingInstance: 'e2e-1',
      action: 'Testing', reason: 'Tested', type: 'Normal', note: 'hello',
      regarding: { kind: 'Pod', name: 'p1', namespace: ns, apiVersion: 'v1' },
    },
  },
  endpoints: {
    kind: 'Endpoints', apiVersion: 'v1', namespaced: true,
    header: 'NAME ENDPOINTS AGE',
    patch: [{ subsets: [{ addresses: [{ ip: '10.0.0.2' }], ports: [{ port: 80 }] }] }, (o) => o.subsets[0].addresses[0].ip === '10.0.0.2'],
    body: { metadata: { name: 'ep1' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }] }] },
  },
  replicationcontrollers: {
    kind: 'ReplicationController', apiVersion: 'v1', namespaced: true,
    header: 'NAME DESIRED CURRENT READY AGE',
    patch: [{ spec: { replicas: 0 } }, (o) => o.spec.replicas === 0],
    body: { metadata: { name: 'rc1' }, spec: { replicas: 1, selector: { app: 'rc1' }, template: podTemplate({ app: 'rc1' }) } },
  },
  limitranges: {
    kind: 'LimitRange', apiVersion: 'v1', namespaced: true,
    header: 'NAME CREATED AT',
    patch: [{ spec: { limits: [{ type: 'Container', default: { cpu: '250m' } }] } }, (o) => o.spec.limits[0].default.cpu === '250m'],
    body: { metadata: { name: 'lr1' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] } },
  },
  resourcequotas: {
    kind: 'ResourceQuota', apiVersion: 'v1', namespaced: true,
    // Kubernetes 1.32 moved AGE last (pkg/printers/internalversion/printers.go).
    header: 'NAME REQUEST LIMIT AGE',
    patch: [{ spec: { hard: { pods: '20' } } }, (o) => o.spec.hard.pods === '20'],
    body: { metadata: { name: 'rq1' }, spec: { hard: { pods: '10' } } },
  },
  replicasets: {
    kind: 'ReplicaSet', apiVersion: 'apps/v1', namespaced: true,
    header: 'NAME DESIRED CURRENT READY AGE',
    patch: [{ spec: { replicas: 0 } }, (o) => o.spec.replicas === 0],
    body: { metadata: { name: 'rs1' }, spec: { replicas: 1, selector: { matchLabels: { app: 'rs1' } }, template: podTemplate({ app: 'rs1' }) } },
  },
  statefulsets: {
    kind: 'StatefulSet', apiVersion: 'apps/v1', namespaced: true,
    header: 'NAME READY AGE',
    patch: [{ spec: { replicas: 2 } }, (o) => o.spec.replicas === 2],
    body: {
      metadata: { name: 'sts1' },
      spec: { serviceName: 'sts1', replicas: 1, selector: { matchLabels: { app: 'sts1' } }, template: podTemplate({ app: 'sts1' }) },
    },
  },
  daemonsets: {
    kind: 'DaemonSet', apiVersion: 'apps/v1', namespaced: true,
    header: 'NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE',
    patch: [{ spec: { minReadySeconds: 3 } }, (o) => o.spec.minReadySeconds === 3],
    body: { metadata: { name: 'ds1' }, spec: { selector: { matchLabels: { app: 'ds1' } }, template: podTemplate({ app: 'ds1' }) } },
  },
  controllerrevisions: {
    kind: 'ControllerRevision', apiVersion: 'apps/v1', namespaced: true,
    header: 'NAME CONTROLLER REVISION AGE',
    patch: [{ metadata: { annotations: { note: 'x' } } }, (o) => o.metadata.annotations.note === 'x'],
    body: { metadata: { name: 'cr1' }, revision: 1, data: { spec: { template: {} } } },
  },
  jobs: {
    kind: 'Job', apiVersion: 'batch/v1', namespaced: true,
    header: 'NAME STATUS COMPLETIONS DURATION AGE',
    patch: [{ spec: { suspend: true } }, (o) => o.spec.suspend === true],
    body: { metadata: { name: 'job1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } } },
  },
  cronjobs: {
    kind: 'CronJob', apiVersion: 'batch/v1', namespaced: true,
    header: 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE',
    patch: [{ spec: { suspend: true } }, (o) => o.spec.suspend === true],
    body: {
      metadata: { name: 'cj1' },
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container] } } } } },
    },
  },
  'leases.coordination.k8s.io': {
    kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', namespaced: true,
    header: 'NAME HOLDER AGE',
    patch: [{ spec: { holderIdentity: 'h2' } }, (o) => o.spec.holderIdentity === 'h2'],
    body: { metadata: { name: 'lease1' }, spec: { holderIdentity: 'h1', leaseDurationSeconds: 15 } },
  },
  'endpointslices.discovery.k8s.io': {
    kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', namespaced: true,
    header: 'NAME ADDRESSTYPE PORTS ENDPOINTS AGE',
    patch: [{ metadata: { labels: { extra: 'yes' } } }, (o) => o.metadata.labels.extra === 'yes'],
    body: {
      metadata: { name: 'es1' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1'] }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
  },
  serviceaccounts: {
    kind: 'ServiceAccount', apiVersion: 'v1', namespaced: true,
    header: 'NAME SECRETS AGE',
    patch: [{ automountServiceAccountToken: false }, (o) => o.automountServiceAccountToken === false],
    body: { metadata: { name: 'sa-res' } },
  },
};

/** The resource as kubectl's error messages name it: plural, plus ".group" outside the core group. */
const resourceName = (resource: string, c: Case): string => {
  const plural = resource.split('.')[0]!;
  return c.apiVersion.includes('/') ? `${plural}.${c.apiVersion.split('/')[0]}` : plural;
};

describe.concurrent.each(Object.entries(cases))('%s', (resource, c) => {
  it('creates, gets, labels, patches, selects and deletes', async () => {
    const name = c.body.metadata.name as string;
    const nsArgs = c.namespaced ? ['-n', ns] : [];
    const metadata = { ...c.body.metadata, ...(c.namespaced ? { namespace: ns } : {}) };
    const manifest = { apiVersion: c.apiVersion, kind: c.kind, ...c.body, metadata };
    const full = resourceName(resource, c);
    // What kubectl prints for the object: kind in lower case, plus ".group" outside the core group.
    const group = c.apiVersion.includes('/') ? `.${c.apiVersion.split('/')[0]}` : '';
    const printed = `${c.kind.toLowerCase()}${group}`;

    expect((await k.ok(['create', '-f', '-'], { input: JSON.stringify(manifest) })).trim()).toBe(`${printed}/${name} created`);
    const table = await k.ok(['get', full, name, ...nsArgs]);
    expect(tableHeader(table).join(' ')).toBe(c.header);
    // Event tables have no NAME column; their MESSAGE is the note/message.
    expect(table).toContain(c.kind === 'Event' ? 'hello' : name);

    expect((await k.ok(['label', full, name, 'e2e=yes', ...nsArgs])).trim()).toBe(`${printed}/${name} labeled`);
    const [patch, check] = c.patch;
    expect((await k.ok(['patch', full, name, '--type=merge', '-p', JSON.stringify(patch), ...nsArgs])).trim()).toBe(
      `${printed}/${name} patched`,
    );
    const obj = JSON.parse(await k.ok(['get', full, name, '-o', 'json', ...nsArgs])) as Json;
    expect(obj.metadata.labels).toMatchObject({ e2e: 'yes' });
    expect(check(obj)).toBeTruthy();
    expect((await k.ok(['get', full, '-l', 'e2e=yes', '-o', 'name', ...nsArgs])).trim()).toBe(`${printed}/${name}`);

    expect((await k.ok(['delete', full, name, ...nsArgs])).trim()).toBe(`${printed} "${name}" deleted`);
    expect((await k.fails(['get', full, name, ...nsArgs])).trim()).toBe(`Error from server (NotFound): ${full} "${name}" not found`);
  });
});

describe('kubectl get --sort-by', () => {
  // kubectl asks for a Table with includeObject=Object and decodes each row's object to sort by it.
  it('sorts rows by a field of the objects', async () => {
    const sortNs = 'e2e-sort-by';
    await k.ok(['create', 'namespace', sortNs]);
    for (const [name, value] of [['cm-b', 'x'], ['cm-c', 'xxx'], ['cm-a', 'xx']] as const) {
      await k.ok(['create', 'configmap', name, '-n', sortNs, `--from-literal=v=${value}`]);
    }
    const names = async (sortBy: string) => (await k.ok(['get', 'configmaps', '-n', sortNs, '-l', '!none', '--sort-by', sortBy, '-o', 'name']))
      .trim().split('\n').filter((l) => l.startsWith('configmap/cm-'));
    expect(await names('.metadata.name')).toEqual(['configmap/cm-a', 'configmap/cm-b', 'configmap/cm-c']);
    const table = (await k.ok(['get', 'configmaps', '-n', sortNs, '--sort-by', '.data.v'])).trim().split('\n');
    expect(table[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
    expect(table.slice(1).map((l) => l.split(/\s+/)[0] ?? '').filter((n) => n.startsWith('cm-'))).toEqual(['cm-b', 'cm-a', 'cm-c']);
    await k.ok(['delete', 'namespace', sortNs, '--wait=false']);
  });
});
