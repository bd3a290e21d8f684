/**
 * Keeps a NodeGraph in step with the pods watch cache (graph_populator.go): bound pods are added,
 * deleted pods removed. A pod's references and node are immutable once it is bound, so an update
 * of a pod the graph already has (every status update) leaves the graph alone, and a pod that is
 * not bound is recognised from its stored bytes: the graph decodes only pods bound to a node, so
 * following every pod write costs a byte search, not a JSON parse.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.ts';
import type { WatchCache } from '../../storage/cacher/index.ts';
import { NodeGraph } from './graph.ts';

/** What the graph saw of each pod: enough to skip updates that cannot change its edges. */
interface Seen {
  uid: string;
  nodeName: string;
}

/** How spec.nodeName starts in a stored pod (JSON, no spaces); unbound pods lack it. */
const boundMarker = Buffer.from('"nodeName":"');

export class GraphPopulator {
  readonly graph = new NodeGraph();
  private readonly seen = new Map<string, Seen>();
  readonly ready: Promise<void>;

  constructor(private readonly pods: WatchCache) {
    this.ready = this.subscribe();
    // Failures surface where callers await `ready`; do not crash the process meanwhile.
    this.ready.catch(() => undefined);
  }

  private async subscribe(): Promise<void> {
    await this.pods.start();
    const { initial } = this.pods.watch(undefined, {
      deliver: (e) => {
        const key = e.key.slice(this.pods.prefix.length);
        const known = this.seen.has(key);
        if (e.type === 'DELETED') {
          if (known) this.deletePod(e.object);
          return;
        }
        if (known && e.type === 'MODIFIED') return;
        if (!known && e.rawValue && e.rawValue.indexOf(boundMarker) < 0) return;
        this.putPod(e.object);
      },
      fail: () => {
        // The cache drops its watchers and re-lists; follow it once it is back.
        const retry = (): void => { this.subscribe().catch(() => { setTimeout(retry, 1000).unref(); }); };
        setTimeout(retry, 1000).unref();
      },
    });
    // Pods are the graph's only source, so a re-list rebuilds it from scratch.
    this.graph.clear();
    this.seen.clear();
    for (const o of initial) this.putPod(o);
  }

  private putPod(o: KubeObject): void {
    const pod = o as unknown as Pod;
    const nodeName = pod.spec?.nodeName ?? '';
    if (!nodeName) return;
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    const uid = pod.metadata?.uid ?? '';
    const before = this.seen.get(key);
    if (before && before.uid === uid && before.nodeName === nodeName) return;
    this.seen.set(key, { uid, nodeName });
    this.graph.addPod(pod);
  }

  private deletePod(o: KubeObject): void {
    const pod = o as unknown as Pod;
    if (!pod.spec?.nodeName) return;
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    this.seen.delete(`${ns}/${name}`);
    this.graph.deletePod(ns, name);
  }
}
