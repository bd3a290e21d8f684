/**
 * The per-resource behaviour the generic store delegates to. Strategies are pure: no I/O, no clock
 * other than the one passed in. Mirrors k8s.io/apiserver/pkg/registry/rest (RESTCreateStrategy,
 * RESTUpdateStrategy) and the per-kind strategy.go files under pkg/registry.
 *
 * Order of calls (written once, in before-write.ts):
 *   create: applyDefaults → prepareForCreate → validate → canonicalize
 *   update: applyDefaults → prepareForUpdate → validateUpdate → canonicalize
 * The store itself already handles what is common to every kind: system metadata (uid,
 * creationTimestamp, resourceVersion), keeping status on the main resource and spec on /status
 * for kinds with a status subresource, and generation bumps when `tracksGeneration` is set.
 */
import type { KubeObject } from '../../api/index.ts';
import type { FieldError } from '../../apierrors/index.ts';
import type { UserInfo } from '../../auth/user.ts';

export interface StrategyContext {
  /** Injected clock: strategies never read the wall clock themselves. */
  now: Date;
  /** The requesting user; absent for internal writes. */
  user?: UserInfo;
}

export interface Strategy {
  /** metadata.generation starts at 1 and is bumped when anything outside metadata/status changes. */
  tracksGeneration?: boolean;
  /** PUT to a missing object creates it (true for nodes, leases, endpoints…; false for most). */
  allowCreateOnUpdate?: boolean;
  /** A finished delete answers with the object instead of a Status (pods, services, serviceaccounts…). */
  returnDeletedObject?: boolean;
  /** Fill in API defaults (as the real server's defaulting funcs do). May mutate obj. */
  applyDefaults?(obj: KubeObject): void;
  /** Reset fields users may not set on create (e.g. status). May mutate obj. */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  /** Carry over fields users may not change on update. May mutate obj, never old. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Field errors of a new object; never mutates. */
  validate?(obj: KubeObject): FieldError[];
  /** Field errors of an update (immutable fields…); never mutates. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Normalise representation before storing. May mutate obj. */
  canonicalize?(obj: KubeObject): void;
  /**
   * Fields that fieldSelector may use beyond metadata.name and metadata.namespace, e.g.
   * { 'spec.nodeName': 'n1', 'status.phase': 'Running' }. Values are strings as selectors compare.
   */
  getAttrs?(obj: KubeObject): Record<string, string>;
  /**
   * Seconds of graceful deletion for this object (pods bound to a node: the requested period, else
   * spec.terminationGracePeriodSeconds); 0 deletes at once. Absent: always 0.
   */
  gracePeriod?(obj: KubeObject, requestedSeconds: number | undefined): number;
  /**
   * Conditions beyond metadata.finalizers that keep a deleted object in storage (a namespace
   * waits for its spec.finalizers); true means keep it.
   */
  deletionPending?(obj: KubeObject): boolean;
  /** Mutates an object being marked for deletion (a namespace's status.phase becomes Terminating). */
  prepareForDelete?(obj: KubeObject): void;
  /**
   * Subresources other than status that update the object (certificatesigningrequests/approval):
   * fromRequest builds the new object from the request's and the stored one (a private copy).
   */
  subresources?: Record<string, {
    fromRequest(desired: KubeObject, current: KubeObject): KubeObject;
    prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
    validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  }>;
  /** Behaviour of the /status subresource, when the kind has one. */
  status?: {
    prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
    validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  };
}
