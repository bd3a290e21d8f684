/**
 * Pods (pkg/quota/v1/evaluator/core/pods.go): the object count, and while the pod is not terminal
 * its requests and limits (containers summed, init containers as a maximum, restartable init
 * containers and overhead added: resourcehelper.PodRequests/PodLimits). Scopes Terminating,
 * NotTerminating, BestEffort, NotBestEffort, PriorityClass and CrossNamespacePodAffinity select
 * pods. Quotas on cpu or memory require every container to state them (a backward-compatibility
 * rule upstream keeps). Only creates charge: pod resources cannot change.
 */
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { computeQOS } from '../../registry/core/pod/qos.ts';
import { add, parseResourceList, quantity, type ResourceList } from '../quantity.ts';
import type { Evaluator, QuotaObject, ScopeRequirement } from '../types.ts';

const podResources = [
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'count/pods',
];
const podResourcePrefixes = ['hugepages-', 'requests.hugepages-'];
/** Quotas on these make every container state the resource (validationSet). */
const validationSet = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** helper.IsExtendedResourceName: a domain-prefixed name outside kubernetes.io, not a quota name. */
export function isExtendedResourceName(name: string): boolean {
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  return !native && !name.startsWith('requests.');
}

/** isExtendedResourceNameForQuota: `requests.<extended resource>`. */
function isExtendedResourceNameForQuota(name: string): boolean {
  return name.startsWith('requests.') && isExtendedResourceName(name.slice('requests.'.length));
}

function podSpec(obj: QuotaObject): PodSpec {
  return (obj.spec ?? {}) as PodSpec;
}

function maxInto(into: ResourceList, other: ResourceList): void {
  for (const [k, v] of other) {
    const cur = into.get(k);
    if (!cur || v.nano > cur.nano) into.set(k, v);
  }
}

/** resourcehelper.PodRequests / PodLimits over one side (requests or limits) of every container. */
function podResourceList(spec: PodSpec, side: 'requests' | 'limits'): ResourceList {
  const of = (c: Container) => parseResourceList(c.resources?.[side] as Record<string, unknown> | undefined);
  let total: ResourceList = new Map();
  for (const c of spec.containers ?? []) total = add(total, of(c));
  let restartable: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of spec.initContainers ?? []) {
    let effective: ResourceList;
    if (c.restartPolicy === 'Always') {
      total = add(total, of(c));
      restartable = add(restartable, of(c));
      effective = restartable;
    } else {
      effective = add(of(c), restartable);
    }
    maxInto(initMax, effective);
  }
  maxInto(total, initMax);
  const overhead = parseResourceList(spec.overhead as Record<string, unknown> | undefined);
  if (side === 'requests') return add(total, overhead);
  // Overhead is added to limits that are set only.
  for (const [k, v] of overhead) {
    const cur = total.get(k);
    if (cur) total.set(k, { nano: cur.nano + v.nano, format: cur.format });
  }
  return total;
}

/** podComputeUsageHelper. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const used: ResourceList = new Map([['pods', quantity(1)]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) { used.set(r, req); used.set(`requests.${r}`, req); }
    const lim = limits.get(r);
    if (lim) used.set(`limits.${r}`, lim);
  }
  for (const [name, req] of requests) {
    if (name.startsWith('hugepages-')) { used.set(name, req); used.set(`requests.${name}`, req); }
    if (isExtendedResourceName(name)) used.set(`requests.${name}`, req);
  }
  return used;
}

/** QuotaV1Pod: terminal pods, and pods stuck terminating past their grace period, consume no compute. */
export function podCountsForQuota(obj: QuotaObject, now: Date): boolean {
  const phase = (obj.status as Pod['status'])?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const m = obj.metadata;
  if (m?.deletionTimestamp && m.deletionGracePeriodSeconds !== undefined && m.deletionGracePeriodSeconds !== null) {
    const deadline = new Date(m.deletionTimestamp).getTime() + m.deletionGracePeriodSeconds * 1000;
    if (now.getTime() > deadline) return false;
  }
  return true;
}

export function isTerminating(obj: QuotaObject): boolean {
  const ads = podSpec(obj).activeDeadlineSeconds;
  return ads !== undefined && ads !== null && ads >= 0;
}

function isBestEffort(obj: QuotaObject): boolean {
  return computeQOS(podSpec(obj)) === 'BestEffort';
}

/** podMatchesSelector: the requirement as a label selector over {PriorityClass: <name>}. */
function priorityClassMatches(req: ScopeRequirement, className: string | undefined): boolean {
  const has = Boolean(className);
  const values = req.values ?? [];
  switch (req.operator) {
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'In': return has && values.includes(className!);
    case 'NotIn': return !has || !values.includes(className!);
    default: return false;
  }
}

function usesCrossNamespacePodAffinity(spec: PodSpec): boolean {
  const a = spec.affinity;
  const terms = [
    ...(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
    ...(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
  ];
  return terms.some((t) => (t?.namespaces?.length ?? 0) > 0 || t?.namespaceSelector !== undefined);
}

function containerNames(spec: PodSpec): Container[] {
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
}

export const podsEvaluator: Evaluator = {
  groupResource: { group: '', resource: 'pods' },
  handles: (op) => op === 'CREATE',
  matchingResources(input) {
    return [...input].filter((n) => podResources.includes(n)
      || podResourcePrefixes.some((p) => n.startsWith(p)) || isExtendedResourceNameForQuota(n));
  },
  matchesScope(req, obj) {
    switch (req.scopeName) {
      case 'Terminating': return isTerminating(obj);
      case 'NotTerminating': return !isTerminating(obj);
      case 'BestEffort': return isBestEffort(obj);
      case 'NotBestEffort': return !isBestEffort(obj);
      case 'PriorityClass': return priorityClassMatches(req, podSpec(obj).priorityClassName);
      case 'CrossNamespacePodAffinity': return usesCrossNamespacePodAffinity(podSpec(obj));
      default: return false;
    }
  },
  constraints(required, obj) {
    const requiredSet = required.filter((r) => validationSet.has(r));
    if (requiredSet.length === 0) return undefined;
    const missing = new Map<string, Set<string>>();
    for (const c of containerNames(podSpec(obj))) {
      const have = computeUsage(parseResourceList(c.resources?.requests as Record<string, unknown> | undefined),
        parseResourceList(c.resources?.limits as Record<string, unknown> | undefined));
      for (const r of requiredSet) {
        if (have.has(r)) continue;
        if (!missing.has(r)) missing.set(r, new Set());
        missing.get(r)!.add(c.name);
      }
    }
    if (missing.size === 0) return undefined;
    return [...missing.keys()].sort()
      .map((r) => `must specify ${r} for: ${[...missing.get(r)!].sort().join(',')}`).join('; ');
  },
  usage(obj, now) {
    // count/pods tracks every stored pod; "pods" and compute only those still running.
    const used: ResourceList = new Map([['count/pods', quantity(1)]]);
    if (!podCountsForQuota(obj, now)) return used;
    const spec = podSpec(obj);
    return add(used, computeUsage(podResourceList(spec, 'requests'), podResourceList(spec, 'limits')));
  },
  updateReleases(oldObj, newObj, now) {
    if (isTerminating(oldObj) !== isTerminating(newObj)) return true;
    return podCountsForQuota(oldObj, now) && !podCountsForQuota(newObj, now);
  },
};
