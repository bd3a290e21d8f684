/**
 * Resource amounts as plain numbers (milli-CPU, bytes, counts) and a pod's effective request,
 * after kubernetes pkg/api/v1/resource/helpers.go (PodRequests: containers summed, then the max
 * with each init container plus the sidecars started before it, then the pod overhead) and
 * pkg/scheduler/util/pod_resources.go (the non-zero defaults scoring uses).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantityNano } from '../../registry/validation/quantity.ts';

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources, hugepages and any other resource, in whole units. */
  scalar: Map<string, number>;
}

/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what a container without requests counts as when scoring. */
export const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() };
}

const parsedValues = new Map<string, number>();
const parsedMilli = new Map<string, number>();

/** Quantity.Value() (rounded up) of a wire quantity; 0 when it does not parse. Memoised: the same strings recur. */
export function quantityValue(q: unknown): number {
  const key = String(q);
  let v = parsedValues.get(key);
  if (v === undefined) {
    const nano = parseQuantityNano(q);
    v = nano === undefined ? 0 : Number((nano + 999_999_999n) / 1_000_000_000n);
    if (parsedValues.size < 10_000) parsedValues.set(key, v);
  }
  return v;
}

/** Quantity.MilliValue() (rounded up) of a wire quantity. */
export function quantityMilliValue(q: unknown): number {
  const key = String(q);
  let v = parsedMilli.get(key);
  if (v === undefined) {
    const nano = parseQuantityNano(q);
    v = nano === undefined ? 0 : Number((nano + 999_999n) / 1_000_000n);
    if (parsedMilli.size < 10_000) parsedMilli.set(key, v);
  }
  return v;
}

/** A ResourceList from the wire (node allocatable, container requests) as a Resource. */
export function resourceFromList(list: Readonly<Record<string, unknown>> | undefined, into: Resource = emptyResource()): Resource {
  if (!list) return into;
  for (const [name, q] of Object.entries(list)) {
    if (name === 'cpu') into.milliCPU += quantityMilliValue(q);
    else if (name === 'memory') into.memory += quantityValue(q);
    else if (name === 'ephemeral-storage') into.ephemeralStorage += quantityValue(q);
    else if (name !== 'pods') into.scalar.set(name, (into.scalar.get(name) ?? 0) + quantityValue(q));
  }
  return into;
}

function addInto(a: Resource, b: Resource): void {
  a.milliCPU += b.milliCPU;
  a.memory += b.memory;
  a.ephemeralStorage += b.ephemeralStorage;
  for (const [k, v] of b.scalar) a.scalar.set(k, (a.scalar.get(k) ?? 0) + v);
}

function maxInto(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [k, v] of b.scalar) a.scalar.set(k, Math.max(a.scalar.get(k) ?? 0, v));
}

export interface PodResources {
  /** What the pod asks for (NodeResourcesFit). */
  request: Resource;
  /** CPU and memory with the non-zero defaults (LeastAllocated scoring, NodeInfo.NonZeroRequested). */
  nonZeroMilliCPU: number;
  nonZeroMemory: number;
}

const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always';

/** Sum of containers and sidecars; max with each init container; plus overhead. */
function computeRequests(pod: Pod, nonZero: boolean): Resource {
  const spec = pod.spec;
  const one = (c: Container): Resource => {
    const r = resourceFromList(c.resources?.requests);
    if (nonZero) {
      if (c.resources?.requests?.cpu === undefined) r.milliCPU = defaultMilliCPURequest;
      if (c.resources?.requests?.memory === undefined) r.memory = defaultMemoryRequest;
    }
    return r;
  };
  const total = emptyResource();
  for (const c of spec?.containers ?? []) addInto(total, one(c));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of spec?.initContainers ?? []) {
    const r = one(c);
    if (isSidecar(c)) {
      addInto(total, r);
      addInto(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      const withSidecars = emptyResource();
      addInto(withSidecars, sidecars);
      addInto(withSidecars, r);
      maxInto(initMax, withSidecars);
    }
  }
  maxInto(total, initMax);
  if (spec?.overhead) resourceFromList(spec.overhead, total);
  return total;
}

const cache = new WeakMap<object, PodResources>();

/** The pod's requests; cached per object (informer objects are frozen, so an update is a new object). */
export function podResources(pod: Pod): PodResources {
  let r = cache.get(pod);
  if (!r) {
    const nz = computeRequests(pod, true);
    r = { request: computeRequests(pod, false), nonZeroMilliCPU: nz.milliCPU, nonZeroMemory: nz.memory };
    cache.set(pod, r);
  }
  return r;
}
