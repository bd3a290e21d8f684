/**
 * The pod QoS class, after pkg/apis/core/helper/qos (ComputePodQOS): BestEffort without cpu or
 * memory requests/limits, Guaranteed when every container limits both and requests equal limits,
 * Burstable otherwise.
 */
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { parseQuantityNano } from '../../validation/index.ts';

export type QOSClass = 'BestEffort' | 'Burstable' | 'Guaranteed';

const qosResources = ['cpu', 'memory'];

function addPositive(into: Map<string, bigint>, list: Record<string, unknown> | undefined): Set<string> {
  const found = new Set<string>();
  for (const [name, q] of Object.entries(list ?? {})) {
    if (!qosResources.includes(name)) continue;
    const v = parseQuantityNano(q);
    if (v === undefined || v <= 0n) continue;
    found.add(name);
    into.set(name, (into.get(name) ?? 0n) + v);
  }
  return found;
}

export function computeQOS(spec: PodSpec | undefined): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const all: Container[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  for (const c of all) {
    addPositive(requests, c.resources?.requests);
    const found = addPositive(limits, c.resources?.limits);
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) { guaranteed = false; break; }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
