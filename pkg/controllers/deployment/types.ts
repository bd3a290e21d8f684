/**
 * The shapes and names the deployment controller works with (kubernetes
 * pkg/controller/deployment/util/deployment_util.go constants, apps/v1 types): the annotations it
 * writes, the pod-template-hash label, condition reasons, and the resource refs it informs on.
 * resourceRefs has no deployments entry yet, so the ref is declared here.
 */
import type { Deployment, DeploymentCondition, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { resourceRefs, type ResourceRef } from '../../client/informers/index.ts';

export type { Deployment, DeploymentCondition, ReplicaSet };

/** apps/v1 deployments (not in pkg/client/informers/resource-refs.ts yet). */
export const deploymentsRef: ResourceRef = resourceRefs.deployments;
export const replicaSetsRef: ResourceRef = resourceRefs.replicasets;

/** apps.DefaultDeploymentUniqueLabelKey. */
export const podTemplateHashLabel = 'pod-template-hash';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';

/** Annotations never copied from a Deployment to its ReplicaSets (annotationsToSkip). */
export const annotationsToSkip: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation, revisionHistoryAnnotation, desiredReplicasAnnotation, maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** Condition reasons, spelled as deployment_util.go spells them. */
export const reasons = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** Go's math.MaxInt32: progressDeadlineSeconds / revisionHistoryLimit meaning "never". */
export const maxInt32 = 2 ** 31 - 1;

/** Replicas of a ReplicaSet spec (nil counts as 0, as the controller sees defaulted objects). */
export const specReplicas = (rs: ReplicaSet): number => rs.spec?.replicas ?? 0;
/** Replicas the Deployment asks for (defaulted to 1 by the apiserver). */
export const desiredReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;
