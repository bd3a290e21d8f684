/**
 * metrics.k8s.io/v1beta1 NodeMetrics (`nodes`) and PodMetrics (`pods`), get and list, answered as
 * metrics-server answers them (sigs.k8s.io/metrics-server pkg/api/node.go, pod.go): Nodes and Pods
 * are read (label and field selectors apply to them), each node's kubelet Summary supplies usage,
 * and objects without usage are left out of lists. A get of a missing Node or Pod is that object's
 * NotFound; of one without usage, `nodemetrics.metrics.k8s.io "<name>"` or
 * `podmetrics.metrics.k8s.io "<namespace>/<name>"` NotFound.
 */
import type { KubeList, KubeObject } from '../../api/index.ts';
import { parseFieldSelector, parseLabelSelector } from '../../api/selectors/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { RestReadContext, RestReader } from '../rest.ts';
import { cpuQuantity, memoryQuantity } from './quantity.ts';
import type { NodeSummary, SummarySource, UsagePoint } from './summary-source.ts';

export interface MetricsDeps {
  getNode(name: string): Promise<KubeObject>;
  listNodes(filter: (o: KubeObject) => boolean): Promise<KubeObject[]>;
  getPod(namespace: string, name: string): Promise<KubeObject>;
  listPods(namespace: string, filter: (o: KubeObject) => boolean): Promise<KubeObject[]>;
  summaries: SummarySource;
  now?: () => Date;
}

const apiVersion = 'metrics.k8s.io/v1beta1';
const group = 'metrics.k8s.io';
/** The rate window kubelets compute usageNanoCores over. */
const window = '10s';

/** metav1.Time: RFC 3339 in whole seconds. */
function wireTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The list's selectors (labels on the object, metadata.name/namespace fields) as one predicate. */
function selection(query: URLSearchParams): (o: KubeObject) => boolean {
  const labelText = query.get('labelSelector') ?? '';
  const fieldText = query.get('fieldSelector') ?? '';
  const labels = labelText ? parseLabelSelector(labelText) : undefined;
  const fields = fieldText ? parseFieldSelector(fieldText) : undefined;
  return (o) => (!labels || labels.matches(o.metadata.labels))
    && (!fields || fields.matches({ 'metadata.name': o.metadata.name ?? '', 'metadata.namespace': o.metadata.namespace ?? '' }));
}

function usage(cpu: UsagePoint | undefined, memory: UsagePoint | undefined): { cpu: string; memory: string } | undefined {
  if (cpu?.usageNanoCores === undefined || memory?.workingSetBytes === undefined) return undefined;
  return { cpu: cpuQuantity(cpu.usageNanoCores), memory: memoryQuantity(memory.workingSetBytes) };
}

function nodeMetricsOf(node: KubeObject, summary: NodeSummary | undefined, now: Date): KubeObject | undefined {
  const u = summary && usage(summary.node.cpu, summary.node.memory);
  if (!u) return undefined;
  return {
    metadata: { name: node.metadata.name, creationTimestamp: wireTime(now), ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
    timestamp: wireTime(new Date(summary!.node.cpu!.time)), window, usage: u,
  };
}

function podMetricsOf(pod: KubeObject, summary: NodeSummary | undefined, now: Date): KubeObject | undefined {
  const stats = summary?.pods?.find((p) => p.podRef.namespace === pod.metadata.namespace && p.podRef.name === pod.metadata.name);
  if (!stats?.containers?.length) return undefined;
  const containers = stats.containers.map((c) => ({ name: c.name, usage: usage(c.cpu, c.memory) }));
  if (containers.some((c) => !c.usage)) return undefined;
  const time = stats.containers[0]!.cpu!.time;
  return {
    metadata: {
      name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: wireTime(now),
      ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
    },
    timestamp: wireTime(new Date(time)), window, containers,
  };
}

/** One Summary per distinct node the pods run on, fetched in parallel. */
async function summariesFor(pods: KubeObject[], deps: MetricsDeps): Promise<Map<string, NodeSummary | undefined>> {
  const nodeNames = [...new Set(pods.map((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName ?? '').filter(Boolean))];
  const entries = await Promise.all(nodeNames.map(async (name) => {
    try {
      return [name, await deps.summaries.summary(await deps.getNode(name))] as const;
    } catch {
      return [name, undefined] as const;
    }
  }));
  return new Map(entries);
}

const nodeOf = (pod: KubeObject): string => (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';

export function nodeMetricsRest(deps: MetricsDeps): RestReader {
  const now = deps.now ?? (() => new Date());
  return {
    async get(ctx: RestReadContext): Promise<KubeObject> {
      const node = await deps.getNode(ctx.name);
      const metrics = nodeMetricsOf(node, await deps.summaries.summary(node), now());
      if (!metrics) throw apierrors.notFound(group, 'nodemetrics', ctx.name);
      return { kind: 'NodeMetrics', apiVersion, ...metrics };
    },
    async list(ctx: RestReadContext): Promise<KubeList> {
      const nodes = await deps.listNodes(selection(ctx.query));
      const at = now();
      const items = await Promise.all(nodes.map(async (n) => nodeMetricsOf(n, await deps.summaries.summary(n), at)));
      return { kind: 'NodeMetricsList', apiVersion, metadata: {}, items: items.filter((i): i is KubeObject => i !== undefined) };
    },
  };
}

export function podMetricsRest(deps: MetricsDeps): RestReader {
  const now = deps.now ?? (() => new Date());
  return {
    async get(ctx: RestReadContext): Promise<KubeObject> {
      const pod = await deps.getPod(ctx.namespace, ctx.name);
      const summaries = await summariesFor([pod], deps);
      const metrics = podMetricsOf(pod, summaries.get(nodeOf(pod)), now());
      if (!metrics) throw apierrors.notFound(group, 'podmetrics', `${ctx.namespace}/${ctx.name}`);
      return { kind: 'PodMetrics', apiVersion, ...metrics };
    },
    async list(ctx: RestReadContext): Promise<KubeList> {
      const pods = await deps.listPods(ctx.namespace, selection(ctx.query));
      const summaries = await summariesFor(pods, deps);
      const at = now();
      const items = pods.map((p) => podMetricsOf(p, summaries.get(nodeOf(p)), at)).filter((i): i is KubeObject => i !== undefined);
      return { kind: 'PodMetricsList', apiVersion, metadata: {}, items };
    },
  };
}
