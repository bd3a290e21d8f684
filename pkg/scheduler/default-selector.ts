/**
 * The selector the system default topology spread constraints use, after kubernetes
 * pkg/scheduler/framework/plugins/helper/spread.go (DefaultSelector): the selectors of the Services
 * selecting the pod, of ReplicationControllers selecting it, and of the ReplicaSet and StatefulSet
 * that own it, ANDed. Empty when nothing selects the pod.
 */
import type { Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import { everythingLabelSelector, labelSelectorFromObject, type LabelSelector, type LabelSelectorObject } from '../api/selectors/index.ts';
import type { Lister } from '../client/informers/index.ts';

export interface OwnerListers {
  services: Lister<Service>;
  replicationControllers: Lister<ReplicationController>;
  replicaSets: Lister<ReplicaSet>;
  statefulSets: Lister<StatefulSet>;
}

const mapMatches = (sel: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean =>
  sel !== undefined && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);

export function defaultSelectorFor(listers: OwnerListers): (pod: Pod) => LabelSelector {
  return (pod) => {
    const ns = pod.metadata?.namespace ?? '';
    const labels = pod.metadata?.labels ?? {};
    const matchLabels: Record<string, string> = {};
    const matchExpressions: NonNullable<LabelSelectorObject['matchExpressions']>[number][] = [];
    for (const s of listers.services.list(ns)) if (mapMatches(s.spec?.selector, labels)) Object.assign(matchLabels, s.spec!.selector);
    for (const rc of listers.replicationControllers.list(ns)) if (mapMatches(rc.spec?.selector, labels)) Object.assign(matchLabels, rc.spec!.selector);
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
    const owned = owner?.kind === 'ReplicaSet' ? listers.replicaSets.get(ns, owner.name)
      : owner?.kind === 'StatefulSet' ? listers.statefulSets.get(ns, owner.name) : undefined;
    if (owned && owned.metadata?.uid === owner?.uid && owned.spec?.selector) {
      Object.assign(matchLabels, owned.spec.selector.matchLabels ?? {});
      matchExpressions.push(...(owned.spec.selector.matchExpressions ?? []));
    }
    if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return everythingLabelSelector();
    try {
      return labelSelectorFromObject({ matchLabels, matchExpressions });
    } catch {
      return everythingLabelSelector();
    }
  };
}
