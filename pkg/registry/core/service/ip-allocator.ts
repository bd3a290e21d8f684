/**
 * ClusterIP and NodePort allocation against an abstract reservation store (the registry backs
 * it with etcd create-if-absent keys), after pkg/registry/core/service/storage/alloc.go and the
 * ipallocator/portallocator packages. Keys are `clusterip/<ip>` and `nodeport/<port>`.
 * Single-stack IPv4 only. The network and broadcast addresses are never handed out, and dynamic
 * allocation skips the first address (10.96.0.1 in 10.96.0.0/12), kept for the `kubernetes`
 * Service, which asks for it explicitly.
 */
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.ts';
import { internalError, invalid as invalidStatus, type FieldError, type StatusError } from '../../../apierrors/index.ts';
import { goStringSlice, invalid, invalidRendered } from '../../validation/index.ts';
import { initIPFamilies, isHeadless, needsClusterIP, needsHealthCheck, needsNodePort } from './fields.ts';

/** Create-if-absent keys: reserve answers false when the key is already taken. */
export interface Reservations {
  reserve(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

export interface AllocatorConfig {
  /** e.g. "10.96.0.0/12". */
  serviceCIDR: string;
  /** Inclusive, e.g. [30000, 32767]. */
  nodePortRange: [number, number];
  /** Injected randomness for tests; Math.random otherwise. */
  random?: () => number;
}

interface Range { base: number; size: number }

function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function parseCIDR(cidr: string): Range {
  const [ip = '', bits = ''] = cidr.split('/');
  const addr = parseIPv4(ip);
  const prefix = Number(bits);
  if (addr === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 30) {
    throw new Error(`unsupported service CIDR ${cidr}: an IPv4 range of /30 or larger is required`);
  }
  const size = 2 ** (32 - prefix);
  return { base: addr - (addr % size), size };
}

function serviceInvalid(svc: Service, errs: FieldError[]): StatusError {
  return invalidStatus('', 'Service', svc.metadata?.name ?? '', errs);
}

/** The reservation keys a stored Service holds. */
export function serviceAddressKeys(obj: KubeObject | Service | undefined): string[] {
  const spec = (obj as Service | undefined)?.spec;
  if (!spec) return [];
  const keys = new Set<string>();
  for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ip && ip !== 'None') keys.add(`clusterip/${ip}`);
  for (const p of spec.ports ?? []) if (p.nodePort) keys.add(`nodeport/${p.nodePort}`);
  if (spec.healthCheckNodePort) keys.add(`nodeport/${spec.healthCheckNodePort}`);
  return [...keys];
}

/** Tracks what one call reserved, so a failure gives it all back. */
class Txn {
  readonly reserved: string[] = [];
  constructor(private readonly r: Reservations, private readonly held: Set<string>) {}

  /** True when the key is ours now: already held by the old object, or freshly reserved. */
  async take(key: string): Promise<boolean> {
    if (this.held.has(key) || this.reserved.includes(key)) return true;
    if (!(await this.r.reserve(key))) return false;
    this.reserved.push(key);
    return true;
  }

  /** Tries random picks, then scans from a random start: cheap when sparse, complete when full. */
  async pickFree(count: number, keyOf: (offset: number) => string | undefined, random: () => number): Promise<number | undefined> {
    const tries = Math.min(count, 64);
    for (let i = 0; i < tries; i++) {
      const offset = Math.floor(random() * count);
      const key = keyOf(offset);
      if (key && !this.held.has(key) && await this.take(key)) return offset;
    }
    const start = Math.floor(random() * count);
    for (let i = 0; i < count; i++) {
      const offset = (start + i) % count;
      const key = keyOf(offset);
      if (key && !this.held.has(key) && await this.take(key)) return offset;
    }
    return undefined;
  }

