/**
 * One sync of one Deployment (kubernetes pkg/controller/deployment/deployment_controller.go
 * syncDeployment, sync.go, rolling.go, recreate.go, progress.go): find or create the new
 * ReplicaSet, scale ReplicaSets by the strategy's plan, clean up old revisions, write status.
 * Writes are updates carrying the resourceVersion read, so a stale view fails with a conflict and
 * the key is retried; the Deployment's resourceVersion is carried forward between its own writes.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import type { EventRecorder } from '../event-recorder.ts';
import { controllerRefFor, deploymentPath, replicaSetPath } from './claim-replica-sets.ts';
import { isRollingUpdate, maxSurge } from './fenceposts.ts';
import { computeHash, canonicalJson } from './pod-template-hash.ts';
import {
  actualReplicaCount, byRevision, controllerRefOf, equalIgnoreHash, filterActive, findNewReplicaSet, findOldReplicaSets,
  isControlledBy, maxRevision, replicasAnnotationsNeedUpdate, setNewReplicaSetAnnotations, setReplicasAnnotations,
} from './replica-sets.ts';
import { newRSNewReplicas, planNewReplicaSet, planOldReplicaSets, planRecreateScaleDown, planScale, type ScaleStep } from './rollout-plan.ts';
import {
  calculateStatus, deploymentComplete, getCondition, hasProgressDeadline, newCondition, rolloutStatus, setCondition, stuckRecheckDelayMs,
} from './status.ts';
import {
  desiredReplicas, desiredReplicasAnnotation, maxInt32, podTemplateHashLabel, reasons, revisionAnnotation, specReplicas,
  type Deployment, type ReplicaSet,
} from './types.ts';

export interface SyncDeps {
  client: RestClient;
  recorder: EventRecorder;
  now: () => Date;
  /** Cached ReplicaSets by namespace/name, to resolve a create that hit AlreadyExists. */
  getReplicaSet: (namespace: string, name: string) => ReplicaSet | undefined;
  /** Asks for another sync after `delayMs` (requeueStuckDeployment). */
  requeueAfter: (delayMs: number) => void;
}

const subject = (d: Deployment) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: d.metadata });
const sameStatus = (a: DeploymentStatus | undefined, b: DeploymentStatus) => canonicalJson(a ?? {}) === canonicalJson(b);

/** The mutable state of one sync: the Deployment as last written and its ReplicaSets by name. */
export class DeploymentSync {
  private readonly rss = new Map<string, ReplicaSet>();

  constructor(private readonly deps: SyncDeps, private d: Deployment, rsList: readonly ReplicaSet[], private readonly pods: () => Pod[]) {
    for (const rs of rsList) this.rss.set(rs.metadata?.name ?? '', rs);
  }

  private get rsList(): ReplicaSet[] { return [...this.rss.values()]; }
  private latest(rs: ReplicaSet): ReplicaSet { return this.rss.get(rs.metadata?.name ?? '') ?? rs; }
  private get namespace(): string { return this.d.metadata?.namespace ?? ''; }

  /** syncDeployment after the ReplicaSets were claimed. */
  async run(): Promise<void> {
    if (this.d.metadata?.deletionTimestamp) return this.syncStatusOnly();
    await this.checkPausedConditions();
    if (this.d.spec?.paused || await this.isScalingEvent()) return this.sync();
    return isRollingUpdate(this.d) ? this.rolloutRolling() : this.rolloutRecreate();
  }

  private async syncStatusOnly(): Promise<void> {
    const [newRS, oldRSs] = await this.allReplicaSets(false);
    await this.writeStatus(calculateStatus([...oldRSs, newRS], newRS, this.d, this.deps.now()));
  }

  /** sync: a resize or a paused Deployment; scale proportionally, clean up, recount. */
  private async sync(): Promise<void> {
    const [newRS, oldRSs] = await this.allReplicaSets(false);
    await this.apply(planScale(this.d, newRS, oldRSs));
    const olds = oldRSs.map((rs) => this.latest(rs));
    // Only a paused Deployment is cleaned up here; a rollout cleans up once complete.
    if (this.d.spec?.paused) await this.cleanup(olds);
    const all = [...olds, newRS && this.latest(newRS)];
    await this.writeStatus(calculateStatus(all, newRS && this.latest(newRS), this.d, this.deps.now()));
  }

  /** isScalingEvent: an active ReplicaSet was annotated for a different spec.replicas. */
  private async isScalingEvent(): Promise<boolean> {
    const [newRS, oldRSs] = await this.allReplicaSets(false);
    return filterActive([...oldRSs, newRS]).some((rs) => {
      const desired = rs.metadata?.annotations?.[desiredReplicasAnnotation];
      return desired !== undefined && /^\d+$/.test(desired) && Number(desired) !== desiredReplicas(this.d);
    });
  }

