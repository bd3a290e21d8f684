/**
 * What a Deployment reads off its ReplicaSets (kubernetes pkg/controller/deployment/util/
 * deployment_util.go and pkg/controller/controller_utils.go): which one is new, revisions,
 * replica sums, the orderings scaling uses, the replica annotations, saturation and proportions.
 * Pure; functions that "set" something mutate only the copy they are given.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { maxSurge } from './fenceposts.ts';
import { canonicalJson } from './pod-template-hash.ts';
import {
  annotationsToSkip, desiredReplicas, desiredReplicasAnnotation, maxReplicasAnnotation, podTemplateHashLabel,
  revisionAnnotation, revisionHistoryAnnotation, specReplicas, type Deployment, type ReplicaSet,
} from './types.ts';

/** --deployment-controller's maxRevHistoryLengthInChars. */
export const maxRevisionHistoryLengthInChars = 2000;

export function controllerRefOf(obj: { metadata?: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(rs: ReplicaSet, d: Deployment): boolean {
  const ref = controllerRefOf(rs);
  return ref !== undefined && ref.uid === d.metadata?.uid;
}

/** Drops undefined, empty objects and empty arrays: Semantic.DeepEqual treats nil and empty alike. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(prune);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/** EqualIgnoreHash: the templates are equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const withoutHash = (t: PodTemplateSpec | undefined): unknown => {
    const labels = { ...(t?.metadata?.labels ?? {}) };
    delete labels[podTemplateHashLabel];
    return prune({ ...t, metadata: { ...t?.metadata, labels } });
  };
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  const an = a.metadata?.name ?? '', bn = b.metadata?.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: largest first; equal sizes oldest first (scale-down order). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);
/** ReplicaSetsBySizeNewer: largest first; equal sizes newest first (scale-up order). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreationTimestamp(b, a);

/** An int64 revision string as a bigint (revisions beyond 2^53 stay exact, as upstream's ParseInt); undefined when not one. */
export function parseRevision(v: string): bigint | undefined {
  if (!/^[+-]?\d{1,19}$/.test(v)) return undefined;
  const n = BigInt(v);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

/** Revision: the revision annotation; 0 when absent, undefined when not an int64. */
export function revision(rs: ReplicaSet): bigint | undefined {
  const v = rs.metadata?.annotations?.[revisionAnnotation];
  return v === undefined ? 0n : parseRevision(v);
}

/** ReplicaSetsByRevision: lowest revision first, then oldest. */
export const byRevision = (a: ReplicaSet, b: ReplicaSet): number => {
  const ra = revision(a) ?? 0n, rb = revision(b) ?? 0n;
  return ra !== rb ? (ra < rb ? -1 : 1) : byCreationTimestamp(a, b);
};

/** MaxRevision: the highest parseable revision (0 when none). */
export function maxRevision(rss: readonly ReplicaSet[]): bigint {
  return rss.reduce((max, rs) => { const v = revision(rs); return v !== undefined && v > max ? v : max; }, 0n);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: [old ones that still have replicas, every old one]. */
export function findOldReplicaSets(d: Deployment, rss: readonly ReplicaSet[]): [ReplicaSet[], ReplicaSet[]] {
  const newRS = findNewReplicaSet(d, rss);
  const all = rss.filter((rs) => newRS === undefined || rs.metadata?.uid !== newRS.metadata?.uid);
  return [all.filter((rs) => specReplicas(rs) !== 0), all];
}

/** FilterActiveReplicaSets: those with spec.replicas > 0. */
export const filterActive = (rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] =>
  rss.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);

const sum = (rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number | undefined): number =>
  rss.reduce((n, rs) => n + (rs ? f(rs) ?? 0 : 0), 0);
/** GetReplicaCountForReplicaSets (spec). */
export const replicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, specReplicas);
/** GetActualReplicaCountForReplicaSets (status.replicas). */
export const actualReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.replicas);
export const readyReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.readyReplicas);
export const availableReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.availableReplicas);

/** SetReplicasAnnotations on `rs` (mutated); true when something changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const meta = (rs.metadata ??= {});
  const annotations = (meta.annotations ??= {});
  let updated = false;
  if (annotations[desiredReplicasAnnotation] !== String(desired)) { annotations[desiredReplicasAnnotation] = String(desired); updated = true; }
  if (annotations[maxReplicasAnnotation] !== String(max)) { annotations[maxReplicasAnnotation] = String(max); updated = true; }
  return updated;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations;
  return a?.[desiredReplicasAnnotation] !== String(desired) || a?.[maxReplicasAnnotation] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations on `rs` (mutated): the Deployment's annotations (but the skipped
 * ones), the revision raised to `newRevision`, the previous revision kept in revision-history when
 * an existing one is raised (a rollback), and the replica annotations for a ReplicaSet about to be
 * created. True when something changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: bigint, exists: boolean,
  historyLimitChars = maxRevisionHistoryLengthInChars): boolean {
  const annotations = ((rs.metadata ??= {}).annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (annotationsToSkip.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  const oldRevision = annotations[revisionAnnotation];
  const had = oldRevision !== undefined;
  let oldRevisionInt = 0n;
  if (had) {
    const parsed = parseRevision(oldRevision);
    if (parsed === undefined) return false;
    oldRevisionInt = parsed;
  }
  if (oldRevisionInt < newRevision) {
    annotations[revisionAnnotation] = String(newRevision);
    changed = true;
    if (had) appendRevisionHistory(annotations, oldRevision, historyLimitChars);
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** Appends `oldRevision` to revision-history, dropping the oldest entries to stay within the limit. */
function appendRevisionHistory(annotations: Record<string, string>, oldRevision: string, limit: number): void {
  const history = annotations[revisionHistoryAnnotation] ?? '';
  if (history === '') { annotations[revisionHistoryAnnotation] = oldRevision; return; }
  const entries = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > limit && start < entries.length) total -= (entries[start++] ?? '').length + 1;
  if (total <= limit) annotations[revisionHistoryAnnotation] = [...entries.slice(start), oldRevision].join(',');
}

/** IsSaturated: the new ReplicaSet runs, is annotated for and has available all of spec.replicas. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = rs.metadata?.annotations?.[desiredReplicasAnnotation];
  if (desired === undefined || !/^[+-]?\d+$/.test(desired)) return false;
  const want = desiredReplicas(d);
  return specReplicas(rs) === want && Number(desired) === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** FindActiveOrLatest: the only active ReplicaSet, the newest when none is active, undefined when several are. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** integer.RoundToInt32: halves away from zero. */
const roundToInt = (x: number): number => Math.trunc(x < 0 ? x - 0.5 : x + 0.5);

/** getReplicaSetFraction: how many replicas `rs` gains (or loses) when the Deployment is resized. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (desiredReplicas(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = desiredReplicas(d) + maxSurge(d);
  const annotated = rs.metadata?.annotations?.[maxReplicasAnnotation];
  const annotatedReplicas = annotated !== undefined && /^[+-]?\d+$/.test(annotated) ? Number(annotated) : d.status?.replicas ?? 0;
  return roundToInt((specReplicas(rs) * deploymentReplicas) / annotatedReplicas) - specReplicas(rs);
}

/** GetProportion: `rs`'s share of `toAdd`, never beyond what is left after `added`. */
export function proportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