  async rollback(): Promise<void> {
    for (const key of this.reserved.splice(0)) await this.r.release(key);
  }
}

async function allocateClusterIP(spec: ServiceSpec, svc: Service, cfg: AllocatorConfig, txn: Txn): Promise<void> {
  const range = parseCIDR(cfg.serviceCIDR);
  const requested = spec.clusterIPs?.[0] ?? spec.clusterIP;
  if (requested) {
    const n = parseIPv4(requested);
    const fail = (why: string): StatusError => serviceInvalid(svc, [invalidRendered('spec.clusterIPs',
      goStringSlice(spec.clusterIPs ?? [requested]), `failed to allocate IP ${requested}: ${why}`)]);
    if (n === undefined || n <= range.base || n >= range.base + range.size - 1) {
      throw fail(`provided IP is not in the valid range. The range of valid IPs is ${cfg.serviceCIDR}`);
    }
    if (!(await txn.take(`clusterip/${requested}`))) throw fail('provided IP is already allocated');
    spec.clusterIP = requested;
    spec.clusterIPs = [requested];
    return;
  }
  // Offsets 0 (network), 1 (the kubernetes Service) and size-1 (broadcast) are never picked.
  const count = range.size - 3;
  const offset = await txn.pickFree(count, (o) => `clusterip/${formatIPv4(range.base + 2 + o)}`, cfg.random ?? Math.random);
  if (offset === undefined) throw internalError('failed to allocate a serviceIP: range is full');
  const ip = formatIPv4(range.base + 2 + offset);
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

async function takeNodePort(port: number, path: string, svc: Service, cfg: AllocatorConfig, txn: Txn): Promise<void> {
  const [lo, hi] = cfg.nodePortRange;
  if (port < lo || port > hi) {
    throw serviceInvalid(svc, [invalid(path, port, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`)]);
  }
  if (!(await txn.take(`nodeport/${port}`))) throw serviceInvalid(svc, [invalid(path, port, 'provided port is already allocated')]);
}

async function nextNodePort(cfg: AllocatorConfig, txn: Txn): Promise<number> {
  const [lo, hi] = cfg.nodePortRange;
  const offset = await txn.pickFree(hi - lo + 1, (o) => `nodeport/${lo + o}`, cfg.random ?? Math.random);
  if (offset === undefined) throw internalError('failed to allocate a nodePort: range is full');
  return lo + offset;
}

/** initNodePorts: requested ports are honoured; ports sharing a port number share a node port. */
async function allocateNodePorts(spec: ServiceSpec, svc: Service, cfg: AllocatorConfig, txn: Txn): Promise<void> {
  const allocateNew = spec.type !== 'LoadBalancer' || spec.allocateLoadBalancerNodePorts !== false;
  const byPort = new Map<number, number>();
  const ports = spec.ports ?? [];
  for (const [i, p] of ports.entries()) {
    if (!p.nodePort && !allocateNew) continue;
    const known = byPort.get(p.port);
    if (p.nodePort && p.nodePort !== known) {
      await takeNodePort(p.nodePort, `spec.ports[${i}].nodePort`, svc, cfg, txn);
      byPort.set(p.port, p.nodePort);
    } else if (!p.nodePort) {
      const requested = ports.find((q, j) => j > i && q.port === p.port && q.nodePort)?.nodePort;
      p.nodePort = known ?? requested ?? await nextNodePort(cfg, txn);
      if (requested && !known) await takeNodePort(requested, `spec.ports[${i}].nodePort`, svc, cfg, txn);
      byPort.set(p.port, p.nodePort);
    }
  }
  if (needsHealthCheck(spec)) {
    if (spec.healthCheckNodePort) await takeNodePort(spec.healthCheckNodePort, 'spec.healthCheckNodePort', svc, cfg, txn);
    else spec.healthCheckNodePort = await nextNodePort(cfg, txn);
  }
}

/**
 * Assigns spec.clusterIP/clusterIPs (unless headless or ExternalName) and node ports (NodePort
 * and LoadBalancer), honouring requested values or throwing the real 422 Invalid. On update,
 * addresses the old object held are reused, and the ones the new object no longer uses are
 * released once allocation succeeded. Everything reserved by a failing call is released.
 * Mutates `obj`; never mutates `old`.
 */
export async function allocateServiceAddresses(obj: KubeObject, old: KubeObject | undefined, cfg: AllocatorConfig,
  r: Reservations): Promise<void> {
  const svc = obj as unknown as Service;
  const prev = old as unknown as Service | undefined;
  const spec = svc.spec ??= {};
  initIPFamilies(svc, prev);
  const familyErrs: FieldError[] = [];
  const headlessSelectorless = isHeadless(spec) && Object.keys(spec.selector ?? {}).length === 0;
  if (!headlessSelectorless && spec.type !== 'ExternalName') {
    if (spec.ipFamilyPolicy === 'RequireDualStack') {
      familyErrs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    }
    (spec.ipFamilies ?? []).forEach((f, i) => {
      if (f !== 'IPv4') familyErrs.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
    });
  }
  if (familyErrs.length > 0) throw serviceInvalid(svc, familyErrs);
  const txn = new Txn(r, new Set(serviceAddressKeys(prev)));
  try {
    if (needsClusterIP(svc) && !isHeadless(spec)) await allocateClusterIP(spec, svc, cfg, txn);
    if (needsNodePort(svc) || needsHealthCheck(spec)) await allocateNodePorts(spec, svc, cfg, txn);
  } catch (err) {
    await txn.rollback();
    throw err;
  }
  if (prev) await releaseServiceAddressesNotIn(prev, obj, r);
}

/** Releases every address a Service holds (after delete, or when its create failed). */
export async function releaseServiceAddresses(obj: KubeObject, r: Reservations): Promise<void> {
  for (const key of serviceAddressKeys(obj)) await r.release(key);
}

/**
 * Releases the addresses `obj` holds that `keep` does not: after an update succeeded call it
 * with (old, new); when an update failed, with (new, old) to undo what allocation added.
 */
export async function releaseServiceAddressesNotIn(obj: KubeObject | Service, keep: KubeObject | Service, r: Reservations): Promise<void> {
  const kept = new Set(serviceAddressKeys(keep));
  for (const key of serviceAddressKeys(obj)) if (!kept.has(key)) await r.release(key);
}
