/**
 * What the scheduler knows about one node: the Node and the pods on it (bound or assumed) with
 * their summed requests, host ports and affinity, after kubernetes pkg/scheduler/framework/types.go
 * (NodeInfo, HostPortInfo). Mutated only by the scheduler cache (and by preemption's clones).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { emptyResource, resourceFromList, quantityValue, type Resource } from './resources.ts';
import { hasAffinity, podInfoOf, type PodInfo } from './pod-info.ts';

/** Host ports in use: ip → set of `protocol/port`. 0.0.0.0 conflicts with every ip. */
export class HostPortInfo {
  readonly byIp = new Map<string, Map<string, number>>();

  add(ip: string, protocol: string, port: number): void {
    const key = `${protocol}/${port}`;
    let m = this.byIp.get(ip);
    if (!m) this.byIp.set(ip, (m = new Map()));
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  remove(ip: string, protocol: string, port: number): void {
    const m = this.byIp.get(ip);
    if (!m) return;
    const key = `${protocol}/${port}`;
    const n = (m.get(key) ?? 0) - 1;
    if (n <= 0) m.delete(key);
    else m.set(key, n);
    if (m.size === 0) this.byIp.delete(ip);
  }

  /** HostPortInfo.CheckConflict. */
  conflicts(ip: string, protocol: string, port: number): boolean {
    const key = `${protocol}/${port}`;
    if (ip === '0.0.0.0') {
      for (const m of this.byIp.values()) if (m.has(key)) return true;
      return false;
    }
    return Boolean(this.byIp.get(ip)?.has(key) || this.byIp.get('0.0.0.0')?.has(key));
  }

  get size(): number {
    return this.byIp.size;
  }
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** The pod's host ports (containers and sidecars), with upstream's defaults: ip 0.0.0.0, protocol TCP. */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export class NodeInfo {
  node: Node | undefined;
  readonly pods = new Map<string, PodInfo>();
  readonly podsWithAffinity = new Set<PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();
  readonly usedPorts = new HostPortInfo();
  allocatable: Resource = emptyResource();
  allowedPodNumber = 0;
  requested: Resource = emptyResource();
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  /** Normalised image name → size in bytes. */
  images = new Map<string, number>();
  /** Bumped on every change, for callers caching per-node results. */
  generation = 0;

  constructor(readonly name: string) {}

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceFromList(node.status?.allocatable as Record<string, unknown> | undefined);
    this.allowedPodNumber = quantityValue(node.status?.allocatable?.pods ?? 0);
    this.images = new Map();
    for (const img of node.status?.images ?? []) {
      for (const n of img.names ?? []) this.images.set(normalizedImageName(n), img.sizeBytes ?? 0);
    }
    this.generation++;
  }

  addPod(pod: Pod): void {
    const info = podInfoOf(pod);
    const uid = pod.metadata?.uid ?? info.key;
    if (this.pods.has(uid)) this.removePod(this.pods.get(uid)!.pod);
    this.pods.set(uid, info);
    this.account(info, 1);
  }

  removePod(pod: Pod): boolean {
    const uid = pod.metadata?.uid ?? podInfoOf(pod).key;
    const info = this.pods.get(uid);
    if (!info) return false;
    this.pods.delete(uid);
    this.account(info, -1);
    return true;
  }

  private account(info: PodInfo, sign: 1 | -1): void {
    const r = info.resources.request;
    this.requested.milliCPU += sign * r.milliCPU;
    this.requested.memory += sign * r.memory;
    this.requested.ephemeralStorage += sign * r.ephemeralStorage;
    for (const [k, v] of r.scalar) this.requested.scalar.set(k, (this.requested.scalar.get(k) ?? 0) + sign * v);
    this.nonZeroMilliCPU += sign * info.resources.nonZeroMilliCPU;
    this.nonZeroMemory += sign * info.resources.nonZeroMemory;
    for (const p of podHostPorts(info.pod)) {
      if (sign > 0) this.usedPorts.add(p.ip, p.protocol, p.port);
      else this.usedPorts.remove(p.ip, p.protocol, p.port);
    }
    if (hasAffinity(info)) {
      if (sign > 0) this.podsWithAffinity.add(info);
      else this.podsWithAffinity.delete(info);
    }
    if (info.requiredAntiAffinityTerms.length > 0) {
      if (sign > 0) this.podsWithRequiredAntiAffinity.add(info);
      else this.podsWithRequiredAntiAffinity.delete(info);
    }
    this.generation++;
  }

  /** A copy whose pod set can be changed without touching this one (preemption's dry runs). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    if (this.node) c.setNode(this.node);
    for (const info of this.pods.values()) c.addPod(info.pod);
    return c;
  }
}

/** ImageLocality's normalisation: a name without tag or digest means `:latest`. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const tail = name.slice(lastSlash + 1);
  if (tail.includes(':') || name.includes('@')) return name;
  return `${name}:latest`;
}
