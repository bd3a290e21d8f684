/**
 * Each node's usage read from its kubelet's Summary API (`GET /stats/summary`), the way
 * metrics-server scrapes kubelets, kept for a short time so a burst of `kubectl top` calls costs
 * one request per node. A node whose kubelet cannot be reached, or answers with an error or a
 * malformed document, has no usage (metrics-server leaves such nodes out); failures are not cached.
 */
import type { KubeObject } from '../../api/index.ts';
import { kubeletEndpoint, readBodyText, type KubeletClient } from '../core/pod/kubelet-client.ts';

/** The part of the kubelet's Summary this reads (stats/v1alpha1). */
export interface UsagePoint {
  time: string;
  usageNanoCores?: number;
  workingSetBytes?: number;
}

export interface SummaryPod {
  podRef: { name: string; namespace: string; uid?: string };
  containers?: { name: string; cpu?: UsagePoint; memory?: UsagePoint }[];
}

export interface NodeSummary {
  node: { nodeName: string; cpu?: UsagePoint; memory?: UsagePoint };
  pods?: SummaryPod[];
}

export interface SummarySourceOptions {
  kubelet: KubeletClient;
  /** How long a node's Summary is reused. */
  ttlMs?: number;
  /** Per-scrape time limit (metrics-server's --kubelet-request-timeout is 10 s). */
  timeoutMs?: number;
  now?: () => number;
}

function isSummary(doc: unknown): doc is NodeSummary {
  const d = doc as NodeSummary | null;
  return typeof d === 'object' && d !== null && typeof d.node === 'object' && d.node !== null && (d.pods === undefined || Array.isArray(d.pods));
}

export class SummarySource {
  private readonly cache = new Map<string, { at: number; summary: Promise<NodeSummary | undefined> }>();
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: SummarySourceOptions) {
    this.ttlMs = opts.ttlMs ?? 5_000;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.now = opts.now ?? Date.now;
  }

  /** The node's Summary, or undefined when its kubelet did not give one. */
  summary(node: KubeObject): Promise<NodeSummary | undefined> {
    const name = node.metadata.name ?? '';
    const hit = this.cache.get(name);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.summary;
    const summary = this.scrape(node);
    const entry = { at: this.now(), summary };
    this.cache.set(name, entry);
    void summary.then((s) => { if (!s && this.cache.get(name) === entry) this.cache.delete(name); });
    return summary;
  }

  private async scrape(node: KubeObject): Promise<NodeSummary | undefined> {
    try {
      const endpoint = kubeletEndpoint(node, this.opts.kubelet.cfg);
      const res = await this.opts.kubelet.get(endpoint, '/stats/summary', { timeoutMs: this.timeoutMs });
      const body = await readBodyText(res, 64 << 20);
      if (res.statusCode !== 200) return undefined;
      const doc: unknown = JSON.parse(body);
      return isSummary(doc) ? doc : undefined;
    } catch {
      return undefined;
    }
  }
}
