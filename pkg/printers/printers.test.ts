import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/index.ts';
import { resourceTable } from '../resources/index.ts';
import { hasDedicatedPrinter, printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: '2024-04-26T12:00:00Z', ...extra }); // AGE 5d
const tmpl = (containers: { name: string; image: string }[], labels: Record<string, string> = {}) => ({ metadata: { labels }, spec: { containers } });

interface Case {
  name: string;
  group: string;
  plural: string;
  obj: KubeObject;
  /** "NAME" for priority 0 columns, "NAME*" for wide-only ones, upper-cased as kubectl shows them. */
  columns: string;
  cells: unknown[];
}

const cases: Case[] = [
  {
    name: 'namespace', group: '', plural: 'namespaces',
    obj: { metadata: { name: 'kube-system', creationTimestamp: '2024-04-26T12:00:00Z' }, status: { phase: 'Active' } },
    columns: 'NAME STATUS AGE', cells: ['kube-system', 'Active', '5d'],
  },
  {
    name: 'terminating namespace', group: '', plural: 'namespaces',
    obj: { metadata: { name: 'old', creationTimestamp: '2024-05-01T11:00:00Z', deletionTimestamp: '2024-05-01T11:59:00Z' }, status: { phase: 'Terminating' } },
    columns: 'NAME STATUS AGE', cells: ['old', 'Terminating', '60m'],
  },
  {
    name: 'NodePort service', group: '', plural: 'services',
    obj: { metadata: meta('web'), spec: { type: 'NodePort', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }, { name: 'https', port: 443, nodePort: 30443, protocol: 'TCP' }] } },
    columns: 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR*',
    cells: ['web', 'NodePort', '10.96.12.34', '<none>', '80:30080/TCP,443:30443/TCP', '5d', 'app=web'],
  },
  {
    name: 'ClusterIP service without selector', group: '', plural: 'services',
    obj: { metadata: meta('kubernetes'), spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }] } },
    columns: 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR*',
    cells: ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '5d', '<none>'],
  },
  {
    name: 'headless service with UDP port and external IPs', group: '', plural: 'services',
    obj: { metadata: meta('dns'), spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], externalIPs: ['1.2.3.4', '5.6.7.8'], selector: { k8s: 'dns' }, ports: [{ port: 53, protocol: 'UDP' }] } },
    columns: 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR*',
    cells: ['dns', 'ClusterIP', 'None', '1.2.3.4,5.6.7.8', '53/UDP', '5d', 'k8s=dns'],
  },
  {
    name: 'LoadBalancer service still pending', group: '', plural: 'services',
    obj: { metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], selector: { app: 'lb' }, ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] }, status: { loadBalancer: {} } },
    columns: 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR*',
    cells: ['lb', 'LoadBalancer', '10.96.5.5', '<pending>', '80:31000/TCP', '5d', 'app=lb'],
  },
  {
    name: 'LoadBalancer service with ingress (never clipped server-side)', group: '', plural: 'services',
    obj: { metadata: meta('lb2'), spec: { type: 'LoadBalancer', clusterIP: '10.96.5.6', clusterIPs: ['10.96.5.6'], ports: [{ port: 80, nodePort: 31001, protocol: 'TCP' }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'a1b2c3.elb.example.com' }, { ip: '203.0.113.10' }] } } },
    columns: 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR*',
    cells: ['lb2', 'LoadBalancer', '10.96.5.6', '203.0.113.10,a1b2c3.elb.example.com', '80:31001/TCP', '5d', '<none>'],
  },
  {
    name: 'ExternalName service', group: '', plural: 'services',
    obj: { metadata: meta('db'), spec: { type: 'ExternalName', externalName: 'db.example.com' } },
    columns: 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR*',
    cells: ['db', 'ExternalName', '<none>', 'db.example.com', '<none>', '5d', '<none>'],
  },
  {
    name: 'endpoints', group: '', plural: 'endpoints',
    obj: { metadata: meta('web'), subsets: [{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] },
    columns: 'NAME ENDPOINTS AGE', cells: ['web', '10.244.1.5:8080,10.244.2.7:8080', '5d'],
  },
  {
    name: 'endpoints with more than three', group: '', plural: 'endpoints',
    obj: { metadata: meta('big'), subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: 'fd00::3' }], ports: [{ port: 80 }, { port: 443 }] }] },
    columns: 'NAME ENDPOINTS AGE', cells: ['big', '10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...', '5d'],
  },
  {
    name: 'endpoints without subsets', group: '', plural: 'endpoints',
    obj: { metadata: meta('none') }, columns: 'NAME ENDPOINTS AGE', cells: ['none', '<none>', '5d'],
  },
  {
    name: 'configmap', group: '', plural: 'configmaps',
    obj: { metadata: meta('kube-root-ca.crt'), data: { 'ca.crt': '...' }, binaryData: { blob: 'AAE=' } },
    columns: 'NAME DATA AGE', cells: ['kube-root-ca.crt', 2, '5d'],
  },
  {
    name: 'TLS secret', group: '', plural: 'secrets',
    obj: { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' } },
    columns: 'NAME TYPE DATA AGE', cells: ['tls', 'kubernetes.io/tls', 2, '5d'],
  },
  {
    name: 'opaque secret', group: '', plural: 'secrets',
    obj: { metadata: meta('empty'), type: 'Opaque' }, columns: 'NAME TYPE DATA AGE', cells: ['empty', 'Opaque', 0, '5d'],
  },
  {
    name: 'serviceaccount', group: '', plural: 'serviceaccounts',
    obj: { metadata: meta('default') }, columns: 'NAME SECRETS AGE', cells: ['default', 0, '5d'],
  },
  {
    name: 'control-plane node', group: '', plural: 'nodes',
    obj: {
      metadata: { name: 'kind-control-plane', creationTimestamp: '2024-04-26T12:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'kind-control-plane' } },
      status: {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'kind-control-plane' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.7.18' },
      },
    },
    columns: 'NAME STATUS ROLES AGE VERSION INTERNAL-IP* EXTERNAL-IP* OS-IMAGE* KERNEL-VERSION* CONTAINER-RUNTIME*',
    cells: ['kind-control-plane', 'Ready', 'control-plane', '5d', 'v1.32.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.18'],
  },
  {
    name: 'cordoned, not-ready worker with legacy role label', group: '', plural: 'nodes',
    obj: { metadata: { name: 'w1', creationTimestamp: '2024-05-01T09:00:00Z', labels: { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/infra': '' } },
      spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }], addresses: [{ type: 'ExternalIP', address: '198.51.100.4' }], nodeInfo: { kubeletVersion: 'v1.31.2' } } },
    columns: 'NAME STATUS ROLES AGE VERSION INTERNAL-IP* EXTERNAL-IP* OS-IMAGE* KERNEL-VERSION* CONTAINER-RUNTIME*',
    cells: ['w1', 'NotReady,SchedulingDisabled', 'infra,worker', '3h', 'v1.31.2', '<none>', '198.51.100.4', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'node without conditions or roles', group: '', plural: 'nodes',
    obj: { metadata: { name: 'fresh', creationTimestamp: '2024-05-01T11:59:30Z' } },
    columns: 'NAME STATUS ROLES AGE VERSION INTERNAL-IP* EXTERNAL-IP* OS-IMAGE* KERNEL-VERSION* CONTAINER-RUNTIME*',
    cells: ['fresh', 'Unknown', '<none>', '30s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'core event', group: '', plural: 'events',
    obj: {
      metadata: meta('web-0.17c9a1b2c3d4e5f6'), involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff', message: 'Back-off restarting failed container app in pod web-0\n', type: 'Warning', source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2024-05-01T11:40:00Z', lastTimestamp: '2024-05-01T11:59:00Z', count: 7,
    },
    columns: 'LAST SEEN TYPE REASON OBJECT SUBOBJECT* SOURCE* MESSAGE FIRST SEEN* COUNT* NAME*',
    cells: ['60s', 'Warning', 'BackOff', 'pod/web-0', 'spec.containers{app}', 'kubelet, node-1', 'Back-off restarting failed container app in pod web-0', '20m', 7, 'web-0.17c9a1b2c3d4e5f6'],
  },
  {
    name: 'core event written through the new API (eventTime, no count)', group: '', plural: 'events',
    obj: {
      metadata: meta('web.1'), involvedObject: { kind: 'Deployment', name: 'web' }, reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-5d8f to 3',
      type: 'Normal', eventTime: '2024-05-01T11:58:00.123456Z', reportingComponent: 'deployment-controller', reportingInstance: '',
    },
    columns: 'LAST SEEN TYPE REASON OBJECT SUBOBJECT* SOURCE* MESSAGE FIRST SEEN* COUNT* NAME*',
    cells: ['119s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-5d8f to 3', '119s', 1, 'web.1'],
  },
  {
    name: 'events.k8s.io event in a series', group: 'events.k8s.io', plural: 'events',
    obj: {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('node-1.abc'), regarding: { kind: 'Node', name: 'node-1' }, note: 'Node node-1 status is now: NodeReady',
      reason: 'NodeReady', type: 'Normal', eventTime: '2024-05-01T10:00:00.000000Z', reportingController: 'kubelet', reportingInstance: 'node-1',
      series: { count: 4, lastObservedTime: '2024-05-01T11:57:00.000000Z' },
    },
    columns: 'LAST SEEN TYPE REASON OBJECT SUBOBJECT* SOURCE* MESSAGE FIRST SEEN* COUNT* NAME*',
    cells: ['3m', 'Normal', 'NodeReady', 'node/node-1', '', 'kubelet, node-1', 'Node node-1 status is now: NodeReady', '120m', 4, 'node-1.abc'],
  },
  {
    name: 'replicationcontroller', group: '', plural: 'replicationcontrollers',
    obj: { metadata: meta('frontend'), spec: { replicas: 3, selector: { tier: 'frontend', app: 'guestbook' }, template: tmpl([{ name: 'php-redis', image: 'gcr.io/google_samples/gb-frontend:v5' }]) },
      status: { replicas: 3, readyReplicas: 2 } },
    columns: 'NAME DESIRED CURRENT READY AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['frontend', 3, 3, 2, '5d', 'php-redis', 'gcr.io/google_samples/gb-frontend:v5', 'app=guestbook,tier=frontend'],
  },
  {
    name: 'limitrange (default convertor)', group: '', plural: 'limitranges',
    obj: { metadata: meta('cpu-limits'), spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] } },
    columns: 'NAME CREATED AT', cells: ['cpu-limits', '2024-04-26T12:00:00Z'],
  },
  {
    name: 'resourcequota', group: '', plural: 'resourcequotas',
    obj: { metadata: meta('compute'), spec: { hard: {} }, status: {
      hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '2Gi', 'limits.cpu': '2', 'requests.memory': '1Gi' },
      used: { pods: '2', 'requests.cpu': '500m', 'limits.memory': '512Mi', 'limits.cpu': '1' },
    } },
    columns: 'NAME REQUEST LIMIT AGE',
    cells: ['compute', 'pods: 2/10, requests.cpu: 500m/1, requests.memory: 0/1Gi', 'limits.cpu: 1/2, limits.memory: 512Mi/2Gi', '5d'],
  },
  {
    name: 'deployment 2/3', group: 'apps', plural: 'deployments',
    obj: { metadata: meta('web'), spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: tmpl([{ name: 'nginx', image: 'nginx:1.25' }], { app: 'web' }) },
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 } },
    columns: 'NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['web', '2/3', 3, 2, '5d', 'nginx', 'nginx:1.25', 'app=web'],
  },
  {
    name: 'new deployment without status', group: 'apps', plural: 'deployments',
    obj: { metadata: { name: 'new', creationTimestamp: '2024-05-01T11:59:58Z' }, spec: { replicas: 1, selector: { matchLabels: { app: 'new' } },
      template: tmpl([{ name: 'a', image: 'busybox' }, { name: 'b', image: 'redis:7' }]) } },
    columns: 'NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['new', '0/1', 0, 0, '2s', 'a,b', 'busybox,redis:7', 'app=new'],
  },
  {
    name: 'replicaset', group: 'apps', plural: 'replicasets',
    obj: { metadata: meta('web-5d8f9c7b6'), spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d8f9c7b6' } }, template: tmpl([{ name: 'nginx', image: 'nginx:1.25' }]) },
      status: { replicas: 3, readyReplicas: 3 } },
    columns: 'NAME DESIRED CURRENT READY AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['web-5d8f9c7b6', 3, 3, 3, '5d', 'nginx', 'nginx:1.25', 'app=web,pod-template-hash=5d8f9c7b6'],
  },
  {
    name: 'statefulset', group: 'apps', plural: 'statefulsets',
    obj: { metadata: meta('db'), spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: tmpl([{ name: 'postgres', image: 'postgres:16' }]) },
      status: { replicas: 2, readyReplicas: 1 } },
    columns: 'NAME READY AGE CONTAINERS* IMAGES*', cells: ['db', '1/3', '5d', 'postgres', 'postgres:16'],
  },
  {
    name: 'daemonset', group: 'apps', plural: 'daemonsets',
    obj: { metadata: meta('fluentd'), spec: { selector: { matchLabels: { app: 'fluentd' } },
      template: { metadata: { labels: { app: 'fluentd' } }, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'fluentd', image: 'fluentd:v1.16' }] } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 } },
    columns: 'NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['fluentd', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '5d', 'fluentd', 'fluentd:v1.16', 'app=fluentd'],
  },
  {
    name: 'controllerrevision', group: 'apps', plural: 'controllerrevisions',
    obj: { metadata: meta('fluentd-6b8d7f9c4', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u1', controller: true }] }), revision: 2 },
    columns: 'NAME CONTROLLER REVISION AGE', cells: ['fluentd-6b8d7f9c4', 'daemonset.apps/fluentd', 2, '5d'],
  },
  {
    name: 'orphan controllerrevision', group: 'apps', plural: 'controllerrevisions',
    obj: { metadata: meta('orphan'), revision: 1 }, columns: 'NAME CONTROLLER REVISION AGE', cells: ['orphan', '<none>', 1, '5d'],
  },
  {
    name: 'complete job 1/1 with duration', group: 'batch', plural: 'jobs',
    obj: { metadata: { name: 'pi', creationTimestamp: '2024-05-01T11:58:00Z' },
      spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': '0f4d' } }, template: tmpl([{ name: 'pi', image: 'perl:5.34.0' }]) },
      status: { startTime: '2024-05-01T11:58:00Z', completionTime: '2024-05-01T11:58:07Z', succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] } },
    columns: 'NAME STATUS COMPLETIONS DURATION AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['pi', 'Complete', '1/1', '7s', '2m', 'pi', 'perl:5.34.0', 'batch.kubernetes.io/controller-uid=0f4d'],
  },
  {
    name: 'running work-queue job', group: 'batch', plural: 'jobs',
    obj: { metadata: meta('queue'), spec: { parallelism: 3, template: tmpl([{ name: 'w', image: 'worker' }]) }, status: { startTime: '2024-05-01T11:56:58Z', succeeded: 0, active: 3 } },
    columns: 'NAME STATUS COMPLETIONS DURATION AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['queue', 'Running', '0/1 of 3', '3m2s', '5d', 'w', 'worker', '<none>'],
  },
  {
    name: 'failed job being deleted', group: 'batch', plural: 'jobs',
    obj: { metadata: meta('bad', { deletionTimestamp: '2024-05-01T11:59:00Z' }), spec: { completions: 2, template: tmpl([{ name: 'x', image: 'x' }]) },
      status: { conditions: [{ type: 'Failed', status: 'True' }] } },
    columns: 'NAME STATUS COMPLETIONS DURATION AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['bad', 'Failed', '0/2', '', '5d', 'x', 'x', '<none>'],
  },
  {
    name: 'suspended job', group: 'batch', plural: 'jobs',
    obj: { metadata: meta('later'), spec: { completions: 1, suspend: true, template: tmpl([{ name: 'x', image: 'x' }]) }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } },
    columns: 'NAME STATUS COMPLETIONS DURATION AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['later', 'Suspended', '0/1', '', '5d', 'x', 'x', '<none>'],
  },
  {
    name: 'cronjob', group: 'batch', plural: 'cronjobs',
    obj: { metadata: meta('hello'), spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template: tmpl([{ name: 'hello', image: 'busybox:1.28' }]) } } },
      status: { active: [{ kind: 'Job', name: 'hello-28580000' }], lastScheduleTime: '2024-05-01T11:59:30Z' } },
    columns: 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['hello', '*/1 * * * *', '<none>', 'False', 1, '30s', '5d', 'hello', 'busybox:1.28', '<none>'],
  },
  {
    name: 'suspended cronjob with time zone, never run', group: 'batch', plural: 'cronjobs',
    obj: { metadata: meta('nightly'), spec: { schedule: '0 3 * * *', timeZone: 'Europe/Paris', suspend: true, jobTemplate: { spec: { template: tmpl([{ name: 'b', image: 'backup' }]) } } } },
    columns: 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE CONTAINERS* IMAGES* SELECTOR*',
    cells: ['nightly', '0 3 * * *', 'Europe/Paris', 'True', 0, '<none>', '5d', 'b', 'backup', '<none>'],
  },
  {
    name: 'held lease', group: 'coordination.k8s.io', plural: 'leases',
    obj: { metadata: meta('kube-scheduler', { namespace: 'kube-system' }), spec: { holderIdentity: 'cp-1_5e4f', leaseDurationSeconds: 15 } },
    columns: 'NAME HOLDER AGE', cells: ['kube-scheduler', 'cp-1_5e4f', '5d'],
  },
  {
    name: 'free lease', group: 'coordination.k8s.io', plural: 'leases',
    obj: { metadata: meta('free'), spec: {} }, columns: 'NAME HOLDER AGE', cells: ['free', '', '5d'],
  },
  {
    name: 'endpointslice', group: 'discovery.k8s.io', plural: 'endpointslices',
    obj: { metadata: meta('web-abc12'), addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.7'] }] },
    columns: 'NAME ADDRESSTYPE PORTS ENDPOINTS AGE', cells: ['web-abc12', 'IPv4', '8080,9090', '10.244.1.5,10.244.2.7', '5d'],
  },
  {
    name: 'empty endpointslice', group: 'discovery.k8s.io', plural: 'endpointslices',
    obj: { metadata: meta('empty-xyz'), addressType: 'IPv6', endpoints: [] }, columns: 'NAME ADDRESSTYPE PORTS ENDPOINTS AGE', cells: ['empty-xyz', 'IPv6', '<unset>', '<unset>', '5d'],
  },
  {
    name: 'endpointslice with many endpoints and an all-ports port', group: 'discovery.k8s.io', plural: 'endpointslices',
    obj: { metadata: meta('many'), addressType: 'IPv4', ports: [{ name: 'all' }, { name: '', port: 1 }, { port: 2 }, { port: 3 }],
      endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }, { addresses: ['10.0.0.5'] }] },
    columns: 'NAME ADDRESSTYPE PORTS ENDPOINTS AGE', cells: ['many', 'IPv4', 'all,1,2 + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '5d'],
  },
  {
    name: 'deployment scale subresource', group: 'apps', plural: 'deployments/scale',
    obj: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: meta('web'), spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web' } },
    columns: 'NAME DESIRED AVAILABLE AGE', cells: ['web', 3, 2, '5d'],
  },
];

