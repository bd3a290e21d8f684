/**
 * What quota knows about one kind of object (k8s.io/apiserver/pkg/quota/v1 Evaluator): which quota
 * resource names it can charge, whether a quota's scopes select an object, the constraints an
 * object must meet, and the usage it consumes. The admission plugin and the quota controller use
 * the same evaluators, so a charge and a recount always agree.
 */
import type { ResourceList } from './quantity.ts';

/** The object shapes evaluators read: parsed JSON, as stored or as an informer caches it. */
export interface QuotaObject {
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    deletionTimestamp?: string | Date;
    deletionGracePeriodSeconds?: number;
  };
  spec?: unknown;
  status?: unknown;
}

export type ScopeOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** corev1.ScopedResourceSelectorRequirement. */
export interface ScopeRequirement {
  scopeName: string;
  operator: ScopeOperator;
  values?: string[];
}

export interface GroupResource {
  group: string;
  resource: string;
}

export interface Evaluator {
  readonly groupResource: GroupResource;
  /** Whether a request with this operation (on the main resource) can change usage. */
  handles(operation: 'CREATE' | 'UPDATE'): boolean;
  /** The subset of `names` this evaluator charges. */
  matchingResources(names: Iterable<string>): string[];
  /** Whether one scope requirement selects the object. */
  matchesScope(req: ScopeRequirement, obj: QuotaObject): boolean;
  /** An error text when the object does not meet the constraints that `required` imposes. */
  constraints(required: string[], obj: QuotaObject): string | undefined;
  /** The usage the object consumes. */
  usage(obj: QuotaObject, now: Date): ResourceList;
  /**
   * Whether an update of a stored object can lower the usage it is charged (the controller's
   * replenishment filter, pkg/quota/v1/install DefaultUpdateFilter); false for most kinds.
   */
  updateReleases?(oldObj: QuotaObject, newObj: QuotaObject, now: Date): boolean;
}
