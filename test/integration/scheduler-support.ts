/**
 * Helpers for the kube-scheduler integration tests: a cluster running the real kube-scheduler
 * binary, and small factories for nodes and pods created through the API (no kubelet).
 */
import type { Node, Pod, Event } from 'kubernetes-types/core/v1.js';
import { RestClient } from '../../pkg/client/rest-client.ts';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';

export interface SchedulerCluster {
  cluster: TestCluster;
  api: RestClient;
  stop(): Promise<void>;
}

export async function startSchedulerCluster(name: string): Promise<SchedulerCluster> {
  const cluster = await startTestCluster({ name, components: ['kube-scheduler'] });
  return { cluster, api: new RestClient(cluster.kubeConfig), stop: () => cluster.stop() };
}

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
}

export async function createNode(api: RestClient, name: string, o: NodeOptions = {}): Promise<Node> {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  const node = await api.request<Node>('POST', '/api/v1/nodes', {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: {
      capacity: allocatable, allocatable,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  });
  if (!node.status?.allocatable) {
    return api.request<Node>('PUT', `/api/v1/nodes/${name}/status`, { ...node, status: { capacity: allocatable, allocatable } });
  }
  return node;
}

/** A namespace with its `default` ServiceAccount (no controller-manager runs). */
export async function createNamespace(api: RestClient, ns: string): Promise<void> {
  await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await api.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
}

export interface PodOptions {
  cpu?: string;
  labels?: Record<string, string>;
  spec?: Record<string, unknown>;
  container?: Record<string, unknown>;
}

export async function createPod(api: RestClient, ns: string, name: string, o: PodOptions = {}): Promise<Pod> {
  const resources = o.cpu ? { requests: { cpu: o.cpu } } : undefined;
  return api.request<Pod>('POST', `/api/v1/namespaces/${ns}/pods`, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: o.labels },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources, ...o.container }], ...o.spec },
  });
}

export const getPod = (api: RestClient, ns: string, name: string): Promise<Pod> => api.request<Pod>('GET', `/api/v1/namespaces/${ns}/pods/${name}`);

export async function listPods(api: RestClient, ns: string): Promise<Pod[]> {
  return (await api.request<{ items: Pod[] }>('GET', `/api/v1/namespaces/${ns}/pods`)).items;
}

export async function podEvents(api: RestClient, ns: string, pod: string): Promise<Event[]> {
  const sel = encodeURIComponent(`involvedObject.name=${pod}`);
  return (await api.request<{ items: Event[] }>('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=${sel}`)).items;
}

export const scheduledCondition = (pod: Pod) => pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
