/**
 * The Node authorizer's graph (plugin/pkg/auth/authorizer/node/graph.go): vertices for API objects,
 * edges pointing toward the nodes (node <- pod <- secret | configmap | pvc | serviceAccount |
 * resourceclaim). Edges added for a pod carry the node they lead to ("destination"), and each
 * vertex counts its destinations, so "is this secret used on node n1" is one map lookup even for
 * a configmap (kube-root-ca.crt) referenced by every pod of a namespace. Edges without a
 * destination (pv -> pvc, which a PV adds without knowing the pod) are walked.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isMirrorPod, podClaimNames, podConfigMapNames, podResourceClaimNames, podSecretNames } from './pod-references.ts';

export type VertexType = 'configmap' | 'node' | 'pod' | 'pvc' | 'pv' | 'resourceclaim' | 'secret' | 'serviceAccount' | 'volumeattachment';

class Vertex {
  /** Target vertex → the node vertex the edge leads to, or undefined for an edge without one. */
  readonly out = new Map<Vertex, Vertex | undefined>();
  readonly in = new Set<Vertex>();
  /** Node vertex → how many of this vertex's out-edges lead to it. */
  readonly destinations = new Map<Vertex, number>();

  constructor(readonly key: string) {}

  get degree(): number {
    return this.out.size + this.in.size;
  }
}

const vertexKey = (type: VertexType, namespace: string, name: string) => `${type}\u0000${namespace}\u0000${name}`;

export class NodeGraph {
  private readonly vertices = new Map<string, Vertex>();

  /** How many vertices the graph holds (for tests: deleted pods must not leave orphans behind). */
  get size(): number {
    return this.vertices.size;
  }

  has(type: VertexType, namespace: string, name: string): boolean {
    return this.vertices.has(vertexKey(type, namespace, name));
  }

  clear(): void {
    this.vertices.clear();
  }

  private getOrCreate(type: VertexType, namespace: string, name: string): Vertex {
    const key = vertexKey(type, namespace, name);
    let v = this.vertices.get(key);
    if (!v) this.vertices.set(key, v = new Vertex(key));
    return v;
  }

  private addEdge(from: Vertex, to: Vertex, destination: Vertex | undefined): void {
    if (from.out.has(to)) return; // the same secret named twice by one pod is one edge
    from.out.set(to, destination);
    to.in.add(from);
    if (destination) from.destinations.set(destination, (from.destinations.get(destination) ?? 0) + 1);
  }

  private removeEdge(from: Vertex, to: Vertex): void {
    if (!from.out.has(to)) return;
    const destination = from.out.get(to);
    from.out.delete(to);
    to.in.delete(from);
    if (destination) {
      const n = (from.destinations.get(destination) ?? 0) - 1;
      if (n > 0) from.destinations.set(destination, n);
      else from.destinations.delete(destination);
    }
  }

  /** Removes a vertex and every neighbour left without edges, as deleteVertexLocked does. */
  private deleteVertex(type: VertexType, namespace: string, name: string): void {
    const v = this.vertices.get(vertexKey(type, namespace, name));
    if (!v) return;
    const neighbours = [...v.out.keys(), ...v.in];
    for (const to of [...v.out.keys()]) this.removeEdge(v, to);
    for (const from of [...v.in]) this.removeEdge(from, v);
    this.vertices.delete(v.key);
    for (const n of neighbours) if (n.degree === 0) this.vertices.delete(n.key);
  }

  /**
   * AddPod, for a pod bound to a node: pod -> node, and (unless it is a mirror pod, which must
   * never grant its node anything) its service account, secrets, configmaps, PVCs and resource
   * claims -> pod. Called again for the same pod, it replaces the pod's edges.
   */
  addPod(pod: Pod): void {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const nodeName = pod.spec?.nodeName ?? '';
    this.deleteVertex('pod', ns, name);
    if (!nodeName) return;
    const podVertex = this.getOrCreate('pod', ns, name);
    const nodeVertex = this.getOrCreate('node', '', nodeName);
    this.addEdge(podVertex, nodeVertex, nodeVertex);
    if (isMirrorPod(pod)) return;
    const spec = pod.spec!;
    const refs: [VertexType, string][] = [];
    if (spec.serviceAccountName) refs.push(['serviceAccount', spec.serviceAccountName]);
    for (const s of podSecretNames(spec)) refs.push(['secret', s]);
    for (const c of podConfigMapNames(spec)) refs.push(['configmap', c]);
    for (const c of podClaimNames(pod)) refs.push(['pvc', c]);
    for (const c of podResourceClaimNames(pod)) refs.push(['resourceclaim', c]);
    for (const [type, refName] of refs) this.addEdge(this.getOrCreate(type, ns, refName), podVertex, nodeVertex);
  }

  deletePod(namespace: string, name: string): void {
    this.deleteVertex('pod', namespace, name);
  }

  /**
   * hasPathFrom: whether the object reaches the node. The reason upstream logs when it does not
   * (unknown node, unknown object, no path) is returned for callers that want it.
   */
  hasPathFrom(nodeName: string, type: VertexType, namespace: string, name: string): { ok: boolean; why?: string } {
    const node = this.vertices.get(vertexKey('node', '', nodeName));
    const what = `${type} ${namespace}/${name}`;
    if (!node) return { ok: false, why: `unknown node '${nodeName}' cannot get ${what}` };
    const start = this.vertices.get(vertexKey(type, namespace, name));
    if (!start) return { ok: false, why: `node '${nodeName}' cannot get unknown ${what}` };
    const seen = new Set<Vertex>([start]);
    const stack = [start];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v === node || v.destinations.has(node)) return { ok: true };
      for (const [to, destination] of v.out) {
        // Edges with a destination lead to exactly that node, which the count above covers.
        if (destination || seen.has(to)) continue;
        seen.add(to);
        stack.push(to);
      }
    }
    return { ok: false, why: `node '${nodeName}' cannot get ${what}, no relationship to this object was found in the node authorizer graph` };
  }
}
