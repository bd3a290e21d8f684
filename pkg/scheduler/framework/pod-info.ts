/**
 * A pod with the parts plugins read over and over already parsed, after kubernetes
 * pkg/scheduler/framework/types.go (PodInfo, AffinityTerm, WeightedAffinityTerm). Built once
 * per pod object and cached; informer objects are frozen, so an update is a new object.
 */
import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.ts';
import { podResources, type PodResources } from './resources.ts';

export interface AffinityTerm {
  /** Namespaces named by the term, or the pod's own when it names none and has no namespaceSelector. */
  namespaces: ReadonlySet<string>;
  selector: LabelSelector;
  topologyKey: string;
  /** Selects more namespaces by their labels; `nothing` when absent. */
  namespaceSelector: LabelSelector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface PodInfo {
  pod: Pod;
  /** namespace/name */
  key: string;
  resources: PodResources;
  requiredAffinityTerms: AffinityTerm[];
  requiredAntiAffinityTerms: AffinityTerm[];
  preferredAffinityTerms: WeightedAffinityTerm[];
  preferredAntiAffinityTerms: WeightedAffinityTerm[];
}

function safeSelector(sel: PodAffinityTerm['labelSelector']): LabelSelector {
  try {
    return labelSelectorFromObject(sel as never);
  } catch {
    return labelSelectorFromObject(null);
  }
}

function toTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && t.namespaceSelector == null) namespaces.add(pod.metadata?.namespace ?? '');
  let selector = safeSelector(t.labelSelector);
  // matchLabelKeys / mismatchLabelKeys: the pod's own values join the selector.
  const extra: { key: string; operator: string; values: string[] }[] = [];
  for (const k of t.matchLabelKeys ?? []) {
    const v = pod.metadata?.labels?.[k];
    if (v !== undefined) extra.push({ key: k, operator: 'In', values: [v] });
  }
  for (const k of t.mismatchLabelKeys ?? []) {
    const v = pod.metadata?.labels?.[k];
    if (v !== undefined) extra.push({ key: k, operator: 'NotIn', values: [v] });
  }
  if (extra.length > 0 && t.labelSelector) {
    selector = safeSelector({ ...t.labelSelector, matchExpressions: [...(t.labelSelector.matchExpressions ?? []), ...extra] });
  }
  return { namespaces, selector, topologyKey: t.topologyKey, namespaceSelector: safeSelector(t.namespaceSelector) };
}

/** Whether a term selects `pod`; `nsLabels` are the labels of the pod's namespace (for namespaceSelector). */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined): boolean {
  const ns = pod.metadata?.namespace ?? '';
  if (!term.namespaces.has(ns) && !term.namespaceSelector.matches(nsLabels)) return false;
  return term.selector.matches(pod.metadata?.labels);
}

const cache = new WeakMap<Pod, PodInfo>();

export function podInfoOf(pod: Pod): PodInfo {
  let info = cache.get(pod);
  if (info) return info;
  const a = pod.spec?.affinity;
  info = {
    pod,
    key: `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`,
    resources: podResources(pod),
    requiredAffinityTerms: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => toTerm(pod, t)),
    requiredAntiAffinityTerms: (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => toTerm(pod, t)),
    preferredAffinityTerms: (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .map((w) => ({ ...toTerm(pod, w.podAffinityTerm), weight: w.weight })),
    preferredAntiAffinityTerms: (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .map((w) => ({ ...toTerm(pod, w.podAffinityTerm), weight: w.weight })),
  };
  cache.set(pod, info);
  return info;
}

export function hasAffinity(info: PodInfo): boolean {
  return info.requiredAffinityTerms.length + info.requiredAntiAffinityTerms.length
    + info.preferredAffinityTerms.length + info.preferredAntiAffinityTerms.length > 0;
}

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}