/** Column headers as kubectl prints them, wide-only ones marked with "*". */
function headers(group: string, plural: string, obj: KubeObject): string {
  return printTable(group, plural, [obj], now).columnDefinitions.map((c) => c.name.toUpperCase() + (c.priority > 0 ? '*' : '')).join(' ');
}

describe('printTable', () => {
  it.each(cases)('$name', ({ group, plural, obj, columns, cells }) => {
    const table = printTable(group, plural, [obj], now);
    expect(headers(group, plural, obj)).toBe(columns);
    expect(table.rows).toEqual([{ cells, objectIndex: 0 }]);
  });

  it('keeps the order of the objects and indexes rows by position', () => {
    const objs: KubeObject[] = ['b', 'a', 'c'].map((name) => ({ metadata: { name, creationTimestamp: '2024-05-01T11:00:00Z' }, data: {} }));
    const table = printTable('', 'configmaps', objs, now);
    expect(table.rows.map((r) => [r.objectIndex, r.cells[0]])).toEqual([[0, 'b'], [1, 'a'], [2, 'c']]);
    expect(printTable('', 'configmaps', [], now)).toEqual({ columnDefinitions: table.columnDefinitions, rows: [] });
  });

  it('shows <unknown> ages and falls back to the default convertor for unknown resources', () => {
    const obj: KubeObject = { metadata: { name: 'x' } };
    expect(printTable('', 'configmaps', [obj], now).rows[0]?.cells).toEqual(['x', 0, '<unknown>']);
    const table = printTable('example.com', 'widgets', [obj], now);
    expect(table.columnDefinitions.map((c) => [c.name, c.type, c.format])).toEqual([['Name', 'string', 'name'], ['Created At', 'date', '']]);
    expect(table.rows[0]?.cells).toEqual(['x', '0001-01-01T00:00:00Z']);
  });

  it('prints status subresources with the parent printer', () => {
    expect(headers('', 'pods/status', { metadata: { name: 'p' } })).toBe('NAME READY STATUS RESTARTS AGE IP* NODE* NOMINATED NODE* READINESS GATES*');
  });

  it('gives every column a description and one cell per column for every served resource', () => {
    for (const r of resourceTable) {
      const table = printTable(r.group, r.plural, [{ metadata: { name: 'n', creationTimestamp: '2024-05-01T11:00:00Z' } }], now);
      for (const c of table.columnDefinitions) expect(c.description, `${r.plural} ${c.name}`).not.toBe('');
      expect(table.rows[0]?.cells.length, r.plural).toBe(table.columnDefinitions.length);
      const names = table.columnDefinitions.filter((c) => c.format === 'name');
      expect(names.map((c) => c.name), r.plural).toEqual(['Name']);
    }
  });

  it('has a dedicated printer for every served resource that has one upstream', () => {
    const withoutUpstreamPrinter = new Set(['/bindings', '/limitranges']);
    for (const r of resourceTable.filter((e) => e.stored)) {
      expect(hasDedicatedPrinter(r.group, r.plural), `${r.group}/${r.plural}`).toBe(!withoutUpstreamPrinter.has(`${r.group}/${r.plural}`));
    }
  });
});