  private async checkPausedConditions(): Promise<void> {
    if (!hasProgressDeadline(this.d)) return;
    const cond = getCondition(this.d.status, 'Progressing');
    if (cond?.reason === reasons.timedOut) return;
    const pausedCond = cond?.reason === reasons.paused;
    const status: DeploymentStatus = structuredClone(this.d.status ?? {});
    if (this.d.spec?.paused && !pausedCond) {
      setCondition(status, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', this.deps.now()));
    } else if (!this.d.spec?.paused && pausedCond) {
      setCondition(status, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', this.deps.now()));
    } else return;
    await this.putStatus(status);
  }

  private async rolloutRolling(): Promise<void> {
    const [created, oldRSs] = await this.allReplicaSets(true);
    const newRS = created!;
    const all = () => [...oldRSs.map((rs) => this.latest(rs)), this.latest(newRS)];
    if (await this.apply(planNewReplicaSet(this.d, all(), this.latest(newRS)))) return this.syncRolloutStatus(all(), this.latest(newRS));
    const activeOld = filterActive(oldRSs.map((rs) => this.latest(rs)));
    if (await this.apply(planOldReplicaSets(this.d, all(), activeOld, this.latest(newRS)))) return this.syncRolloutStatus(all(), this.latest(newRS));
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(oldRSs.map((rs) => this.latest(rs)));
    return this.syncRolloutStatus(all(), this.latest(newRS));
  }

  private async rolloutRecreate(): Promise<void> {
    let [newRS, oldRSs] = await this.allReplicaSets(false);
    const all = () => [...oldRSs.map((rs) => this.latest(rs)), newRS && this.latest(newRS)];
    if (await this.apply(planRecreateScaleDown(filterActive(oldRSs)))) return this.syncRolloutStatus(all(), newRS);
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(all(), newRS);
    if (!newRS) [newRS, oldRSs] = await this.allReplicaSets(true);
    const target = this.latest(newRS!);
    if (specReplicas(target) !== desiredReplicas(this.d)) await this.apply([{ rs: target, to: desiredReplicas(this.d), operation: 'up' }]);
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(oldRSs.map((rs) => this.latest(rs)));
    return this.syncRolloutStatus(all(), newRS && this.latest(newRS));
  }

  /** oldPodsRunning: old ReplicaSets still report pods, or a pod of one is not terminal yet. */
  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): boolean {
    if (actualReplicaCount(oldRSs) > 0) return true;
    const owned = new Set(this.rsList.map((rs) => rs.metadata?.uid));
    return this.pods().some((pod) => {
      const uid = controllerRefOf(pod)?.uid;
      if (!uid || !owned.has(uid) || uid === newRS?.metadata?.uid) return false;
      return pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded';
    });
  }

  /** getAllReplicaSetsAndSyncRevision: [new ReplicaSet (created when asked), every old one]. */
  private async allReplicaSets(create: boolean): Promise<[ReplicaSet | undefined, ReplicaSet[]]> {
    const [, allOld] = findOldReplicaSets(this.d, this.rsList);
    return [await this.newReplicaSet(allOld, create), allOld];
  }

  private async newReplicaSet(oldRSs: readonly ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.d;
    const existing = findNewReplicaSet(d, this.rsList);
    const newRevision = maxRevision(oldRSs) + 1n;
    const now = this.deps.now();
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0)) {
        copy.spec = { ...copy.spec!, minReadySeconds: d.spec?.minReadySeconds };
        return this.putReplicaSet(copy);
      }
      const status = structuredClone(d.status ?? {});
      let needsUpdate = this.setRevision(copy.metadata?.annotations?.[revisionAnnotation] ?? '');
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        setCondition(status, newCondition('Progressing', 'True', reasons.foundNewRS, `Found new replica set "${copy.metadata?.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) await this.putStatus(status);
      return existing;
    }
    if (!create) return undefined;
    return this.createReplicaSet(oldRSs, newRevision);
  }

  private async createReplicaSet(oldRSs: readonly ReplicaSet[], newRevision: bigint): Promise<ReplicaSet | undefined> {
    const d = this.d;
    const hash = computeHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec!.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash } };
    const selector = structuredClone(d.spec!.selector);
    selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: `${d.metadata?.name}-${hash}`, namespace: this.namespace, ownerReferences: [controllerRefFor(d)], labels: template.metadata.labels },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    rs.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.deps.client.create<ReplicaSet>(`/apis/apps/v1/namespaces/${encodeURIComponent(this.namespace)}/replicasets`, rs);
    } catch (err) {
      if (err instanceof ApiError && err.code === 409) {
        const found = this.deps.getReplicaSet(this.namespace, rs.metadata!.name!);
        if (found && isControlledBy(found, d) && equalIgnoreHash(found.spec?.template, d.spec?.template)) {
          created = found;
          alreadyExists = true;
        } else {
          // A hash collision: the next name comes from a bumped collisionCount.
          const status = structuredClone(d.status ?? {});
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          await this.putStatus(status);
          throw err;
        }
      } else if (err instanceof ApiError && err.code === 403 && /being terminated/.test(err.message)) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${rs.metadata?.name}": ${(err as Error).message}`;
        if (hasProgressDeadline(d)) {
          const status = structuredClone(d.status ?? {});
          setCondition(status, newCondition('Progressing', 'False', reasons.failedRSCreate, msg, this.deps.now()));
          await this.putStatus(status).catch(() => undefined);
        }
        this.deps.recorder.event(subject(d), 'Warning', reasons.failedRSCreate, msg);
        throw err;
      }
    }
    this.rss.set(created.metadata?.name ?? '', created);
    if (!alreadyExists && replicas > 0) {
      this.deps.recorder.event(subject(d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${replicas}`);
    }
    const status = structuredClone(d.status ?? {});
    let needsUpdate = this.setRevision(String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition(status, newCondition('Progressing', 'True', reasons.newReplicaSet, `Created new replica set "${created.metadata?.name}"`, this.deps.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.putStatus(status);
    return created;
  }

  /** SetDeploymentRevision on the in-memory Deployment; written with the next status update. */
  private setRevision(revision: string): boolean {
    const meta = (this.d.metadata ??= {});
    if (meta.annotations?.[revisionAnnotation] === revision) return false;
    meta.annotations = { ...meta.annotations, [revisionAnnotation]: revision };
    return true;
  }

  /** Applies scale steps in order (scaleReplicaSet); true when any ReplicaSet changed size. */
  private async apply(steps: readonly ScaleStep[]): Promise<boolean> {
    let scaled = false;
    const desired = desiredReplicas(this.d);
    const max = desired + maxSurge(this.d);
    for (const s of steps) {
      const rs = this.latest(s.rs);
      const from = specReplicas(rs);
      if (from === s.to && !replicasAnnotationsNeedUpdate(rs, desired, max)) continue;
      const copy = structuredClone(rs);
      copy.spec = { ...copy.spec!, replicas: s.to };
      setReplicasAnnotations(copy, desired, max);
      await this.putReplicaSet(copy);
      if (from !== s.to) {
        scaled = true;
        const operation = s.operation || (s.to > from ? 'up' : 'down');
        this.deps.recorder.event(subject(this.d), 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata?.name} from ${from} to ${s.to}`);
      }
    }
    return scaled;
  }

  /** cleanupDeployment: delete the oldest revisions beyond revisionHistoryLimit that have nothing left. */
  private async cleanup(oldRSs: readonly ReplicaSet[]): Promise<void> {
    const limit = this.d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === null || limit === maxInt32) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      await this.deps.client.delete(replicaSetPath(this.namespace, rs.metadata?.name ?? '')).catch((err: unknown) => {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      });
      this.rss.delete(rs.metadata?.name ?? '');
    }
  }

  private async syncRolloutStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
    const now = this.deps.now();
    const status = rolloutStatus(allRSs, newRS, this.d, now);
    if (!sameStatus(this.d.status, status)) await this.putStatus(status);
    const delay = stuckRecheckDelayMs(this.d, status, now);
    if (delay !== undefined) this.deps.requeueAfter(delay);
  }

  private async writeStatus(status: DeploymentStatus): Promise<void> {
    if (!sameStatus(this.d.status, status)) await this.putStatus(status);
  }

  /** UpdateStatus with the in-memory metadata (the revision annotation rides along, as upstream). */
  private async putStatus(status: DeploymentStatus): Promise<void> {
    const body = { ...this.d, status };
    this.d = await this.deps.client.update<Deployment>(`${deploymentPath(this.namespace, this.d.metadata?.name ?? '')}/status`, body);
  }

  private async putReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const updated = await this.deps.client.update<ReplicaSet>(replicaSetPath(this.namespace, rs.metadata?.name ?? ''), rs);
    this.rss.set(updated.metadata?.name ?? '', updated);
    return updated;
  }
}
