/**
 * The strategy of every resource-table entry, keyed by resourceKey ("pods",
 * "deployments.apps"). Importing this module fails fast when an entry has no strategy, so a
 * half-wired resource never reaches the store.
 */
import type { FieldError } from '../apierrors/index.ts';
import { resourceKey, resourceTable } from '../resources/index.ts';
import type { Strategy } from './generic/strategy.ts';
import { controllerRevisionStrategy } from './apps/controllerrevision/strategy.ts';
import { daemonSetStrategy } from './apps/daemonset/strategy.ts';
import { deploymentStrategy } from './apps/deployment/strategy.ts';
import { replicaSetStrategy } from './apps/replicaset/index.ts';
import { statefulSetStrategy } from './apps/statefulset/strategy.ts';
import { cronJobStrategy } from './batch/cronjob/strategy.ts';
import { certificateSigningRequestStrategy } from './certificates/certificates/strategy.ts';
import { jobStrategy } from './batch/job/strategy.ts';
import { leaseStrategy } from './coordination/lease/strategy.ts';
import { bindingStrategy } from './core/binding/strategy.ts';
import { configMapStrategy } from './core/configmap/strategy.ts';
import { endpointsStrategy } from './core/endpoints/strategy.ts';
import { eventStrategy } from './core/event/strategy.ts';
import { limitRangeStrategy } from './core/limitrange/strategy.ts';
import { namespaceStrategy } from './core/namespace/strategy.ts';
import { nodeStrategy } from './core/node/strategy.ts';
import { podStrategy } from './core/pod/index.ts';
import { replicationControllerStrategy } from './core/replicationcontroller/strategy.ts';
import { resourceQuotaStrategy } from './core/resourcequota/strategy.ts';
import { secretStrategy } from './core/secret/strategy.ts';
import { serviceStrategy } from './core/service/strategy.ts';
import { serviceAccountStrategy } from './core/serviceaccount/strategy.ts';
import { endpointSliceStrategy } from './discovery/endpointslice/strategy.ts';
import { eventsV1Strategy } from './events/event/strategy.ts';
import { priorityClassStrategy } from './scheduling/priorityclass/strategy.ts';
import { runtimeClassStrategy } from './node/runtimeclass/strategy.ts';
import { clusterRoleBindingStrategy, roleBindingStrategy } from './rbac/binding-strategies.ts';
import { clusterRoleStrategy, roleStrategy } from './rbac/role-strategies.ts';

/**
 * Update validation re-runs the create checks, so metadata problems can be reported twice;
 * field.ErrorList.ToAggregate drops repeated messages, and so do we.
 */
function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const key = `${e.field}\u0000${e.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function withDedupe(s: Strategy): Strategy {
  const out: Strategy = { ...s };
  if (s.validate) out.validate = (obj) => dedupe(s.validate?.(obj) ?? []);
  if (s.validateUpdate) out.validateUpdate = (obj, old) => dedupe(s.validateUpdate?.(obj, old) ?? []);
  if (s.status?.validateUpdate) {
    out.status = { ...s.status, validateUpdate: (obj, old) => dedupe(s.status?.validateUpdate?.(obj, old) ?? []) };
  }
  return out;
}

const strategies: Readonly<Record<string, Strategy>> = Object.fromEntries(Object.entries({
  namespaces: namespaceStrategy,
  pods: podStrategy,
  bindings: bindingStrategy,
  services: serviceStrategy,
  endpoints: endpointsStrategy,
  configmaps: configMapStrategy,
  secrets: secretStrategy,
  serviceaccounts: serviceAccountStrategy,
  nodes: nodeStrategy,
  events: eventStrategy,
  replicationcontrollers: replicationControllerStrategy,
  limitranges: limitRangeStrategy,
  resourcequotas: resourceQuotaStrategy,
  'deployments.apps': deploymentStrategy,
  'replicasets.apps': replicaSetStrategy,
  'statefulsets.apps': statefulSetStrategy,
  'daemonsets.apps': daemonSetStrategy,
  'controllerrevisions.apps': controllerRevisionStrategy,
  'jobs.batch': jobStrategy,
  'cronjobs.batch': cronJobStrategy,
  'certificatesigningrequests.certificates.k8s.io': certificateSigningRequestStrategy,
  'leases.coordination.k8s.io': leaseStrategy,
  'endpointslices.discovery.k8s.io': endpointSliceStrategy,
  'events.events.k8s.io': eventsV1Strategy,
  'priorityclasses.scheduling.k8s.io': priorityClassStrategy,
  'runtimeclasses.node.k8s.io': runtimeClassStrategy,
  'clusterrolebindings.rbac.authorization.k8s.io': clusterRoleBindingStrategy,
  'clusterroles.rbac.authorization.k8s.io': clusterRoleStrategy,
  'rolebindings.rbac.authorization.k8s.io': roleBindingStrategy,
  'roles.rbac.authorization.k8s.io': roleStrategy,
} satisfies Record<string, Strategy>).map(([key, s]) => [key, withDedupe(s)]));

const missing = resourceTable.filter((e) => e.stored).map(resourceKey).filter((key) => !strategies[key]);
if (missing.length > 0) throw new Error(`registry: no strategy for ${missing.join(', ')}`);

/** The strategy of a served resource; throws for a resource the table does not serve. */
export function strategyFor(group: string, plural: string): Strategy {
  const s = strategies[resourceKey({ group, plural })];
  if (!s) throw new Error(`registry: no strategy for ${resourceKey({ group, plural })}`);
  return s;
}

const fieldSelectorCache = new Map<string, string[]>();

/**
 * The field-selector fields a resource supports: metadata.name, metadata.namespace for
 * namespaced kinds, and the keys its strategy's getAttrs returns (getAttrs always returns
 * every key, so calling it on an empty object lists them).
 */
export function supportedFieldSelectors(group: string, plural: string): string[] {
  const key = resourceKey({ group, plural });
  const cached = fieldSelectorCache.get(key);
  if (cached) return [...cached];
  const entry = resourceTable.find((e) => e.group === group && e.plural === plural);
  const fields = ['metadata.name', ...(entry?.namespaced ? ['metadata.namespace'] : [])];
  fields.push(...Object.keys(strategyFor(group, plural).getAttrs?.({ metadata: {} }) ?? {}));
  fieldSelectorCache.set(key, fields);
  return [...fields];
}
